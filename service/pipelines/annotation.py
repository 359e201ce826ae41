"""Notes for pretranslated segments: glossary terms in the French, QA findings on the target.

`annotator(db)` builds the `Annotate` hook of `service.pipelines.pretranslation` from what the TM
database offers: the termbase (`glossaries.Glossary`) and every QA checker registered in
`service.pipelines.checking` (glossary compliance, and the quality checks when installed).
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

from glossaries import Finding, Glossary, TermHit
from service.pipelines import checking
from tm.text.inline import plain

Annotate = Callable[[str, str], list[str]]


def term_note(hit: TermHit) -> str:
    """`term: Alliés → Allies`, with the status when the French term is not preferred."""
    status = "" if hit.status in ("preferred", "admitted", "") else f" ({hit.status})"
    return f"term: {hit.text} → {hit.en}{status}"


def finding_note(finding: Finding) -> str:
    """`warning: code: message → fix`."""
    fix = f" → {finding.suggestion}" if finding.suggestion else ""
    return f"{finding.severity}: {finding.code}: {finding.message}{fix}"


def annotator(db: sqlite_utils.Database) -> Annotate:
    """Glossary terms for every segment; QA findings for segments with a target."""
    recogniser = Glossary.open(db).recogniser()
    chosen = checking.checkers(db)

    def annotate(source: str, target: str) -> list[str]:
        notes = [term_note(hit) for hit in recogniser.find(plain(source))]
        if target:
            found = checking.gather(plain(source), plain(target), chosen)
            notes += [finding_note(finding) for finding in found]
        return notes

    return annotate
