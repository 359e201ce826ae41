"""Import and export speed and memory on real data.

The 445k laws corpus (gz line-parallel), the TICO-19 TMX (English source), and the laws
exported by tm as TMX in UTF-8 and UTF-16 (a 445k-unit TMX to stream).
Targets (issue 2): ≥ 20,000 pairs/s line-parallel, ≥ 20,000 TU/s TMX, peak RSS < 200 MB.
Run: `make bench` or `.venv/bin/python -m bench.importing`.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from bench.common import SHARED, WORK, isolated, peak_rss_mb, table


def _remove(db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)


def import_one(db: str, *files: str) -> None:
    """In a fresh process: import `files` into a new `db`, print one JSON line."""
    from tm import TranslationMemory

    _remove(Path(db))
    started = time.perf_counter()
    with TranslationMemory.open(db) as memory:
        report = memory.import_files([Path(f) for f in files])
        seconds = time.perf_counter() - started
        memory.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        size = memory.stats().size_bytes
    print(
        json.dumps(
            {
                "pairs": report.imported + report.duplicates,
                "stored": report.imported,
                "seconds": seconds,
                "rss_mb": peak_rss_mb(),
                "mb": size / 1e6,
            }
        )
    )


def export_one(db: str, out: str) -> None:
    """In a fresh process: export `db` to the TMX file `out`, print one JSON line."""
    from tm import TranslationMemory

    started = time.perf_counter()
    with TranslationMemory.open(db) as memory:
        count = memory.export(Path(out))
    print(
        json.dumps(
            {
                "pairs": count,
                "stored": count,
                "seconds": time.perf_counter() - started,
                "rss_mb": peak_rss_mb(),
                "mb": Path(out).stat().st_size / 1e6,
            }
        )
    )


def to_utf16(source: Path, target: Path) -> None:
    """Re-encode a UTF-8 TMX as UTF-16 LE with BOM, streaming."""
    with source.open(encoding="utf-8") as reader, target.open("w", encoding="utf-16") as writer:
        for number, line in enumerate(reader):
            writer.write(
                line.replace("encoding='UTF-8'", "encoding='UTF-16'") if number == 0 else line
            )


def _row(name: str, result: dict[str, float], *, target: bool = True) -> list[object]:
    rate = result["pairs"] / result["seconds"]
    met = rate >= 20_000 and result["rss_mb"] < 200
    return [
        name,
        int(result["pairs"]),
        int(result["stored"]),
        round(result["seconds"], 2),
        int(rate),
        round(result["rss_mb"], 1),
        round(result["mb"], 1),
        ("yes" if met else "NO") if target else "-",
    ]


def main() -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    # Its own database: build/bench/laws.db is the other benchmarks' cached TM.
    laws_db, laws_tmx = WORK / "import-laws.db", WORK / "laws.tmx"
    laws_utf16 = WORK / "laws-utf16.tmx"
    rows = [
        _row(
            "laws 445k, gz line-parallel",
            isolated(
                "bench.importing",
                "--import",
                str(laws_db),
                str(SHARED / "canada-laws-fr-en/corpus/canada-laws.fr.gz"),
            ),
        ),
        _row(
            "TICO-19 TMX (EN source, 3k TU)",
            isolated(
                "bench.importing",
                "--import",
                str(WORK / "tico.db"),
                str(SHARED / "tico19-fr-en/all.en-fr.tmx"),
            ),
            target=False,
        ),
        _row(
            "export laws → TMX (MB = file)",
            isolated("bench.importing", "--export", str(laws_db), str(laws_tmx)),
            target=False,
        ),
    ]
    to_utf16(laws_tmx, laws_utf16)
    for name, tmx in (
        ("laws 445k TMX, UTF-8", laws_tmx),
        ("laws 445k TMX, UTF-16 LE+BOM", laws_utf16),
    ):
        scratch = WORK / "scratch.db"
        rows.append(_row(name, isolated("bench.importing", "--import", str(scratch), str(tmx))))
        _remove(scratch)
    laws_utf16.unlink()
    _remove(laws_db)
    table(
        "Import/export (python -m bench.importing)",
        [
            "input",
            "pairs read",
            "stored",
            "seconds",
            "pairs/s",
            "peak RSS MB",
            "DB MB",
            "target (≥20k/s, <200 MB)",
        ],
        rows,
    )


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--import":
        import_one(sys.argv[2], *sys.argv[3:])
    elif len(sys.argv) > 3 and sys.argv[1] == "--export":
        export_one(sys.argv[2], sys.argv[3])
    else:
        main()
