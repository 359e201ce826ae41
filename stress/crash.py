"""kill -9 during a 200k-pair import: the TM holds all the pairs or none, and SQLite's
integrity_check says ok, every time."""

from __future__ import annotations

import gzip
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import time
from itertools import islice
from pathlib import Path

from stress.report import Row
from stress.server import TM, tm

CORPUS = Path("../shared/data/canada-laws-fr-en/corpus")
PAIRS = 200_000
BASE = 1_000  # pairs in the TM before the import (lines after the imported ones)


def _lines(side: str, start: int, count: int) -> str:
    with gzip.open(CORPUS / f"canada-laws.{side}.gz", "rt", encoding="utf-8") as stream:
        return "".join(islice(stream, start, start + count))


def _state(db: Path) -> tuple[int, str]:
    """(segments, integrity_check) read with plain sqlite3, as a recovering reader would."""
    with sqlite3.connect(db) as connection:
        count = connection.execute("SELECT count(*) FROM segments").fetchone()[0]
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
    connection.close()
    return int(count), str(integrity)


def _import(db: Path, work: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            str(TM),
            "--db",
            str(db),
            "import",
            str(work / "big.fr"),
            str(work / "big.en"),
            "--no-score",
            "--json",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )


def run(work: Path, *, runs: int = 20) -> list[Row]:
    target = "all or nothing, integrity ok, every run"
    name = f"kill -9 during a {PAIRS:,}-pair import × {runs}"
    if not (CORPUS / "canada-laws.fr.gz").exists():
        return [Row("crash", name, "no ../shared/data", target, False, skipped=True)]
    for side in ("fr", "en"):
        (work / f"big.{side}").write_text(_lines(side, 0, PAIRS), "utf-8")
        (work / f"base.{side}").write_text(_lines(side, PAIRS, BASE), "utf-8")
    base = work / "base.db"
    tm(base, "import", str(work / "base.fr"), str(work / "base.en"), "--no-score")
    before, _ = _state(base)
    whole = work / "whole.db"
    shutil.copy(base, whole)
    start = time.monotonic()
    finished = _import(whole, work)
    report = json.loads(finished.communicate()[0])
    took = time.monotonic() - start
    after, _ = _state(whole)
    assert after == before + report["imported"], (before, report, after)
    outcomes = {"none": 0, "all": 0, "partial": 0, "corrupt": 0}
    draw = random.Random(19)
    for number in range(runs):
        db = work / f"killed-{number}.db"
        shutil.copy(base, db)
        importing = _import(db, work)
        time.sleep(draw.uniform(0.02, 1.0) * took)
        os.kill(importing.pid, signal.SIGKILL)
        importing.wait()
        count, integrity = _state(db)
        if integrity != "ok":
            outcomes["corrupt"] += 1
        outcomes["none" if count == before else "all" if count == after else "partial"] += 1
        db.unlink()
    good = outcomes["none"] + outcomes["all"] - outcomes["corrupt"]
    measured = (
        f"{good}/{runs} ok ({outcomes['none']} none, {outcomes['all']} all, "
        f"{outcomes['partial']} partial, {outcomes['corrupt']} corrupt; import {took:.1f} s)"
    )
    return [Row("crash", name, measured, target, good == runs)]
