"""Lookup: prior translations of a French text, best first, with the glossary terms of the text
and the findings on each suggestion (what a translator sees beside a match)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from glossaries import Finding, TermHit
from service.pipelines import LOOKUP_THRESHOLD
from service.pipelines.annotate import Annotator, doubts
from tm import Match, TranslationMemory
from tm.retrieval.scoring import Penalty
from tm.text.inline import PLACEHOLDER, plain

THRESHOLD = LOOKUP_THRESHOLD
"""The lowest score suggested unless told otherwise: the CLI, the API and the page."""


@dataclass(frozen=True)
class Suggestion:
    """A match and the findings on the English it suggests (its adapted target). Identical
    suggestions (the same target and adapted target) are one: the best ranked, with how many
    there were (`count`), the ids of the others (`merged`) and the newest one's `origin`."""

    match: Match
    findings: list[Finding]
    count: int = 1
    merged: tuple[int, ...] = ()
    origin: str = ""


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
    threshold: float = THRESHOLD,
    context_prev: str | None = None,
    context_next: str | None = None,
) -> Suggestions:
    """The matches of `text` (see `TranslationMemory.lookup`), explained: the glossary terms
    of `text`, and per match the glossary and QA findings on its adapted target (first, for a
    pair the quality check flagged, a warning giving why: `annotate.doubts`)."""
    found = memory.lookup(
        text,
        limit=limit * MERGE_MARGIN,
        threshold=threshold,
        context_prev=context_prev,
        context_next=context_next,
    )
    terms = annotator.terms(text)
    suggestions = [
        Suggestion(
            best,
            doubts(best)
            + annotator.findings(
                text, best.adapted_target or best.target, terms=terms, deprecated_source=False
            ),
            count=len(group),
            merged=tuple(m.id for m in group[1:]),
            origin=max(group, key=lambda m: (m.changed, m.id)).origin,
        )
        for best, group in merged(map(shown, found))[:limit]
    ]
    return Suggestions(text, suggestions, terms)


MERGE_MARGIN = 3
"""Matches asked of the TM per suggestion wanted: identical ones are merged into one."""


def merged(matches: Iterable[Match]) -> list[tuple[Match, list[Match]]]:
    """Matches with the same target and adapted target as one group, in the order of their
    best (first) member: (best, [best, the others…])."""
    groups: dict[tuple[str, str], list[Match]] = {}
    for match in matches:
        groups.setdefault((match.target, match.adapted_target), []).append(match)
    return [(group[0], group) for group in groups.values()]


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
    adapted = match.adapted_target
    marks = tuple(
        replace(mark, start=len(plain(adapted[: mark.start])), end=len(plain(adapted[: mark.end])))
        for mark in match.adaptations
    )
    return replace(
        match,
        source=plain(match.source),
        target=plain(match.target),
        adapted_target=plain(adapted),
        edits=edits,
        penalties=tuple(_counted(p) for p in match.penalties),
        adaptations=marks,
    )


def _counted(penalty: Penalty) -> Penalty:
    """A `tags` penalty says how many inline codes differ, not which placeholders."""
    if penalty.code != "tags":
        return penalty
    before, _arrow, after = penalty.detail.partition(" → ")
    source, query = (len(PLACEHOLDER.findall(side)) for side in (before, after))
    return replace(penalty, detail=f"inline codes: {source} in the TM source, {query} in the text")
