"""`tm quality …`, `tm evaluate` and `tm check` end to end on real database files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import cli
from typer.testing import CliRunner

from service.main import app
from tm import TranslationMemory
from tm.errors import InvalidInput, NotFound
from tm.store import quality as quality_store
from tm.store.database import writing

tm = cli
runner = CliRunner()


@pytest.fixture
def loaded(tmp_path: Path, sample_tmx: Path) -> Path:
    db = tmp_path / "tm.db"
    code, _ = tm(db, "import", str(sample_tmx))
    assert code == 0
    return db


def test_import_scores_pairs_and_report_lists_flags(loaded: Path, tmp_path: Path) -> None:
    misaligned = tmp_path / "misaligned.tsv"
    misaligned.write_text(
        "Le secrétaire général a présidé la réunion des ministres à Bruxelles hier.\t"
        "Allies reaffirmed their support for Ukraine and for its people in 2023.\n",
        "utf-8",
    )
    code, _ = tm(loaded, "import", str(misaligned))
    assert code == 0
    with TranslationMemory.open(loaded) as memory:
        stored = next(
            s for s in memory.segments() if s.source.startswith("Le secrétaire général a")
        )
        assert stored.status == "flagged"
    code, out = tm(loaded, "quality", "report", "--json")
    data = json.loads(out)
    assert code == 0 and data["scored"] == data["segments"] == 21
    assert stored.id in [pair["id"] for pair in data["pairs"]]
    assert data["by_reason"]


def test_import_scores_the_pairs_it_adds_only(tmp_path: Path, sample_tmx: Path) -> None:
    db = tmp_path / "tm.db"
    with TranslationMemory.open(db) as memory:
        memory.import_files([sample_tmx])  # through the library: not scored
    more = tmp_path / "more.tsv"
    more.write_text("Les Alliés ont tenu parole.\tAllies kept their word.\n", "utf-8")
    code, out = tm(db, "import", str(more), "--json")
    assert code == 0 and json.loads(out)["scored"] == 1
    with TranslationMemory.open(db) as memory:
        scored = {s.source for s in memory.segments() if s.quality is not None}
        assert scored == {"Les Alliés ont tenu parole."}
        assert memory.rescore(only_missing=True).scored == 20


def test_an_import_scores_its_pairs_as_a_rescore_after_it_would(tmp_path: Path) -> None:
    """Scored batch by batch while the import stores the next (more pairs than one batch, on
    two workers): the same qualities, flags and statuses as scoring them all afterwards."""
    french, english = tmp_path / "many.fr", tmp_path / "many.en"
    pairs = [
        ("Le ministre peut conclure des accords.", "The Minister may enter into agreements."),
        ("Le secrétaire général a présidé la réunion.", "Allies reaffirmed their support."),
        ("Le rapport compte 12 pages.", "The report has 13 pages."),
    ]
    lines = [pairs[n % 3] for n in range(6000)]
    french.write_text("".join(f"{fr} ({n})\n" for n, (fr, _) in enumerate(lines)), "utf-8")
    english.write_text("".join(f"{en} ({n})\n" for n, (_, en) in enumerate(lines)), "utf-8")

    def stored(memory: TranslationMemory) -> list[tuple[int, float | None, str, str]]:
        return [(s.id, s.quality, s.flags, s.status) for s in memory.segments()]

    with TranslationMemory.open(tmp_path / "while.db") as memory:
        report = memory.import_files([french], score=True, workers=2)
        assert report.scored is not None and report.scored.scored == 6000
        scored_while = stored(memory)
    with TranslationMemory.open(tmp_path / "after.db") as memory:
        memory.import_files([french])
        memory.rescore(workers=2)
        assert stored(memory) == scored_while
    assert {status for *_, status in scored_while} == {"ok", "flagged"}


def test_a_rescore_writes_only_the_pairs_it_changes(loaded: Path) -> None:
    """Rescoring a TM as it was scored writes none of its pairs again; a pair stored with
    another quality (and flagged) is put back, alone."""
    with TranslationMemory.open(loaded) as memory:
        memory.rescore()
        scored = [(s.id, s.quality, s.flags, s.status) for s in memory.segments()]
        changes = memory.db.conn.total_changes
        memory.rescore()
        unchanged = memory.db.conn.total_changes - changes
        assert unchanged < len(scored)  # the quality pass counted, no pair written
        with writing(memory.db):
            quality_store.record_many(memory.db, [(scored[0][0], 0.01, "misaligned", True)])
        assert memory.get(scored[0][0]).status == "flagged"
        changes = memory.db.conn.total_changes
        memory.rescore()
        assert memory.db.conn.total_changes - changes == unchanged + 1
        assert [(s.id, s.quality, s.flags, s.status) for s in memory.segments()] == scored


def test_a_confirmed_translation_is_scored_but_never_held_out(loaded: Path) -> None:
    source = "Le secrétaire général a présidé la réunion des ministres à Bruxelles hier."
    with TranslationMemory.open(loaded) as memory:
        saved = memory.add(source, "Allies reaffirmed their support for Ukraine in 2023.")
        assert saved.status == "confirmed"
        assert saved.quality is not None
        assert memory.lookup(source, limit=1)[0].id == saved.id
        memory.rescore()
        assert memory.get(saved.id).status == "confirmed"


def test_rescore_learns_a_lexicon_and_scores_everything(loaded: Path) -> None:
    code, out = tm(loaded, "quality", "rescore", "--json")
    data = json.loads(out)
    assert code == 0 and data["scored"] == 20
    with TranslationMemory.open(loaded) as memory:
        own = memory.stored_lexicon()
    assert own is not None and len(own) > 0


def test_rescore_learns_both_ways_and_replaces_a_one_way_lexicon(loaded: Path) -> None:
    """The misalignment model counts words explained either way: a lexicon stored before
    lexicons had their English→French side is learned again."""
    from tm.quality.lexicon import Lexicon

    with TranslationMemory.open(loaded) as memory:
        memory.save_lexicon(Lexicon({"ministre": ("minister",)}))
    code, _ = tm(loaded, "quality", "rescore", "--json")
    assert code == 0
    with TranslationMemory.open(loaded) as memory:
        learned = memory.stored_lexicon()
    assert learned is not None and learned.reverse and len(learned) > 1


def test_rescore_relearns_with_known_segments(loaded: Path) -> None:
    """A heading stored twice (as variants) becomes a known segment; once is not enough (a
    pair must not vouch for itself)."""
    with TranslationMemory.open(loaded) as memory:
        memory.add("Titre abrégé", "Short title", document="a")
        memory.add("Titre abrégé", "Short Title.", document="b")
        memory.add("Rapport annuel", "Annual report", document="a")
    code, _ = tm(loaded, "quality", "rescore", "--relearn", "--json")
    assert code == 0
    with TranslationMemory.open(loaded) as memory:
        own = memory.stored_lexicon()
    assert own is not None
    known = own.segments
    assert known.french["titre abrégé"] == ("short title",)
    assert "rapport annuel" not in known.french


def test_consistency(tmp_path: Path) -> None:
    db = tmp_path / "tm.db"
    with TranslationMemory.open(db) as memory:
        memory.add("Le ministre peut prendre des règlements.", "The Minister may make regulations.")
        memory.add("Le ministre peut prendre des règlements.", "Orders may be issued by Council.")
    code, out = tm(db, "quality", "consistency", "--json")
    data = json.loads(out)
    assert code == 0 and data["same_source"] == 1
    assert len(data["items"][0]["entries"]) == 2


def test_check_single_pair(loaded: Path) -> None:
    code, out = tm(
        loaded,
        "check",
        "--source",
        "La réunion s’est tenue le 28 novembre 2023.",
        "--target",
        "Note : the meeting took place on 29 November 2023.",
        "--json",
    )
    data = json.loads(out)
    assert code == 0
    assert data["quality"]["flags"] == ["numbers"]
    codes = [f["code"] for f in data["findings"]]
    assert "placeable-mismatch" in codes and "french-spacing" in codes


def test_check_tsv_one_object_a_line(loaded: Path, tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.tsv"
    pairs.write_text(
        "Le secrétaire général a présidé la réunion.\tThe Secretary General chaired the meeting.\n"
        "Le secrétaire général a présidé la réunion.\t"
        "Le secrétaire général a présidé la réunion.\n",
        "utf-8",
    )
    code, out = tm(loaded, "check", "--tsv", str(pairs), "--json")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and [line["line"] for line in lines] == [1, 2]
    assert lines[0]["findings"] == [] and lines[1]["quality"]["flags"] == ["untranslated"]


def test_check_needs_a_pair(loaded: Path) -> None:
    with pytest.raises(InvalidInput):
        tm(loaded, "check", "--source", "Bonjour")


def test_evaluate_text_files(tmp_path: Path) -> None:
    hyp, ref = tmp_path / "draft.en", tmp_path / "published.en"
    hyp.write_text("The meeting took place.\nThe Allies met.\n", "utf-8")
    ref.write_text("The meeting took place.\nThe Allies met in Brussels.\n", "utf-8")
    code, out = tm(tmp_path / "tm.db", "evaluate", "--hyp", str(hyp), "--ref", str(ref), "--json")
    data = json.loads(out)
    assert code == 0 and data["total"]["segments"] == 2
    assert set(data["signatures"]) == {"bleu", "chrf", "ter"}
    assert data["segments"][0]["bleu"] == 100.0


def test_leave_one_out(tmp_path: Path) -> None:
    db = tmp_path / "tm.db"
    with TranslationMemory.open(db) as memory:
        memory.add("Le Conseil s'est réuni.", "The Council met.", document="a")
        memory.add("Le Conseil s'est réuni.", "The Council has met.", document="b")
        memory.add("Une phrase unique.", "A unique sentence.", document="a")
        assert memory.lookup("Une phrase unique.", exclude_document="a") == []
    code, out = tm(db, "evaluate", "--leave-one-out", "--json")
    data = json.loads(out)
    assert code == 0
    assert [d["document"] for d in data["documents"]] == ["a", "b"]
    assert data["documents"][1]["exact"] == 1 and data["documents"][0]["exact"] == 1
    assert data["documents"][0]["none"] == 1 and data["total"]["segments"] == 3


def _three_documents(db: Path) -> None:
    with TranslationMemory.open(db) as memory:
        memory.add("Le Conseil s'est réuni.", "The Council met.", document="B-1.7")
        memory.add("Le Conseil s'est réuni.", "The Council has met.", document="C-15")
        memory.add("Une phrase unique.", "A unique sentence.", document="D-2")


def test_leave_one_out_takes_several_documents_after_one_option(tmp_path: Path) -> None:
    """The README's `--documents B-1.7 C-15` was "unexpected extra argument" (issue 20)."""
    db = tmp_path / "tm.db"
    _three_documents(db)
    code, out = tm(db, "evaluate", "--leave-one-out", "--documents", "B-1.7", "C-15", "--json")
    assert code == 0, out
    assert [d["document"] for d in json.loads(out)["documents"]] == ["B-1.7", "C-15"]
    code, out = tm(db, "evaluate", "--leave-one-out", "--documents", "D-2", "--documents", "C-15")
    assert code == 0 and "D-2" in out and "B-1.7" not in out


def test_leave_one_out_names_an_unknown_document(tmp_path: Path) -> None:
    """An IndexError traceback from sacrebleu before (issue 20)."""
    db = tmp_path / "tm.db"
    _three_documents(db)
    result = runner.invoke(
        app, ["--db", str(db), "evaluate", "--leave-one-out", "--documents", "B-1.7", "X-9"]
    )
    assert isinstance(result.exception, NotFound)  # `tm` prints it as one line, exit 1
    assert "no document X-9 in the TM" in str(result.exception)
    assert "B-1.7" in str(result.exception)


def test_evaluate_refuses_a_stray_argument(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--db", str(tmp_path / "tm.db"), "evaluate", "C-15"])
    assert isinstance(result.exception, InvalidInput)
    assert "unexpected argument 'C-15'" in str(result.exception)


@pytest.mark.parametrize(
    "command",
    [
        ["quality", "report"],
        ["quality", "rescore"],
        ["quality", "consistency"],
        ["evaluate"],
        ["check"],
    ],
)
def test_help_has_an_example(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0 and "Example:" in result.stdout


def test_check_includes_glossary_findings(tmp_path: Path) -> None:
    db = tmp_path / "tm.db"
    code, _ = tm(db, "glossary", "import", str(Path(__file__).parent / "data" / "glossary.csv"))
    assert code == 0
    code, out = tm(
        db,
        "check",
        "--source",
        "Le secrétaire général de l'OTAN a parlé.",
        "--target",
        "The NATO Secretary-General spoke.",
        "--json",
    )
    codes = [f["code"] for f in json.loads(out)["findings"]]
    assert "glossary-term-forbidden" in codes
