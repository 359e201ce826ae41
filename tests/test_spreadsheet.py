"""CSV injection: cells that a spreadsheet would run as formulas are escaped (OWASP), in the
glossary's CSV/TSV exports and the pretranslation analysis, and tm's own exports re-import to
the same terms."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from glossaries import tables
from glossaries.terms import Concept, Term
from tm.drafting.analysis import analyse, to_csv
from tm.drafting.draft import Draft, DraftSegment
from tm.errors import InvalidInput
from tm.formats.spreadsheet import escape, unescape

CELLS = [
    ('=HYPERLINK("http://x","clic")', '\'=HYPERLINK("http://x","clic")'),
    ("+33 1 23", "'+33 1 23"),
    ("-isme", "'-isme"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
    ("'=1", "''=1"),  # already looks escaped: one more, so reading gives it back
    ("''@x", "'''@x"),
    ("'apostrophe", "'apostrophe"),
    ("a=b", "a=b"),
    ("Alliés", "Alliés"),
    ("", ""),
]


@pytest.mark.parametrize(("cell", "written"), CELLS)
def test_escape(cell: str, written: str) -> None:
    assert escape(cell) == written
    assert unescape(written) == cell


@given(st.text())
def test_unescape_undoes_escape(cell: str) -> None:
    assert unescape(escape(cell)) == cell


HOSTILE_TERMS = ["=1+1", "+cmd|' /C calc'!A0", "-ism", "@SUM(1)", "'=kept", "sûreté"]


def _termbase() -> list[Concept]:
    return [
        Concept(
            id=f"C{number}",
            subject="=subject" if number == 0 else "",
            terms=(
                Term(f"C{number}", "fr", text, "preferred", note="@note"),
                Term(f"C{number}", "en", f"-{number}", "preferred"),
            ),
        )
        for number, text in enumerate(HOSTILE_TERMS)
    ]


@pytest.mark.parametrize("suffix", [".csv", ".tsv"])
def test_glossary_export_escapes_formulas_and_reads_back(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"glossary{suffix}"
    tables.write(path, _termbase())
    rows = list(
        csv.reader(
            io.StringIO(path.read_text("utf-8-sig")), delimiter=";" if suffix == ".csv" else "\t"
        )
    )
    cells = [cell for row in rows[1:] for cell in row]
    assert not [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    again = tables.read(path).concepts
    assert sorted((t.language, t.text, t.note) for c in again for t in c.terms) == sorted(
        (t.language, t.text, t.note) for c in _termbase() for t in c.terms
    )
    assert next(c for c in again if c.id == "C0").subject == "=subject"


def test_analysis_csv_escapes_file_names() -> None:
    segment = DraftSegment(id="1", paragraph=1, source="Texte.", band="none")
    report = analyse([Draft(name="=cmd|' /C calc'!A0.txt", segments=(segment,))])
    rows = list(csv.reader(io.StringIO(to_csv(report))))
    assert {row[0] for row in rows[1:]} == {"'=cmd|' /C calc'!A0.txt", "batch"}
    assert rows[1][2:] == ["0", "0", "0.0"]  # numbers stay numbers


def test_a_broken_utf16_termbase_is_refused(tmp_path: Path) -> None:
    # found by the fuzzer (stress/fuzz.py): the UnicodeDecodeError escaped the CSV reader
    path = tmp_path / "terms.csv"
    path.write_bytes(b"\xff\xfe" + "fr;en\n".encode("utf-16-le") + b"\x41")
    with pytest.raises(InvalidInput, match="not valid UTF-16"):
        tables.read(path)
