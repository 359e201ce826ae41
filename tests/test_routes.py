"""The translator, glossary and administrator routes over HTTP (TestClient, real SQLite)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from glossaries import Glossary
from service import Settings, keys
from service.http import create_app
from tm import TranslationMemory
from tm.store.segments import now

DATA = Path(__file__).parent / "data"


@pytest.fixture
def secrets(db_path: Path, sample_tmx: Path) -> dict[str, str]:
    with TranslationMemory.open(db_path) as memory:
        memory.import_files([sample_tmx])
        Glossary.open(memory.db).import_file(DATA / "service-glossary.csv", author="setup")
        keys.ensure_schema(memory.db)
        return {
            role: keys.create(memory.db, role=role, name=role, now=now())[0] for role in keys.ROLES
        }


@pytest.fixture
def client(db_path: Path, secrets: dict[str, str]) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(db=db_path, allowed_hosts=("testserver",)))) as test_client:
        test_client.headers["Authorization"] = f"Bearer {secrets['translator']}"
        yield test_client


def as_role(secrets: dict[str, str], role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secrets[role]}"}


def test_lookup_explains_terms_and_findings(client: TestClient) -> None:
    answer = client.post(
        "/lookup", json={"text": "Le secrétaire général a présidé la réunion de l'OTAN."}
    ).json()
    assert [(t["fr"], t["en"]) for t in answer["terms"]] == [
        ("secrétaire général", "Secretary General"),
        ("OTAN", "NATO"),
    ]
    best = answer["matches"][0]
    assert best["target"] == "The Secretary General chaired the meeting."
    assert [f["code"] for f in best["findings"]] == ["glossary-term-missing"]


CHECKS = [
    ("Le secrétaire général a parlé.", "The Secretary-General spoke.", ["glossary-term-forbidden"]),
    ("Le secrétaire général a parlé.", "The Secretary General spoke.", []),
    ("Les dépenses de défense augmentent.", "Spending keeps growing.", ["glossary-term-missing"]),
    (
        "Les dépenses de défense augmentent.",
        "Spending grows.",
        ["length-ratio", "glossary-term-missing"],
    ),
    ("Réunion le 28 novembre 2023.", "Meeting on 29 November 2023.", ["placeable-mismatch"]),
]


@pytest.mark.parametrize(("source", "target", "codes"), CHECKS)
def test_check(client: TestClient, source: str, target: str, codes: list[str]) -> None:
    answer = client.post("/check", json={"source": source, "target": target})
    assert answer.status_code == 200
    assert [f["code"] for f in answer.json()["findings"]] == codes


def test_concordance_spans(client: TestClient) -> None:
    found = client.get("/concordance", params={"q": "Secretary General"}).json()["occurrences"]
    assert found
    first = found[0]
    start, end = first["target_spans"][0]
    assert first["target"][start:end] == "Secretary General"


BAD_TEXTS = ["a\x00b", "a\ud800b", "bell\x07", "esc\x1b[0m"]


def send_json(client: TestClient, url: str, body: dict[str, str]) -> int:
    """POST `body` as JSON with escapes (`\\ud800` can be sent, not encoded as UTF-8)."""
    content = json.dumps(body).encode()
    return client.post(
        url, content=content, headers={"content-type": "application/json"}
    ).status_code


@pytest.mark.parametrize("text", BAD_TEXTS)
def test_hygiene_is_422_never_500(client: TestClient, text: str) -> None:
    assert send_json(client, "/lookup", {"text": text}) == 422
    assert send_json(client, "/check", {"source": text, "target": "x"}) == 422
    assert send_json(client, "/segments", {"source": text, "target": "x"}) == 422
    # In a URL a lone surrogate is invalid UTF-8, which the server reads as U+FFFD.
    query = quote(text.encode("utf-8", "surrogatepass"))
    for url in ["/concordance?q=", "/glossary/find?text=", "/get?langpair=fr|en&q="]:
        status = client.get(url + query).status_code
        assert status == 422 if "\ud800" not in text else status < 500, url


QUERY_ROUTES = ["/concordance?q=", "/glossary/find?text=", "/get?langpair=fr|en&q="]


def test_queries_over_2000_characters_are_422(client: TestClient) -> None:
    long = "mot " * 501
    for answer in [
        client.post("/lookup", json={"text": long}),
        client.post("/lookup", json={"text": "ok", "context_prev": long}),
        client.post("/lookup/batch", json={"texts": ["ok", long]}),
        *(client.get(url + quote(long)) for url in QUERY_ROUTES),
    ]:
        assert answer.status_code == 422, answer.request.url
        assert "2,004 characters: at most 2,000" in answer.json()["detail"]


@pytest.mark.parametrize(("limit", "status"), [(3000, 200), (100, 422)])
def test_the_query_limit_is_the_settings(
    db_path: Path, secrets: dict[str, str], limit: int, status: int
) -> None:
    text = "Les Alliés se sont réunis. " * 20 + "mot " * 490  # 2,500 characters
    with TestClient(
        create_app(Settings(db=db_path, max_query_chars=limit, allowed_hosts=("testserver",)))
    ) as limited:
        limited.headers["Authorization"] = f"Bearer {secrets['translator']}"
        assert limited.post("/lookup", json={"text": text}).status_code == status
        for url in QUERY_ROUTES:
            assert limited.get(url + quote(text)).status_code == status, url


def test_glossary_edit_needs_current_etag(client: TestClient, secrets: dict[str, str]) -> None:
    maintainer = as_role(secrets, "maintainer")
    concept = client.get("/glossary/concepts", params={"q": "secretaire"}).json()["concepts"][0]
    term_id = concept["terms"][0]["id"]
    read = client.get(f"/glossary/terms/{term_id}")
    etag = read.headers["ETag"]
    edit = {"note": "Always lower case in running text."}
    assert client.patch(f"/glossary/terms/{term_id}", json=edit).status_code == 403
    assert (
        client.patch(f"/glossary/terms/{term_id}", json=edit, headers=maintainer).status_code == 428
    )
    first = client.patch(
        f"/glossary/terms/{term_id}", json=edit, headers=maintainer | {"If-Match": etag}
    )
    assert first.status_code == 200
    assert first.json()["version"] == 2
    stale = client.patch(
        f"/glossary/terms/{term_id}",
        json={"note": "other"},
        headers=maintainer | {"If-Match": etag},
    )
    assert stale.status_code == 412
    history = client.get(f"/glossary/terms/{term_id}/history").json()
    assert [(c["action"], c["author"]) for c in history] == [
        ("import", "setup"),
        ("edit", "maintainer"),
    ]
    duplicate = client.patch(
        f"/glossary/terms/{term_id}",
        json={"text": "secrétaire général"},
        headers=maintainer | {"If-Match": first.headers["ETag"]},
    )
    assert duplicate.status_code in (200, 409)


def test_glossary_add_conflict_delete(client: TestClient, secrets: dict[str, str]) -> None:
    maintainer = as_role(secrets, "maintainer")
    body = {"text": "Alliance", "language": "en", "concept": "C002", "status": "admitted"}
    added = client.post("/glossary/terms", json=body, headers=maintainer)
    assert added.status_code == 201
    assert client.post("/glossary/terms", json=body, headers=maintainer).status_code == 409
    term_id = added.json()["id"]
    gone = client.delete(
        f"/glossary/terms/{term_id}", headers=maintainer | {"If-Match": added.headers["ETag"]}
    )
    assert gone.status_code == 204
    assert client.get(f"/glossary/terms/{term_id}").status_code == 404


def test_glossary_import_export_find(client: TestClient, secrets: dict[str, str]) -> None:
    maintainer = as_role(secrets, "maintainer")
    assert client.get("/glossary/export", params={"format": "csv"}).status_code == 200
    tbx = client.get("/glossary/export", params={"format": "tbx"}).content
    imported = client.post(
        "/glossary/import", files={"file": ("terms.tbx", tbx)}, headers=maintainer
    )
    assert imported.status_code == 200
    assert imported.json()["terms_added"] == 0
    hits = client.get("/glossary/find", params={"text": "Les Alliés"}).json()["hits"]
    assert [h["en"] for h in hits] == ["Ally"]


def test_import_job_and_export(client: TestClient, secrets: dict[str, str]) -> None:
    admin = as_role(secrets, "admin")
    files = [
        ("files", ("new.fr", "Les Alliés ont tenu parole.\n".encode())),
        ("files", ("new.en", b"Allies kept their word.\n")),
    ]
    assert client.post("/import", files=files).status_code == 403
    started = client.post("/import", files=files, headers=admin)
    assert started.status_code == 202
    job = client.app.state.jobs.wait(started.json()["id"])  # type: ignore[attr-defined]
    polled = client.get(started.json()["url"]).json()
    assert (job.state, polled["state"], polled["result"]["imported"]) == ("done", "done", 1)
    assert polled["done"] == 1
    exported = client.get("/export", headers=admin)
    assert exported.headers["content-type"] == "application/x-tmx+xml"
    assert "Allies kept their word." in exported.text


def test_failed_job_reports_why(client: TestClient, secrets: dict[str, str]) -> None:
    started = client.post(
        "/import",
        files=[("files", ("broken.tmx", b"<tmx><body>"))],
        headers=as_role(secrets, "admin"),
    ).json()
    client.app.state.jobs.wait(started["id"])  # type: ignore[attr-defined]
    polled = client.get(started["url"]).json()
    assert polled["state"] == "failed"
    assert polled["error"].startswith("broken.tmx:"), "named as uploaded, not by our temp path"


def test_evaluate_a_pretranslated_draft_against_the_published_english(
    client: TestClient,
) -> None:
    release = "Le secrétaire général a présidé la réunion.\nUne phrase nouvelle.\n"
    draft = client.post(
        "/pretranslate",
        files=[("files", ("release.fr.txt", release.encode()))],
        data={"threshold": "75", "format": "xliff"},
    ).json()["drafts"][0]["content"]
    published = "The Secretary General chaired the meeting.\nA new sentence.\n"
    answer = client.post(
        "/evaluate",
        files=[("hyp", ("draft.xlf", draft.encode())), ("ref", ("ref.txt", published.encode()))],
    )
    assert answer.status_code == 200
    body = answer.json()
    assert body["total"]["segments"] == 2
    assert set(body["signatures"]) == {"bleu", "chrf", "ter"}
    assert "tok:13a" in body["signatures"]["bleu"]
    first, second = body["segments"]
    assert first["bleu"] == 100 and first["band"] in {"100", "101"}
    assert second["hypothesis"] == "" and second["bleu"] == 0
    mismatched = client.post(
        "/evaluate",
        files=[("hyp", ("h.txt", b"One.\n")), ("ref", ("r.txt", b"One.\nTwo.\n"))],
    )
    assert mismatched.status_code == 200  # aligned, no longer refused (issue 20)
    assert mismatched.json()["pairing"].startswith("aligned by tm's aligner")
    empty = client.post("/evaluate", files=[("hyp", ("h.txt", b"One.\n")), ("ref", ("r.txt", b""))])
    assert empty.status_code == 422


def test_pretranslate_upload(client: TestClient) -> None:
    release = "Le secrétaire général a présidé la réunion.\n\nUne phrase nouvelle.\n"
    answer = client.post(
        "/pretranslate",
        files=[("files", ("release.fr.txt", release.encode()))],
        data={"threshold": "75", "format": "xliff"},
    )
    assert answer.status_code == 200
    body = answer.json()
    (draft,) = body["drafts"]
    assert draft["output"] == "release.fr.txt.xlf"
    assert "The Secretary General chaired the meeting." in draft["content"]
    assert body["analysis"]["batch"]
    assert body["analysis_csv"].startswith("file,category")


def test_openapi_lists_every_route(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    for path in ["/concordance", "/check", "/glossary/terms/{term_id}", "/jobs/{job_id}"]:
        assert path in paths
    assert client.get("/").headers["content-type"].startswith("text/html")


def test_concurrent_reads_and_writes_never_500(client: TestClient) -> None:
    """A request's dependencies and route run on different worker threads: one connection per
    request must be usable from each of them."""

    def call(number: int) -> int:
        text = f"Les partenaires ont salué la décision numéro {number}."
        if number % 2:
            return client.post("/lookup", json={"text": text}).status_code
        return client.post("/segments", json={"source": text, "target": "Noted."}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(call, range(40)))
    assert set(statuses) <= {200, 201}


def test_align_job_stores_pairs(client: TestClient, secrets: dict[str, str]) -> None:
    french = "Les Alliés se sont réunis à Bruxelles. Ils ont salué la décision.\n"
    english = "Allies met in Brussels. They welcomed the decision.\n"
    started = client.post(
        "/align",
        files={
            "french": ("note.fr.txt", french.encode()),
            "english": ("note.en.txt", english.encode()),
        },
        data={"origin": "archive", "force": "true"},
        headers=as_role(secrets, "admin"),
    )
    assert started.status_code == 202
    client.app.state.jobs.wait(started.json()["id"])  # type: ignore[attr-defined]
    polled = client.get(started.json()["url"]).json()
    assert polled["state"] == "done", polled["error"]
    assert (polled["done"], polled["total"]) == (2, 2)
    assert polled["result"]["stored"] == 2
