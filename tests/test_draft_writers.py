"""Draft writers: XLIFF 1.2 (strict schema), XLIFF 2.1 with mtc, TMX and text; fill in place."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from tm.drafting.draft import NEEDS_REVIEW, NEEDS_TRANSLATION, TRANSLATED, Draft, DraftSegment
from tm.formats import drafts, tmx, xliff, xliff2_writer, xliff_input, xliff_writer
from tm.formats.skip import Skip
from tm.retrieval.matching import Match
from tm.segment import Unit

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SCHEMA = SHARED / "data" / "schemas" / "xliff-1.2" / "xliff-core-1.2-strict.xsd"
XLIFF_12 = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
XLIFF_2 = {"x": "urn:oasis:names:tc:xliff:document:2.0", "mtc": xliff2_writer.MATCHES}

FUZZY = Match(
    id=7,
    source="Les ministres ont examiné la posture de défense.",
    target="Ministers discussed the defence posture.",
    score=87.5,
    adapted_target="Ministers discussed the defence posture.",
    band="85-94",
    origin="press",
)
DRAFT = Draft(
    "release.fr.txt",
    (
        DraftSegment(
            id="1",
            paragraph=1,
            source="Les ministres se sont réunis.",
            target="Ministers met.",
            state=TRANSLATED,
            score=100,
            band="100",
        ),
        DraftSegment(
            id="2",
            paragraph=1,
            source="Les ministres ont examiné la posture de défense alliée.",
            target=FUZZY.adapted_target,
            state=NEEDS_REVIEW,
            score=87.5,
            band="85-94",
            match=FUZZY,
            alternatives=(FUZZY,),
            notes=("glossary: défense → defence",),
        ),
        DraftSegment(id="3", paragraph=2, source="Une phrase nouvelle & <à traduire>."),
    ),
)


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    if not SCHEMA.exists():
        pytest.skip("the shared XLIFF 1.2 schema folder is absent")
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def test_xliff_12_states_alternatives_and_schema(tmp_path: Path, schema: etree.XMLSchema) -> None:
    path = tmp_path / "draft.xlf"
    xliff_writer.write(DRAFT, path)
    tree = etree.parse(str(path))
    schema.assertValid(tree)
    targets = tree.findall(".//x:trans-unit/x:target", XLIFF_12)
    assert [(t.get("state"), t.get("state-qualifier")) for t in targets] == [
        ("translated", "exact-match"),
        ("needs-review-translation", "fuzzy-match"),
        ("needs-translation", None),
    ]
    assert [t.text for t in targets] == ["Ministers met.", FUZZY.target, None]
    alt = tree.find(".//x:alt-trans", XLIFF_12)
    assert alt is not None
    assert (alt.get("match-quality"), alt.get("origin")) == ("87", "press")
    assert [g.get("id") for g in tree.findall(".//x:group", XLIFF_12)] == ["p1", "p2"]
    assert tree.findtext(".//x:note", namespaces=XLIFF_12) == "glossary: défense → defence"


def test_xliff_12_filled_in_place_keeps_ids_notes_tags(
    tmp_path: Path, schema: etree.XMLSchema
) -> None:
    document = xliff_input.load(DATA / "pretranslation" / "export.xlf")
    assert [s.id for s in document.segments] == ["tu-17", "tu-18", "tu-19"]  # tu-20 is final
    segments = [
        DraftSegment(
            id=s.id,
            paragraph=n,
            source=s.text,
            source_tags=s.tags,
            target="Defence Ministers met in <t1>Brussels</t1>." if n == 1 else "",
            state=NEEDS_REVIEW if n == 1 else NEEDS_TRANSLATION,
            alternatives=(FUZZY,) if n == 1 else (),
        )
        for n, s in enumerate(document.segments, start=1)
    ]
    path = tmp_path / "export.xlf"
    drafts.fill(document, segments, path)
    tree = etree.parse(str(path))
    schema.assertValid(tree)
    units = tree.findall(".//x:trans-unit", XLIFF_12)
    assert [u.get("id") for u in units] == ["tu-17", "tu-18", "tu-19", "tu-20"]
    first = etree.tostring(units[0].find("x:target", XLIFF_12), encoding="unicode")
    assert '<g id="1">Brussels</g>' in first
    assert units[0].findtext("x:note", namespaces=XLIFF_12) == "Titre du communiqué"
    assert units[3].findtext("x:target", namespaces=XLIFF_12) == (
        "The next meeting will be held in February."
    )
    assert [child.tag.split("}")[1] for child in units[0]] == [
        "source",
        "target",
        "note",
        "alt-trans",
    ]


def test_xliff_21_matches_module(tmp_path: Path) -> None:
    path = tmp_path / "draft.xlf"
    xliff2_writer.write(DRAFT, path)
    tree = etree.parse(str(path))
    root = tree.getroot()
    assert (root.get("version"), root.get("srcLang"), root.get("trgLang")) == ("2.1", "fr", "en")
    segments = tree.findall(".//x:segment", XLIFF_2)
    assert [(s.get("state"), s.get("subState")) for s in segments] == [
        ("translated", "tm:exact-match"),
        ("initial", "tm:fuzzy-match"),
        ("initial", None),
    ]
    match = tree.find(".//mtc:matches/mtc:match", XLIFF_2)
    assert match is not None
    assert (match.get("ref"), match.get("similarity"), match.get("origin")) == (
        f"#{segments[1].get('id')}",
        "87",
        "press",
    )
    assert match.findtext("x:target", namespaces=XLIFF_2) == FUZZY.target
    assert "xmlns:mtc=" in path.read_text("utf-8")


def test_xliff_2_filled_in_place(tmp_path: Path) -> None:
    document = xliff_input.load(DATA / "pretranslation" / "export2.xlf")
    assert [s.id for s in document.segments] == ["u1/s1", "u2/s2", "u2/s3"]
    segments = [
        DraftSegment(id=s.id, paragraph=1, source=s.text, source_tags=s.tags)
        for s in document.segments
    ]
    segments[1] = DraftSegment(
        id="u2/s2",
        paragraph=1,
        source=document.segments[1].text,
        target="Allies delivered air defence systems.",
        state=NEEDS_REVIEW,
        alternatives=(FUZZY,),
    )
    drafts.fill(document, segments, tmp_path / "out.xlf")
    tree = etree.parse(str(tmp_path / "out.xlf"))
    unit = tree.findall(".//x:unit", XLIFF_2)[1]
    assert etree.QName(unit[0]).localname == "matches"
    assert unit.find(".//mtc:match", XLIFF_2).get("ref") == "#s2"  # type: ignore[union-attr]
    assert tree.find(".//x:note", XLIFF_2).text == "Titre"  # type: ignore[union-attr]


def test_tmx_and_text(tmp_path: Path) -> None:
    drafts.write(DRAFT, tmp_path / "d.tmx", format="tmx")
    with (tmp_path / "d.tmx").open("rb") as stream:
        read = list(tmx.read(tmp_path / "d.tmx", stream, origin="x"))
    units = [u for u in read if isinstance(u, Unit)]
    assert [u.target for u in units] == ["Ministers met.", FUZZY.target]
    assert [u for u in read if isinstance(u, Skip)] == [Skip("d.tmx:4", "empty segment")]
    assert ["x-match-score", "87"] in units[1].properties["props"]
    drafts.write(DRAFT, tmp_path / "d.txt", format="txt")
    assert (tmp_path / "d.txt").read_text("utf-8") == (
        f"Ministers met. {FUZZY.target}\nUne phrase nouvelle & <à traduire>.\n"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("<xliff version='1.2'><file>", "malformed XML"),
        ("<xliff version='3.0'/>", "unsupported XLIFF version"),
        ("<tmx version='1.4'/>", "not an XLIFF file"),
        (
            "<xliff version='1.2' xmlns='urn:oasis:names:tc:xliff:document:1.2'>"
            "<file source-language='en' target-language='fr' original='a' datatype='x'>"
            "<body/></file></xliff>",
            "expected French to English",
        ),
    ],
)
def test_bad_xliff(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.xlf"
    path.write_text(content, "utf-8")
    with pytest.raises(xliff_input.InvalidInput, match=message):
        xliff_input.load(path)


TEXT = st.text(
    alphabet=st.characters(
        whitelist_categories=("L", "N", "P", "Zs"), blacklist_characters="<>\u00a0\u2028"
    ),
    min_size=1,
    max_size=40,
).filter(lambda s: s.strip() == s and s.strip() != "")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(TEXT, TEXT), min_size=1, max_size=5))
def test_translated_xliff_12_reads_back(pairs: list[tuple[str, str]]) -> None:
    draft = Draft(
        "d.txt",
        tuple(
            DraftSegment(id=str(n), paragraph=1, source=s, target=t, state=TRANSLATED)
            for n, (s, t) in enumerate(pairs, start=1)
        ),
    )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "d.xlf"
        xliff_writer.write(draft, path)
        with path.open("rb") as stream:
            units = [u for u in xliff.read(path, stream, origin="o") if isinstance(u, Unit)]
    assert [(u.source, u.target) for u in units] == pairs


def test_xliff_12_segmented_unit_filled_per_mrk(tmp_path: Path, schema: etree.XMLSchema) -> None:
    document = xliff_input.load(DATA / "pretranslation" / "segmented.xlf")
    assert [(s.id, s.mid) for s in document.segments] == [("7/1", "1"), ("7/2", "2"), ("7/3", "3")]
    assert document.segments[1].text == "Le sommet se tiendra à <t1>Washington</t1> en juillet."
    found = document.segments
    segments = [
        DraftSegment(
            id="7/1",
            paragraph=1,
            source=found[0].text,
            target="Defence Ministers met in Brussels.",
            state=TRANSLATED,
        ),
        DraftSegment(
            id="7/2",
            paragraph=1,
            source=found[1].text,
            source_tags=found[1].tags,
            target="The summit will be held in <t1>Washington</t1> in July.",
            state=NEEDS_REVIEW,
            alternatives=(FUZZY,),
            notes=("checked",),
        ),
        DraftSegment(id="7/3", paragraph=1, source=found[2].text),
    ]
    drafts.fill(document, segments, tmp_path / "out.xlf")
    tree = etree.parse(str(tmp_path / "out.xlf"))
    schema.assertValid(tree)
    target = tree.find(".//x:target", XLIFF_12)
    assert target is not None
    assert (target.get("state"), target.get("state-qualifier")) == ("needs-translation", None)
    marks = target.findall("x:mrk", XLIFF_12)
    assert [m.get("mid") for m in marks] == ["1", "2", "3"]
    assert marks[0].text == "Defence Ministers met in Brussels."
    assert '<g id="1">Washington</g>' in etree.tostring(marks[1], encoding="unicode")
    assert marks[2].text is None
    assert tree.find(".//x:alt-trans", XLIFF_12).get("mid") == "2"  # type: ignore[union-attr]
    notes = [n.text for n in tree.findall(".//x:note", XLIFF_12)]
    assert notes == ["Bloc de trois phrases", "[2] checked"]
