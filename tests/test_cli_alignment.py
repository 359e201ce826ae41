"""`tm align` and `tm align-score` end to end on real database files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import cli

from tm import TranslationMemory, Unit
from tm.errors import InvalidInput

DATA = Path(__file__).parent / "data"
tm = cli


def test_align_beads_and_score(tmp_path: Path) -> None:
    db = tmp_path / "tm.db"
    code, out = tm(db, "align", str(DATA / "pair.fr"), str(DATA / "pair.en"), "--format", "beads")
    assert code == 0
    assert out.splitlines() == (DATA / "pair.ref").read_text().splitlines()
    (tmp_path / "hyp.beads").write_text(out)
    code, out = tm(db, "align-score", str(tmp_path / "hyp.beads"), str(DATA / "pair.ref"), "--json")
    assert json.loads(out)["strict"]["f1"] == 1.0


def test_align_tsv_and_tmx(tmp_path: Path) -> None:
    db = tmp_path / "tm.db"
    _, out = tm(db, "align", str(DATA / "pair.fr"), str(DATA / "pair.en"))
    rows = [line.split("\t") for line in out.splitlines()]
    assert len(rows) == 7 and all(len(r) == 2 for r in rows)
    assert rows[1][1].startswith("Defence ministers")
    tm(
        db,
        "align",
        str(DATA / "pair.fr"),
        str(DATA / "pair.en"),
        "--format",
        "tmx",
        "--out",
        str(tmp_path / "o.tmx"),
    )
    assert (tmp_path / "o.tmx").read_text(encoding="utf-8").count("</tu>") == 7
    with pytest.raises(InvalidInput, match="needs --out"):
        tm(db, "align", str(DATA / "pair.fr"), str(DATA / "pair.en"), "--format", "tmx")


def test_store_keeps_confidence_and_flags(tmp_path: Path) -> None:
    db = tmp_path / "tm.db"
    code, out = tm(db, "align", str(DATA / "pair.fr"), str(DATA / "pair.en"), "--store", "--json")
    assert code == 0
    report = json.loads(out)
    assert report["stored"]["stored"] == 7
    assert report["documents"][0]["deletions"] == ["[]:[4]"]
    with TranslationMemory.open(db) as memory:
        segments = list(memory.segments())
    assert [s.position for s in segments] == list(range(7))
    assert all("alignment_confidence" in s.properties for s in segments)
    assert {s.status for s in segments} <= {"ok", "flagged"}
    assert all(
        (s.status == "flagged") == (s.properties["alignment_confidence"] < 0.5) for s in segments
    )


def test_batch_store(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("a", "b"):
        shutil.copy(DATA / "pair.fr", folder / f"{name}.fr.txt")
        shutil.copy(DATA / "pair.en", folder / f"{name}.en.txt")
    db = tmp_path / "tm.db"
    _, out = tm(db, "align", "--batch", str(folder), "--store", "--json")
    report = json.loads(out)
    assert [d["name"] for d in report["documents"]] == ["a", "b"]
    assert report["stored"]["stored"] == 7 and report["stored"]["duplicates"] == 7


def test_batch_aligns_each_document_once_beside_its_sentences_files(tmp_path: Path) -> None:
    """A folder holding `X.fr.sentences` beside `X.fr.txt` aligned X twice; a dotted name
    (`C-11.4.fr.txt`) was not found at all (issue 20)."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("C-11.4", "C-11.7"):
        for language in ("fr", "en"):
            shutil.copy(DATA / f"pair.{language}", folder / f"{name}.{language}.txt")
            shutil.copy(DATA / f"pair.{language}", folder / f"{name}.{language}.sentences")
    shutil.copy(DATA / "pair.fr", folder / "only.fr.sentences")
    shutil.copy(DATA / "pair.en", folder / "only.en.sentences")
    _, out = tm(tmp_path / "tm.db", "align", "--batch", str(folder), "--store", "--json")
    documents = json.loads(out)["documents"]
    assert [d["name"] for d in documents] == ["C-11.4", "C-11.7", "only"]
    with TranslationMemory.open(tmp_path / "tm.db") as memory:
        assert {s.document for s in memory.segments()} == {"C-11.4"}  # the others: duplicates
    shutil.copy(DATA / "pair.fr", folder / "C-11.4.fr.docx")
    shutil.copy(DATA / "pair.en", folder / "C-11.4.en.docx")
    with pytest.raises(InvalidInput, match=r"document C-11\.4 has 2 French files"):
        tm(tmp_path / "tm.db", "align", "--batch", str(folder), "--store")


@pytest.mark.parametrize(
    ("french", "english", "message"),
    [
        (b"", b"Some text.", "empty document"),
        (b"Du texte.", b"\x00\x01binary", "binary"),
        ("Déjà vu.".encode("cp1252"), b"Already seen.", "not valid UTF-8"),
    ],
)
def test_bad_input_stores_nothing(
    tmp_path: Path, french: bytes, english: bytes, message: str
) -> None:
    (tmp_path / "x.fr.txt").write_bytes(french)
    (tmp_path / "x.en.txt").write_bytes(english)
    db = tmp_path / "tm.db"
    with pytest.raises(InvalidInput, match=message):
        tm(db, "align", str(tmp_path / "x.fr.txt"), str(tmp_path / "x.en.txt"), "--store")
    with TranslationMemory.open(db) as memory:
        assert memory.count() == 0


def test_not_a_docx(tmp_path: Path) -> None:
    (tmp_path / "x.docx").write_text("plain text pretending")
    with pytest.raises(InvalidInput, match="not a DOCX"):
        tm(tmp_path / "tm.db", "align", str(tmp_path / "x.docx"), str(DATA / "pair.en"))


def test_unrelated_documents_are_refused_unless_forced(tmp_path: Path) -> None:
    english = tmp_path / "other.en.txt"
    english.write_text(
        "\n".join(
            [
                "Quarterly sales of frozen fish rose sharply in Norway.",
                "Our cat prefers sleeping on warm keyboards.",
                "Rainfall totals broke records across the prairies.",
                "The bakery closes early on Sundays.",
                "Jazz musicians gathered for the festival by the lake.",
                "A new bridge opened downtown after years of delays.",
                "Children learned chess at the public library.",
                "The recipe calls for three eggs and fresh basil.",
            ]
        )
    )
    db = tmp_path / "tm.db"
    with pytest.raises(InvalidInput, match="probably not translations"):
        tm(db, "align", str(DATA / "pair.fr"), str(english), "--store")
    with TranslationMemory.open(db) as memory:
        assert memory.count() == 0
    code, _ = tm(db, "align", str(DATA / "pair.fr"), str(english), "--store", "--force")
    assert code == 0


def test_lexicon_learned_from_the_tm_and_gloss_scored(tmp_path: Path) -> None:
    db = tmp_path / "tm.db"
    with TranslationMemory.open(db) as memory:
        memory.import_units(
            Unit(
                source=f"Le conseil numéro {k} a examiné le budget.",
                target=f"Council number {k} reviewed the budget.",
            )
            for k in range(250)
        )
    code, _ = tm(db, "align", str(DATA / "pair.fr"), str(DATA / "pair.en"), "--store", "--relearn")
    assert code == 0
    with TranslationMemory.open(db) as memory:
        learned = memory.stored_lexicon()
        stored = [s for s in memory.segments() if s.document == "pair"]
    assert learned is not None and "council" in learned.get("conseil")
    assert stored and all("alignment_confidence" in s.properties for s in stored)
