"""The work one request may ask for is bounded before it starts: the 20,000-character segment
limit at every entry point (an import skips such a unit, counted and explained; a document
with one fails with the reason), /evaluate's bytes, segments and segment length (413), the text
and segments of a /pretranslate request (413), and evaluation scored in a child process with a
memory and a time limit (`service.pipelines.confined`)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from service import Settings, keys
from service.http import create_app
from service.pipelines import confined
from tm import TranslationMemory
from tm.errors import InvalidInput, TooLarge
from tm.quality.evaluation import parse
from tm.segment import MAX_SEGMENT_CHARS
from tm.store.segments import now

LONG = "Le conseil " + "a " * (MAX_SEGMENT_CHARS // 2) + "siégé."


def test_an_import_skips_a_segment_over_the_limit_and_says_why(
    memory: TranslationMemory, tmp_path: Path
) -> None:
    (tmp_path / "lois.fr").write_text(f"Le conseil a siégé.\n{LONG}\nLa séance est levée.\n")
    (tmp_path / "lois.en").write_text("The board sat.\nThe board sat.\nThe meeting is adjourned.\n")
    report = memory.import_files([tmp_path / "lois.fr", tmp_path / "lois.en"])
    assert report.imported == 2
    ((where, why),) = report.skipped
    assert "lois" in where and "unit 2" in where
    assert f"source of {len(LONG):,} characters" in why and "20,000" in why


def test_adding_a_segment_over_the_limit_is_refused(memory: TranslationMemory) -> None:
    with pytest.raises(InvalidInput, match="20,000"):
        memory.add("Le conseil a siégé.", "x" * (MAX_SEGMENT_CHARS + 1))


@pytest.fixture
def client(db_path: Path, sample_tmx: Path) -> Iterator[TestClient]:
    with TranslationMemory.open(db_path) as memory:
        memory.import_files([sample_tmx])
        keys.ensure_schema(memory.db)
        secret = keys.create(memory.db, role="admin", name="admin", now=now())[0]
    settings = Settings(db=db_path, allowed_hosts=("testserver",))
    with TestClient(create_app(settings), raise_server_exceptions=False) as test_client:
        test_client.headers["Authorization"] = f"Bearer {secret}"
        yield test_client


LINES = b"".join(b"The board sat number %d.\n" % n for n in range(10_001))
EVALUATIONS = [
    ("4 MB + 4 MB", b"The board sat. " * 280_000, b"The board sat. " * 280_000, "bytes"),
    ("10,001 segments", LINES, LINES, "10,000"),
    ("a 20,001-character segment", b"a" * 20_001 + b"\n", b"b\n", "20,000"),
]


@pytest.mark.parametrize(
    ("hyp", "ref", "said"), [e[1:] for e in EVALUATIONS], ids=[e[0] for e in EVALUATIONS]
)
def test_evaluate_refuses_over_its_limits_at_once(
    client: TestClient, hyp: bytes, ref: bytes, said: str
) -> None:
    start = time.monotonic()
    answer = client.post("/evaluate", files={"hyp": ("h.txt", hyp), "ref": ("r.txt", ref)})
    assert answer.status_code == 413, answer.text
    assert said in answer.json()["detail"]
    assert time.monotonic() - start < 2


def test_evaluate_within_its_limits_is_scored_in_a_child(client: TestClient) -> None:
    hyp = b"The board sat.\nThe meeting is adjourned.\n"
    answer = client.post("/evaluate", files={"hyp": ("h.txt", hyp), "ref": ("r.txt", hyp)})
    assert answer.status_code == 200, answer.text
    assert answer.json()["total"]["bleu"] == 100


PRETRANSLATIONS = [
    (
        "a 10 MB one-line document",
        b"Le conseil a si\xc3\xa9g\xc3\xa9. " * 500_000,
        413,
        "1,000,000",
    ),
    ("10,001 segments", b"".join(b"Phrase %d.\n" % n for n in range(10_001)), 413, "10,000"),
    ("a 20,000-character sentence", LONG.encode(), 422, "20,000"),
]


@pytest.mark.parametrize(
    ("text", "status", "said"),
    [p[1:] for p in PRETRANSLATIONS],
    ids=[p[0] for p in PRETRANSLATIONS],
)
def test_pretranslate_refuses_over_its_limits_before_any_lookup(
    client: TestClient, text: bytes, status: int, said: str
) -> None:
    start = time.monotonic()
    answer = client.post("/pretranslate", files={"files": ("communique.txt", text)})
    assert answer.status_code == status, answer.text
    assert said in answer.json()["detail"]
    assert time.monotonic() - start < 5


def test_confined_work_over_its_memory_is_too_large() -> None:
    with pytest.raises(TooLarge, match="MB of memory"):
        confined.run(bytearray, 1 << 30, memory=256 << 20)


def test_confined_work_over_its_time_is_too_large() -> None:
    start = time.monotonic()
    with pytest.raises(TooLarge, match=r"over 0\.5 s"):
        confined.run(time.sleep, 30, seconds=0.5)
    assert time.monotonic() - start < 5


def test_confined_work_gives_back_its_result_or_its_error() -> None:
    assert confined.run(sorted, [3, 1, 2]) == [1, 2, 3]
    with pytest.raises(InvalidInput, match="not UTF-8"):
        confined.run(parse, b"\xff\xfe\xfd")


def test_aligning_a_document_with_a_sentence_over_the_limit_is_refused_at_once(
    client: TestClient,
) -> None:
    french = f"Le conseil a siégé.\n{LONG}\n".encode()
    english = b"The board sat.\nThe board sat again.\n"
    answer = client.post(
        "/align", files={"french": ("a.fr.txt", french), "english": ("a.en.txt", english)}
    )
    assert answer.status_code == 422, answer.text
    assert "sentence 2" in answer.json()["detail"] and "20,000" in answer.json()["detail"]


def test_an_evaluate_body_over_its_two_files_is_refused_unread(client: TestClient) -> None:
    big = b"The board sat. " * 400_000  # 6 MB: more than two files of 2 MiB
    answer = client.post("/evaluate", files={"hyp": ("h.txt", big), "ref": ("r.txt", b"x")})
    assert answer.status_code == 413
    assert answer.json()["detail"].startswith("request body over")
