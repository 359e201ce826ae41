"""`tm serve --workers 2`, a real uvicorn with two worker processes over one TM: a pair saved,
corrected or deleted through one worker is seen by the next lookup through the other, and a
job started through one is followed through the other. Which worker holds a connection is read
from /proc (the server side of each TCP connection and the socket inodes of each process)."""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import DATA

from service import keys
from tm import TranslationMemory
from tm.store.segments import now

pytestmark = pytest.mark.skipif(
    not Path("/proc/net/tcp").exists(), reason="reads which worker holds a connection in /proc"
)


@dataclass
class Served:
    port: int
    process: subprocess.Popen[bytes]
    key: str

    def workers(self) -> list[int]:
        found = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True, check=False
        )
        return [int(pid) for pid in found.stdout.split()]


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    db = tmp_path_factory.mktemp("workers") / "tm.db"
    with TranslationMemory.open(db) as memory:
        memory.import_files([DATA / "sample.tmx"])
        keys.ensure_schema(memory.db)
        secret = keys.create(memory.db, role="admin", name="admin-test", now=now())[0]
    port = free_port()
    command = [sys.executable, "-m", "service", "--db", str(db), "serve", "--port", str(port)]
    log = db.with_name("server.log")
    with log.open("wb") as errors:
        process = subprocess.Popen([*command, "--workers", "2"], stderr=errors)
    server = Served(port, process, secret)
    try:
        deadline = time.monotonic() + 60
        while len(server.workers()) < 2 or not _healthy(port, secret):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"tm serve did not start: {log.read_text(errors='replace')}")
            time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)


def _healthy(port: int, secret: str) -> bool:
    try:
        connection = _connect(port)
    except OSError:
        return False
    try:
        return _call(connection, "GET", "/health", secret)[0] == 200
    except OSError:
        return False
    finally:
        connection.close()


def _connect(port: int) -> http.client.HTTPConnection:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.connect()
    return connection


def _call(
    connection: http.client.HTTPConnection,
    method: str,
    path: str,
    secret: str,
    body: object | None = None,
) -> tuple[int, object]:
    headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
    payload = None if body is None else json.dumps(body)
    connection.request(method, path, body=payload, headers=headers)
    answer = connection.getresponse()
    data = answer.read()
    return answer.status, json.loads(data) if data else None


def _owner(served: Served, connection: http.client.HTTPConnection) -> int:
    """The worker process holding the server side of `connection`."""
    assert connection.sock is not None
    mine = connection.sock.getsockname()[1]
    inode = ""
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        local, remote = fields[1].split(":")[1], fields[2].split(":")[1]
        if int(local, 16) == served.port and int(remote, 16) == mine:
            inode = fields[9]
    for pid in served.workers():
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            try:
                if fd.readlink().name == f"socket:[{inode}]":
                    return pid
            except OSError:
                continue
    return 0


@pytest.fixture
def connections(served: Served) -> Iterator[list[http.client.HTTPConnection]]:
    """Two open connections, held by different workers."""
    held: dict[int, http.client.HTTPConnection] = {}
    try:
        for _ in range(60):
            connection = _connect(served.port)
            _call(connection, "GET", "/health", served.key)  # accepted and answered
            owner = _owner(served, connection)
            if owner and owner not in held:
                held[owner] = connection
            else:
                connection.close()
            if len(held) == 2:
                break
        else:
            pytest.fail("60 connections went to one worker")
        yield list(held.values())
    finally:
        for connection in held.values():
            connection.close()


def _lookup(connection: http.client.HTTPConnection, key: str, text: str) -> list[str]:
    status, found = _call(connection, "POST", "/lookup", key, {"text": text, "threshold": 60})
    assert status == 200, found
    return [m["target"] for m in found["matches"]]  # type: ignore[index]


def test_writes_through_one_worker_are_seen_by_the_next_lookup_on_the_other(
    served: Served, connections: list[http.client.HTTPConnection]
) -> None:
    first, second = connections
    text = "Le comité des finances se réunira mardi prochain à Ottawa."
    fuzzy = "Le comité des finances se réunira mardi prochain à Toronto."
    assert "The finance committee meets next Tuesday in Ottawa." not in _lookup(
        second, served.key, fuzzy
    )
    for writer, reader in ((first, second), (second, first)):
        status, saved = _call(
            writer, "POST", "/segments", served.key,
            {"source": text, "target": "The finance committee meets next Tuesday in Ottawa."},
        )  # fmt: skip
        assert status == 201, saved
        assert "The finance committee meets next Tuesday in Ottawa." in _lookup(
            reader, served.key, fuzzy
        )
        segment_id = saved["id"]  # type: ignore[index]
        status, _ = _call(
            writer, "PUT", f"/segments/{segment_id}", served.key,
            {"source": text, "target": "The Finance Committee will meet on Tuesday in Ottawa."},
        )  # fmt: skip
        assert status == 200
        found = _lookup(reader, served.key, fuzzy)
        assert "The Finance Committee will meet on Tuesday in Ottawa." in found
        assert "The finance committee meets next Tuesday in Ottawa." not in found
        assert _call(writer, "DELETE", f"/segments/{segment_id}", served.key)[0] == 204
        assert "The Finance Committee will meet on Tuesday in Ottawa." not in _lookup(
            reader, served.key, fuzzy
        )


def test_a_job_started_through_one_worker_is_followed_through_the_other(
    served: Served, connections: list[http.client.HTTPConnection]
) -> None:
    first, second = connections
    upload = "fr\ten\nLe budget révisé est adopté.\tThe revised budget is adopted.\n"
    boundary = "tm-test-boundary"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="new.tsv"\r\n'
        f"Content-Type: text/tab-separated-values\r\n\r\n{upload}\r\n--{boundary}--\r\n"
    ).encode()
    first.request(
        "POST",
        "/import",
        body=body,
        headers={
            "Authorization": f"Bearer {served.key}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        },
    )
    answer = first.getresponse()
    started = json.loads(answer.read())
    assert answer.status == 202, started
    deadline = time.monotonic() + 30
    while True:
        status, job = _call(second, "GET", f"/jobs/{started['id']}", served.key)
        assert status == 200, job
        if job["state"] in ("done", "failed") or time.monotonic() > deadline:  # type: ignore[index]
            break
        time.sleep(0.05)
    assert job["state"] == "done" and job["result"]["imported"] == 1  # type: ignore[index]
    status, listed = _call(second, "GET", "/jobs", served.key)
    assert started["id"] in [j["id"] for j in listed]  # type: ignore[union-attr]
