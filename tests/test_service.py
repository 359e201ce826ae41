"""The HTTP service through FastAPI's test client, on a real TM file."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service import Settings
from service.http import create_app
from tm import TranslationMemory


@pytest.fixture
def client(db_path: Path, sample_tmx: Path) -> Iterator[TestClient]:
    with TranslationMemory.open(db_path) as memory:
        memory.import_files([sample_tmx])
    with TestClient(create_app(Settings(db=db_path, allowed_hosts=("testserver",)))) as test_client:
        yield test_client


def test_tm_placeholders_never_reach_a_lookup_answer(client: TestClient, db_path: Path) -> None:
    """The TMX pair with `bpt`/`ept`/`ph` came back as "Click the <t1>button</t1>…", with
    `<t1>` edits, a `<t1> </t1> <t2/> → ∅` penalty and "inline tag <t1>" findings (issue 20)."""
    import json
    import re

    from conftest import cli

    placeholder = re.compile(r"</?t\d+/?>")
    query = "Cliquez sur le bouton pour continuer le 3 mai."
    answers = [
        client.post("/lookup", json={"text": query, "threshold": 50}).json(),
        client.post("/lookup/batch", json={"texts": [query], "threshold": 50}).json(),
        json.loads(cli(db_path, "lookup", query, "--threshold", "50", "--json")[1]),
    ]
    for answer in answers:
        text = json.dumps(answer, ensure_ascii=False)
        assert "Click the button to continue." in text
        assert not placeholder.search(text), placeholder.findall(text)
        assert "inline codes: 3 in the TM source, 0 in the text" in text
    code, printed = cli(db_path, "lookup", query, "--threshold", "50")
    assert code == 0 and "Click the button" in printed and not placeholder.search(printed)


def test_adaptations_are_marked_and_identical_suggestions_merged(
    client: TestClient, db_path: Path
) -> None:
    """Each substituted span of adapted_target comes with the original beside it; identical
    suggestions (same target and adapted target) are one, with a count and the newest origin."""
    from tm import Unit

    with TranslationMemory.open(db_path) as memory:
        memory.import_units(
            [
                Unit(
                    source="La séance s'est tenue le 28 novembre 2023.",
                    target="The meeting took place on 28 November 2023.",
                    origin="web",
                    changed="2030-01-01T00:00:00Z",
                )
            ]
        )
    body = client.post("/lookup", json={"text": "La réunion s'est tenue le 3 mars 2024."}).json()
    (first, *others) = body["matches"]
    assert first["adapted_target"] == "The meeting took place on 3 March 2024."
    (mark,) = first["adaptations"]
    assert first["adapted_target"][mark["start"] : mark["end"]] == "3 March 2024"
    assert mark["original"] == "28 November 2023"
    assert first["count"] == 2 and len(first["merged"]) == 1
    assert first["origin"] == "web"  # the newest of the two
    assert all(m["adapted_target"] != first["adapted_target"] for m in others)


def test_health(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok", "segments": 20}


def test_ready_once_the_index_is_warm(db_path: Path, sample_tmx: Path) -> None:
    """/health is liveness (answered from the start); /ready is readiness: 503 until the
    start-up warm-up has opened the lookup index, then 200."""
    with TranslationMemory.open(db_path) as memory:
        memory.import_files([sample_tmx])
    app = create_app(Settings(db=db_path, allowed_hosts=("testserver",)))
    cold = TestClient(app)  # no lifespan: nothing warmed
    assert cold.get("/health").json() == {"status": "ok", "segments": 20}
    answer = cold.get("/ready")
    assert (answer.status_code, answer.json()) == (503, {"status": "warming up", "segments": 20})
    with TestClient(app) as started:
        deadline = time.monotonic() + 60
        while started.get("/ready").status_code != 200 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert started.get("/ready").json() == {"status": "ready", "segments": 20}


def test_lookup_exact_and_fuzzy(client: TestClient) -> None:
    answer = client.post("/lookup", json={"text": "Le secrétaire général a présidé la réunion."})
    assert answer.status_code == 200
    body = answer.json()
    assert body["query"] == "Le secrétaire général a présidé la réunion."
    assert body["matches"][0]["score"] == 100
    assert body["matches"][0]["target"] == "The Secretary General chaired the meeting."


@pytest.mark.parametrize("text", ["", "a\x00b", "x" * 2001])
def test_bad_lookup_is_422(client: TestClient, text: str) -> None:
    assert client.post("/lookup", json={"text": text}).status_code == 422


def test_lone_surrogate_is_422_not_500(client: TestClient) -> None:
    answer = client.post(
        "/lookup",
        content=b'{"text": "abc \\ud800 def"}',
        headers={"content-type": "application/json"},
    )
    assert answer.status_code == 422


def test_openapi_lists_routes(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/health", "/lookup"} <= set(paths)


def test_check_route(client: TestClient) -> None:
    answer = client.post(
        "/check",
        json={
            "source": "La réunion s’est tenue le 28 novembre 2023.",
            "target": "The meeting took place on 29 November 2023.",
        },
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["quality"]["flags"] == ["numbers"]
    assert [f["code"] for f in body["findings"]] == ["placeable-mismatch"]
    assert client.post("/check", json={"source": "", "target": "x"}).status_code == 422


def test_lookup_explains_the_score(client: TestClient) -> None:
    answer = client.post(
        "/lookup", json={"text": "le secrétaire général a présidé la réunion !", "limit": 1}
    )
    match = answer.json()["matches"][0]
    assert match["score"] == 98
    assert [p["code"] for p in match["penalties"]] == ["case", "punctuation"]
    assert match["edits"][0]["op"] == "replace"
    assert match["notes"] == []
