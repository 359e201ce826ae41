"""Reading and writing termbases: CSV/TSV dialects and encodings, TBX v2/v3, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from glossaries import isocat, tables, tbx
from glossaries.terms import Concept, Term
from tm.errors import InvalidInput

DATA = Path(__file__).parent / "data"


def test_demo_format_rows_merge_into_concepts() -> None:
    parsed = tables.read(DATA / "glossary.csv")
    concepts = {c.id: c for c in parsed.concepts}
    assert len(concepts) == 12
    c5 = concepts["C5"]
    assert [(t.language, t.text, t.status) for t in c5.in_language("fr")] == [
        ("fr", "ministre des Affaires étrangères", "preferred"),
        ("fr", "ministre des affaires étrangères", "deprecated"),
    ]
    assert [t.text for t in concepts["C6"].in_language("en")] == [
        "Secretary General",
        "Secretary-General",
    ]
    assert concepts["C3"].definition == "A member country."
    assert concepts["C7"].in_language("en")[0].text == "Assistant Secretary General"


DIALECTS = [
    ("comma.csv", "fr,en,note\nAllié,Ally,n\n", "utf-8"),
    ("semi.csv", "fr;en;status\nAllié;Ally;preferred\n", "utf-8-sig"),
    ("excel.csv", "fr;en;statut\nAllié;Ally;privilégié\n", "cp1252"),
    ("tabs.tsv", "fr\ten\tsubject\nAllié\tAlly\tinstitutions\n", "utf-8"),
    ("quoted.csv", 'fr,en,note\n"Allié","Ally","two\nlines"\n', "utf-8"),
    ("utf16.csv", "fr;en\nAllié;Ally\n", "utf-16"),
]


@pytest.mark.parametrize(("name", "text", "encoding"), DIALECTS)
def test_csv_dialects_and_encodings(tmp_path: Path, name: str, text: str, encoding: str) -> None:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    (concept,) = tables.read(path).concepts
    assert [(t.language, t.text, t.status) for t in concept.terms] == [
        ("fr", "Allié", "preferred"),
        ("en", "Ally", "preferred"),
    ]


BAD_CSV = [
    ("fr;en;colour\nOTAN;NATO;red\n", "unknown column(s) 'colour'", 1),
    ("note;subject\nx;y\n", "no 'fr' or 'en' column", 1),
    ("fr;en\nOTAN;NATO\n;\nx;y\n ; \n", None, None),  # empty rows are skipped
    ("fr;en;note\nOTAN;NATO;\n;;only a note\n", "empty term", 3),
    ("fr;en;status\nOTAN;NATO;maybe\n", "unknown status 'maybe'", 2),
    ("concept;fr;en;definition\nC1;OTAN;NATO;a\nC1;Alliance;Alliance;b\n", "two different", 3),
    ("concept;fr;fr_status\nC1;OTAN;preferred\nC1;OTAN;deprecated\n", "different statuses", 3),
    ("fr;en\nOTAN;NATO;extra\n", "3 cells for 2 columns", 2),
    ("", "the file is empty", None),
]


@pytest.mark.parametrize(("text", "message", "line"), BAD_CSV)
def test_bad_csv_says_where(tmp_path: Path, text: str, message: str | None, line: int) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(text, "utf-8")
    if message is None:
        assert len(tables.read(path).concepts) == 2
        return
    with pytest.raises(InvalidInput) as raised:
        tables.read(path)
    assert message in raised.value.message
    assert raised.value.file == str(path)
    assert raised.value.line == line


def test_tbx_v2_martif() -> None:
    parsed = tbx.read(DATA / "glossary-v2.tbx")
    c1, c8 = parsed.concepts
    assert (c1.id, c1.subject, [t.text for t in c1.terms]) == (
        "C1",
        "institutions",
        ["OTAN", "NATO"],
    )
    assert c8.definition.startswith("Attack against one")
    assert [(t.language, t.text, t.status, t.note) for t in c8.terms] == [
        ("fr", "défense collective", "preferred", ""),
        ("en", "collective defence", "preferred", ""),
        ("en", "collective defense", "deprecated", "US spelling."),
    ]


V3 = """<?xml version="1.0" encoding="UTF-8"?>
<tbx xmlns="urn:iso:std:iso:30042:ed-2" type="TBX-Basic" style="dca" xml:lang="fr"><text><body>
{entries}
</body></text></tbx>"""
ENTRY = """<conceptEntry id="{id}"><langSec xml:lang="fr"><termSec><term>{term}</term>
<termNote type="administrativeStatus">{status}</termNote></termSec></langSec></conceptEntry>"""

BAD_TBX = [
    (
        V3.format(entries=ENTRY.format(id="C1", term="", status="preferredTerm-admn-sts")),
        "empty term",
    ),
    (
        V3.format(entries=ENTRY.format(id="C1", term="OTAN", status="preferredTerm-admn-sts") * 2),
        "duplicate concept id 'C1'",
    ),
    (V3.format(entries=ENTRY.format(id="C1", term="OTAN", status="bestTerm")), "unknown"),
    (V3.format(entries="<conceptEntry id='C1'>"), "malformed XML"),
    ("<html><body/></html>", "not a TBX file"),
    (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>'
        "<tbx><text><body/></text></tbx>",
        "DTD declarations and entities are not accepted",
    ),
]


@pytest.mark.parametrize(("text", "message"), BAD_TBX)
def test_bad_tbx_is_refused_with_a_message(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.tbx"
    path.write_text(text, "utf-8")
    with pytest.raises(InvalidInput) as raised:
        tbx.read(path)
    assert message in raised.value.message
    assert raised.value.file == str(path)


def _comparable(concepts: list[Concept]) -> list[tuple[object, ...]]:
    return [
        (
            c.id,
            c.subject,
            c.definition,
            sorted((t.language, t.text, t.status, t.note, t.source) for t in c.terms),
        )
        for c in concepts
    ]


@pytest.mark.parametrize("suffix", [".tbx", ".csv"])
def test_export_then_read_gives_the_same_termbase(tmp_path: Path, suffix: str) -> None:
    concepts = [c for c in tables.read(DATA / "glossary.csv").concepts if c.id not in ("C5",)]
    path = tmp_path / f"out{suffix}"
    (tbx if suffix == ".tbx" else tables).write(path, concepts)
    again = (tbx if suffix == ".tbx" else tables).read(path).concepts
    assert _comparable(again) == _comparable(concepts)


def test_tsv_export_is_omegat(tmp_path: Path) -> None:
    path = tmp_path / "out.tsv"
    tables.write(path, tables.read(DATA / "glossary.csv").concepts)
    header, first, *_rest = path.read_text("utf-8").splitlines()
    assert header.startswith("# fr\ten\tomegat_comment\tconcept")  # OmegaT skips `#` lines
    assert first.split("\t")[:3] == ["OTAN", "NATO", ""]


texts = (
    st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "Zs"]), min_size=1)
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)


@settings(max_examples=40, deadline=None)
@given(fr=texts, en=texts, status=st.sampled_from(["preferred", "admitted", "deprecated"]))
def test_tbx_round_trip(
    tmp_path_factory: pytest.TempPathFactory, fr: str, en: str, status: str
) -> None:
    path = tmp_path_factory.mktemp("tbx") / "round.tbx"
    concept = Concept("X1", "s", "d", (Term("X1", "fr", fr, status), Term("X1", "en", en)))
    tbx.write(path, [concept])
    assert _comparable(tbx.read(path).concepts) == _comparable([concept])


def test_iso_12620_dc4025_termbase() -> None:
    (concept,) = isocat.read(DATA / "termbase-dc4025.xml").concepts
    assert (concept.id, concept.subject) == ("T-0001", "Gouvernance")
    assert concept.definition == "Organe de décision de l'université."
    assert [(t.language, t.text, t.status) for t in concept.terms] == [
        ("fr", "conseil d'administration", "preferred"),
        ("fr", "CA", "deprecated"),
        ("en", "Board of Governors", "preferred"),
        ("en", "Board of Directors", "admitted"),
    ]
