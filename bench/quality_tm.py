"""Pair quality as a new user meets it (issue 18), printed by `python -m bench.quality`.

- *A new TM*: 200 official law pairs (the first 200 distinct ones of the split's law
  documents, as bench/quality.py takes them) imported into an empty TM as `tm import` imports
  them (`service.pipelines.importing`: line-parallel files, scored on import; the TM has no
  lexicon of its own: the base lexicon alone, `tm.quality.base`); then 200 published UN pairs
  of the split into the same TM. Target: ≤ 2% flagged each.
- *A 50k-pair laws TM checking UN pairs it never saw*: the laws sample50k TM
  (build/bench/laws-50k.db, bench/toolkit.py), its own lexicon learned as `tm quality
  rescore` learns it (over the base), checked as `tm check --tsv` checks (pair quality, rule
  QA with the base lexicon, glossary) on the split's UN pairs: published (clean), shifted (each
  French with the next English of its document), untranslated (English = French) and numbers
  (a digit changed, as bench/quality.py changes it), through `service.pipelines.check`.
  Targets: clean pairs with a finding of severity warning or error ≤ 2%; shifted,
  untranslated and numbers pairs flagged by pair quality ≥ 95%. The columns beside give the
  other reading of each (flag or finding).
"""

from __future__ import annotations

import shutil
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from bench.common import WORK, table
from tm import TranslationMemory

NEW_TM_PAIRS = 200
TARGET_FLAGGED = 2.0


def new_tm(laws: Sequence[tuple[str, str, str]], un: Sequence[tuple[str, str, str]]) -> None:
    """Import `NEW_TM_PAIRS` distinct law pairs, then as many UN pairs, into an empty TM as
    `tm import` does (line-parallel files, scored on import), and print how many each import
    flagged."""
    from service.pipelines.importing import import_files

    rows = []
    with (
        tempfile.TemporaryDirectory() as folder,
        TranslationMemory.open(Path(folder) / "new.db") as memory,
    ):
        for name, chosen in (("laws", laws), ("UN", un)):
            distinct = list(dict.fromkeys((f, e) for f, e, _ in chosen))[:NEW_TM_PAIRS]
            files = [Path(folder) / f"{name}.{language}" for language in ("fr", "en")]
            for path, side in zip(files, zip(*distinct, strict=True), strict=True):
                path.write_text("\n".join(side) + "\n", encoding="utf-8")
            done = import_files(memory, files)
            imported, flagged = done.report.imported, done.flagged or 0
            share = 100 * flagged / max(imported, 1)
            rows.append(
                [
                    f"{imported} {name} pairs into it",
                    memory.count(),
                    f"{share:.1f}% ({flagged})",
                    f"≤ {TARGET_FLAGGED:g}%: {'met' if share <= TARGET_FLAGGED else 'MISSED'}",
                ]
            )
    table(
        "A new TM: pairs flagged on import (base lexicon only, issue 18)",
        ["import", "TM pairs", "flagged", "target"],
        rows,
    )


def _shifted(rows: Sequence[tuple[str, str, str]]) -> list[tuple[str, str]]:
    """Each French with the English of the next pair of its document (the last with the
    first's), where that English differs from its own."""
    documents: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for french, english, document in rows:
        documents[document].append((french, english))
    shifted = []
    for pairs in documents.values():
        if len(pairs) < 2:
            continue
        for (french, english), (_, following) in zip(pairs, pairs[1:] + pairs[:1], strict=True):
            if following != english:
                shifted.append((french, following))
    return shifted


def checked_tm() -> Path:
    """The laws sample50k TM with its own lexicon learned (a copy of bench/toolkit.py's, made
    once: learning takes a minute or two)."""
    from bench.toolkit import ensure_sample_db
    from service.pipelines.quality import full_lexicon

    path = WORK / "laws-50k-learned.db"
    if not path.exists():
        partial = WORK / "laws-50k-learned.tmp"
        shutil.copyfile(ensure_sample_db(), partial)
        with TranslationMemory.open(partial) as memory:
            full_lexicon(memory, learn_if_missing=True)
            memory.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        partial.rename(path)
    return path


def check_un(un: Sequence[tuple[str, str, str]], faulty: dict[str, list[tuple[str, str]]]) -> None:
    """Check the UN pairs (`un`, and the `faulty` copies by fault: untranslated, numbers) with
    the 50k laws TM as `tm check --tsv` does, and print what it finds."""
    from glossaries import Glossary
    from service.pipelines.annotate import Annotator
    from service.pipelines.check import check
    from service.pipelines.quality import full_lexicon

    sets = {
        "clean": [(f, e) for f, e, _ in un],
        "shifted": _shifted(un),
        **faulty,
    }
    targets = {"clean": "finding ≤ 2%", "shifted": "flagged ≥ 95%"}
    rows = []
    with TranslationMemory.open(checked_tm()) as memory:
        words = len(full_lexicon(memory))
        annotator = Annotator(Glossary.open(memory.db))
        for name, pairs in sets.items():
            checked = check(memory, annotator, pairs)
            qualities = [c.quality for c in checked]
            found = [any(f.severity in ("warning", "error") for f in c.findings) for c in checked]
            flagged = [q.flagged for q in qualities]
            either = [a or b for a, b in zip(found, flagged, strict=True)]
            count = max(len(pairs), 1)
            share = {k: 100 * sum(v) / count for k, v in (("f", found), ("q", flagged))}
            share["e"] = 100 * sum(either) / count
            wanted = targets.get(name, "flagged ≥ 95%")
            value = share["f"] if name == "clean" else share["q"]
            met = value <= TARGET_FLAGGED if name == "clean" else value >= 95.0
            rows.append(
                [
                    name,
                    len(pairs),
                    f"{share['f']:.1f}%",
                    f"{share['q']:.1f}%",
                    f"{share['e']:.1f}%",
                    sum(q.uncertain for q in qualities),
                    f"{wanted}: {'met' if met else 'MISSED'}",
                ]
            )
    table(
        f"A 50k-pair laws TM checking UN pairs it never saw (its lexicon over the base; "
        f"{words:,} French words)",
        [
            "pairs",
            "count",
            "warning/error finding",
            "flagged (pair quality)",
            "either",
            "uncertain",
            "target",
        ],
        rows,
    )
