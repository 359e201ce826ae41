"""A termbase's languages checked before import: French terms that read as English (and
English ones as French), or either side as neither language, are refused with what to swap
(`tm.text.language.check_sides`, over all the terms of a side); `swapped` reads a file's
French and English the other way round."""

from __future__ import annotations

from dataclasses import replace

from glossaries.tables import concept_id
from glossaries.terms import Concept, Parsed
from tm.text.language import check_sides, side

_OTHER = {"fr": "en", "en": "fr"}


def checked(parsed: Parsed, file: str, *, swap: bool = False) -> Parsed:
    """`parsed` (its languages exchanged with `swap`) when its French terms read as French (or
    cannot tell) and its English terms as English; `InvalidInput` otherwise."""
    french, english = (
        side(
            term.text
            for concept in parsed.concepts
            for term in concept.terms
            if term.language == language
        )
        for language in ("fr", "en")
    )
    check_sides(
        french,
        english,
        ("the French terms", "the English terms"),
        swap=swap,
        remedy="exchange the file's fr and en columns (or languages)",
        file=file,
    )
    return swapped(parsed) if swap else parsed


def swapped(parsed: Parsed) -> Parsed:
    """The termbase with French and English exchanged: each term's language, each concept's
    language-level fields, and the ids made from a row's French and English (`concept_id`)."""
    concepts: list[Concept] = []
    lines: dict[str, int] = {}
    for concept in parsed.concepts:
        concepts.append(_swapped(concept))
        if concept.id in parsed.lines:
            lines[concepts[-1].id] = parsed.lines[concept.id]
    return Parsed(concepts, lines, parsed.duplicates)


def _swapped(concept: Concept) -> Concept:
    first = {
        language: next((t.text for t in concept.terms if t.language == language), "")
        for language in ("fr", "en")
    }
    identifier = concept.id
    if identifier == concept_id(first["fr"], first["en"]):  # a row's: made of its terms
        identifier = concept_id(first["en"], first["fr"])
    terms = tuple(
        replace(term, concept=identifier, language=_OTHER[term.language]) for term in concept.terms
    )
    return replace(
        concept,
        id=identifier,
        terms=terms,
        fr_definition=concept.en_definition,
        fr_note=concept.en_note,
        fr_source=concept.en_source,
        en_definition=concept.fr_definition,
        en_note=concept.fr_note,
        en_source=concept.fr_source,
    )
