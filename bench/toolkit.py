"""Translate Toolkit's TM matcher beside our engine and the rapidfuzz brute force: the same TM,
the same queries, one process, one lookup at a time (issue 7).

Translate Toolkit is GPL: it is the benchmark-only extra `bench` (`pip install -e '.[bench]'`,
which `make bench` does), never a runtime dependency; nothing outside bench/ imports it.

TM: the documented 50,000-pair random sample of the laws corpus (`canada-laws.sample50k.{fr,en}`
in the shared data, seed 42), imported into build/bench/laws-50k.db. Over the whole 445k TM its
matcher takes ~0.4 s a lookup and 1.6 GB (the peer table in the design notes), too slow for
3 × 200 queries in a routine run; all three contenders are measured on this sample, so the
ratios compare like with like.
Queries (seed 7), built by `bench.lookup.query_sets`: 200 held-out pairs (corpus lines whose
French is not in the sample), 200 edited and 200 boilerplate sample sources.
The matcher is built as pot2po builds its TM matcher (`translate.search.match.matcher`,
`max_length=1000`) with our limit and threshold (`max_candidates=5, min_similarity=70`). Its
score is a character-level Levenshtein ratio on the raw text, ours is word-level on normalised
text, so the "with a match" counts differ by design; the latencies are the comparison. A query
on which the matcher raises (a TypeError when two candidates tie on score: heapq then compares
the units themselves) counts as a failure and is left out of its latencies.

Run: `.venv/bin/python -m bench.lookup --toolkit-only` (a minute or two), or within
`make bench` as the last table of bench.lookup.
"""

from __future__ import annotations

import gzip
import importlib
import importlib.util
import json
import random
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import SHARED, WORK

LAWS = SHARED / "canada-laws-fr-en" / "corpus"
SAMPLE = 50_000
QUERIES = 200
MAX_LENGTH = 1000  # pot2po's TM matcher (translate.tools.pretranslate.memory)


def available() -> bool:
    """Whether Translate Toolkit's matcher can be imported (the `bench` extra)."""
    try:
        return importlib.util.find_spec("translate.search.match") is not None
    except ModuleNotFoundError:
        return False


def ensure_sample_db() -> Path:
    """The 50k-pair sample TM (imported once, then cached)."""
    from tm import TranslationMemory

    path = WORK / "laws-50k.db"
    if not path.exists():
        WORK.mkdir(parents=True, exist_ok=True)
        partial = WORK / "laws-50k.tmp"
        partial.unlink(missing_ok=True)
        with TranslationMemory.open(partial) as memory:
            names = ("canada-laws.sample50k.fr", "canada-laws.sample50k.en")
            memory.import_files([LAWS / name for name in names], origin="laws-sample")
            memory.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        partial.rename(path)
    return path


def held_out_candidates(count: int, *, seed: int = 7) -> list[str]:
    """`count` random French lines of the whole corpus (some may be in the sample: the caller
    drops those)."""
    with gzip.open(LAWS / "canada-laws.fr.gz", "rt", encoding="utf-8") as lines:
        french = [line.rstrip("\n") for line in lines]
    return [french[i] for i in random.Random(seed).sample(range(len(french)), count)]


def build_matcher(pairs: list[tuple[str, str]], *, limit: int, threshold: float) -> Any:
    """Translate Toolkit's matcher over (source, target) pairs, set up as pot2po does."""
    from translate.search import match
    from translate.storage import base

    store = base.TranslationStore()
    for source, target in pairs:
        unit = base.TranslationUnit(source)
        unit.target = target
        store.units.append(unit)
    return match.matcher(
        store, max_candidates=limit, min_similarity=threshold, max_length=MAX_LENGTH
    )


def run_one(db: str) -> None:
    """In a fresh process: ours, rapidfuzz and the Toolkit on the same queries; prints JSON."""
    from bench.lookup import (
        LIMIT,
        THRESHOLD,
        current_rss_mb,
        percentile,
        query_sets,
        rapidfuzz_baseline,
    )
    from tm import TranslationMemory
    from tm.retrieval.index import Index

    result: dict[str, Any] = {}
    before = current_rss_mb()
    memory = TranslationMemory.open(db, index=Index())  # built in memory, as before
    started = time.perf_counter()
    memory.index.refresh(memory.db)
    result["ours_build_s"] = time.perf_counter() - started
    result["ours_rss_mb"] = current_rss_mb() - before
    result["segments"] = memory.index.live
    sets = query_sets(
        memory, random.Random(7), held_out=held_out_candidates(3 * QUERIES), count=QUERIES
    )
    by_length: dict[int, list[str]] = {}
    for text in memory.index.strings.all(len(memory.index.lengths)):
        if text:
            by_length.setdefault(len(text), []).append(text)
    pairs = memory.db.conn.execute("SELECT source, target FROM segments ORDER BY id").fetchall()
    started = time.perf_counter()
    matcher = build_matcher(pairs, limit=LIMIT, threshold=THRESHOLD)
    result["toolkit_build_s"] = time.perf_counter() - started
    result["toolkit_units"] = len(matcher.candidates.units)
    print(f"matchers built on {result['segments']:,} segments", file=sys.stderr, flush=True)

    def timed(call: Any, text: str) -> tuple[float, Any]:
        began = time.perf_counter()
        found = call(text)
        return (time.perf_counter() - began) * 1000, found

    for name, queries in sets.items():
        print(f"{name}: {len(queries)} queries", file=sys.stderr, flush=True)
        ours, rapid, toolkit = [], [], []
        ours_found = toolkit_found = failures = 0
        for text in queries:
            spent, found = timed(lambda t: memory.lookup(t, limit=LIMIT, threshold=THRESHOLD), text)
            ours.append(spent)
            ours_found += bool(found)
            rapid.append(timed(lambda t: rapidfuzz_baseline(memory, t, by_length), text)[0])
            try:
                spent, found = timed(matcher.matches, text)
            except TypeError:  # candidates tied on score: heapq compared two units
                failures += 1
                continue
            toolkit.append(spent)
            toolkit_found += bool(found)
        result[name] = {
            "queries": len(queries),
            "ours_p50": percentile(ours, 0.5),
            "ours_p95": percentile(ours, 0.95),
            "rapidfuzz_p50": percentile(rapid, 0.5),
            "rapidfuzz_p95": percentile(rapid, 0.95),
            "toolkit_p50": percentile(toolkit, 0.5) if toolkit else float("nan"),
            "toolkit_p95": percentile(toolkit, 0.95) if toolkit else float("nan"),
            "toolkit_failures": failures,
            "ours_with_match": ours_found,
            "toolkit_with_match": toolkit_found,
        }
    memory.close()
    print(json.dumps(result))


def memory_one(db: str) -> None:
    """In a fresh process (freed memory would hide growth): the resident memory the matcher
    adds over the TM's strings, which are read first; prints JSON."""
    import sqlite3

    # Imported (with translate.storage) before the baseline: only the matcher is counted.
    importlib.import_module("translate.search.match")

    from bench.lookup import LIMIT, THRESHOLD, current_rss_mb

    with sqlite3.connect(db) as connection:
        pairs = connection.execute("SELECT source, target FROM segments ORDER BY id").fetchall()
    before = current_rss_mb()
    matcher = build_matcher(pairs, limit=LIMIT, threshold=THRESHOLD)
    grown = current_rss_mb() - before
    print(json.dumps({"toolkit_rss_mb": grown, "units": len(matcher.candidates.units)}))


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--one":
        run_one(sys.argv[2])
    elif len(sys.argv) > 2 and sys.argv[1] == "--memory":
        memory_one(sys.argv[2])
