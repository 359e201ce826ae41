"""Glossary help for the translator routes: concept search and the findings on a suggestion."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from glossaries import Concept, Finding, Glossary, TermHit
from glossaries.compliance import check


def fold(text: str) -> str:
    """Lower case without accents, for forgiving search."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def matching_concepts(
    concepts: Iterable[Concept], query: str, *, status: str | None = None
) -> list[Concept]:
    """Concepts with a term containing `query` (folded), and of `status` when given."""
    wanted = fold(query.strip())
    return [
        concept
        for concept in concepts
        if any(
            wanted in fold(term.text) and (status is None or term.status == status)
            for term in concept.terms
        )
    ]


def annotate(
    glossary: Glossary, source: str, targets: Iterable[str], *, deprecated_source: bool = False
) -> tuple[list[TermHit], list[list[Finding]]]:
    """Glossary terms in `source`, and for each English target the compliance findings
    (with a note on deprecated French terms in the source when `deprecated_source`)."""
    hits = glossary.find(source)
    return hits, [
        check(source, target, hits, report_deprecated_source=deprecated_source)
        for target in targets
    ]
