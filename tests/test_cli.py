"""The `tm` command end to end, in a subprocess-free runner on real database files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.main import app
from tm import InvalidInput, TranslationMemory, Unit
from tm.retrieval.concordance import CANDIDATES

runner = CliRunner()


def tm(db: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", str(db), *args], catch_exceptions=True)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout, result.stderr


def test_import_stats_lookup_export(tmp_path: Path, sample_tmx: Path) -> None:
    db = tmp_path / "tm.db"
    code, out, _ = tm(db, "import", str(sample_tmx), "--origin", "press", "--json")
    assert code == 0
    assert json.loads(out) | {"files": None} == {
        "imported": 20,
        "duplicates": 0,
        "skipped": [],
        "skipped_total": 0,
        "files": None,
        "scored": 20,
        "flagged": 0,
    }
    code, out, _ = tm(db, "stats", "--json")
    assert json.loads(out)["segments"] == 20
    code, out, _ = tm(db, "lookup", "Le secrétaire général a présidé la séance.", "--json")
    found = json.loads(out)
    assert found["matches"][0]["target"] == "The Secretary General chaired the meeting."
    assert 70 <= found["matches"][0]["score"] < 100
    code, out, _ = tm(db, "export", str(tmp_path / "o.tmx"), "--json")
    assert json.loads(out)["exported"] == 20


def test_database_path_from_environment(
    tmp_path: Path, sample_tmx: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "env.db"
    monkeypatch.setenv("TM_DB", str(db))
    result = runner.invoke(app, ["import", str(sample_tmx)])
    assert result.exit_code == 0
    assert db.exists()


def test_a_tm_created_empty_by_a_reading_command_says_so(
    tmp_path: Path, sample_tmx: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With no --db, `tm lookup` silently made ./tm.db and answered "no match" (issue 20)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TM_DB", raising=False)
    result = runner.invoke(app, ["lookup", "Le Conseil s'est réuni."])
    assert result.exit_code == 0 and "no match" in result.stdout
    assert "TM is empty: ./tm.db was created now; did you mean --db PATH" in result.stderr
    (tmp_path / "tm.db").unlink()
    (tmp_path / "build").mkdir()
    assert runner.invoke(app, ["--db", "build/demo.db", "import", str(sample_tmx)]).exit_code == 0
    result = runner.invoke(app, ["concordance", "Conseil"])
    assert "./tm.db was created now; did you mean --db build/demo.db?" in result.stderr
    again = runner.invoke(app, ["concordance", "Conseil"])
    assert "TM is empty" not in again.stderr  # said once, when it was created
    importing = runner.invoke(app, ["--db", "new.db", "import", str(sample_tmx)])
    assert importing.exit_code == 0 and "TM is empty" not in importing.stderr


def test_tables_are_not_cut_at_80_columns_in_a_pipe(tmp_path: Path) -> None:
    """Rich's 80 columns when stdout is not a terminal cut `make run`'s tables (issue 20)."""
    from tm import TranslationMemory

    origin = "press-releases-of-the-institution-" + "x" * 60
    with TranslationMemory.open(tmp_path / "tm.db") as memory:
        memory.add("Le Conseil s'est réuni.", "The Council met.", origin=origin)
    code, out, _ = tm(tmp_path / "tm.db", "stats")
    assert code == 0
    assert any(f"origin {origin}" in line for line in out.splitlines()), out


@pytest.mark.parametrize(
    ("name", "pointer"),
    [
        ("rapport.fr.docx", "tm align FR EN --store"),
        ("rapport.fr.docx", "tm pretranslate FILE --out DIR"),
        ("page.fr.html", "tm align FR EN --store"),
        ("termes.tbx", "tm glossary import FILE"),
    ],
)
def test_import_of_a_document_or_termbase_points_to_the_right_command(
    tmp_path: Path, name: str, pointer: str
) -> None:
    """`tm import rapport.fr.docx` only said "unknown format" (issue 20)."""
    (tmp_path / name).write_bytes(b"PK\x03\x04 not read")
    with pytest.raises(InvalidInput, match="unknown format") as caught:
        tm(tmp_path / "tm.db", "import", str(tmp_path / name))
    assert pointer in str(caught.value)


def test_bad_file_gives_message_and_exit_code(tmp_path: Path) -> None:
    from service.main import main

    bad = tmp_path / "bad.tmx"
    bad.write_text("<tmx><body><tu>", "utf-8")
    import sys

    argv = sys.argv
    sys.argv = ["tm", "--db", str(tmp_path / "tm.db"), "import", str(bad)]
    try:
        with pytest.raises(SystemExit) as exited:
            main()
    finally:
        sys.argv = argv
    assert exited.value.code == 1


@pytest.mark.parametrize("command", ["import", "export", "stats", "lookup", "serve"])
def test_every_command_has_help_with_an_example(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.stdout


def test_lookup_json_explains_and_concordance(tmp_path: Path, sample_tmx: Path) -> None:
    db = tmp_path / "tm.db"
    tm(db, "import", str(sample_tmx), "--origin", "press")
    code, out, _ = tm(db, "lookup", "le secrétaire général a présidé la séance.", "--json")
    assert code == 0
    match = json.loads(out)["matches"][0]
    assert {"edits", "penalties", "notes", "adapted_target", "band"} <= set(match)
    code, out, _ = tm(db, "lookup", "Le secrétaire général a présidé la séance.", "--limit", "1")
    assert code == 0 and "fr:" in out
    code, out, _ = tm(db, "concordance", "secrétaire général", "--json")
    assert code == 0
    found = json.loads(out)["occurrences"]
    assert found and all(o["source_spans"] for o in found)
    with pytest.raises(InvalidInput, match="side"):
        tm(db, "concordance", "x", "--side", "left")


def test_concordance_has_help_with_an_example() -> None:
    result = runner.invoke(app, ["concordance", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.stdout


def test_concordance_notes_on_stderr_when_the_phrase_is_too_common(tmp_path: Path) -> None:
    """The hits go to stdout, the note that older segments were not checked to stderr."""
    db = tmp_path / "tm.db"
    with TranslationMemory.open(db) as memory:
        memory.import_units(
            [
                Unit(source=f"Le ministre a signé l'accord n° {i}.", target=f"Agreement {i}.")
                for i in range(CANDIDATES + 1)
            ]
        )
    code, out, err = tm(db, "concordance", "ministre", "--limit", "2")
    assert code == 0 and out.count("#") == 2 and "note" not in out
    assert f"only the {CANDIDATES:,} newest segments" in err
    assert "add a word to narrow it" in err
    code, out, err = tm(db, "concordance", "accord n° 7", "--limit", "2")
    assert code == 0 and "#" in out and err == ""
