"""Lookup: prior translations of a French text, best first, with the glossary terms of the text
and the findings on each suggestion (what a translator sees beside a match)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from glossaries import Finding, TermHit
from service.pipelines.annotate import Annotator, doubts
from tm import Match, TranslationMemory
from tm.retrieval.scoring import Penalty
from tm.text.inline import PLACEHOLDER, plain


@dataclass(frozen=True)
class Suggestion:
    """A match and the findings on the English it suggests (its adapted target)."""

    match: Match
    findings: list[Finding]


@dataclass(frozen=True)
class Suggestions:
    """The answer to one lookup."""

    query: str
    suggestions: list[Suggestion]
    terms: list[TermHit]


def lookup(
    memory: TranslationMemory,
    annotator: Annotator,
    text: str,
    *,
    limit: int = 5,
    threshold: float = 70,
    context_prev: str | None = None,
    context_next: str | None = None,
) -> Suggestions:
    """The matches of `text` (see `TranslationMemory.lookup`), explained: the glossary terms
    of `text`, and per match the glossary and QA findings on its adapted target (first, for a
    pair the quality check flagged, a warning giving why: `annotate.doubts`)."""
    found = memory.lookup(
        text,
        limit=limit,
        threshold=threshold,
        context_prev=context_prev,
        context_next=context_next,
    )
    terms = annotator.terms(text)
    suggestions = [
        Suggestion(
            match,
            doubts(match)
            + annotator.findings(
                text, match.adapted_target or match.target, terms=terms, deprecated_source=False
            ),
        )
        for match in map(shown, found)
    ]
    return Suggestions(text, suggestions, terms)


def shown(match: Match) -> Match:
    """The match as a translator sees it: tm's own placeholders for inline codes (`<t1>`,
    `</t1>`, `<t2/>`: `tm.text.inline`) taken out of its texts and edits (an edit of codes
    only is left to the `tags` penalty, which counts them). Findings are made on the same
    plain text (`annotate`), so their spans hold."""
    if not any(PLACEHOLDER.search(text) for text in (match.source, match.target)):
        return match
    edits = tuple(
        replace(edit, query_text=plain(edit.query_text), source_text=plain(edit.source_text))
        for edit in match.edits
        if plain(edit.query_text).strip() or plain(edit.source_text).strip()
    )
    return replace(
        match,
        source=plain(match.source),
        target=plain(match.target),
        adapted_target=plain(match.adapted_target),
        edits=edits,
        penalties=tuple(_counted(p) for p in match.penalties),
    )


def _counted(penalty: Penalty) -> Penalty:
    """A `tags` penalty says how many inline codes differ, not which placeholders."""
    if penalty.code != "tags":
        return penalty
    before, _arrow, after = penalty.detail.partition(" → ")
    source, query = (len(PLACEHOLDER.findall(side)) for side in (before, after))
    return replace(penalty, detail=f"inline codes: {source} in the TM source, {query} in the text")
