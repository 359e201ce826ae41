"""The stored termbase: atomic imports, audited edits, stale-edit conflicts under concurrency."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from glossaries import Glossary
from tm.errors import Conflict, InvalidInput, NotFound
from tm.store.database import connect

DATA = Path(__file__).parent / "data"


@pytest.fixture
def glossary(db_path: Path) -> Glossary:
    return Glossary.open(connect(db_path))


def test_import_csv_then_tbx_merges(glossary: Glossary) -> None:
    report = glossary.import_file(DATA / "glossary.csv", author="marie")
    assert (report.concepts_added, report.terms_added) == (12, 30)
    report = glossary.import_file(DATA / "glossary-v2.tbx", author="marie")
    assert (report.concepts_added, report.terms_added, report.unchanged) == (0, 0, 5)
    assert report.concepts_updated == 1  # C8 gains its definition, audited too
    (change,) = [c for c in glossary.history() if c.term is None]
    assert (change.concept, change.old, change.new) == (
        "C8",
        {"subject": "defence policy", "definition": ""},
        {"subject": "defence policy", "definition": "Attack against one is an attack against all."},
    )
    assert glossary.count() == {"concepts": 12, "fr_terms": 14, "en_terms": 16}
    assert [hit.en for hit in glossary.find("les Alliés")] == ["Ally"]


def test_import_detects_the_format(glossary: Glossary) -> None:
    report = glossary.import_file(DATA / "termbase-dc4025.xml", author="marie")
    assert (report.concepts_added, report.terms_added) == (1, 4)
    (hit,) = glossary.find("les conseils d’administration")
    assert (hit.concept, hit.en, hit.admitted) == (
        "T-0001",
        "Board of Governors",
        ("Board of Directors",),
    )


def test_a_bad_row_writes_nothing(glossary: Glossary, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("fr;en;status\nOTAN;NATO;preferred\nAllié;Ally;never\n", "utf-8")
    with pytest.raises(InvalidInput) as raised:
        glossary.import_file(bad, author="marie")
    assert (raised.value.file, raised.value.line) == (str(bad), 3)
    assert glossary.count()["concepts"] == 0
    assert glossary.history() == []


def test_edits_are_audited_and_stale_edits_refused(glossary: Glossary) -> None:
    glossary.import_file(DATA / "glossary.csv", author="importer")
    term = glossary.resolve("Secretary-General")
    changed = glossary.deprecate(
        term.id or 0, version=term.version, author="marie", status="superseded"
    )
    assert (changed.status, changed.version, changed.author) == ("superseded", 2, "marie")
    with pytest.raises(Conflict):
        glossary.edit(term.id or 0, version=term.version, author="paul", note="stale")
    renamed = glossary.edit(term.id or 0, version=2, author="paul", text="Secretary-general")
    assert glossary.term(term.id or 0).text == "Secretary-general"
    history = glossary.history("Secretary-General")
    assert [(c.action, c.author) for c in history] == [
        ("import", "importer"),
        ("deprecate", "marie"),
        ("edit", "paul"),
    ]
    assert history[1].old is not None and history[1].old["status"] == "deprecated"
    assert history[1].new is not None and history[1].new["status"] == "superseded"
    glossary.delete(renamed.id or 0, version=3, author="paul")
    with pytest.raises(NotFound):
        glossary.term(renamed.id or 0)
    assert glossary.history(renamed.id)[-1].action == "delete"


def test_add_new_concept_and_duplicate(glossary: Glossary) -> None:
    term = glossary.add("Bruxelles", language="fr", author="marie", concept="X1")
    glossary.add("Brussels", language="en", author="marie", concept="X1")
    assert [h.en for h in glossary.find("à Bruxelles")] == ["Brussels"]
    with pytest.raises(Conflict):
        glossary.add("Bruxelles", language="fr", author="marie", concept="X1")
    with pytest.raises(InvalidInput):
        glossary.add("  ", language="fr", author="marie")
    (change,) = glossary.history(term.id)
    assert (change.action, change.old, change.new and change.new["text"]) == (
        "add",
        None,
        "Bruxelles",
    )


def test_lexicon(glossary: Glossary) -> None:
    glossary.import_file(DATA / "glossary.csv", author="marie")
    lexicon = glossary.lexicon()
    assert lexicon["allié"] == ["Ally", "Allied"]
    assert lexicon["ministre des affaires étrangères"] == [
        "Foreign Minister",
        "Minister of Foreign Affairs",
    ]
    assert lexicon["défense collective"] == ["collective defence"]


def test_fifty_concurrent_edits_of_one_term(db_path: Path) -> None:
    first = Glossary.open(connect(db_path))
    term = first.add("OTAN", language="fr", author="setup", concept="C1")
    outcomes: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(50)

    def worker(number: int) -> None:
        glossary = Glossary.open(connect(db_path))
        mine: list[str] = []
        try:
            read = glossary.term(term.id or 0)
            start.wait()
            for _attempt in range(2):  # on a conflict, re-read and try once more
                try:
                    glossary.edit(
                        read.id or 0, version=read.version, author=f"w{number}", note=str(number)
                    )
                    mine.append("applied")
                    break
                except Conflict:
                    mine.append("conflict")
                    read = glossary.term(term.id or 0)
        except Exception as error:
            mine.append(f"error {error!r}")
        finally:
            glossary.db.conn.close()
        with lock:
            outcomes.extend(mine)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(set(outcomes)) <= ["applied", "conflict"], outcomes
    applied = outcomes.count("applied")
    assert applied >= 1
    edits = [c for c in first.history(term.id) if c.action == "edit"]
    assert len(edits) == applied
    assert first.term(term.id or 0).version == 1 + applied


DEMO = Path(__file__).resolve().parents[1] / "data" / "glossary"


@pytest.mark.skipif(not (DEMO / "glossary.tbx").exists(), reason="no demo glossary")
def test_demo_glossary_csv_and_tbx_agree(glossary: Glossary) -> None:
    first = glossary.import_file(DEMO / "glossary.csv", author="demo")
    second = glossary.import_file(DEMO / "glossary.tbx", author="demo")
    assert first.terms_added > 300
    assert (second.terms_added, second.terms_updated) == (0, 0)
    hits = glossary.find("Les ministres des Affaires étrangères des pays de l’OTAN et les Alliés")
    assert [h.en for h in hits] == ["NATO Foreign Ministers", "Ally"]
