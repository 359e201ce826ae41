"""Batch pretranslation end to end: pipeline, CLI, bad inputs, formats, re-import, seed release."""

from __future__ import annotations

import json
from pathlib import Path

import docx
import pytest
from lxml import etree
from typer.testing import CliRunner

from service.main import app
from service.pipelines.pretranslation import pretranslate, read
from tm import TranslationMemory
from tm.errors import InvalidInput

DATA = Path(__file__).parent / "data" / "pretranslation"
SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seed" / "release-2023-11-28.fr.txt"
XLIFF_12 = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
runner = CliRunner()


@pytest.fixture
def filled(memory: TranslationMemory) -> TranslationMemory:
    memory.import_files([DATA / "memory.fr"], origin="press")
    return memory


def test_release_draft_states_repetitions_and_report(
    filled: TranslationMemory, tmp_path: Path
) -> None:
    batch = pretranslate(filled, [DATA / "release.fr.txt"], out=tmp_path, threshold=75)
    assert not batch.failed
    (result,) = batch.files
    assert result.output == tmp_path / "release.fr.txt.xlf"
    assert result.draft is not None
    rows = [(s.paragraph, s.state, s.band, s.repetition) for s in result.draft.segments]
    assert rows == [
        (1, "translated", "101", False),  # identical, and so is its neighbour in the TM
        (1, "translated", "101", False),
        (2, "needs-review-translation", "85-94", False),
        (2, "needs-translation", "none", False),
        (3, "translated", "100", False),
        (3, "translated", "100", True),
    ]
    assert result.draft.segments[5].target == "Defence Ministers met in Brussels."
    assert result.draft.segments[0].notes == ("context match (101%)",)
    assert result.draft.segments[5].notes == ("repetition of release.fr.txt #1",)
    assert [m.origin for m in result.draft.segments[2].alternatives] == ["press"]
    report = json.loads(batch.report.read_text("utf-8"))
    categories = report["batch"]["categories"]
    assert (categories["101"]["segments"], categories["100"]["segments"]) == (2, 1)
    assert categories["repetitions"] == {"segments": 1, "words": 10, "words_percent": 13.5}
    assert report["batch"]["total"] == {"segments": 6, "words": 74}
    assert batch.table.read_text("utf-8").startswith("file,category,segments,words")


def test_threshold_keeps_low_bands_in_the_report_only(
    filled: TranslationMemory, tmp_path: Path
) -> None:
    batch = pretranslate(filled, [DATA / "release.fr.txt"], out=tmp_path, threshold=95)
    draft = batch.files[0].draft
    assert draft is not None
    assert draft.segments[2].band == "85-94"
    assert (draft.segments[2].state, draft.segments[2].target) == ("needs-translation", "")


def test_floor_at_the_threshold_skips_the_low_band(
    filled: TranslationMemory, tmp_path: Path
) -> None:
    batch = pretranslate(filled, [DATA / "release.fr.txt"], out=tmp_path, threshold=95, floor=95)
    draft = batch.files[0].draft
    assert draft is not None
    assert draft.segments[2].band == "none"


def _bad_inputs(folder: Path) -> dict[str, str]:
    cases = {
        "broken.xlf": ("<xliff version='1.2'><file>", "malformed XML"),
        "future.xlf": ("<xliff version='3.0'/>", "unsupported XLIFF version"),
        "fake.docx": ("Ceci n'est pas un document Word.", "not a DOCX file"),
        "empty.txt": ("", "empty"),
        "english.txt": ((DATA / "english.txt").read_text("utf-8"), "in English"),
    }
    for name, (content, _message) in cases.items():
        (folder / name).write_text(content, "utf-8")
    return {name: message for name, (_content, message) in cases.items()}


def test_bad_files_fail_alone_and_the_cli_says_which(
    filled: TranslationMemory, tmp_path: Path
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    expected = _bad_inputs(inputs)
    files = [inputs / name for name in expected] + [DATA / "release.fr.txt"]
    result = runner.invoke(
        app,
        ["--db", str(filled.path), "pretranslate", *map(str, files), "--out", str(tmp_path / "o")],
    )
    assert result.exit_code == 1
    assert "5 of 6 file(s) failed" in result.stderr
    for name, message in expected.items():
        line = next(line for line in result.stderr.splitlines() if name in line)
        assert message in line or message in result.stderr, name
    assert (tmp_path / "o" / "release.fr.txt.xlf").exists()
    report = json.loads((tmp_path / "o" / "analysis.json").read_text("utf-8"))
    assert sorted(f["file"] for f in report["failed"]) == sorted(expected)
    assert [f["name"] for f in report["files"]] == ["release.fr.txt"]


@pytest.mark.parametrize(
    ("format", "name", "check"),
    [
        ("xliff", "release.fr.txt.xlf", 'version="1.2"'),
        ("xliff2", "release.fr.txt.xlf", "mtc:matches"),
        ("tmx", "release.fr.txt.tmx", "<tmx"),
        ("txt", "release.fr.txt.en.txt", "Defence Ministers met in Brussels. The meeting"),
    ],
)
def test_cli_formats_and_json(
    filled: TranslationMemory, tmp_path: Path, format: str, name: str, check: str
) -> None:
    result = runner.invoke(
        app,
        [
            "--db",
            str(filled.path),
            "pretranslate",
            str(DATA / "release.fr.txt"),
            "--out",
            str(tmp_path),
            "--format",
            format,
            "--json",
        ],
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["outputs"] == [str(tmp_path / name)]
    assert data["batch"]["total"]["segments"] == 6
    assert check in (tmp_path / name).read_text("utf-8")


def test_cli_table_names_draft_and_report(filled: TranslationMemory, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "--db",
            str(filled.path),
            "pretranslate",
            str(DATA / "release.fr.txt"),
            "--out",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 0
    assert "repetitions" in result.stdout
    assert f"1: release.fr.txt → draft {tmp_path / 'release.fr.txt.xlf'}" in result.stdout
    assert "analysis.json" in result.stdout


def test_xliff_exports_filled_in_place_and_repeated_across_files(
    filled: TranslationMemory, tmp_path: Path
) -> None:
    batch = pretranslate(
        filled, [DATA / "export.xlf", DATA / "export2.xlf"], out=tmp_path, threshold=75
    )
    assert not batch.failed
    assert [r.output for r in batch.files] == [tmp_path / "export.xlf", tmp_path / "export2.xlf"]
    second = batch.files[1].draft
    assert second is not None
    assert [s.repetition for s in second.segments] == [True, False, True]
    tree = etree.parse(str(tmp_path / "export.xlf"))
    assert tree.find(".//x:file", XLIFF_12).get("datatype") == "x-docx"  # type: ignore[union-attr]


def test_documents_keep_paragraphs(filled: TranslationMemory, tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("Les ministres de la Défense se sont réunis à Bruxelles.")
    document.add_paragraph(
        "La prochaine réunion aura lieu en février. Le sommet se tiendra à Washington en juillet."
    )
    document.save(str(tmp_path / "note.docx"))
    (tmp_path / "note.md").write_text(
        "# Les ministres de la Défense se sont réunis à Bruxelles.\n\n"
        "La prochaine réunion aura lieu en *février*.\n",
        "utf-8",
    )
    source = read(tmp_path / "note.docx")
    assert [(p, t) for p, t, _tags in source.segments] == [
        (1, "Les ministres de la Défense se sont réunis à Bruxelles."),
        (2, "La prochaine réunion aura lieu en février."),
        (2, "Le sommet se tiendra à Washington en juillet."),
    ]
    batch = pretranslate(
        filled, [tmp_path / "note.docx", tmp_path / "note.md"], out=tmp_path / "o", format="txt"
    )
    assert (tmp_path / "o" / "note.docx.en.txt").read_text("utf-8") == (
        "Defence Ministers met in Brussels.\n"
        "The next meeting will take place in February. "
        "The summit will be held in Washington in July.\n"
    )
    assert batch.analysis.files[1].count("repetitions").segments == 2


def test_draft_reimports_exact_matches(filled: TranslationMemory, tmp_path: Path) -> None:
    pretranslate(filled, [DATA / "release.fr.txt"], out=tmp_path, threshold=75)
    with TranslationMemory.open(tmp_path / "fresh.db") as fresh:
        report = fresh.import_files([tmp_path / "release.fr.txt.xlf"], origin="draft")
        stored = {s.source: s.target for s in fresh.segments()}
    assert stored["La réunion était présidée par le secrétaire général."] == (
        "The meeting was chaired by the Secretary General."
    )
    # the unreviewed fuzzy draft is not a confirmed translation, and the segment without a
    # match has an empty target: neither is imported
    assert sorted(why for _where, why in report.skipped) == [
        "state needs-review-translation",
        "untranslated unit",
    ]


def test_inputs_of_the_same_name_mirror_their_folders_under_out(
    filled: TranslationMemory, tmp_path: Path
) -> None:
    """`C-15/fr.txt` and `SOR/fr.txt` collided ("another input already wrote"; issue 20)."""
    for folder in ("C-15", "SOR"):
        (tmp_path / "in" / folder).mkdir(parents=True)
        (tmp_path / "in" / folder / "fr.txt").write_bytes((DATA / "release.fr.txt").read_bytes())
    inputs = [tmp_path / "in" / "C-15" / "fr.txt", tmp_path / "in" / "SOR" / "fr.txt"]
    batch = pretranslate(filled, inputs, out=tmp_path / "o")
    assert not batch.failed
    assert [r.output for r in batch.files] == [
        tmp_path / "o" / "C-15" / "fr.txt.xlf",
        tmp_path / "o" / "SOR" / "fr.txt.xlf",
    ]
    assert all(r.output and r.output.is_file() for r in batch.files)
    alone = pretranslate(filled, [DATA / "release.fr.txt"], out=tmp_path / "flat")
    assert alone.files[0].output == tmp_path / "flat" / "release.fr.txt.xlf"  # no collision


def test_a_failed_run_keeps_the_previous_analysis_and_prints_no_table(
    filled: TranslationMemory, tmp_path: Path
) -> None:
    """A run whose every input failed wrote an empty analysis over the last one, and the CLI
    printed an all-zero table before the error (issue 20)."""
    out = tmp_path / "o"
    args = ["--db", str(filled.path), "pretranslate"]
    assert (
        runner.invoke(app, [*args, str(DATA / "release.fr.txt"), "--out", str(out)]).exit_code == 0
    )
    before = (out / "analysis.json").read_bytes()
    (tmp_path / "empty.fr.txt").write_bytes(b"")
    result = runner.invoke(app, [*args, str(tmp_path / "empty.fr.txt"), "--out", str(out)])
    assert isinstance(result.exception, InvalidInput)  # `tm` prints it as one line, exit 1
    assert "the file is empty" in str(result.exception)
    assert "band" not in result.stdout and "repetitions" not in result.stdout
    assert (out / "analysis.json").read_bytes() == before


def test_xliff2_is_refused_for_an_xliff_12_input(filled: TranslationMemory, tmp_path: Path) -> None:
    """`--format xliff2` on an XLIFF 1.2 input was silently ignored (a 1.2 file came back)."""
    batch = pretranslate(filled, [DATA / "export.xlf"], out=tmp_path / "two", format="xliff")
    assert not batch.failed  # the same input in its own version is filled
    with pytest.raises(InvalidInput, match=r"is XLIFF 1\.2.*--format xliff2 cannot convert it"):
        pretranslate(filled, [DATA / "export.xlf"], out=tmp_path / "o", format="xliff2")
    assert not (tmp_path / "o" / "export.xlf").exists()


def test_the_draft_notes_what_was_adapted(memory: TranslationMemory, tmp_path: Path) -> None:
    """The XLIFF note says which span the draft took from the text, with the TM's original."""
    memory.add(
        "La réunion s'est tenue le 28 novembre 2023.", "The meeting took place on 28 November 2023."
    )
    source = tmp_path / "new.fr.txt"
    source.write_text("La réunion s'est tenue le 3 mars 2024.\n", "utf-8")
    batch = pretranslate(memory, [source], out=tmp_path / "o")
    draft = (batch.files[0].output or Path()).read_text("utf-8")
    assert "The meeting took place on 3 March 2024." in draft
    assert "adapted: 3 March 2024 (TM: 28 November 2023)" in draft


def test_english_text_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="English"):
        read(DATA / "english.txt")


@pytest.mark.skipif(not SEED.exists(), reason="the shared seed release is absent")
def test_seed_release(filled: TranslationMemory, tmp_path: Path) -> None:
    batch = pretranslate(filled, [SEED], out=tmp_path)
    assert not batch.failed
    draft = batch.files[0].draft
    assert draft is not None
    assert len(draft.segments) > 10
    assert len({s.paragraph for s in draft.segments}) == len(
        [line for line in SEED.read_text("utf-8").splitlines() if line.strip()]
    )
    assert batch.analysis.batch.total.segments == len(draft.segments)
    units = etree.parse(str(batch.files[0].output)).findall(".//x:trans-unit", XLIFF_12)
    assert len(units) == len(draft.segments)


def test_help_has_an_example() -> None:
    result = runner.invoke(app, ["pretranslate", "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.stdout


def test_glossary_terms_and_findings_become_notes(
    filled: TranslationMemory, tmp_path: Path
) -> None:
    from glossaries import Glossary
    from service.pipelines.annotate import Annotator

    Glossary.open(filled.db).import_file(
        Path(__file__).parent / "data" / "glossary.csv", author="t"
    )
    batch = pretranslate(
        filled,
        [DATA / "release.fr.txt"],
        out=tmp_path,
        annotate=Annotator(Glossary.open(filled.db)).notes,
    )
    draft = batch.files[0].draft
    assert draft is not None
    assert "term: secrétaire général → Secretary General" in draft.segments[1].notes
    assert "term: Alliés → Ally" in draft.segments[4].notes
    tree = etree.parse(str(tmp_path / "release.fr.txt.xlf"))
    notes = [n.text for n in tree.findall(".//x:note", XLIFF_12)]
    assert "term: secrétaire général → Secretary General" in notes


def test_translated_xliff_is_written_unchanged(filled: TranslationMemory, tmp_path: Path) -> None:
    done = tmp_path / "done.xlf"
    done.write_text(
        "<xliff version='1.2' xmlns='urn:oasis:names:tc:xliff:document:1.2'>"
        "<file source-language='fr' target-language='en' original='a' datatype='plaintext'><body>"
        "<trans-unit id='1'><source>Bonjour.</source><target state='final'>Hello.</target>"
        "</trans-unit></body></file></xliff>",
        "utf-8",
    )
    batch = pretranslate(filled, [done], out=tmp_path / "o")
    assert not batch.failed
    assert batch.analysis.batch.total.segments == 1
    assert batch.analysis.batch.count("existing").segments == 1
    assert (tmp_path / "o" / "done.xlf").read_bytes() == done.read_bytes()


def test_unusable_output_folder(filled: TranslationMemory, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", "utf-8")
    with pytest.raises(InvalidInput, match="cannot create the output folder"):
        pretranslate(filled, [DATA / "release.fr.txt"], out=blocker / "o")


def test_segmented_xliff_is_filled_per_segment(filled: TranslationMemory, tmp_path: Path) -> None:
    batch = pretranslate(filled, [DATA / "segmented.xlf"], out=tmp_path)
    draft = batch.files[0].draft
    assert draft is not None
    assert [(s.id, s.paragraph, s.state) for s in draft.segments] == [
        ("7/1", 1, "translated"),
        ("7/2", 1, "needs-review-translation"),
        ("7/3", 1, "needs-translation"),
    ]
    marks = etree.parse(str(tmp_path / "segmented.xlf")).findall(".//x:target/x:mrk", XLIFF_12)
    assert marks[0].text == "Defence Ministers met in Brussels."
    assert marks[1].text == "The summit will be held in Washington in July."
