"""Lookup: prior translations of a French text, best first, with the glossary terms of the text
and the findings on each suggestion (what a translator sees beside a match)."""

from __future__ import annotations

from dataclasses import dataclass

from glossaries import Finding, TermHit
from service.pipelines.annotate import Annotator, doubts
from tm import Match, TranslationMemory


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
        for match in found
    ]
    return Suggestions(text, suggestions, terms)
