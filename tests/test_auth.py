"""Roles and keys over real HTTP (TestClient), plus body-size limit and load shedding."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service import Settings, keys
from service.http import create_app
from service.http.middleware import Shedding
from tm import TranslationMemory
from tm.store.segments import now


def client_for(db_path: Path, **overrides: object) -> TestClient:
    return TestClient(create_app(Settings(db=db_path, allowed_hosts=("testserver",), **overrides)))  # type: ignore[arg-type]


@pytest.fixture
def client(db_path: Path, secrets: dict[str, str]) -> Iterator[TestClient]:
    with client_for(db_path) as test_client:
        yield test_client


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


SAVE = {"source": "Les Alliés ont tenu parole.", "target": "Allies kept their word."}


@pytest.mark.parametrize(
    ("role", "save", "delete"),
    [
        (None, 401, 401),
        ("translator", 201, 403),
        ("maintainer", 201, 403),
        ("admin", 201, 204),
    ],
)
def test_roles(
    client: TestClient, secrets: dict[str, str], role: str | None, save: int, delete: int
) -> None:
    headers = bearer(secrets[role]) if role else {}
    saved = client.post("/segments", json=SAVE, headers=headers)
    assert saved.status_code == save
    assert client.delete("/segments/1", headers=headers).status_code == delete


@pytest.mark.parametrize("role", keys.ROLES)
def test_whoami_names_the_key_and_its_role(
    client: TestClient, secrets: dict[str, str], role: str
) -> None:
    answer = client.get("/whoami", headers=bearer(secrets[role]))
    assert (answer.status_code, answer.json()) == (200, {"role": role, "name": role})


def test_whoami_without_a_key_or_with_an_unknown_one(client: TestClient) -> None:
    assert client.get("/whoami").json() == {"role": None, "name": None}
    unknown = client.get("/whoami", headers=bearer("tm_wrong"))
    assert (unknown.status_code, unknown.json()) == (
        401,
        {"detail": "unknown or revoked API key", "code": "error/key-unknown"},
    )


def test_reads_need_a_key_once_keys_exist(client: TestClient, secrets: dict[str, str]) -> None:
    query = {"text": "Les Alliés ont réaffirmé leur soutien à l'Ukraine."}
    assert client.post("/lookup", json=query).status_code == 401
    assert client.post("/lookup", json=query, headers=bearer("tm_wrong")).status_code == 401
    assert (
        client.post("/lookup", json=query, headers={"X-API-Key": secrets["translator"]}).status_code
        == 200
    )


def test_reads_open_on_loopback_without_keys(tmp_path: Path, sample_tmx: Path) -> None:
    db = tmp_path / "open.db"
    with TranslationMemory.open(db) as memory:
        memory.import_files([sample_tmx])
    with client_for(db) as open_client:
        assert open_client.post("/lookup", json={"text": "Bonjour."}).status_code == 200
        assert open_client.post("/segments", json=SAVE).status_code == 401
    with client_for(db, host="0.0.0.0") as public_client:
        assert public_client.post("/lookup", json={"text": "Bonjour."}).status_code == 401


def test_revoked_key_is_refused(client: TestClient, db_path: Path, secrets: dict[str, str]) -> None:
    with TranslationMemory.open(db_path) as memory:
        translator = next(k for k in keys.listing(memory.db) if k.role == "translator")
        keys.revoke(memory.db, translator.id, now=now())
    answer = client.post("/segments", json=SAVE, headers=bearer(secrets["translator"]))
    assert answer.status_code == 401


def test_saved_translation_is_found_by_the_next_lookup(
    client: TestClient, secrets: dict[str, str]
) -> None:
    headers = bearer(secrets["translator"])
    saved = client.post("/segments", json=SAVE, headers=headers).json()
    assert saved["author"] == "translator"
    found = client.post("/lookup", json={"text": SAVE["source"]}, headers=headers).json()
    assert found["matches"][0]["id"] == saved["id"]
    corrected = client.put(
        f"/segments/{saved['id']}",
        headers=headers,
        json={**SAVE, "target": "The Allies kept their word."},
    )
    assert corrected.json()["target"] == "The Allies kept their word."
    assert client.get(f"/segments/{saved['id']}", headers=headers).status_code == 200
    assert client.get("/segments/99999", headers=headers).status_code == 404


def test_mymemory_shape(client: TestClient, secrets: dict[str, str]) -> None:
    headers = {"X-API-Key": secrets["translator"]}  # a key in the URL is refused
    answer = client.get(
        "/get",
        params={"q": "Le secrétaire général a présidé la réunion.", "langpair": "fr|en"},
        headers=headers,
    )
    body = answer.json()
    assert answer.status_code == 200
    assert body["responseData"] == {
        "translatedText": "The Secretary General chaired the meeting.",
        "match": 1.0,
    }
    first = body["matches"][0]
    assert {
        "segment",
        "translation",
        "match",
        "quality",
        "created-by",
        "usage-count",
        "create-date",
        "last-update-date",
    } <= set(first)
    wrong = client.get("/get", params={"q": "Hello", "langpair": "en|fr"}, headers=headers)
    assert wrong.status_code == 200  # MyMemory's way: the error is in the answer
    assert wrong.json()["responseStatus"] == 403
    assert "LANGUAGE PAIR" in wrong.json()["responseDetails"]


def test_body_over_the_limit_is_413(db_path: Path, secrets: dict[str, str]) -> None:
    with client_for(db_path, max_body_bytes=1000) as small:
        answer = small.post(
            "/segments",
            content=b"{" + b" " * 2000 + b"}",
            headers={**bearer(secrets["admin"]), "content-type": "application/json"},
        )
    assert answer.status_code == 413


def test_shedding_answers_503_when_full() -> None:
    started = asyncio.Event()
    release = asyncio.Event()

    async def slow(scope: object, receive: object, send: object) -> None:
        started.set()
        await release.wait()

    shed = Shedding(slow, limit=1)  # type: ignore[arg-type]
    sent: list[dict[str, object]] = []

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    async def scenario() -> None:
        first = asyncio.create_task(shed({"type": "http"}, None, send))  # type: ignore[arg-type]
        await started.wait()
        await shed({"type": "http"}, None, send)  # type: ignore[arg-type]
        release.set()
        await first

    asyncio.run(scenario())
    assert sent[0]["status"] == 503
