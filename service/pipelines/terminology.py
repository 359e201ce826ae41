"""Glossary help for the translator routes: concept search and the findings on a suggestion."""

from __future__ import annotations

import threading
from collections.abc import Iterable

from glossaries import Concept, Finding, Glossary, Recogniser, TermHit
from glossaries.compliance import check
from service.pipelines import checking
from tm.text import normalise


def fold(text: str) -> str:
    """Lower case without accents, for forgiving search (`tm.text.normalise.fold`)."""
    return normalise.fold(text)


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


class Recognisers:
    """The compiled recogniser shared by every request of an app, rebuilt only when the
    termbase changed (its audit history grew): building it costs far more than a lookup."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._revision: int | None = None
        self._recogniser: Recogniser | None = None

    def find(self, glossary: Glossary, text: str) -> list[TermHit]:
        """Glossary terms in French `text`, with the current termbase of `glossary`."""
        row = glossary.db.execute("SELECT coalesce(max(id), 0) FROM glossary_history").fetchone()
        with self._lock:
            if self._recogniser is None or self._revision != row[0]:
                self._recogniser, self._revision = glossary.recogniser(), row[0]
            recogniser = self._recogniser
        return recogniser.find(text)


def annotate(
    glossary: Glossary,
    source: str,
    targets: Iterable[str],
    *,
    recognisers: Recognisers | None = None,
    deprecated_source: bool = False,
) -> tuple[list[TermHit], list[list[Finding]]]:
    """Glossary terms in `source`, and for each English target its findings: glossary
    compliance (with the shared recogniser; a note on deprecated French terms in the source
    when `deprecated_source`) and every other checker of `service.pipelines.checking` (rule-based QA
    once it is registered there), in source order."""
    hits = recognisers.find(glossary, source) if recognisers else glossary.find(source)
    others = [
        factory(glossary.db)
        for factory in checking.FACTORIES
        if factory is not checking.glossary_checker
    ]

    def compliance(source: str, target: str) -> list[Finding]:
        return check(source, target, hits, report_deprecated_source=deprecated_source)

    return hits, [checking.gather(source, target, [compliance, *others]) for target in targets]
