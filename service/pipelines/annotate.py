"""Glossary terms, QA findings and translator notes for a French source and its English: one
`Annotator` per TM database, used by every edge (the findings on lookup suggestions, `check`,
the notes of pretranslated drafts).

Findings are the glossary's compliance (`glossaries.compliance`) and rule-based QA
(`tm.quality.qa`, with the base lexicon that ships with tm to tell a copied French text from
names and cognates), merged in source order. Building the termbase's recogniser costs far more
than a lookup: an app shares one through `Recognisers`, rebuilt only when the termbase changed.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Sequence

from glossaries import Finding, Glossary, Recogniser, TermHit
from glossaries.compliance import check as glossary_check
from tm import Match
from tm.quality import base, qa
from tm.quality.findings import found as catalogued
from tm.text.inline import plain

Check = Callable[[str, str], list[Finding]]
"""A rule-based check of a pair: (source, target) → findings."""


def rules() -> tuple[Check, ...]:
    """The checks besides glossary compliance (another kind of check is one more entry): QA
    with the base lexicon's words (`tm.quality.base.words`, read once a process, the first
    time a suggestion copies its French: a load that a lookup need not wait for)."""
    return (functools.partial(qa.check, lexicon=base.words),)


class Recognisers:
    """The compiled recogniser shared by every request of an app, rebuilt only when the
    termbase changed (its audit history grew)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._revision: int | None = None
        self._recogniser: Recogniser | None = None

    def current(self, glossary: Glossary) -> Recogniser:
        """The recogniser of the termbase as `glossary` sees it now."""
        # The history is append-only and every write adds a row: its last id is a revision.
        row = glossary.db.execute("SELECT coalesce(max(id), 0) FROM glossary_history").fetchone()
        with self._lock:
            if self._recogniser is None or self._revision != row[0]:
                self._recogniser, self._revision = glossary.recogniser(), row[0]
            return self._recogniser


def term_note(hit: TermHit) -> str:
    """`term: Alliés → Allies`, with the status when the French term is not preferred."""
    status = "" if hit.status in ("preferred", "admitted", "") else f" ({hit.status})"
    return f"term: {hit.text} → {hit.en}{status}"


def finding_note(finding: Finding) -> str:
    """`warning: code: message → fix`."""
    fix = f" → {finding.suggestion}" if finding.suggestion else ""
    return f"{finding.severity}: {finding.code}: {finding.message}{fix}"


FLAGGED_PAIR = "flagged-pair"
"""The code of the warning on a suggestion the quality check doubts."""


def doubts(match: Match) -> list[Finding]:
    """The warning on a suggested pair that the quality check flagged, giving its reasons (none
    for another pair): it is suggested all the same, after unflagged pairs of its score."""
    if not match.flagged:
        return []
    why = next((p.detail for p in match.penalties if p.code == "flagged"), "")
    return [catalogued(FLAGGED_PAIR, "warning", fix="fix/review", why=why)]


def _order(finding: Finding) -> tuple[int, int, str]:
    span = finding.source_span or finding.target_span or (1 << 30, 0)
    return span[0], span[1], finding.code


class Annotator:
    """Terms, findings and notes with one termbase (its recogniser taken once, from the shared
    `recognisers` when given).

    >>> annotator = Annotator(Glossary.open(memory.db))
    >>> annotator.notes("Le secrétaire général a parlé.", "The Secretary-General spoke.")
    ['term: secrétaire général → Secretary General', 'error: glossary-term-forbidden: …']
    """

    def __init__(self, glossary: Glossary, *, recognisers: Recognisers | None = None) -> None:
        self.recogniser = (recognisers or Recognisers()).current(glossary)
        self.rules = rules()

    def terms(self, source: str) -> list[TermHit]:
        """The glossary terms in French `source`."""
        return self.recogniser.find(source)

    def findings(
        self,
        source: str,
        target: str,
        *,
        terms: Sequence[TermHit] | None = None,
        deprecated_source: bool = True,
    ) -> list[Finding]:
        """Glossary compliance and rule-based QA of `target` as a translation of `source`, in
        source order. `terms` are `source`'s (found again when not given); with
        `deprecated_source`, a deprecated French term in the source is a finding too (a note
        about the source, not the translation: off for suggestions)."""
        hits = self.terms(source) if terms is None else terms
        found = glossary_check(source, target, hits, report_deprecated_source=deprecated_source)
        found += [finding for rule in self.rules for finding in rule(source, target)]
        return sorted(found, key=_order)

    def notes(self, source: str, target: str) -> list[str]:
        """Notes for a draft segment: the glossary terms of `source` and, when a `target` was
        filled in, its findings (inline tags left out of both)."""
        source, target = plain(source), plain(target)
        hits = self.terms(source)
        notes = [term_note(hit) for hit in hits]
        if target:
            notes += [finding_note(f) for f in self.findings(source, target, terms=hits)]
        return notes
