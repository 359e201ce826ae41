"""A full disk, for real: a small tmpfs mounted for the test (it needs root, as CI runs; the
tests skip with the reason elsewhere). The CLI says "disk is full" in one line (never a
traceback where "cannot rollback" hides it) and leaves the TM as it was; an export or a draft
never leaves a 0-byte or half file; an HTTP write is a 507 with the reason."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service import Settings, keys
from service.http import create_app
from tm import TranslationMemory
from tm.store.database import connect
from tm.store.segments import now

TM = Path(sys.executable).with_name("tm")


def _mount(folder: Path, size: str) -> str | None:
    """Mount a tmpfs of `size` on `folder`; why not, or None."""
    if os.geteuid() != 0:
        return "mounting a small tmpfs needs root"
    folder.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stderr.strip() or f"mount failed ({done.returncode})" if done.returncode else None


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    """A 512 KiB file system of its own."""
    folder = tmp_path / "disk"
    why = _mount(folder, "512k")
    if why:
        pytest.skip(f"no small file system to fill: {why}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(folder: Path) -> Path:
    """Fill the file system of `folder` to the last byte; the filler file."""
    filler = folder / "filler"
    handle = os.open(filler, os.O_WRONLY | os.O_CREAT)
    try:
        for size in (1 << 16, 1 << 12, 1):  # to the last byte
            while True:
                try:
                    os.write(handle, b"\0" * size)
                except OSError:
                    break
    finally:
        os.close(handle)
    return filler


def tm(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(TM), "--db", str(db), *args], capture_output=True, text=True, timeout=120, check=False
    )


def bitext(folder: Path, count: int) -> tuple[Path, Path]:
    french, english = folder / "big.fr", folder / "big.en"
    french.write_text(
        "".join(
            f"Le conseil a adopté la résolution numéro {n} à l'unanimité.\n" for n in range(count)
        ),
        "utf-8",
    )
    english.write_text(
        "".join(f"The board unanimously adopted resolution number {n}.\n" for n in range(count)),
        "utf-8",
    )
    return french, english


def _says_disk_full(done: subprocess.CompletedProcess[str]) -> None:
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith("error: disk is full"), done.stderr
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "Traceback" not in done.stderr and "cannot rollback" not in done.stderr


def test_an_import_that_fills_the_disk_says_so_and_leaves_the_tm_as_it_was(
    disk: Path, tmp_path: Path
) -> None:
    db = disk / "tm.db"
    with TranslationMemory.open(db) as memory:
        memory.add("Le conseil a siégé.", "The board sat.")
    done = tm(db, "import", *map(str, bitext(tmp_path, 20_000)), "--no-score")
    _says_disk_full(done)
    check = connect(db, migrate=False)
    assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert check.execute("SELECT count(*) FROM segments").fetchone()[0] == 1


def test_an_export_to_a_full_disk_leaves_no_file(disk: Path, tmp_path: Path) -> None:
    db = tmp_path / "tm.db"
    assert tm(db, "import", *map(str, bitext(tmp_path, 5_000)), "--no-score").returncode == 0
    out = disk / "out.tmx"
    _says_disk_full(tm(db, "export", str(out)))
    assert sorted(p.name for p in disk.iterdir()) == []  # neither out.tmx nor a temporary


def test_pretranslation_onto_a_full_disk_leaves_no_partial_draft(
    disk: Path, tmp_path: Path
) -> None:
    db = tmp_path / "tm.db"
    assert tm(db, "import", *map(str, bitext(tmp_path, 200)), "--no-score").returncode == 0
    release = tmp_path / "communique.txt"
    release.write_text("Le conseil a adopté la résolution numéro 7 à l'unanimité.\n" * 3, "utf-8")
    filler = fill(disk)
    done = tm(db, "pretranslate", str(release), "--out", str(disk / "drafts"))
    assert done.returncode == 1
    assert "disk is full" in done.stderr and "Traceback" not in done.stderr
    left = [p for p in disk.rglob("*") if p.is_file() and p != filler]
    assert left == []  # no 0-byte or half draft, report or temporary
    filler.unlink()


@pytest.fixture
def full_server(disk: Path) -> Iterator[tuple[TestClient, Path]]:
    db = disk / "tm.db"
    with TranslationMemory.open(db) as memory:
        memory.add("Le conseil a siégé.", "The board sat.")
        keys.ensure_schema(memory.db)
        secret = keys.create(memory.db, role="admin", name="admin", now=now())[0]
        memory.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the next write needs new room
    settings = Settings(db=db, allowed_hosts=("testserver",))
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        client.headers["Authorization"] = f"Bearer {secret}"
        assert client.post("/lookup", json={"text": "Le conseil a siégé."}).status_code == 200
        yield client, fill(disk)


def test_an_http_write_on_a_full_disk_is_a_507_with_the_reason(
    full_server: tuple[TestClient, Path],
) -> None:
    client, filler = full_server
    body = {"source": "La séance est levée.", "target": "The meeting is adjourned."}
    answer = client.post("/segments", json=body)
    assert answer.status_code == 507, answer.text
    assert "disk is full" in answer.json()["detail"]
    term = client.post("/glossary/terms", json={"text": "séance", "language": "fr"})
    assert term.status_code == 507, term.text
    filler.unlink()
    assert client.post("/segments", json=body).status_code == 201
