"""Writes queued behind an import: a 503 with Retry-After once the bounded wait is over (never
a 500), reads answered meanwhile, and the writes accepted again once the import commits. The
import is a real one (`TranslationMemory.import_units`, one transaction) on its own connection,
held open mid-way by the units it reads."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service import Settings
from service.http import create_app
from tm import TranslationMemory, Unit
from tm.errors import Busy
from tm.store.database import connect, writing

WAIT_MS = 300


class HeldImport:
    """An import in a thread that has written `before` units in its transaction and waits for
    `release` before the rest: the write lock is held as a long import holds it."""

    def __init__(self, db_path: Path, *, before: int = 500, after: int = 500) -> None:
        self.started = threading.Event()
        self.release = threading.Event()
        self.result: tuple[int, int] | None = None
        self._path, self._before, self._after = db_path, before, after
        self._thread = threading.Thread(target=self._run)

    def _units(self) -> Iterator[Unit]:
        for number in range(self._before + self._after):
            if number == self._before:
                self.started.set()
                self.release.wait(30)
            yield Unit(f"Phrase importée numéro {number}.", f"Imported sentence {number}.")

    def _run(self) -> None:
        with TranslationMemory.open(self._path) as importer:
            self.result = importer.import_units(self._units())

    def __enter__(self) -> HeldImport:
        self._thread.start()
        assert self.started.wait(30)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release.set()
        self._thread.join(30)


@pytest.fixture
def client(db_path: Path, secrets: dict[str, str]) -> Iterator[TestClient]:
    settings = Settings(db=db_path, allowed_hosts=("testserver",), busy_timeout_ms=WAIT_MS)
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        # what start-up warms in the background (index, lexicon), done before the import holds
        # the TM: the waits timed below are the writer's, not a first request's loading
        test_client.app.state.memories.warm()  # type: ignore[attr-defined]
        test_client.headers["Authorization"] = f"Bearer {secrets['admin']}"
        yield test_client


WRITES = [
    ("save", "POST", "/segments", {"source": "Le conseil a siégé.", "target": "The board sat."}),
    ("glossary term", "POST", "/glossary/terms", {"text": "conseil", "language": "fr"}),
    ("review", "POST", "/segments/confirm", {"ids": [1], "note": "vu"}),
]


@pytest.mark.parametrize(
    ("method", "path", "body"), [w[1:] for w in WRITES], ids=[w[0] for w in WRITES]
)
def test_a_write_behind_an_import_is_a_503_with_retry_after_then_succeeds(
    client: TestClient, db_path: Path, method: str, path: str, body: dict[str, object]
) -> None:
    with HeldImport(db_path) as held:
        start = time.monotonic()
        answer = client.request(method, path, json=body)
        waited = time.monotonic() - start
        assert answer.status_code == 503, answer.text
        assert int(answer.headers["retry-after"]) > 0
        assert "busy" in answer.json()["detail"]
        assert WAIT_MS / 1000 <= waited < 5
        # reads go on meanwhile
        looked = client.post("/lookup", json={"text": "Le conseil a siégé."})
        assert looked.status_code == 200
        assert looked.elapsed.total_seconds() < 1
    assert held.result == (1000, 0)  # the import itself lost nothing
    again = client.request(method, path, json=body)
    assert again.status_code in (200, 201), again.text


def test_a_writer_that_waits_too_long_gets_busy_and_writes_nothing(db_path: Path) -> None:
    with TranslationMemory.open(db_path):
        pass
    with HeldImport(db_path):
        db = connect(db_path, migrate=False, busy_timeout_ms=WAIT_MS)
        with pytest.raises(Busy, match=r"over 0.3 s"), writing(db):
            db.conn.execute("INSERT INTO settings (key, value) VALUES ('x', 'y')")
        assert not db.conn.in_transaction
    assert db.conn.execute("SELECT count(*) FROM settings WHERE key = 'x'").fetchone()[0] == 0


def test_an_import_job_behind_another_import_waits_queued_then_runs(
    client: TestClient, db_path: Path, tmp_path: Path
) -> None:
    """An uploaded import queued behind a long one is not failed after the writer's bounded wait:
    it waits (state queued, with a note saying why), and runs once the other commits."""
    tsv = tmp_path / "press.tsv"
    tsv.write_text("Le conseil a siégé hier.\tThe board sat yesterday.\n", encoding="utf-8")
    with HeldImport(db_path) as held:
        with tsv.open("rb") as upload:
            answer = client.post("/import", files=[("files", ("press.tsv", upload))])
        assert answer.status_code == 202, answer.text
        url = answer.json()["url"]
        deadline = time.monotonic() + 10
        state = client.get(url).json()
        while not state["note"] and time.monotonic() < deadline:
            time.sleep(0.05)
            state = client.get(url).json()
        assert state["state"] == "queued", (state, time.monotonic() - deadline)
        assert "waiting for another writer" in state["note"]
        time.sleep(3 * WAIT_MS / 1000)  # several busy attempts: still waiting, not failed
        assert client.get(url).json()["state"] in ("queued", "running")
    assert held.result == (1000, 0)
    deadline = time.monotonic() + 20
    while (state := client.get(url).json())["state"] not in ("done", "failed"):
        assert time.monotonic() < deadline, state
        time.sleep(0.05)
    assert state["state"] == "done", state
    assert state["note"] == ""
    assert state["result"]["imported"] == 1
