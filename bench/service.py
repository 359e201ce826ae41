"""The HTTP service under load, on loopback, with the 445k-pair laws TM and one `tm serve`
(`--workers N` processes: by default one per CPU; the steady phase is also run with one).

A 10-second single-client baseline, then three phases, each bounded in time (the whole run
stops by itself):

1. **steady**: 32 clients, each sending `POST /lookup` then pausing 50–250 ms (a translator's
   typing, debounced), for `--seconds`: errors, p50/p95/p99 latency, throughput;
2. **busy**: the same while an administrator imports 20,000 new pairs (`POST /import`, a
   background job) and a maintainer edits glossary terms (`PATCH` with `If-Match`) every
   200 ms: errors, and "database is locked" anywhere (responses or the server's log);
3. **overload**: 128 clients with no pause for `--overload` seconds: only 200 or shed
   responses (429/503) are allowed, never a 500; then how long until the p95 of a light load
   (4 clients with pauses) is back to normal (≤ max(50 ms, 1.5 × the single-client p95)),
   measured in 1-second windows.

Queries are French sentences of the corpus: half as stored (exact matches), half with one
word removed (fuzzy matches). The lookup clients speak HTTP/1.1 over plain asyncio streams
(keep-alive, a few microseconds a request), so that the client is not the bottleneck.
Run: `python -m bench.service [--seconds 60] [--overload 20] [--workers N]`.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2 as httpx

from bench.common import ROOT, SHARED, WORK, table

LAWS = SHARED / "canada-laws-fr-en" / "corpus"
STEADY_CLIENTS = 32
OVERLOAD_CLIENTS = 128
PAUSE_S = (0.05, 0.25)
IMPORT_PAIRS = 20_000
TIMEOUT_S = 30.0
SHED = (429, 503)
"""Refusals under load (with Retry-After): expected when overloaded, not errors."""


@dataclass
class Record:
    """What a phase saw: one (time, status, latency) per request, and error texts."""

    calls: list[tuple[float, int, float]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def latencies(self, status: int = 200) -> list[float]:
        return sorted(latency for _at, code, latency in self.calls if code == status)

    def statuses(self) -> dict[int, int]:
        counted: dict[int, int] = {}
        for _at, code, _latency in self.calls:
            counted[code] = counted.get(code, 0) + 1
        return counted


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(fraction * len(values)))]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def french_lines(count: int, *, seed: int = 7) -> list[str]:
    """`count` French sentences of 5–40 words from the laws sample, reproducibly."""
    lines = (LAWS / "canada-laws.sample50k.fr").read_text("utf-8").splitlines()
    usable = [line for line in lines if 5 <= len(line.split()) <= 40 and len(line) <= 2000]
    return random.Random(seed).sample(usable, count)


def queries(count: int) -> list[str]:
    """Half as stored, half with one word removed."""
    chosen, rng = french_lines(count), random.Random(11)
    result = []
    for number, line in enumerate(chosen):
        words = line.split()
        if number % 2:
            del words[rng.randrange(len(words))]
        result.append(" ".join(words))
    return result


def prepare(db: Path) -> None:
    """A private copy of the laws TM (imported once into build/bench/laws.db if absent)."""
    laws = WORK / "laws.db"
    if not laws.exists():
        WORK.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "service", "--db", str(laws), "import",
             str(LAWS / "canada-laws.fr.gz"), "--origin", "laws"],
            check=True, cwd=ROOT,
        )  # fmt: skip
    for suffix in ("", "-wal", "-shm", ".index"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    subprocess.run(  # no pending WAL: the copy is the whole TM
        [sys.executable, "-m", "service", "--db", str(laws), "stats"],
        check=True, cwd=ROOT, capture_output=True,
    )  # fmt: skip
    shutil.copyfile(laws, db)
    if Path(f"{laws}.index").exists():  # the saved lookup index is the copy's too
        shutil.copyfile(f"{laws}.index", f"{db}.index")


def command(db: Path, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "service", "--db", str(db), *args],
        check=True, capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    return done.stdout


def new_key(db: Path, role: str) -> str:
    created = json.loads(
        command(db, "keys", "create", "--role", role, "--name", f"bench-{role}", "--json")
    )
    return str(created["key"])


def import_file(folder: Path) -> Path:
    """A TSV of `IMPORT_PAIRS` pairs not yet in the TM (sources of the corpus, marked)."""
    path = folder / "new-pairs.tsv"
    with (
        gzip.open(LAWS / "canada-laws.fr.gz", "rt", encoding="utf-8") as fr,
        gzip.open(LAWS / "canada-laws.en.gz", "rt", encoding="utf-8") as en,
        path.open("w", encoding="utf-8") as out,
    ):
        out.write("fr\ten\n")
        written = 0
        for french, english in zip(fr, en, strict=False):
            french, english = french.strip(), english.strip()
            if not french or not english or "\t" in french + english:
                continue
            out.write(f"{french} (texte révisé)\t{english} (revised text)\n")
            written += 1
            if written == IMPORT_PAIRS:
                break
    return path


@dataclass
class Server:
    base: str
    process: subprocess.Popen[bytes]
    log: Path


def start(db: Path, log: Path, workers: int) -> Server:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "service", "--db", str(db), "serve", "--port", str(port),
         "--workers", str(workers)],
        stdout=subprocess.DEVNULL, stderr=log.open("wb"), cwd=ROOT,
    )  # fmt: skip
    return Server(f"http://127.0.0.1:{port}", process, log)


class Connection:
    """One keep-alive HTTP/1.1 connection sending JSON POSTs (reconnecting after an error)."""

    def __init__(self, base: str, key: str) -> None:
        address = base.removeprefix("http://")
        self.host, port = address.split(":")
        self.port = int(port)
        self.head = (
            f"Host: {address}\r\nAuthorization: Bearer {key}\r\nContent-Type: application/json\r\n"
        ).encode()
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def post(self, path: str, payload: dict[str, Any]) -> tuple[int, bytes]:
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.streams
        body = json.dumps(payload).encode()
        writer.write(
            f"POST {path} HTTP/1.1\r\n".encode()
            + self.head
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        try:
            status = int((await reader.readline()).split()[1])
            length, close = 0, False
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
                elif name.lower() == "connection" and "close" in value.lower():
                    close = True
            answer = await reader.readexactly(length)
        except BaseException:
            self.close()
            raise
        if close:
            self.close()
        return status, answer

    def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


async def lookup_loop(
    connection: Connection, texts: list[str], record: Record, stop: float, pause: bool
) -> None:
    rng = random.Random(id(record) ^ id(connection))
    while time.monotonic() < stop:
        text = rng.choice(texts)
        started = time.monotonic()
        try:
            code, answer = await asyncio.wait_for(
                connection.post("/lookup", {"text": text, "limit": 5, "threshold": 70}), TIMEOUT_S
            )
            if (code >= 500 and code not in SHED) or b"locked" in answer:
                record.errors.append(f"{code}: {answer[:200].decode('utf-8', 'replace')}")
        except (
            OSError,
            ValueError,
            IndexError,
            asyncio.IncompleteReadError,
            TimeoutError,
        ) as error:
            code = 0
            record.errors.append(f"transport: {type(error).__name__}: {error}")
        record.calls.append((started, code, (time.monotonic() - started) * 1000))
        if pause:
            await asyncio.sleep(rng.uniform(*PAUSE_S))
    connection.close()


async def clients(
    base: str, key: str, texts: list[str], *, count: int, seconds: float, pause: bool
) -> Record:
    record = Record()
    stop = time.monotonic() + seconds
    await asyncio.gather(
        *(lookup_loop(Connection(base, key), texts, record, stop, pause) for _ in range(count))
    )
    return record


async def glossary_edits(base: str, key: str, record: Record, stop: float) -> int:
    """Edit term notes every 200 ms with If-Match, re-reading after a 412; returns edits made."""
    made = 0
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=TIMEOUT_S) as client:
        found = (await client.get("/glossary/concepts", params={"limit": 50})).json()["concepts"]
        ids = [t["id"] for c in found for t in c["terms"]]
        while time.monotonic() < stop and ids:
            term_id = ids[made % len(ids)]
            read = await client.get(f"/glossary/terms/{term_id}")
            edit = await client.patch(
                f"/glossary/terms/{term_id}",
                json={"note": f"bench edit {made}"},
                headers={"If-Match": read.headers.get("etag", "")},
            )
            if edit.status_code == 200:
                made += 1
            elif edit.status_code != 412:
                record.errors.append(f"glossary {edit.status_code}: {edit.text[:200]}")
            await asyncio.sleep(0.2)
    return made


async def import_job(base: str, key: str, path: Path, record: Record) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=120) as client:
        with path.open("rb") as upload:
            started = await client.post("/import", files={"files": (path.name, upload)})
        if started.status_code != 202:
            record.errors.append(f"import {started.status_code}: {started.text[:200]}")
            return {}
        began = time.monotonic()
        while True:
            job = (await client.get(started.json()["url"])).json()
            if job["state"] in ("done", "failed"):
                if job["state"] == "failed":
                    record.errors.append(f"import job failed: {job['error']}")
                return job | {"seconds": time.monotonic() - began}
            await asyncio.sleep(0.25)


async def busy(
    server: Server, keys: dict[str, str], texts: list[str], seconds: float, path: Path
) -> tuple[Record, dict[str, Any], int]:
    record = Record()
    stop = time.monotonic() + seconds
    lookups = clients(
        server.base, keys["translator"], texts, count=STEADY_CLIENTS, seconds=seconds, pause=True
    )
    looked, job, edits = await asyncio.gather(
        lookups,
        import_job(server.base, keys["admin"], path, record),
        glossary_edits(server.base, keys["maintainer"], record, stop),
    )
    looked.errors += record.errors
    return looked, job, edits


async def recovery(
    base: str, key: str, texts: list[str], normal_ms: float, limit_s: float
) -> float:
    """Seconds after the overload until a 1-s window of light load has p95 ≤ `normal_ms`."""
    began = time.monotonic()
    while time.monotonic() - began < limit_s:
        window = await clients(base, key, texts, count=4, seconds=1.0, pause=True)
        latencies = window.latencies()
        if latencies and percentile(latencies, 0.95) <= normal_ms and not window.errors:
            return time.monotonic() - began
    return float("inf")


def summary(name: str, record: Record, seconds: float) -> list[object]:
    latencies = record.latencies()
    statuses = record.statuses()
    return [
        name,
        len(record.calls),
        round(len(latencies) / seconds, 1),
        round(percentile(latencies, 0.50), 1),
        round(percentile(latencies, 0.95), 1),
        round(percentile(latencies, 0.99), 1),
        ", ".join(f"{code}: {count}" for code, count in sorted(statuses.items())),
        len(record.errors),
    ]


def log_lines(log: Path, needle: str) -> int:
    return sum(needle in line for line in log.read_text("utf-8", "replace").splitlines())


@dataclass
class Results:
    rows: list[list[object]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def run(seconds: float, overload: float, workers: int) -> Results:
    """The steady phase with one worker process, then every phase with `workers`."""
    results = Results()
    folder = Path(tempfile.mkdtemp(prefix="tm-bench-service-"))
    db = WORK / "service-laws.db"
    prepare(db)
    keys = {role: new_key(db, role) for role in ("translator", "maintainer", "admin")}
    command(
        db,
        "glossary",
        "import",
        str(ROOT / "data" / "glossary" / "glossary.csv"),
        "--author",
        "bench",
    )
    texts = queries(2000)
    upload = import_file(folder)
    try:
        if workers > 1:
            phases(results, db, folder, keys, texts, workers=1, seconds=seconds)
        phases(results, db, folder, keys, texts, workers=workers, seconds=seconds,
               overload=overload, upload=upload)  # fmt: skip
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        for suffix in ("", "-wal", "-shm", ".index", ".index.lock"):
            Path(str(db) + suffix).unlink(missing_ok=True)
    return results


def phases(
    results: Results,
    db: Path,
    folder: Path,
    keys: dict[str, str],
    texts: list[str],
    *,
    workers: int,
    seconds: float,
    overload: float | None = None,
    upload: Path | None = None,
) -> None:
    """Serve `db` with `workers` processes: the baseline and steady phases, then (given an
    `upload` and `overload`) the busy and overload ones."""
    log = folder / f"server-{workers}.log"
    server = start(db, log, workers)
    name = f"{workers} worker{'s' if workers > 1 else ''}"
    records = []
    try:
        _ready(server, keys["translator"], texts[0])
        alone = asyncio.run(
            clients(server.base, keys["translator"], texts, count=1, seconds=10, pause=False)
        )
        results.rows.append(summary(f"{name}: 1 client, no pause (baseline)", alone, 10))
        steady = asyncio.run(
            clients(
                server.base,
                keys["translator"],
                texts,
                count=STEADY_CLIENTS,
                seconds=seconds,
                pause=True,
            )
        )
        results.rows.append(summary(f"{name}: steady, {STEADY_CLIENTS} clients", steady, seconds))
        records.append(steady)
        if upload is not None and overload is not None:
            records += disturbed(results, server, keys, texts, seconds, overload, upload, alone)
    finally:
        server.process.terminate()
        server.process.wait(timeout=30)
    for record in records:
        results.notes += sorted(set(record.errors))[:5]
    results.notes.append(
        f"{name}: server log: {log_lines(log, 'Traceback')} tracebacks, "
        f"{log_lines(log, 'database is locked')} 'database is locked'"
    )


def disturbed(
    results: Results,
    server: Server,
    keys: dict[str, str],
    texts: list[str],
    seconds: float,
    overload: float,
    upload: Path,
    alone: Record,
) -> list[Record]:
    """The busy phase (import and glossary edits) and the overload phase, then recovery."""
    loaded, job, edits = asyncio.run(busy(server, keys, texts, seconds, upload))
    results.rows.append(summary("with import + glossary edits", loaded, seconds))
    results.notes.append(
        f"import of {IMPORT_PAIRS:,} pairs: {job.get('state')} in "
        f"{job.get('seconds', 0):.1f} s ({job.get('result', {}).get('imported', 0):,} "
        f"imported); glossary edits made: {edits}"
    )
    shed = asyncio.run(
        clients(
            server.base,
            keys["translator"],
            texts,
            count=OVERLOAD_CLIENTS,
            seconds=overload,
            pause=False,
        )
    )
    results.rows.append(summary(f"overload, {OVERLOAD_CLIENTS} clients, no pause", shed, overload))
    normal = max(50.0, 1.5 * percentile(alone.latencies(), 0.95))
    back = asyncio.run(recovery(server.base, keys["translator"], texts, normal, 10.0))
    results.notes.append(
        f"overload statuses: {shed.statuses()}; back to p95 ≤ {normal:.0f} ms after "
        f"{back:.1f} s (target ≤ 10 s)"
    )
    return [loaded, shed]


def _ready(server: Server, key: str, text: str) -> None:
    """Wait for the server, then one lookup (builds the in-memory index)."""
    deadline = time.monotonic() + 600
    headers = {"Authorization": f"Bearer {key}"}
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"tm serve exited: {server.log.read_text()[-2000:]}")
        try:
            answer = httpx.post(
                server.base + "/lookup", json={"text": text}, headers=headers, timeout=600
            )
            if answer.status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise RuntimeError("tm serve did not answer within 10 minutes")


def main(seconds: float = 60.0, overload: float = 20.0, workers: int = 0) -> None:
    """Run the phases and print the table (the defaults are the issue's targets; `workers` 0:
    one per CPU)."""
    from tm.retrieval.workers import available

    workers = workers or available()
    load = os.getloadavg()[0]
    results = run(seconds, overload, workers)
    table(
        f"HTTP service on loopback, laws TM (445k pairs), one tm serve (target: steady p95 ≤ "
        f"50 ms with {workers} workers); load average at start {load:.1f} on "
        f"{os.cpu_count()} CPUs",
        ["phase", "requests", "ok/s", "p50 ms", "p95 ms", "p99 ms", "statuses", "errors"],
        results.rows,
    )
    for note in results.notes:
        print(f"- {note}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Load the HTTP service on loopback.")
    parser.add_argument("--seconds", type=float, default=60.0, help="steady and busy phases")
    parser.add_argument("--overload", type=float, default=20.0, help="overload phase")
    parser.add_argument("--workers", type=int, default=0, help="server processes (0: the CPUs)")
    options = parser.parse_args()
    main(options.seconds, options.overload, options.workers)
