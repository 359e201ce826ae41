"""The README's `tm …` commands, run in order against a demo TM built as `make run` builds it
(a doctest-like runner over its `sh` code blocks), so that a README command cannot break
unseen. A command whose comment begins `error:` must fail with that message (up to its first
`…`); every other command must succeed. Commands that need a server, a Dask scheduler or
../shared are skipped, each named in `SKIPPED` with why.

The files the README names (`archive.tmx`, `x.fr`, `pairs.tsv`…) are made here from the test
fixtures, in a work folder where `data/` is the demo corpus."""

from __future__ import annotations

import glob
import re
import shlex
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from service.main import app
from tm import TMError

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"

# A command is skipped when its text contains one of these (and only then).
SKIPPED = {
    "tm serve": "starts a server",
    "tm lexicon build": "reads ../shared",
    "--cluster tcp://": "needs a Dask scheduler",
    "--cluster local": "starts a Dask cluster (tests/test_cluster.py runs one)",
}


@dataclass(frozen=True)
class Command:
    line: int
    args: list[str]
    error: str  # what the README says the error begins with, or "" for a success


def commands(text: str) -> Iterator[Command]:
    """The `tm` commands of the README's `sh` blocks, in order (`a; b` is two commands)."""
    in_block = False
    pending = ""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("```"):
            in_block = line.strip() == "```sh"
            continue
        if not in_block:
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line, pending = pending + line, ""
        parts = re.split(r"\s+#\s", line, maxsplit=1)
        command, comment = parts[0], parts[1] if len(parts) > 1 else ""
        if not command.startswith("tm "):
            continue
        error = (
            comment.removeprefix("error: ").split("…")[0] if comment.startswith("error:") else ""
        )
        for single in command.split("; "):
            yield Command(number, shlex.split(single)[1:], error)


def _skipped(command: Command) -> str | None:
    text = "tm " + shlex.join(command.args)
    return next((why for marker, why in SKIPPED.items() if marker in text), None)


def _docx(path: Path, paragraphs: list[str]) -> None:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.save(str(path))


def _workspace(root: Path) -> None:
    """`data/` (the demo corpus) and every file the README's commands name."""
    (root / "data").symlink_to(ROOT / "data")
    shutil.copy(DATA / "sample.tmx", root / "archive.tmx")
    (root / "releases").mkdir()
    first = sorted((ROOT / "data" / "releases").glob("*.fr"))[0]
    shutil.copy(first, root / "releases" / "2023-11-28.fr")
    shutil.copy(first.with_suffix(".en"), root / "releases" / "2023-11-28.en")
    (root / "old.tsv").write_text(
        "Le Comité s'est réuni hier.\tThe Committee met yesterday.\n"
        "La séance est levée.\tThe meeting is adjourned.\n",
        "utf-8",
    )
    shutil.copy(DATA / "pair.en", root / "x.fr")  # the sides swapped, as the README says
    shutil.copy(DATA / "pair.fr", root / "x.en")
    shutil.copy(DATA / "glossary.csv", root / "glossary.csv")
    (root / "pairs.tsv").write_text(
        "Le 28 novembre, 1 000,5 t.\tOn 28 November, 1,000 t.\n"
        "La défense collective.\tCollective defense.\n",
        "utf-8",
    )
    french, english = (DATA / f"pair.{lang}" for lang in ("fr", "en"))
    _docx(root / "rapport.fr.docx", french.read_text("utf-8").splitlines())
    _docx(root / "report.en.docx", english.read_text("utf-8").splitlines())
    (root / "archive").mkdir()
    shutil.copy(french, root / "archive" / "x.fr.txt")
    shutil.copy(english, root / "archive" / "x.en.txt")
    shutil.copy(DATA / "pair.ref", root / "hyp.beads")
    shutil.copy(DATA / "pair.ref", root / "gold.ref")
    shutil.copy(DATA / "pretranslation" / "export.xlf", root / "export-from-trados.xlf")


def _demo(root: Path) -> Path:
    """The demo TM, built as `make demo` builds it."""
    db = root / "build" / "demo.db"
    db.parent.mkdir()
    releases = sorted(str(path) for path in (root / "data" / "releases").glob("*.fr"))
    for args in (
        ["import", *releases, "--origin", "press-releases"],
        ["glossary", "import", "data/glossary/glossary.tbx", "--author", "demo"],
        ["quality", "rescore"],
        ["pretranslate", *sorted(glob.glob("data/new/*.fr.txt")), "--out", "build/demo-draft"],
    ):
        result = CliRunner().invoke(app, ["--db", str(db), *args])
        assert result.exit_code == 0, (args, result.output, result.exception)
    return db


def _draft_and_reference(root: Path) -> None:
    """`draft.xlf` and `published.en` for `tm evaluate`: the demo draft and, as the published
    English, its segments' targets a line each (what a translator would have kept)."""
    from service.pipelines.pretranslation import read

    (draft,) = sorted((root / "build" / "demo-draft").glob("*.xlf"))
    shutil.copy(draft, root / "draft.xlf")
    segments = read(draft, overwrite=True).segments
    lines = [f"English of segment {n}: {text}" for n, (_p, text, _t) in enumerate(segments)]
    (root / "published.en").write_text("".join(f"{line}\n" for line in lines), "utf-8")
    _docx(root / "published.en.docx", [" ".join(lines[:2]), *lines[2:]])  # not segment by segment


def test_every_readme_command_runs_on_the_demo_tm(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TM_DB", raising=False)
    _workspace(tmp_path)
    db = _demo(tmp_path)
    _draft_and_reference(tmp_path)
    ran, skipped = 0, []
    for command in commands((ROOT / "README.md").read_text("utf-8")):
        why = _skipped(command)
        if why:
            skipped.append(why)
            continue
        args = [
            match
            for arg in command.args
            for match in (sorted(glob.glob(arg)) if "*" in arg else [arg])
        ]
        result = CliRunner().invoke(app, ["--db", str(db), *args])
        failed = result.exit_code != 0 or isinstance(result.exception, TMError)
        said = str(result.exception) if isinstance(result.exception, TMError) else result.output
        where = f"README.md:{command.line}: tm {shlex.join(args)}"
        if command.error:
            assert failed, f"{where} should fail"
            assert command.error.strip() in said, f"{where}: {said}"
        else:
            assert not failed, f"{where}: {said or result.exception!r}"
        ran += 1
    assert ran >= 40, ran
    assert set(skipped) == set(SKIPPED.values()), "a skip that no README command needs now"
