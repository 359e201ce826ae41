"""Load on a real `tm serve` over a TM of laws pairs: lookups, saves and glossary edits while a
200k-pair `tm import` runs in another process (`concurrent`), 256 clients with no pause
(`flood`), and lookups for minutes with the server's memory watched (`soak`)."""

from __future__ import annotations

import gzip
import json
import random
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from stress.crash import CORPUS, PAIRS, _lines
from stress.report import Row
from stress.server import TM, Answer, Server, serve, tm

BASE = 10_000  # pairs in the TM the server starts with
LOOKUPS = 8
JSON = {"Content-Type": "application/json"}


@dataclass(frozen=True)
class Request:
    """One request a client sent: what, when it started (monotonic), its status and time."""

    kind: str
    start: float
    status: int
    seconds: float


@dataclass
class Log:
    """Every request of a case, from any thread."""

    requests: list[Request] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, start: float, answer: Answer) -> None:
        with self._lock:
            self.requests.append(Request(kind, start, answer.status, answer.seconds))

    def of(self, kind: str, after: float = 0.0, before: float = float("inf")) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.kind == kind and after <= r.start < before]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def _prepare(work: Path) -> tuple[Path, list[str]] | None:
    """A TM of `BASE` laws pairs (copied for each case), the 200k pairs to import beside it,
    and French queries from elsewhere in the corpus; None without ../shared/data."""
    if not (CORPUS / "canada-laws.fr.gz").exists():
        return None
    base = work / "load-base.db"
    if not base.exists():
        for side in ("fr", "en"):
            (work / f"load-base.{side}").write_text(_lines(side, PAIRS, BASE), "utf-8")
            if not (work / f"big.{side}").exists():
                (work / f"big.{side}").write_text(_lines(side, 0, PAIRS), "utf-8")
        tm(base, "import", str(work / "load-base.fr"), str(work / "load-base.en"), "--no-score")
    queries = _lines("fr", PAIRS + BASE, 2_000).splitlines()
    # half seen before (exact and fuzzy matches), half new text
    seen = (work / "load-base.fr").read_text("utf-8").splitlines()[:1_000]
    return base, [q for q in queries + seen if 10 <= len(q) <= 400]


def _copy(base: Path, name: str) -> Path:
    db = base.with_name(f"{name}.db")
    db.write_bytes(base.read_bytes())
    return db


def _lookup(server: Server, log: Log, queries: list[str], draw: random.Random) -> None:
    body = json.dumps({"text": draw.choice(queries)}).encode()
    start = time.monotonic()
    log.add(
        "lookup", start, server.send("POST", "/lookup", body=body, headers=JSON, role="translator")
    )


def _clients(
    count: int, stop: threading.Event, act: Callable[[random.Random], None]
) -> list[threading.Thread]:
    def loop(seed: int) -> None:
        draw = random.Random(seed)
        while not stop.is_set():
            act(draw)

    threads = [threading.Thread(target=loop, args=(n,), daemon=True) for n in range(count)]
    for thread in threads:
        thread.start()
    return threads


@dataclass
class Writes:
    """What writers were told was stored (ids of segments and terms), to look for later."""

    segments: list[int] = field(default_factory=list)
    terms: list[int] = field(default_factory=list)
    reviews: list[int] = field(default_factory=list)
    """The segments reviewed (confirmed), once per acknowledged review."""
    retry_missing: int = 0


def _writer(server: Server, log: Log, writes: Writes, stop: threading.Event, kind: str) -> None:
    """Save pairs (`save`) or add glossary terms (`term`), one after the other; a 503 waits
    its Retry-After (at most 5 s) as a client would."""
    number = 0
    while not stop.is_set():
        number += 1
        payload: dict[str, object]
        if kind == "save":
            payload = {
                "source": f"Phrase de charge numéro {number} enregistrée pendant l'import.",
                "target": f"Load sentence number {number} saved during the import.",
            }
            path, role = "/segments", "translator"
        elif kind == "term":
            payload = {"text": f"terme de charge {number}", "language": "fr"}
            path, role = "/glossary/terms", "maintainer"
        else:  # a review of one of the TM's first pairs
            payload = {"ids": [number % BASE + 1], "note": f"revue {number}"}
            path, role = "/segments/confirm", "maintainer"
        start = time.monotonic()
        answer = server.send(
            "POST", path, body=json.dumps(payload).encode(), headers=JSON, role=role
        )
        log.add(kind, start, answer)
        if answer.status in (200, 201):
            if kind == "review":
                writes.reviews.append(number % BASE + 1)
            else:
                made = answer.json()
                assert isinstance(made, dict)
                (writes.segments if kind == "save" else writes.terms).append(int(made["id"]))
            stop.wait(0.2)
        elif answer.status == 503:
            if "retry-after" not in answer.headers:
                writes.retry_missing += 1
            stop.wait(min(5.0, float(answer.headers.get("retry-after", "1"))))


def _lost(server: Server, writes: Writes) -> int:
    lost = 0
    for segment in writes.segments:
        lost += server.send("GET", f"/segments/{segment}", role="translator").status != 200
    for term in writes.terms:
        lost += server.send("GET", f"/glossary/terms/{term}", role="translator").status != 200
    for segment in set(writes.reviews):
        found = server.send("GET", f"/segments/{segment}/reviews", role="maintainer")
        kept = found.json() if found.status == 200 else []
        lost += max(0, writes.reviews.count(segment) - len(kept if isinstance(kept, list) else []))
    return lost


def concurrent(work: Path, *, seconds: float = 60, http: bool = False) -> list[Row]:
    """8 lookup clients, a saver, a glossary editor and a reviewer against a server while
    200k pairs are imported, by `tm import` in another process or (`http`) by an upload to
    `POST /import` (a job in the server); then 15 s more after the import commits."""
    how = "POST /import" if http else "tm import"
    name = f"{how} {PAIRS // 1000}k + {LOOKUPS} lookups + edits + saves"
    prepared = _prepare(work)
    if prepared is None:
        return [Row("load", name, "no ../shared/data", "", False, skipped=True)]
    base, queries = prepared
    db = _copy(base, "load-concurrent")
    log, writes, stop = Log(), Writes(), threading.Event()
    with serve(db, log=work / "load-server.log") as server:
        _lookup(server, Log(), queries, random.Random(0))  # the index opened
        server.settle()
        idle_stop = threading.Event()
        threads = _clients(LOOKUPS, idle_stop, lambda draw: _lookup(server, log, queries, draw))
        time.sleep(10)
        idle_stop.set()
        for thread in threads:
            thread.join()
        idle = [r.seconds for r in log.of("lookup")]
        start = time.monotonic()
        threads = _clients(LOOKUPS, stop, lambda draw: _lookup(server, log, queries, draw))
        threads += [
            threading.Thread(target=_writer, args=(server, log, writes, stop, kind), daemon=True)
            for kind in ("save", "term", "review")
        ]
        for thread in threads[LOOKUPS:]:
            thread.start()
        imported, errors = _import_over_http(server, work) if http else _import(db, work)
        committed = time.monotonic()
        time.sleep(max(15.0, seconds - (committed - start)))
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
        lost = _lost(server, writes)
    rows = _concurrent_rows(log, writes, lost, idle, start, committed, imported, errors)
    return [replace(row, name=f"{how}: {row.name}") for row in rows]


def _import(db: Path, work: Path) -> tuple[int, str]:
    """`tm import` of the 200k pairs in another process: (pairs imported, its errors)."""
    importing = subprocess.run(
        [str(TM), "--db", str(db), "import", str(work / "big.fr"), str(work / "big.en"),
         "--no-score", "--json"],
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )  # fmt: skip
    if importing.returncode:
        return 0, importing.stderr
    return int(json.loads(importing.stdout)["imported"]), ""


def _import_over_http(server: Server, work: Path) -> tuple[int, str]:
    """The 200k pairs uploaded gzipped to `POST /import` (a job in the server): (pairs
    imported, the job's error)."""
    files = []
    for side in ("fr", "en"):
        packed = work / f"big.{side}.gz"
        if not packed.exists():
            packed.write_bytes(gzip.compress((work / f"big.{side}").read_bytes(), 6))
        files.append(("files", packed.name, packed.read_bytes()))
    answer = server.upload("/import", files)
    if answer.status != 202:
        return 0, f"{answer.status}: {answer.body[:200]!r}"
    job, _seconds = server.job(answer, timeout=1800)
    result = job.get("result")
    if job["state"] != "done" or not isinstance(result, dict):
        return 0, str(job.get("error", job["state"]))
    return int(result["imported"]), ""


def _concurrent_rows(
    log: Log,
    writes: Writes,
    lost: int,
    idle: list[float],
    start: float,
    committed: float,
    imported: int,
    errors: str,
) -> list[Row]:
    during = log.of("lookup", start, committed)
    after = log.of("lookup", committed)
    every = [r for kind in ("lookup", "save", "term", "review") for r in log.of(kind, start)]
    failures = [r for r in every if (r.status >= 500 and r.status != 503) or r.status == 0]
    refused_writes = [r for r in every if r.kind != "lookup" and r.status == 503]
    wrong_lookups = [r for r in every if r.kind == "lookup" and r.status != 200]
    p99_idle = percentile(idle, 0.99)
    p99_during = percentile([r.seconds for r in during], 0.99)
    stall = max((r.seconds for r in after), default=0.0)
    took = committed - start
    return [
        Row(
            "load",
            f"{PAIRS // 1000}k pairs imported",
            f"{imported:,} imported in {took:.0f} s"
            + (f": {errors[-200:]}" if not imported else ""),
            f"{PAIRS:,} imported",
            imported == PAIRS,
        ),
        Row(
            "load",
            "no 500, no reset (lookups, saves, terms)",
            f"{len(every):,} requests: {len(failures)} × 5xx/reset, {len(refused_writes)} "
            f"writes 503 (Retry-After missing {writes.retry_missing}), "
            f"{len(wrong_lookups)} lookups not 200",
            "0 × 500, 0 resets; writes 201 or 503 + Retry-After; lookups 200",
            not failures and not wrong_lookups and not writes.retry_missing,
        ),
        Row(
            "load",
            "acknowledged writes kept",
            f"{len(writes.segments)} saves, {len(writes.terms)} terms, {len(writes.reviews)} "
            f"reviews acknowledged; {lost} lost",
            "0 lost",
            lost == 0 and bool(writes.segments and writes.terms and writes.reviews),
        ),
        Row(
            "load",
            "lookup p99 during the import",
            f"{p99_during * 1000:.0f} ms ({len(during):,} lookups) vs idle "
            f"{p99_idle * 1000:.0f} ms ({p99_during / max(p99_idle, 1e-9):.1f}×)",
            "≤ 10× idle",
            bool(during) and p99_during <= 10 * p99_idle,
        ),
        Row(
            "load",
            "no stall after the commit",
            f"slowest lookup {stall * 1000:.0f} ms ({len(after):,} lookups after the commit)",
            "≤ 1 s",
            bool(after) and stall <= 1.0,
        ),
    ]


def flood(work: Path, *, clients: int = 256, seconds: float = 15) -> list[Row]:
    """`clients` lookup clients with no pause; then how long until a lookup is answered at
    the idle pace again."""
    name = f"{clients} clients with no pause"
    prepared = _prepare(work)
    if prepared is None:
        return [Row("load", name, "no ../shared/data", "", False, skipped=True)]
    base, queries = prepared
    log, stop = Log(), threading.Event()
    with serve(_copy(base, "load-flood"), log=work / "load-server.log") as server:
        _lookup(server, Log(), queries, random.Random(0))
        threads = _clients(clients, stop, lambda draw: _lookup(server, log, queries, draw))
        time.sleep(seconds)
        stop.set()
        stopped = time.monotonic()
        recovered = _recovery(server, queries, stopped)
        for thread in threads:
            thread.join(timeout=120)
    statuses: dict[int, int] = {}
    for request in log.requests:
        statuses[request.status] = statuses.get(request.status, 0) + 1
    wrong = {s: n for s, n in statuses.items() if s not in (200, 429, 503)}
    shown = ", ".join(f"{n:,} × {s or 'reset'}" for s, n in sorted(statuses.items()))
    return [
        Row("load", name, shown, "only 200/429/503", not wrong and 200 in statuses),
        Row(
            "load",
            "recovery after the flood",
            f"{recovered:.1f} s until a lookup is answered in ≤ 100 ms",
            "≤ 10 s",
            recovered <= 10,
        ),
    ]


def _recovery(server: Server, queries: list[str], stopped: float) -> float:
    """Seconds from `stopped` until a lookup is answered 200 within 100 ms (60 at most)."""
    draw = random.Random(1)
    while time.monotonic() - stopped < 60:
        body = json.dumps({"text": draw.choice(queries)}).encode()
        answer = server.send("POST", "/lookup", body=body, headers=JSON, role="translator")
        if answer.status == 200 and answer.seconds <= 0.1:
            return time.monotonic() - stopped
        time.sleep(0.05)
    return float("inf")


def soak(work: Path, *, minutes: float = 30, clients: int = 4) -> list[Row]:
    """`clients` lookup clients for `minutes`; the server's RSS sampled every 5 s, its growth
    measured from the end of a warm-up (a fifth of the time, at most a minute)."""
    name = f"lookups for {minutes:g} min: RSS growth"
    prepared = _prepare(work)
    if prepared is None:
        return [Row("load", name, "no ../shared/data", "", False, skipped=True)]
    base, queries = prepared
    log, stop = Log(), threading.Event()
    seconds = minutes * 60
    warm = min(60.0, seconds / 5)
    with serve(_copy(base, "load-soak"), log=work / "load-server.log") as server:
        threads = _clients(clients, stop, lambda draw: _lookup(server, log, queries, draw))
        start = time.monotonic()
        time.sleep(warm)
        baseline = peak = last = server.rss()
        while time.monotonic() - start < seconds:
            time.sleep(5)
            last = server.rss()
            peak = max(peak, last)
        stop.set()
        for thread in threads:
            thread.join(timeout=120)
    growth = (last - baseline) / baseline
    failed = sum(r.status != 200 for r in log.requests)
    return [
        Row(
            "load",
            name,
            f"{baseline / 2**20:.0f} → {last / 2**20:.0f} MB ({growth:+.1%}; peak "
            f"{peak / 2**20:.0f} MB) over {len(log.requests):,} lookups, {failed} not 200",
            "≤ 10%",
            growth <= 0.10 and failed == 0,
        )
    ]
