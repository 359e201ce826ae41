"""Concept search in the termbase: every concept with a term containing the query, case and
accents ignored (the core's one fold, `tm.text.normalise.fold`)."""

from __future__ import annotations

from glossaries import Concept, Glossary
from tm.text.normalise import fold


def search(glossary: Glossary, query: str, *, status: str | None = None) -> list[Concept]:
    """Concepts with a term containing `query` (folded), and of `status` when given, in id
    order."""
    wanted = fold(query.strip())
    return [
        concept
        for concept in glossary.concepts()
        if any(
            wanted in fold(term.text) and (status is None or term.status == status)
            for term in concept.terms
        )
    ]
