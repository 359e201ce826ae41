"""Importing: TM files in, each pair the import adds stored with its quality
(`TranslationMemory.import_files`, one transaction), so that a pair imported by either edge is
stored with the same quality and status."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tm import ImportReport, TranslationMemory, formats

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Imported:
    """What an import did, and how many of the pairs it added were scored and flagged (None
    when scoring was skipped)."""

    report: ImportReport
    scored: int | None = None
    flagged: int | None = None

    def to_dict(self, *, skipped: int | None = None) -> dict[str, Any]:
        """A JSON-ready form; `skipped` bounds the skipped units listed (all by default;
        `skipped_total` counts them all)."""
        listed = self.report.skipped if skipped is None else self.report.skipped[:skipped]
        return {
            "imported": self.report.imported,
            "duplicates": self.report.duplicates,
            "skipped": [{"where": where, "reason": why} for where, why in listed],
            "skipped_total": len(self.report.skipped),
            "files": self.report.files,
            "scored": self.scored,
            "flagged": self.flagged,
        }


def check(paths: list[Path], *, swap: bool = False) -> None:
    """Refuse, before any import, what `import_files` would refuse on reading the inputs'
    sides: a bitext in the wrong language or neither (`swap` reads them the other way round),
    a glossary given as a bitext (`tm.formats.check`). The HTTP edge answers 422 with it
    before it starts the import's job."""
    for source in formats.group(paths):
        formats.check(source, swap=swap)


def import_files(
    memory: TranslationMemory,
    paths: list[Path],
    *,
    origin: str | None = None,
    score: bool = True,
    swap: bool = False,
    progress: Progress | None = None,
    scoring: Progress | None = None,
    workers: int = 1,
) -> Imported:
    """Import `paths` (all or nothing; a bitext's sides checked first and read the other way
    round with `swap`) and, with `score`, score the pairs the import added, in the import's
    own transaction (a killed import leaves nothing, never pairs stored unscored), with the
    TM's lexicon (`TranslationMemory.lexicon`: its own when it has learned one, over the base
    lexicon that ships with tm; none is learned here, and the glossary is not merged in as
    `tm quality rescore` does). Pairs stored before are left as they are, scored or not
    (`tm quality rescore --only-missing` scores those). `progress` is told of units
    imported, `scoring` of pairs scored; `workers` processes score (0: one per CPU; the CLI
    only: a server's threads must not fork)."""
    report = memory.import_files(
        paths,
        origin=origin,
        swap=swap,
        progress=progress,
        score=score,
        scoring=scoring,
        workers=workers,
    )
    if report.scored is None:
        return Imported(report)
    return Imported(report, report.scored.scored, report.scored.flagged)
