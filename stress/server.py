"""A real `tm serve` on a loopback port, a raw HTTP client for it, and a watch on its memory
and on `/health` while a case runs."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

TM = Path(sys.executable).with_name("tm")
ROLES = ("translator", "maintainer", "admin")


def tm(db: Path, *args: str, timeout: float = 600) -> str:
    """Run the `tm` program on `db`; its standard output (a failure raises)."""
    done = subprocess.run(
        [str(TM), "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"tm {' '.join(args)}: {done.stderr.strip()[-2000:]}")
    return done.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: status, headers (lower-case names), body, and seconds it took."""

    status: int
    headers: dict[str, str]
    body: bytes
    seconds: float

    def json(self) -> object:
        return json.loads(self.body)


@dataclass
class Server:
    """A running `tm serve`: its process, port, database and a key per role."""

    process: subprocess.Popen[bytes]
    port: int
    db: Path
    keys: dict[str, str] = field(default_factory=dict)

    _tree: list[int] = field(default_factory=list)
    _tree_at: float = 0.0

    def rss(self) -> int:
        """The resident memory in bytes of the server and its descendants (`tm serve` runs a
        uvicorn worker per CPU; the index upkeep and confined work are processes too), from
        Linux /proc; the process tree is read again every 0.25 s."""
        if time.monotonic() - self._tree_at > 0.25:
            self._tree, self._tree_at = _descendants(self.process.pid), time.monotonic()
        return sum(_rss(pid) for pid in self._tree)

    def settle(self, *, seconds: float = 2, timeout: float = 60) -> None:
        """Wait until the RSS of the server's processes holds still for `seconds` (what they
        start in the background, the index and the fork server of confined work, is loaded)."""
        deadline = time.monotonic() + timeout
        steady, last = time.monotonic(), self.rss()
        while time.monotonic() - steady < seconds and time.monotonic() < deadline:
            time.sleep(0.25)
            now = self.rss()
            if abs(now - last) > 2 * 2**20:
                steady, last = time.monotonic(), now

    def send(
        self,
        method: str,
        path: str,
        *,
        body: bytes | Iterable[bytes] = b"",
        headers: dict[str, str] | None = None,
        role: str | None = "admin",
        timeout: float = 60,
    ) -> Answer:
        """One request, sent as given (the path is not re-encoded; an iterable body is sent
        chunked), with the `role`'s key unless `role` is None."""
        sent = dict(headers or {})
        if role:
            sent.setdefault("Authorization", f"Bearer {self.keys[role]}")
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        start = time.perf_counter()
        try:
            chunked = not isinstance(body, bytes)
            connection.request(method, path, body=body, headers=sent, encode_chunked=chunked)
            response = connection.getresponse()
            data = response.read()
        except (ConnectionError, http.client.HTTPException) as error:
            return Answer(0, {"error": repr(error)}, b"", time.perf_counter() - start)
        finally:
            connection.close()
        answer_headers = {name.lower(): value for name, value in response.getheaders()}
        return Answer(response.status, answer_headers, data, time.perf_counter() - start)

    def upload(
        self, path: str, files: list[tuple[str, str, bytes]], *, role: str = "admin"
    ) -> Answer:
        """A multipart/form-data POST of (field, file name, content) parts."""
        boundary = uuid.uuid4().hex
        parts = []
        for name, filename, content in files:
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        return self.send("POST", path, body=body, headers=headers, role=role)

    def job(self, answer: Answer, *, timeout: float = 60) -> tuple[dict[str, object], float]:
        """Wait for the job a 202 answer started: its last state and the seconds until then."""
        started = time.perf_counter() - answer.seconds
        job = answer.json()
        assert isinstance(job, dict), job
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            polled = self.send("GET", str(job["url"]), role="translator").json()
            assert isinstance(polled, dict)
            if polled["state"] in ("done", "failed"):
                return polled, time.perf_counter() - started
            time.sleep(0.01)
        return {"state": "timeout"}, time.perf_counter() - started


def _rss(pid: int) -> int:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:  # ended meanwhile
        return 0
    return next((int(line.split()[1]) * 1024 for line in lines if line.startswith("VmRSS:")), 0)


def _descendants(pid: int) -> list[int]:
    """`pid` and every process under it."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
    found = [pid]
    for parent in found:  # grows as children are found
        found += [child for child, of in parents.items() if of == parent]
    return found


@contextmanager
def serve(db: Path, *, log: Path, env: dict[str, str] | None = None) -> Iterator[Server]:
    """`tm serve` on a free loopback port over `db` (keys made for each role), until the block
    ends; its output goes to `log`."""
    made = {
        role: tm(db, "keys", "create", "--role", role, "--name", role, "--json") for role in ROLES
    }
    keys = {role: str(json.loads(output)["key"]) for role, output in made.items()}
    port = free_port()
    with log.open("ab") as output:
        process = subprocess.Popen(
            [str(TM), "--db", str(db), "serve", "--host", "127.0.0.1", "--port", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
        )
    server = Server(process, port, db, keys)
    try:
        deadline = time.monotonic() + 120
        while server.send("GET", "/health", role=None, timeout=5).status != 200:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"tm serve did not start (see {log})")
            time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@dataclass
class Watch:
    """While a case runs: the server's peak RSS (sampled every 10 ms) and `/health`'s slowest
    answer (asked every 20 ms, each with a 5 s timeout)."""

    server: Server
    before: int = 0
    peak: int = 0
    health_max: float = 0.0
    health_failures: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)

    def __enter__(self) -> Watch:
        self.before = self.peak = self.server.rss()
        self._threads = [
            threading.Thread(target=self._memory, daemon=True),
            threading.Thread(target=self._health, daemon=True),
        ]
        for thread in self._threads:
            thread.start()
        time.sleep(0.05)  # a first /health answer before the case starts
        return self

    def __exit__(self, *_exc: object) -> None:
        time.sleep(0.05)
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=10)

    @property
    def growth(self) -> int:
        return max(0, self.peak - self.before)

    def _memory(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.server.rss())
            time.sleep(0.01)

    def _health(self) -> None:
        while not self._stop.is_set():
            answer = self.server.send("GET", "/health", role=None, timeout=5)
            self.health_max = max(self.health_max, answer.seconds)
            self.health_failures += answer.status != 200
            time.sleep(0.02)
