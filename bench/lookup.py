"""Lookup latency, recall against brute force, index build time and memory (issue 7).

TM: the 445k-pair Canadian laws corpus (cached in build/bench/laws.db, imported when absent).
Query sets (deterministic, seed 7):
- held-out: 1,000 random pairs removed from the TM (seed 7), their French as queries (minus
  any whose normalised text is still in the TM through a duplicate);
- edited: TM sources with 1–3 word edits (replace, delete, insert, or a number changed);
- boilerplate: TM sources made only of common words (each word in ≥ 0.1% of segments) with
  one word replaced: they share most words with thousands of segments.
Latency is in process, warm (index built), one lookup at a time, limit 5, threshold 70.
Recall: the brute-force reference judges every segment as lookups do
(`tm.retrieval.matching.judge`: the score, less 1 for a flagged pair, rejected pairs left out;
on every segment whose word-level base reaches the threshold).
The rapidfuzz baseline is `process.extract` over every segment of the length window, on the
same pre-tokenised word strings (the fastest brute force we could write), top 5.
Translate Toolkit's matcher (`translate.search.match`, GPL: the benchmark-only `bench` extra)
is compared on the documented 50k sample of the laws TM, beside our engine and rapidfuzz on the
same sample and queries (bench/toolkit.py says how); without the extra, a line says how to
install it.

Run: `.venv/bin/python -m bench lookup` (about 10 minutes) or `make bench`; only the Translate
Toolkit comparison: `.venv/bin/python -m bench.lookup --toolkit-only` (a minute or two).
"""

from __future__ import annotations

import json
import random
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from bench.common import SHARED, WORK, isolated, peak_rss_mb, table
from tm.store.database import writing

LAWS = SHARED / "canada-laws-fr-en"
QUERIES = 1000
RECALL_SAMPLE = 300
BASELINE_SAMPLE = 100
LIMIT, THRESHOLD = 5, 70.0


def current_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def ensure_laws_db() -> Path:
    """The laws TM minus 1,000 random pairs held out as queries (build/bench/laws-held-out.txt).

    (The 60 documents in canada-laws-fr-en/documents turned out to be in the corpus too.)
    """
    from tm import TranslationMemory

    path = WORK / "laws.db"
    held_out = WORK / "laws-held-out.txt"
    if not path.exists():
        WORK.mkdir(parents=True, exist_ok=True)
        held_out.unlink(missing_ok=True)
        with TranslationMemory.open(path) as memory:
            memory.import_files([LAWS / "corpus" / "canada-laws.fr.gz"], origin="laws")
    if not held_out.exists():
        with TranslationMemory.open(path) as memory:
            top = memory.db.conn.execute("SELECT max(id) FROM segments").fetchone()[0]
            chosen = random.Random(7).sample(range(1, top + 1), QUERIES)
            lines = [memory.get(i).source for i in chosen]
            with writing(memory.db):
                memory.db.conn.executemany(
                    "DELETE FROM segments WHERE id = ?", [(i,) for i in chosen]
                )
        held_out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ensure_million_db() -> Path:
    """A 1,000,000-segment TM: the laws TM (minus the held-out pairs), every other shared
    corpus, then a reproducible expansion of laws pairs (seed 11): a number changed in both
    languages, or the first half of one pair joined to the second half of another."""
    import gzip
    import shutil

    from tm import TranslationMemory, Unit

    path = WORK / "million.db"
    if path.exists():
        return path
    laws = ensure_laws_db()
    with TranslationMemory.open(laws) as memory:
        memory.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(laws, WORK / "million.tmp")
    with TranslationMemory.open(WORK / "million.tmp") as memory:
        others = [
            *sorted((SHARED / "wmt-news-testsets-fr-en").glob("*.fr")),
            *sorted((SHARED / "un-pc-v1-testsets-fr-en").glob("*.fr")),
            *sorted((SHARED / "general-testsets-fr-en").glob("*.fr")),
            SHARED / "tico19-fr-en" / "all.en-fr.tmx",
        ]
        memory.import_files(others)
        chance = random.Random(11)
        with (
            gzip.open(LAWS / "corpus" / "canada-laws.fr.gz", "rt", encoding="utf-8") as fr,
            gzip.open(LAWS / "corpus" / "canada-laws.en.gz", "rt", encoding="utf-8") as en,
        ):
            pairs = [(f.strip(), e.strip()) for f, e in zip(fr, en, strict=True)]
        number = re.compile(r"(?<![\w.,])\d{1,4}(?![\w.,]\d)")

        def expansion() -> Any:
            while True:
                source, target = chance.choice(pairs)
                shared = sorted(set(number.findall(source)) & set(number.findall(target)))
                if shared and chance.random() < 0.6:
                    old = chance.choice(shared)
                    new = str(chance.randint(1, 999))
                    pattern = re.compile(rf"(?<![\w.,]){old}(?![\w.,]\d|\d)")
                    yield Unit(
                        source=pattern.sub(new, source),
                        target=pattern.sub(new, target),
                        origin="expansion",
                    )
                    continue
                other_source, other_target = chance.choice(pairs)
                a, b = source.split(), other_source.split()
                c, d = target.split(), other_target.split()
                if len(a) < 4 or len(b) < 4:
                    continue
                yield Unit(
                    source=" ".join(a[: len(a) // 2] + b[len(b) // 2 :]),
                    target=" ".join(c[: len(c) // 2] + d[len(d) // 2 :]),
                    origin="expansion",
                )

        units = expansion()
        while (missing := 1_000_000 - memory.count()) > 0:
            memory.import_units(next(units) for _ in range(missing))
        memory.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    (WORK / "million.tmp").rename(path)
    return path


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def query_sets(
    memory: Any, chance: random.Random, *, held_out: list[str] | None = None, count: int = QUERIES
) -> dict[str, list[str]]:
    """`count` queries per set; `held_out` defaults to the lines of laws-held-out.txt."""
    from tm.store.segments import digest
    from tm.text.normalise import normalise

    def stored(text: str) -> bool:
        found = memory.db.conn.execute(
            "SELECT 1 FROM segments WHERE source_hash = ?", (digest(normalise(text)),)
        )
        return found.fetchone() is not None

    if held_out is None:
        held_out = (WORK / "laws-held-out.txt").read_text(encoding="utf-8").splitlines()
    held_out = [line for line in held_out if line.strip() and not stored(line)]
    total = memory.db.conn.execute("SELECT max(id) FROM segments").fetchone()[0]
    index = memory.index
    words = sorted(index.vocab, key=lambda w: -index.df[index.vocab[w]])[:2000]
    common = {w for w in index.vocab if index.df[index.vocab[w]] >= 0.001 * index.live}
    edited: list[str] = []
    boilerplate: list[str] = []
    while len(edited) < count or len(boilerplate) < count:
        row = memory.db.conn.execute(
            "SELECT source FROM segments WHERE id = ?", (chance.randint(1, total),)
        ).fetchone()
        if row is None or len(row[0].split()) < 4:
            continue
        tokens = row[0].split()
        from tm.retrieval.scoring import word_keys

        keys = word_keys(normalise(row[0]))
        if len(boilerplate) < count and keys and all(k in common for k in keys):
            tokens[chance.randrange(len(tokens))] = chance.choice(words)
            boilerplate.append(" ".join(tokens))
            continue
        if len(edited) >= count:
            continue
        for _ in range(chance.randint(1, 3)):
            where = chance.randrange(len(tokens))
            action = chance.random()
            if action < 0.35:
                tokens[where] = chance.choice(words)
            elif action < 0.55 and len(tokens) > 3:
                del tokens[where]
            elif action < 0.75:
                tokens.insert(where, chance.choice(words))
            else:
                numbers = [i for i, t in enumerate(tokens) if re.fullmatch(r"\d+", t)]
                spot = chance.choice(numbers) if numbers else where
                tokens[spot] = str(chance.randint(2, 2030))
        edited.append(" ".join(tokens))
    return {
        "held-out": held_out[:count],
        "edited": edited,
        "boilerplate": boilerplate,
    }


def brute_force(memory: Any, text: str, strings: list[str]) -> list[tuple[float, int]]:
    """Reference: every indexed (not rejected) segment's word-level base score (`strings`:
    every id's word string, `Index.strings.all`), then the exact score of those that can reach
    the threshold, as lookups judge it (flagged pairs 1 point off); ranked like the engine."""
    import numpy as np
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    from tm import Status
    from tm.retrieval import ranking
    from tm.retrieval.index import character
    from tm.retrieval.matching import judge
    from tm.retrieval.scoring import analyse
    from tm.store import segments as store

    index = memory.index
    query = analyse(text)
    keys = [index.vocab.get(k, 0) for k in query.keys]
    mine = "".join("\x00" if t == 0 else character(t) for t in keys)
    distances = process.cdist(
        [mine], strings, scorer=Levenshtein.distance, dtype=np.int32, workers=1
    )[0]
    lengths = index.lengths[: len(strings)]
    longest = np.maximum(np.maximum(lengths, len(keys)), 1)
    bases = 100 * (1 - distances / longest)
    live = lengths >= 0
    if len(keys) == 0:
        live &= lengths == 0
    candidates = np.nonzero(live & (bases >= THRESHOLD - 0.01))[0].tolist()
    found = []
    for segment in store.get_many(memory.db, candidates):
        judged = judge(query, segment)  # the score less the flagged penalty; None if rejected
        if judged is not None and judged.score >= THRESHOLD:
            recency = ranking.recency(segment.changed)
            flagged = segment.status == Status.FLAGGED
            found.append(
                ranking.key(judged.score, recency, segment.quality, segment.id, flagged=flagged)
            )
    found.sort()
    return [(-item[0], item[4]) for item in found[:LIMIT]]


def rapidfuzz_baseline(memory: Any, text: str, by_length: dict[int, list[str]]) -> None:
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    from tm.retrieval.bounds import window
    from tm.retrieval.index import character
    from tm.retrieval.scoring import analyse

    index = memory.index
    keys = [index.vocab.get(k, 0) for k in analyse(text).keys]
    mine = "".join("\x00" if t == 0 else character(t) for t in keys)
    low, high = window(THRESHOLD, len(keys))
    choices = [s for n in range(low, high + 1) for s in by_length.get(n, ())]
    process.extract(
        mine,
        choices,
        scorer=Levenshtein.normalized_similarity,
        score_cutoff=THRESHOLD / 100,
        limit=LIMIT,
    )


def run_one(db: str, recall_sample: int = RECALL_SAMPLE) -> None:
    """In a fresh process: build the index (in memory: not read from its saved file, which
    bench.index measures), time lookups, compare with brute force."""
    from tm import TranslationMemory
    from tm.retrieval.index import Index

    result: dict[str, Any] = {}
    memory = TranslationMemory.open(db, index=Index())
    started = time.perf_counter()
    memory.index.refresh(memory.db)
    result["build_s"] = time.perf_counter() - started
    result["rss_after_build_mb"] = current_rss_mb()
    result["segments"] = memory.index.live
    print(f"built in {result['build_s']:.1f} s", file=sys.stderr, flush=True)
    sets = query_sets(memory, random.Random(7))
    by_length: dict[int, list[str]] = {}
    strings = memory.index.strings.all(len(memory.index.lengths))
    for text in strings:
        if text:
            by_length.setdefault(len(text), []).append(text)
    for name, queries in sets.items():
        print(f"{name}: {len(queries)} queries", file=sys.stderr, flush=True)
        latencies = []
        engine: list[list[tuple[float, int]]] = []
        for text in queries:
            began = time.perf_counter()
            found = memory.lookup(text, limit=LIMIT, threshold=THRESHOLD)
            latencies.append((time.perf_counter() - began) * 1000)
            engine.append([(m.score, m.id) for m in found])
        top5 = top1 = expected = agree_sets = 0
        sample = min(recall_sample, len(queries))
        for text, got in zip(queries[:sample], engine[:sample], strict=True):
            reference = brute_force(memory, text, strings)
            expected += len(reference)
            top5 += len({i for _s, i in reference} & {i for _s, i in got})
            top1 += (not reference and not got) or (
                bool(reference) and bool(got) and reference[0] == got[0]
            )
            agree_sets += reference == got
        baseline = []
        for text in queries[:BASELINE_SAMPLE]:
            began = time.perf_counter()
            rapidfuzz_baseline(memory, text, by_length)
            baseline.append((time.perf_counter() - began) * 1000)
        result[name] = {
            "queries": len(queries),
            "p50": percentile(latencies, 0.5),
            "p95": percentile(latencies, 0.95),
            "p99": percentile(latencies, 0.99),
            "mean": statistics.fmean(latencies),
            "with_match": sum(1 for found in engine if found),
            "recall_sample": sample,
            "recall_top5": top5 / expected if expected else 1.0,
            "top1": top1 / sample,
            "identical_lists": agree_sets / sample,
            "rapidfuzz_p50": percentile(baseline, 0.5),
            "rapidfuzz_p95": percentile(baseline, 0.95),
        }
    result.update(updates(memory))
    result["peak_rss_mb"] = peak_rss_mb()
    memory.close()
    print(json.dumps(result))


def updates(memory: Any) -> dict[str, float]:
    """Add then delete a pair, each followed by the lookup that must see it (ms). Saving a
    pair scores its quality with the TM's lexicon, read once per process (reported apart)."""
    began = time.perf_counter()
    memory.lexicon()
    lexicon_ms = (time.perf_counter() - began) * 1000
    adds, deletes = [], []
    with writing(memory.db):  # leftovers of an interrupted run would be found as duplicates
        memory.db.conn.execute("DELETE FROM segments WHERE source LIKE '%société Zyxwv%'")
    for number in range(30):
        text = f"Le ministre peut conclure l'accord numéro {number} avec la société Zyxwv{number}."
        began = time.perf_counter()
        added = memory.add(text, f"The Minister may enter into agreement {number}.")
        seen = memory.lookup(text, limit=1)
        adds.append((time.perf_counter() - began) * 1000)
        if not seen or seen[0].id != added.id:
            raise RuntimeError("an added segment was not visible to the next lookup")
        began = time.perf_counter()
        memory.delete(added.id)
        gone = memory.lookup(text, limit=1)
        deletes.append((time.perf_counter() - began) * 1000)
        if gone and gone[0].id == added.id:
            raise RuntimeError("a deleted segment was still suggested")
    return {
        "add_p50_ms": percentile(adds, 0.5),
        "add_max_ms": max(adds),
        "delete_p50_ms": percentile(deletes, 0.5),
        "delete_max_ms": max(deletes),
        "lexicon_load_ms": lexicon_ms,
    }


def main() -> None:
    runs = [("laws 445k", ensure_laws_db(), RECALL_SAMPLE)]
    if "--laws-only" not in sys.argv:
        runs.append(("1M", ensure_million_db(), 100))
    lookup_rows, index_rows = [], []
    results = {}
    for label, db, sample in runs:
        result = isolated("bench.lookup", "--one", str(db), str(sample))
        results[label] = result
        (WORK / "lookup.json").write_text(json.dumps(results, indent=2))
        for name in ("held-out", "edited", "boilerplate"):
            r = result[name]
            lookup_rows.append(
                [
                    f"{label} ({result['segments']:,}), {name}",
                    r["queries"],
                    r["with_match"],
                    round(r["p50"], 2),
                    round(r["p95"], 2),
                    round(r["p99"], 2),
                    f"{r['recall_top5']:.4f} / {r['top1']:.4f} / {r['identical_lists']:.4f}"
                    f" ({r['recall_sample']})",
                    round(r["rapidfuzz_p50"], 1),
                    round(r["rapidfuzz_p50"] / r["p50"], 1),
                ]
            )
        index_rows.append(
            [
                label,
                result["segments"],
                round(result["build_s"], 1),
                round(result["rss_after_build_mb"]),
                round(result["peak_rss_mb"]),
                f"{result['add_p50_ms']:.2f} / {result['add_max_ms']:.2f}",
                f"{result['delete_p50_ms']:.2f} / {result['delete_max_ms']:.2f}",
                round(result.get("lexicon_load_ms", 0.0)),
            ]
        )
    table(
        "Lookup (bench/lookup.py): in process, warm, limit 5, threshold 70",
        [
            "TM, queries",
            "n",
            "with a match",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "recall top-5 / top-1 / identical top-5 lists (sample)",
            "rapidfuzz brute force p50 ms",
            "ratio",
        ],
        lookup_rows,
    )
    table(
        "Index (bench/lookup.py)",
        [
            "TM",
            "segments",
            "build s",
            "RSS after build MB",
            "peak RSS MB",
            "add→visible p50/max ms",
            "delete→gone p50/max ms",
            "lexicon read once ms",
        ],
        index_rows,
    )
    toolkit_comparison()


def toolkit_comparison() -> None:
    """Translate Toolkit's matcher beside ours and rapidfuzz on the laws 50k sample (same TM,
    same queries, one fresh process), when the `bench` extra is installed."""
    from bench import toolkit

    if not toolkit.available():
        print(
            "\nTranslate Toolkit is not installed, so its matcher is not compared: "
            "`.venv/bin/pip install -e '.[dev,bench]'` (or `make bench`) installs it.",
            flush=True,
        )
        return
    db = str(toolkit.ensure_sample_db())
    result = isolated("bench.toolkit", "--one", db) | isolated("bench.toolkit", "--memory", db)
    (WORK / "lookup-toolkit.json").write_text(json.dumps(result, indent=2))
    rows = []
    for name in ("held-out", "edited", "boilerplate"):
        r = result[name]
        rows.append(
            [
                name,
                r["queries"],
                f"{r['ours_p50']:.2f} / {r['ours_p95']:.2f}",
                f"{r['rapidfuzz_p50']:.1f} / {r['rapidfuzz_p95']:.1f}",
                f"{r['toolkit_p50']:.1f} / {r['toolkit_p95']:.1f}",
                f"{r['toolkit_failures']} ({r['toolkit_failures'] / r['queries']:.0%})",
                f"{r['ours_with_match']} / {r['toolkit_with_match']}",
                f"{r['toolkit_p50'] / r['ours_p50']:.0f}×",
                f"{r['rapidfuzz_p50'] / r['ours_p50']:.1f}×",
            ]
        )
    table(
        f"Lookup beside Translate Toolkit's matcher (bench/toolkit.py): laws sample, "
        f"{result['segments']:,} segments; build: ours {result['ours_build_s']:.1f} s "
        f"(+{result['ours_rss_mb']:.0f} MB), Toolkit {result['toolkit_build_s']:.1f} s "
        f"(+{result['toolkit_rss_mb']:.0f} MB over the strings)",
        [
            "queries",
            "n",
            "ours p50 / p95 ms",
            "rapidfuzz p50 / p95 ms",
            "Toolkit p50 / p95 ms",
            "Toolkit failures (TypeError on ties)",
            "with a match: ours / Toolkit",
            "Toolkit ÷ ours (p50)",
            "rapidfuzz ÷ ours (p50)",
        ],
        rows,
    )


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--one":
        run_one(sys.argv[2], *(int(a) for a in sys.argv[3:4]))
    elif "--toolkit-only" in sys.argv:
        toolkit_comparison()
    else:
        main()
