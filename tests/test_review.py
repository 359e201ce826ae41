"""A maintainer's review of pairs: reject (never suggested), restore, confirm, audited, through
the CLI and HTTP (roles), and what lookups then suggest; rescoring leaves rejected pairs alone."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import cli
from fastapi.testclient import TestClient

from service import Settings, keys
from service.http import create_app
from tm import NotFound, TranslationMemory
from tm.store import quality as quality_store
from tm.store.segments import now

GOOD = ("Le Conseil a adopté le budget.", "The Council adopted the budget.")
WRONG = ("Le Conseil a adopté le budget annuel.", "The meeting is adjourned.")


@pytest.fixture
def stored(db_path: Path) -> tuple[int, int]:
    """Two pairs, the second flagged by the quality check (as `tm quality rescore` would)."""
    with TranslationMemory.open(db_path) as memory:
        good = memory.add(*GOOD).id
        wrong = memory.add(*WRONG).id
        quality_store.record(memory.db, wrong, 0.05, "misaligned", "flagged")  # type: ignore[arg-type]
    return good, wrong


def test_cli_reject_restore_confirm_and_history(db_path: Path, stored: tuple[int, int]) -> None:
    good, wrong = stored
    code, out = cli(db_path, "lookup", WRONG[0], "--json")
    found = json.loads(out)["matches"]
    assert code == 0 and [(m["id"], m["score"]) for m in found] == [(wrong, 99), (good, 85.71)]
    assert found[0]["findings"][0]["code"] == "flagged-pair"
    assert "misaligned" in found[0]["findings"][0]["message"]
    code, out = cli(db_path, "quality", "report")
    assert code == 0 and f"#{wrong}" in out and "tm quality reject" in out
    code, out = cli(
        db_path, "quality", "reject", str(wrong), "--note", "not a translation", "--author", "marie"
    )
    assert code == 0 and f"#{wrong}: flagged → rejected" in out
    code, out = cli(db_path, "lookup", WRONG[0], "--json")
    assert [m["id"] for m in json.loads(out)["matches"]] == [good]
    code, out = cli(db_path, "quality", "report", "--json")
    assert json.loads(out)["rejected"] == 1 and json.loads(out)["flagged"] == 0
    code, out = cli(db_path, "quality", "restore", str(wrong), str(good), "--json")
    done = json.loads(out)
    assert [(r["segment"], r["after"]) for r in done["changed"]] == [(wrong, "flagged")]
    assert done["unchanged"] == [good]
    code, out = cli(db_path, "quality", "confirm", str(wrong), "--author", "paul")
    assert code == 0 and "flagged → confirmed" in out
    code, out = cli(db_path, "quality", "history", str(wrong), "--json")
    assert [(r["action"], r["author"], r["note"]) for r in json.loads(out)] == [
        ("confirm", "paul", ""),
        ("restore", "cli", ""),
        ("reject", "marie", "not a translation"),
    ]
    with pytest.raises(NotFound):
        cli(db_path, "quality", "reject", "999")


def test_an_unknown_id_changes_nothing(db_path: Path, stored: tuple[int, int]) -> None:
    good, _wrong = stored
    with pytest.raises(NotFound, match="no segment 4242"):
        cli(db_path, "quality", "reject", str(good), "4242")
    with TranslationMemory.open(db_path) as memory:
        assert memory.get(good).status == "confirmed" and memory.reviews() == []


def test_rescoring_leaves_a_rejected_pair_rejected(db_path: Path, stored: tuple[int, int]) -> None:
    _good, wrong = stored
    with TranslationMemory.open(db_path) as memory:
        memory.review([wrong], action="reject", author="marie")
        memory.rescore()
        assert memory.get(wrong).status == "rejected"


@pytest.fixture
def secrets(db_path: Path, stored: tuple[int, int]) -> dict[str, str]:
    with TranslationMemory.open(db_path) as memory:
        keys.ensure_schema(memory.db)
        return {
            role: keys.create(memory.db, role=role, name=f"{role}-key", now=now())[0]
            for role in keys.ROLES
        }


@pytest.fixture
def client(db_path: Path, secrets: dict[str, str]) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(db=db_path, allowed_hosts=("testserver",)))) as test_client:
        yield test_client


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.parametrize(("role", "status"), [(None, 401), ("translator", 403)])
def test_http_review_needs_a_maintainer(
    client: TestClient,
    secrets: dict[str, str],
    stored: tuple[int, int],
    role: str | None,
    status: int,
) -> None:
    headers = bearer(secrets[role]) if role else {}
    for action in ("reject", "restore", "confirm"):
        answer = client.post(f"/segments/{action}", json={"ids": [stored[1]]}, headers=headers)
        assert answer.status_code == status, answer.text


def test_http_reject_and_restore_audited_under_the_key_name(
    client: TestClient, secrets: dict[str, str], stored: tuple[int, int]
) -> None:
    good, wrong = stored
    reader = bearer(secrets["translator"])
    maintainer = bearer(secrets["maintainer"])
    queue = client.get("/quality/report", headers=reader).json()
    assert [p["id"] for p in queue["pairs"]] == [wrong] and queue["flagged"] == 1
    found = client.post("/lookup", json={"text": WRONG[0]}, headers=reader).json()["matches"]
    assert found[0]["status"] == "flagged"
    assert found[0]["penalties"][-1] == {
        "code": "flagged",
        "points": 1.0,
        "detail": "misaligned",
        "label": "doubted pair",
    }
    done = client.post(
        "/segments/reject", json={"ids": [wrong], "note": "misaligned"}, headers=maintainer
    )
    assert done.status_code == 200, done.text
    assert done.json()["changed"][0]["author"] == "maintainer-key"
    found = client.post("/lookup", json={"text": WRONG[0]}, headers=reader).json()["matches"]
    assert [m["id"] for m in found] == [good]
    assert client.get(f"/segments/{wrong}", headers=reader).json()["status"] == "rejected"
    assert client.post("/segments/restore", json={"ids": [wrong]}, headers=maintainer).is_success
    history = client.get(f"/segments/{wrong}/reviews", headers=reader).json()
    assert [(r["action"], r["before"], r["after"]) for r in history] == [
        ("restore", "rejected", "flagged"),
        ("reject", "flagged", "rejected"),
    ]
    missing = client.post("/segments/reject", json={"ids": [4242]}, headers=maintainer)
    assert missing.status_code == 404
    assert client.get("/segments/4242/reviews", headers=reader).status_code == 404
    schema = client.get("/openapi.json").json()["paths"]
    assert {"/segments/reject", "/segments/restore", "/segments/confirm"} <= set(schema)


def test_correcting_a_rejected_pair_confirms_it_and_the_trail_says_who(
    client: TestClient, secrets: dict[str, str], stored: tuple[int, int]
) -> None:
    """A translator's correction (PUT) of a rejected pair makes it a suggestion again: the audit
    trail records the change of status under the key's name, not silently."""
    _, wrong = stored
    reader, maintainer = bearer(secrets["translator"]), bearer(secrets["maintainer"])
    assert client.post("/segments/reject", json={"ids": [wrong]}, headers=maintainer).is_success
    fixed = {"source": WRONG[0], "target": "The Council adopted the annual budget."}
    answer = client.put(f"/segments/{wrong}", json=fixed, headers=reader)
    assert answer.status_code == 200, answer.text
    assert answer.json()["status"] == "confirmed"
    history = client.get(f"/segments/{wrong}/reviews", headers=reader).json()
    assert [(r["action"], r["before"], r["after"], r["author"]) for r in history] == [
        ("correct", "rejected", "confirmed", "translator-key"),
        ("reject", "flagged", "rejected", "maintainer-key"),
    ]
    again = {"source": WRONG[0], "target": "The Council adopted its annual budget."}
    assert client.put(f"/segments/{wrong}", json=again, headers=reader).is_success
    assert len(client.get(f"/segments/{wrong}/reviews", headers=reader).json()) == 2  # no change
    found = client.post("/lookup", json={"text": WRONG[0]}, headers=reader).json()["matches"]
    assert found[0]["id"] == wrong and found[0]["target"] == again["target"]


def test_a_draft_from_a_flagged_pair_needs_review_and_says_why(
    db_path: Path, stored: tuple[int, int], tmp_path: Path
) -> None:
    release = tmp_path / "release.fr.txt"
    release.write_text(WRONG[0] + "\n", "utf-8")
    code, _ = cli(db_path, "pretranslate", str(release), "--out", str(tmp_path / "draft"))
    draft = (tmp_path / "draft" / "release.fr.txt.xlf").read_text("utf-8")
    assert code == 0 and WRONG[1] in draft
    assert 'state="needs-review-translation"' in draft and 'match-quality="99"' in draft
    assert "warning: flagged-pair: the quality check doubts this pair (misaligned)" in draft
