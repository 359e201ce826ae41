"""Import speed and memory: the 445k laws corpus (gz line-parallel) and the TICO-19 TMX.

Targets (issue 2): ≥ 20,000 pairs/s line-parallel, ≥ 20,000 TU/s TMX, peak RSS < 200 MB.
Run: `make bench` or `.venv/bin/python -m bench.importing`.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from bench.common import SHARED, WORK, isolated, peak_rss_mb, table


def run_one(db: str, *files: str) -> None:
    """In a fresh process: import `files` into a new `db`, print one JSON line."""
    from tm import TranslationMemory

    path = Path(db)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    with TranslationMemory.open(path) as memory:
        report = memory.import_files([Path(f) for f in files])
        seconds = time.perf_counter() - started
        memory.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = memory.stats().size_bytes
    print(
        json.dumps(
            {
                "pairs": report.imported + report.duplicates,
                "imported": report.imported,
                "seconds": seconds,
                "rss_mb": peak_rss_mb(),
                "db_mb": size / 1e6,
            }
        )
    )


def main() -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    cases = [
        (
            "laws 445k, gz line-parallel",
            "line-parallel",
            str(WORK / "laws.db"),
            [str(SHARED / "canada-laws-fr-en/corpus/canada-laws.fr.gz")],
        ),
        (
            "TICO-19 TMX (EN source)",
            "tmx",
            str(WORK / "tico.db"),
            [str(SHARED / "tico19-fr-en/all.en-fr.tmx")],
        ),
    ]
    rows = []
    for name, _kind, db, files in cases:
        result = isolated("bench.importing", "--one", db, *files)
        rate = result["pairs"] / result["seconds"]
        rows.append(
            [
                name,
                result["pairs"],
                result["imported"],
                round(result["seconds"], 2),
                int(rate),
                round(result["rss_mb"], 1),
                round(result["db_mb"], 1),
                "yes" if rate >= 20_000 and result["rss_mb"] < 200 else "NO",
            ]
        )
    table(
        "Import (bench/importing.py)",
        [
            "input",
            "pairs read",
            "stored",
            "seconds",
            "pairs/s",
            "peak RSS MB",
            "DB MB",
            "target met (≥20k/s, <200 MB)",
        ],
        rows,
    )


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--one":
        run_one(sys.argv[2], *sys.argv[3:])
    else:
        main()
