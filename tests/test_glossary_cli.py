"""`tm glossary …` and `tm check` end to end on real database files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from service.main import app
from tm.errors import TMError

DATA = Path(__file__).parent / "data"
runner = CliRunner()


def tm(db: Path, *args: str) -> tuple[int, str]:
    """Exit code and stdout; a domain error counts as exit code 1 (as `main()` reports it)."""
    result = runner.invoke(app, ["--db", str(db), *args], catch_exceptions=True)
    if isinstance(result.exception, TMError):
        return 1, str(result.exception)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout


def test_import_find_check_edit_history_export(db_path: Path, tmp_path: Path) -> None:
    code, out = tm(db_path, "glossary", "import", str(DATA / "glossary.csv"), "--json")
    assert code == 0 and json.loads(out)["terms_added"] == 30
    code, out = tm(
        db_path, "glossary", "find", "Les ministres des Affaires étrangères des Alliés", "--json"
    )
    hits = json.loads(out)["hits"]
    assert [(h["start"], h["end"], h["text"], h["en"]) for h in hits] == [
        (4, 37, "ministres des Affaires étrangères", "Foreign Minister"),
        (42, 48, "Alliés", "Ally"),
    ]
    code, out = tm(
        db_path,
        "check",
        "--source",
        "La défense collective.",
        "--target",
        "Collective defense.",
        "--json",
    )
    (finding,) = json.loads(out)["findings"]
    assert (finding["code"], finding["target_span"], finding["suggestion"]) == (
        "glossary-term-forbidden",
        [0, 18],
        "collective defence",
    )
    code, out = tm(db_path, "glossary", "show", "spokesman", "--json")
    (concept,) = json.loads(out)["concepts"]
    spokesman = next(t for t in concept["terms"] if t["text"] == "spokesman")
    code, out = tm(
        db_path,
        "glossary",
        "edit",
        str(spokesman["id"]),
        "--version",
        "1",
        "--note",
        "n",
        "--author",
        "marie",
        "--json",
    )
    assert code == 0 and json.loads(out)["version"] == 2
    code, message = tm(
        db_path, "glossary", "edit", str(spokesman["id"]), "--version", "1", "--note", "stale"
    )
    assert code == 1 and "changed since it was read" in message
    code, out = tm(db_path, "glossary", "history", "spokesman", "--json")
    assert [c["action"] for c in json.loads(out)["history"]] == ["import", "edit"]
    code, out = tm(
        db_path, "glossary", "add", "Vilnius", "--lang", "fr", "--concept", "V1", "--json"
    )
    assert code == 0 and json.loads(out)["concept"] == "V1"
    code, out = tm(db_path, "glossary", "deprecate", "Vilnius", "--json")
    assert json.loads(out)["status"] == "deprecated"
    code, out = tm(db_path, "glossary", "delete", "Vilnius", "--json")
    assert code == 0
    for name in ("out.tbx", "out.csv", "out.tsv"):
        code, out = tm(db_path, "glossary", "export", str(tmp_path / name), "--json")
        assert code == 0 and json.loads(out)["exported"] > 0


def test_show_takes_the_id_as_the_cli_prints_it(db_path: Path) -> None:
    """`--help` offers `#id` but `show "#43"` said "no glossary term" (issue 20)."""
    code, out = tm(db_path, "glossary", "import", str(DATA / "glossary.csv"), "--json")
    assert code == 0
    code, out = tm(db_path, "glossary", "show", "spokesman", "--json")
    term = next(t for t in json.loads(out)["concepts"][0]["terms"] if t["text"] == "spokesman")
    for reference in (f"#{term['id']}", str(term["id"]), f" #{term['id']}"):
        code, out = tm(db_path, "glossary", "show", reference, "--json")
        assert code == 0, reference
        texts = [t["text"] for t in json.loads(out)["concepts"][0]["terms"]]
        assert "spokesman" in texts, reference


def test_bad_import_exits_1_with_file_and_line(db_path: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("fr;en;colour\nOTAN;NATO;red\n", "utf-8")
    code, message = tm(db_path, "glossary", "import", str(bad))
    assert code == 1
    assert message.startswith(f"{bad}:1: unknown column(s) 'colour'")


@pytest.mark.parametrize(
    "command",
    [
        ["glossary", "import"],
        ["glossary", "export"],
        ["glossary", "find"],
        ["glossary", "show"],
        ["glossary", "add"],
        ["glossary", "edit"],
        ["glossary", "deprecate"],
        ["glossary", "delete"],
        ["glossary", "history"],
        ["check"],
    ],
)
def test_every_command_has_help_with_an_example(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.stdout
