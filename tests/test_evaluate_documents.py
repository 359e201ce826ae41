"""A draft scored against the published English as it is published: a document (a paragraph
a line, DOCX, HTML) that does not follow the draft segment by segment (issue 20). One
pipeline (`service.pipelines.evaluation`) for `tm evaluate`, `POST /evaluate` and the page."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pytest
from conftest import cli
from fastapi.testclient import TestClient

from service import Settings, keys
from service.http import create_app
from service.pipelines import evaluation
from tm import TranslationMemory
from tm.store.segments import now

FRENCH = (
    "Le Conseil s'est réuni à Bruxelles. Les ministres ont adopté le budget.\n"
    "Le secrétaire général a présidé la séance. Il a remercié les Alliés.\n"
    "La prochaine réunion aura lieu en juin.\n"
)
PAIRS = [
    ("Le Conseil s'est réuni à Bruxelles.", "The Council met in Brussels."),
    ("Les ministres ont adopté le budget.", "Ministers adopted the budget."),
    ("Le secrétaire général a présidé la séance.", "The Secretary General chaired the session."),
    ("Il a remercié les Alliés.", "He thanked the Allies."),
    ("La prochaine réunion aura lieu en juin.", "The next meeting will take place in June."),
]
# The published English: three paragraphs, the first two sentences of paragraph 2 as one.
PUBLISHED = [
    "The Council met in Brussels. Ministers adopted the budget.",
    "The Secretary General chaired the session and thanked the Allies.",
    "The next meeting will take place in June.",
]


@pytest.fixture
def draft(tmp_path: Path) -> Path:
    """tm's own XLIFF draft of the French (five segments in three paragraphs)."""
    db = tmp_path / "tm.db"
    with TranslationMemory.open(db) as memory:
        for fr, en in PAIRS:
            memory.add(fr, en)
    (tmp_path / "release.fr.txt").write_text(FRENCH, "utf-8")
    code, _ = cli(db, "pretranslate", str(tmp_path / "release.fr.txt"), "--out", str(tmp_path))
    assert code == 0
    return tmp_path / "release.fr.txt.xlf"


def _docx(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_draft_with_paragraphs_is_scored_paragraph_by_paragraph(draft: Path) -> None:
    text = ("\n".join(PUBLISHED) + "\n").encode()
    result = evaluation.evaluate(draft.read_bytes(), text, reference_name="published.en.txt")
    assert result.pairing.startswith("paragraph by paragraph")
    assert result.total.segments == 3
    assert result.segments[0].bleu == 100 and result.segments[2].bleu == 100
    as_docx = evaluation.evaluate(
        draft.read_bytes(), _docx(PUBLISHED), reference_name="published.en.docx"
    )
    assert as_docx.total == result.total and as_docx.pairing == result.pairing
    html = "".join(f"<p>{p}</p>" for p in PUBLISHED).encode()
    as_html = evaluation.evaluate(draft.read_bytes(), html, reference_name="published.en.html")
    assert as_html.total == result.total


def test_segments_without_paragraphs_are_aligned_with_the_reference_sentences() -> None:
    hypothesis = "".join(f"{en}\n" for _fr, en in PAIRS).encode()
    published = (
        b"The Council met in Brussels. Ministers adopted the budget.\n"
        b"The Secretary General chaired the session; he thanked the Allies warmly today.\n"
        b"Extra sentence the draft lacks. Questions were taken.\n"
        b"The next meeting will take place in June.\n"
    )
    result = evaluation.evaluate(hypothesis, published, reference_name="published.en.txt")
    assert result.pairing.startswith("aligned by tm's aligner: 5 draft segments")
    pairs = {(s.hypothesis, s.reference) for s in result.segments}
    assert ("The Council met in Brussels.", "The Council met in Brussels.") in pairs
    assert ("The next meeting will take place in June.",) * 2 in pairs
    assert ("Ministers adopted the budget.",) * 2 in pairs
    # every sentence of the reference is scored once, in order (the extras with a neighbour)
    assert (
        " ".join(s.reference for s in result.segments)
        == " ".join(published.decode().split("\n")).replace("  ", " ").strip()
    )


def test_cli_and_http_give_the_same_pairing_and_scores(draft: Path, tmp_path: Path) -> None:
    reference = tmp_path / "published.en.docx"
    reference.write_bytes(_docx(PUBLISHED))
    code, out = cli(
        tmp_path / "tm.db", "evaluate", "--hyp", str(draft), "--ref", str(reference), "--json"
    )
    assert code == 0
    printed = json.loads(out)
    with TranslationMemory.open(tmp_path / "tm.db") as memory:
        keys.ensure_schema(memory.db)
        secret = keys.create(memory.db, role="translator", name="t", now=now())[0]
    app = create_app(Settings(db=tmp_path / "tm.db", allowed_hosts=("testserver",)))
    with TestClient(app) as client:
        client.headers["Authorization"] = f"Bearer {secret}"
        answer = client.post(
            "/evaluate",
            files=[
                ("hyp", ("draft.xlf", draft.read_bytes())),
                ("ref", ("published.en.docx", reference.read_bytes())),
            ],
        )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["pairing"] == printed["pairing"]
    assert body["pairing"].startswith("paragraph by paragraph")
    assert body["total"] == printed["total"]
    code, out = cli(tmp_path / "tm.db", "evaluate", "--hyp", str(draft), "--ref", str(reference))
    assert "paired: paragraph by paragraph" in out
