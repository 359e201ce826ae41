"""The saved lookup index (issue 21): what users wait for, as the real commands, on the 445k laws
TM (build/bench/laws.db, made by bench.lookup or bench.importing when absent).

- `tm lookup "…"` wall time, start-up and index loading included: with no index file (built
  and saved), then cold (the page cache dropped: `sync; echo 3 > /proc/sys/vm/drop_caches`
  when this process may, else the TM's own files evicted with posix_fadvise, which leaves
  Python and its libraries cached: the table says which) and warm (median of 5).
- Loading in process: seconds to open the index from its file, resident memory, and lookups on
  the loaded index against a freshly built one (identical result lists on the bench.lookup
  query sets, p50/p95 latency of each).
- `tm serve`: seconds from start to the first `/health` answer and to the first `/lookup`
  answer, with 1 worker and with one per CPU.
- `tm pretranslate` of a 2,000-segment release (the law documents' French, and the held-out
  lines: a release the TM has never seen) against the 445k TM: wall time of the command,
  start-up and index loading included, and segments/s.

Run: `.venv/bin/python -m bench.index` (a few minutes). The machine may be shared: the load
average at the start is printed with the table.
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx2 as httpx

from bench.common import ROOT, WORK, isolated, table
from bench.lookup import ensure_laws_db, percentile, query_sets
from bench.pretranslate import batch_files, held_out_files
from bench.service import free_port

TM = [sys.executable, "-m", "service"]
QUERY = "Le ministre peut conclure des accords avec le gouvernement d'une province."
SEGMENTS = 2000


def drop_caches(paths: list[Path]) -> str:
    """Drop the page cache (all of it when allowed, else `paths`); says which was done."""
    os.sync()
    try:
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return "page cache dropped (drop_caches)"
    except OSError:
        for path in paths:
            if path.exists():
                with path.open("rb") as handle:
                    os.posix_fadvise(handle.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)
        return "TM files evicted (posix_fadvise), Python and libraries still cached"


def timed(*args: str) -> tuple[float, float]:
    """Wall seconds of one `tm …` command (its output discarded), and its CPU seconds (user +
    system, forked workers included: about the wall time on an idle machine, less waiting for
    the disk)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(
        [*TM, *args], check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def _median(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def lookups(db: Path) -> list[tuple[str, tuple[float, float]]]:
    files = [db, Path(f"{db}.index"), Path(f"{db}-wal"), Path(f"{db}-shm")]
    Path(f"{db}.index").unlink(missing_ok=True)
    lookup = ("--db", str(db), "lookup", QUERY)
    rows = [("no index file (built and saved)", timed(*lookup))]
    colds = []
    for _ in range(3):
        how = drop_caches(files)
        colds.append(timed(*lookup))
    rows.append((f"cold: {how}, median of 3", _median(colds)))
    rows.append(("warm, median of 5", _median([timed(*lookup) for _ in range(5)])))
    rows.append(
        ("for comparison: tm --help, median of 5", _median([timed("--help") for _ in range(5)]))
    )
    return rows


def loaded_one(db: str) -> None:
    """In a fresh process: open the saved index, then build one in memory; compare lookups."""
    from tm import TranslationMemory
    from tm.retrieval.index import Index

    result: dict[str, Any] = {}
    started = time.perf_counter()
    saved = TranslationMemory.open(db)
    saved.index.refresh(saved.db)
    result["open_s"] = time.perf_counter() - started
    result["rss_mb"] = _rss("VmRSS")
    result["rss_anon_mb"] = _rss("RssAnon")
    built = TranslationMemory.open(db, index=Index())
    built.index.refresh(built.db)
    sets = query_sets(built, random.Random(7), count=300)
    for name, queries in sets.items():
        times: dict[str, list[float]] = {"saved": [], "built": []}
        found: dict[str, list[Any]] = {"saved": [], "built": []}
        for number, text in enumerate(queries):
            pair = [("saved", saved), ("built", built)]
            for label, memory in pair if number % 2 else pair[::-1]:  # neither always first
                forget()  # each lookup analyses its texts itself
                began = time.perf_counter()
                matches = memory.lookup(text, limit=5, threshold=70)
                times[label].append((time.perf_counter() - began) * 1000)
                found[label].append([(m.score, m.id) for m in matches])
        result[name] = {
            "queries": len(queries),
            "identical": sum(a == b for a, b in zip(found["saved"], found["built"], strict=True)),
            **{f"{label}_p50": percentile(times[label], 0.5) for label in times},
            **{f"{label}_p95": percentile(times[label], 0.95) for label in times},
        }
    print(json.dumps(result))


def forget() -> None:
    """Forget the analyses that lookups remember (`tm.retrieval.matching`)."""
    from tm.retrieval import matching

    matching._remembered.cache_clear()


def _rss(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def serve(db: Path, workers: int) -> tuple[float, float, float]:
    """Seconds from `tm serve` to the first /health answer, the CPU seconds its processes had
    used by then (about the wall time on an idle machine with a core per process), and the
    seconds to the first /lookup answer."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    process = subprocess.Popen(
        [*TM, "--db", str(db), "serve", "--port", str(port), "--workers", str(workers)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        health = _first(lambda: httpx.get(f"{base}/health", timeout=30), started)
        cpu = _cpu_of(process.pid)
        lookup = _first(
            lambda: httpx.post(f"{base}/lookup", json={"text": QUERY}, timeout=600), started
        )
    finally:
        process.terminate()
        process.wait(timeout=60)
    return health, cpu, lookup


def _cpu_of(pid: int) -> float:
    """CPU seconds (user + system) of process `pid` and its children alive now (of the
    parent only, when it is the only worker); Linux /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True, check=False)
    total = 0.0
    for each in [pid, *map(int, found.stdout.split())]:
        try:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / ticks
    return total


def _first(call: Any, started: float) -> float:
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        try:
            if call().status_code == 200:
                return time.perf_counter() - started
        except httpx.TransportError:
            pass
        time.sleep(0.01)
    raise RuntimeError("tm serve did not answer within 10 minutes")


def pretranslate(db: Path, source: str) -> list[Any]:
    folder = WORK / f"index-pretranslate-{source}"
    shutil.rmtree(folder, ignore_errors=True)
    files = (held_out_files if source == "held-out" else batch_files)(folder / "in", SEGMENTS)
    segments = sum(
        len([line for line in f.read_text("utf-8").splitlines() if line.strip()]) for f in files
    )
    seconds, cpu = timed(
        "--db", str(db), "pretranslate", *map(str, files), "--out", str(folder / "out"), "--json"
    )
    report = json.loads((folder / "out" / "analysis.json").read_text("utf-8"))
    counted = report["batch"]["total"]["segments"] if "batch" in report else segments
    return [
        f"{source} ({len(files)} files)",
        counted,
        seconds,
        counted / seconds,
        cpu,
        counted / cpu,
    ]


def main() -> None:
    load = os.getloadavg()
    db = ensure_laws_db()
    rows = [
        [label, round(wall, 2), round(cpu, 2), "≤ 1.0 wall" if "cold" in label else ""]
        for label, (wall, cpu) in lookups(db)
    ]
    table(
        f"tm lookup on the laws TM (445k), start-up and index loading included; "
        f"load average at start {load[0]:.1f} on {os.cpu_count()} CPUs",
        ["run", "wall s", "CPU s", "target"],
        rows,
    )
    loaded = isolated("bench.index", "--loaded-one", str(db))
    table(
        f"Index read from its file: open {loaded['open_s']:.2f} s, RSS {loaded['rss_mb']:.0f} MB "
        f"({loaded['rss_anon_mb']:.0f} MB private); lookups on it beside a freshly built index",
        ["queries", "n", "identical result lists", "saved p50 / p95 ms", "built p50 / p95 ms"],
        [
            [
                name,
                r["queries"],
                r["identical"],
                f"{r['saved_p50']:.2f} / {r['saved_p95']:.2f}",
                f"{r['built_p50']:.2f} / {r['built_p95']:.2f}",
            ]
            for name in ("held-out", "edited", "boilerplate")
            for r in [loaded[name]]
        ],
    )
    from tm.retrieval.workers import available

    serving = [[n, *(round(s, 2) for s in serve(db, n))] for n in sorted({1, available()})]
    table(
        "tm serve on the laws TM: seconds from start (target: /health within 2 s)",
        ["workers", "first /health", "CPU s of its processes by then", "first /lookup"],
        serving,
    )
    runs = [pretranslate(db, source) for source in ("documents", "held-out")]
    table(
        "tm pretranslate against the laws TM, the whole command (target ≥ 1,000 segments/s "
        "wall); CPU: the command's and its forked workers'",
        ["batch", "segments", "wall s", "segments/s", "CPU s", "segments/CPU s"],
        [
            [label, n, round(s, 2), round(rate), round(cpu, 2), round(per_cpu)]
            for label, n, s, rate, cpu, per_cpu in runs
        ],
    )


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--loaded-one":
        loaded_one(sys.argv[2])
    else:
        main()
