"""The service under hostile requests: always a 4xx with a reason (never a 500), no server
path in a message, keys only in headers, reads closed once keys have existed, security headers,
the Host check, hostile DOCX uploads, and the uploads a crashed server left swept at start-up."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service import Settings, keys
from service.http import create_app, jobs
from service.http.middleware import query_problem
from tm import TranslationMemory
from tm.store.segments import now

JSON = {"content-type": "application/json"}


def serve(db_path: Path, **overrides: object) -> TestClient:
    settings = Settings(db=db_path, allowed_hosts=("testserver",), **overrides)  # type: ignore[arg-type]
    return TestClient(create_app(settings), raise_server_exceptions=False)


@pytest.fixture
def client(db_path: Path, secrets: dict[str, str]) -> Iterator[TestClient]:
    with serve(db_path) as test_client:
        test_client.headers["Authorization"] = f"Bearer {secrets['admin']}"
        yield test_client


# (what, method, path, raw JSON body or None, status)
REFUSED = [
    ("NaN", "POST", "/lookup", b'{"text": "Le", "threshold": NaN}', 422),
    ("Infinity", "POST", "/lookup", b'{"text": "Le", "threshold": Infinity}', 422),
    ("1e309", "POST", "/lookup", b'{"text": "Le", "threshold": 1e309}', 422),
    ("1e309 for an integer", "POST", "/lookup/batch", b'{"texts": ["Le"], "limit": 1e309}', 422),
    ("-Infinity in a wrong body", "POST", "/check", b'{"text": -Infinity}', 422),
    ("NaN in a save", "POST", "/segments", b'{"source": NaN, "target": "x"}', 422),
    ("id over SQLite's integers", "GET", "/segments/9223372036854775808", None, 422),
    ("id under SQLite's integers", "DELETE", "/segments/-9223372036854775809", None, 422),
    ("term id over SQLite's integers", "GET", "/glossary/terms/9223372036854775808", None, 422),
    ("history of such a term", "GET", "/glossary/terms/99999999999999999999/history", None, 422),
    ("invalid UTF-8 in a query", "GET", "/glossary/concepts?q=caf%E9", None, 422),
    ("invalid UTF-8 in a parameter name", "GET", "/get?q%C3=a&langpair=fr|en", None, 422),
    ("invalid UTF-8 after +", "GET", "/glossary/find?text=a+%E9t%E9", None, 422),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "status"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED]
)
def test_hostile_values_get_a_4xx_with_a_reason(
    client: TestClient, method: str, path: str, body: bytes | None, status: int
) -> None:
    answer = client.request(method, path, content=body, headers=JSON if body else {})
    assert answer.status_code == status
    assert answer.json()["detail"]


def test_an_oversized_chunked_body_is_413(db_path: Path, secrets: dict[str, str]) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(100):
            yield b"x" * 1000

    with serve(db_path, max_body_bytes=10_000) as small:
        answer = small.post("/lookup", content=chunks(), headers=JSON)
        assert (answer.status_code, answer.json()) == (
            413,
            {"detail": "request body over 10000 bytes"},
        )
        upload = small.post(
            "/pretranslate",
            files={"files": ("a.txt", io.BytesIO(b"x" * 20_000))},
            headers={"Authorization": f"Bearer {secrets['translator']}"},
        )
        assert upload.status_code == 413


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        (b"q=caf%C3%A9&side=source", None),
        (b"q=a+b&key", (400, "an API key in the URL is refused")),
        (b"k%65y=tm_secret", (400, "an API key in the URL is refused")),
        (b"q=%FF", (422, "query parameter 1 is not valid UTF-8")),
        (b"a=1&b=%C3", (422, "query parameter 2 is not valid UTF-8")),
    ],
)
def test_query_problem(query: bytes, problem: tuple[int, str] | None) -> None:
    found = query_problem(query)
    assert (found[0], found[1][: len(problem[1])]) == problem if problem else found is None


def test_a_key_in_the_url_is_refused_with_the_reason(
    client: TestClient, secrets: dict[str, str]
) -> None:
    del client.headers["Authorization"]
    secret = secrets["translator"]
    in_url = client.get("/get", params={"q": "Le", "langpair": "fr|en", "key": secret})
    assert in_url.status_code == 400
    assert "Authorization: Bearer" in in_url.json()["detail"]
    assert client.get("/health", params={"key": secret}).status_code == 400
    in_header = client.get(
        "/get", params={"q": "Le", "langpair": "fr|en"}, headers={"X-API-Key": secret}
    )
    assert in_header.status_code == 200


def test_reads_stay_closed_once_every_key_is_revoked(db_path: Path, sample_tmx: Path) -> None:
    with TranslationMemory.open(db_path) as memory:
        memory.import_files([sample_tmx])
        keys.ensure_schema(memory.db)
        _secret, made = keys.create(memory.db, role="admin", name="only", now=now())
    with serve(db_path) as open_client:
        assert open_client.post("/lookup", json={"text": "Le"}).status_code == 401
    with TranslationMemory.open(db_path) as memory:
        keys.revoke(memory.db, made.id, now=now())
    with serve(db_path) as revoked:
        assert revoked.post("/lookup", json={"text": "Le"}).status_code == 401


def test_reads_are_open_on_loopback_before_any_key(db_path: Path, sample_tmx: Path) -> None:
    with TranslationMemory.open(db_path) as memory:
        memory.import_files([sample_tmx])
    with serve(db_path) as demo:
        assert demo.post("/lookup", json={"text": "Le"}).status_code == 200


@pytest.mark.parametrize("path", ["/", "/health", "/static/app.js", "/lookup", "/nowhere"])
def test_every_answer_carries_the_security_headers(client: TestClient, path: str) -> None:
    answer = client.get(path)
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"
    policy = answer.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy


def test_the_docs_policy_allows_their_inline_script_by_hash(client: TestClient) -> None:
    docs = client.get("/docs")
    (script,) = re.findall(rb"<script>(.*?)</script>", docs.content, re.DOTALL)
    digest = base64.b64encode(hashlib.sha256(script).digest()).decode()
    policy = docs.headers["content-security-policy"]
    assert f"'sha256-{digest}'" in policy
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]
    assert client.get("/openapi.json").status_code == 200


@pytest.mark.parametrize(
    ("allowed", "host", "status"),
    [
        ((), "127.0.0.1:8000", 200),
        ((), "localhost", 200),
        ((), "[::1]:8000", 200),
        ((), "evil.example", 400),
        ((), "127.0.0.1.evil.example", 400),
        (("tm.example.org",), "tm.example.org:443", 200),
        (("tm.example.org",), "localhost", 400),
        (("*",), "anything.example", 200),
    ],
)
def test_the_host_header_is_checked(
    db_path: Path, allowed: tuple[str, ...], host: str, status: int
) -> None:
    settings = Settings(db=db_path, allowed_hosts=allowed)
    with TestClient(create_app(settings)) as host_client:
        assert host_client.get("/health", headers={"Host": host}).status_code == status


def test_allowed_hosts_setting() -> None:
    assert Settings.from_mapping({"TM_ALLOWED_HOSTS": " a.example , b.example"}).hosts() == [
        "a.example",
        "b.example",
    ]
    assert Settings(host="::1").hosts() == ["[::1]", "localhost", "127.0.0.1"]
    assert Settings(host="10.0.0.5").hosts() == ["10.0.0.5", "localhost", "127.0.0.1", "[::1]"]


def _dead_pid() -> int:
    done = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(done.stdout)


def test_start_up_sweeps_the_uploads_of_dead_servers_only(tmp_path: Path, db_path: Path) -> None:
    dead = tmp_path / f"{jobs.SCRATCH}{_dead_pid()}-job-abc"
    alive = tmp_path / f"{jobs.SCRATCH}{os.getpid()}-job-def"
    other = tmp_path / "tm-job-xyz"  # not ours to judge
    for folder in (dead, alive, other):
        (folder / "fr").mkdir(parents=True)
        (folder / "fr" / "upload.txt").write_text("x")
    assert jobs.sweep(tmp_path) == [dead]
    assert not dead.exists() and alive.exists() and other.exists()


def test_the_app_sweeps_at_start_up(db_path: Path) -> None:
    leftover = jobs.scratch("job")
    stale = leftover.with_name(leftover.name.replace(f"-{os.getpid()}-", f"-{_dead_pid()}-"))
    leftover.rename(stale)
    with serve(db_path) as started:
        assert started.get("/health").status_code == 200
    assert not stale.exists()


def _docx(document: bytes, *, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="r1" Target="word/document.xml" Type="http://schemas.openxmlformats'
            '.org/officeDocument/2006/relationships/officeDocument"/></Relationships>',
        )
        package.writestr("word/document.xml", document)
        for name, data in (extra or {}).items():
            package.writestr(name, data)
    return buffer.getvalue()


DOCUMENT = (
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>TEXT</w:t></w:r></w:p></w:body></w:document>"
)
ENTITY = b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + DOCUMENT.replace(
    b"TEXT", b"&xxe;"
)
BOMB = _docx(DOCUMENT, extra={"word/media/image1.png": bytes(32 << 20)})


def test_a_zip_bomb_is_refused_with_413(client: TestClient) -> None:
    answer = client.post("/pretranslate", files={"files": ("bombe.docx", BOMB)})
    assert answer.status_code == 413
    assert "possible zip bomb" in answer.json()["detail"]


def test_a_docx_with_an_entity_is_a_4xx(client: TestClient) -> None:
    hostile = _docx(ENTITY)
    answer = client.post("/pretranslate", files={"files": ("note.docx", hostile)})
    assert answer.status_code == 422
    assert answer.json()["detail"].startswith("note.docx:word/document.xml:1: DTD declarations")
    aligned = client.post(
        "/align",
        files={"french": ("note.fr.docx", hostile), "english": ("note.en.txt", b"Text.")},
    )
    assert aligned.status_code == 422  # read before the job is queued
    assert aligned.json()["detail"].startswith("note.fr.docx:word/document.xml:1: DTD")


def test_no_server_path_in_error_messages(client: TestClient) -> None:
    both = client.post(
        "/pretranslate",
        files=[
            ("files", ("good.txt", "Le secrétaire général a présidé la réunion.".encode())),
            ("files", ("bad.txt", "Déjà vu.".encode("cp1252"))),
        ],
    ).json()
    glossary = client.post("/glossary/import", files={"file": ("terms.tbx", b"<martif><oops>")})
    job = client.post("/import", files={"files": ("memory.tmx", b"<tmx><body><tu>")}).json()
    failed = client.app.state.jobs.wait(job["id"])  # type: ignore[attr-defined]
    messages = [
        *(draft["error"] or "" for draft in both["drafts"]),
        *(failure["error"] for failure in both["analysis"]["failed"]),
        glossary.json()["detail"],
        failed.error,
    ]
    assert all(messages[1:]), messages
    for message in messages:
        assert jobs.SCRATCH not in message and "/tmp" not in message, message
    assert glossary.json()["detail"].startswith("terms.tbx:1:")


def test_public_drops_the_scratch_folder_from_any_path() -> None:
    folder = f"/tmp/{jobs.SCRATCH}12-job-ab_c"
    assert jobs.public(f"{folder}/fr/a.docx:3: bad; '{folder}/x.tmx' (see {folder}/y)") == (
        "a.docx:3: bad; 'x.tmx' (see y)"
    )
    assert jobs.public("/etc/tm-scratch-7-job-1/notes: kept as is? no") == "notes: kept as is? no"


def test_the_description_says_a_422_may_carry_a_message(client: TestClient) -> None:
    # a refused input is a 422 whose detail is the reason: the contract fuzzer held it against
    # FastAPI's description (a list of validation errors only)
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    detail = schemas["HTTPValidationError"]["properties"]["detail"]
    assert {"type": "string"} in detail["anyOf"]
    refused = client.get("/concordance", params={"q": "!!!"})
    assert (refused.status_code, type(refused.json()["detail"])) == (422, str)


def test_text_xml_cannot_hold_is_refused_before_it_is_stored(client: TestClient) -> None:
    # found by the contract fuzzer: an import's origin, or a CSV term, with a control
    # character was stored, then every TMX or TBX export and every draft naming it was a 500
    tmx = Path(__file__).parent / "data" / "sample.tmx"
    imported = client.post(
        "/import", files={"files": ("s.tmx", tmx.read_bytes())}, data={"origin": "a\x01b"}
    )
    assert imported.status_code == 422
    aligned = client.post(
        "/align",
        files={"french": ("a.fr.txt", b"Un."), "english": ("a.en.txt", b"One.")},
        data={"origin": "\x1b[31m"},
    )
    assert aligned.status_code == 422
    glossary = client.post("/glossary/import", files={"file": ("t.csv", b"fr;en\nOTAN;NA\x07TO\n")})
    assert (glossary.status_code, glossary.json()["detail"]) == (
        422,
        "t.csv:2: control character U+0007 (XML cannot hold it)",
    )
    assert client.get("/glossary/export", params={"format": "tbx"}).status_code == 200
    assert client.get("/export").status_code == 200


def test_numbers_sqlite_cannot_hold_are_422_wherever_they_are(client: TestClient) -> None:
    # found by the contract fuzzer on the review routes: ids in a list reached SQLite
    # (OverflowError: 500)
    rejected = client.post("/segments/reject", json={"ids": [2**70], "note": "x"})
    assert rejected.status_code == 422 and "too large" in rejected.json()["detail"]
    assert client.get(f"/segments/{2**70}/reviews").status_code == 422
