"""Real exchange files in and out (issue 17): vendor-style XLIFF filled in place without touching
a translation or a byte tm does not fill, confirmed segments only imported, TMX metadata and
codes both ways. Fixtures in tests/data/interop are written for tm in the style of Trados,
memoQ, Okapi, the OASIS XLIFF 2 examples, Translate Toolkit and OmegaT."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from service.main import app
from service.pipelines.pretranslation import pretranslate
from tm import TranslationMemory
from tm.errors import InvalidInput
from tm.formats import codes, xliff_input
from tm.formats.splice import decode
from tm.text.inline import extract

DATA = Path(__file__).parent / "data"
INTEROP = DATA / "interop"
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
TMX_DTD = SHARED / "exchange-files" / "schemas" / "omegat__tmx14.dtd"
XLIFF_12_XSD = SHARED / "schemas" / "xliff-1.2" / "xliff-core-1.2-strict.xsd"
X12 = {"x": "urn:oasis:names:tc:xliff:document:1.2"}
X2 = {"x": "urn:oasis:names:tc:xliff:document:2.0"}
runner = CliRunner()


@pytest.fixture
def filled(memory: TranslationMemory) -> TranslationMemory:
    memory.import_files([DATA / "pretranslation" / "memory.fr"], origin="press")
    return memory


def drafted(memory: TranslationMemory, name: str, out: Path, **options: object) -> Path:
    batch = pretranslate(memory, [INTEROP / name], out=out, workers=1, **options)  # type: ignore[arg-type]
    assert not batch.failed, batch.failed
    output = batch.files[0].output
    assert output is not None
    return output


def lost(before: str, after: str) -> str:
    """The characters of `before` that `after` does not keep, in order."""
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return "".join(
        before[i1:i2]
        for tag, i1, i2, _j1, _j2 in matcher.get_opcodes()
        if tag in ("delete", "replace")
    )


def existing_targets(path: Path) -> list[str]:
    """Every target (or target `mrk`) with content, as the file writes it."""
    from tm.formats.splice import Splice

    document = xliff_input.load(path)
    splice = Splice(path, document.tree)
    return [splice.raw(s.target) for s in document.existing if s.target is not None]


# -- pretranslation never removes or overwrites a translation --------------------------------


@pytest.mark.parametrize("name", ["trados.sdlxliff", "memoq.mqxliff", "okapi.xlf", "oasis-2.0.xlf"])
def test_existing_translations_and_every_other_byte_are_kept(
    filled: TranslationMemory, tmp_path: Path, name: str
) -> None:
    source = INTEROP / name
    output = drafted(filled, name, tmp_path)
    before, after = decode(source.read_bytes())[0], decode(output.read_bytes())[0]
    written = output.read_text("utf-8-sig" if name != "okapi.xlf" else "utf-8")
    for raw in existing_targets(source):
        assert raw in written  # byte for byte
    # What the draft does not keep of the input: empty targets filled, a state attribute.
    assert len(lost(before, after)) < 60, lost(before, after)
    assert output.read_bytes()[:3] == source.read_bytes()[:3]  # BOM (or not) kept


def test_trados_file_filled_per_segment_in_one_line(
    filled: TranslationMemory, tmp_path: Path
) -> None:
    output = drafted(filled, "trados.sdlxliff", tmp_path)
    raw = output.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\n" not in raw  # not pretty-printed
    tree = etree.parse(str(output))
    units = tree.findall(".//x:trans-unit", X12)
    marks = units[0].findall("x:target/x:mrk", X12)
    assert [m.text for m in marks[:2]] == [
        "Defence Ministers gathered in Brussels.",  # Translated: kept
        "The meeting was chaired by the SG (draft).",  # Draft with text: kept too
    ]
    filled_mark = etree.tostring(marks[2], encoding="unicode", with_tail=False)
    assert 'id="pt1"' in filled_mark and "Washington" in filled_mark  # the source's code
    assert units[1].find("x:target/x:mrk", X12).text is None  # translate="no"
    assert units[2].get("approved") == "yes"  # a new target from an exact match
    assert units[2].find("x:target", X12).get("state") == "translated"
    assert b'<sdl:seg-defs><sdl:seg id="1" conf="Translated"' in raw  # vendor part untouched
    report = pretranslate(filled, [INTEROP / "trados.sdlxliff"], out=tmp_path / "2", workers=1)
    counts = report.analysis.batch
    assert (counts.count("existing").segments, counts.count("locked").segments) == (2, 1)


def test_okapi_line_ends_states_and_groups(filled: TranslationMemory, tmp_path: Path) -> None:
    output = drafted(filled, "okapi.xlf", tmp_path)
    raw = output.read_bytes()
    assert raw.count(b"\r\n") == (INTEROP / "okapi.xlf").read_bytes().count(b"\r\n")
    units = {u.get("id"): u for u in etree.parse(str(output)).iter("{*}trans-unit")}
    assert (
        units["2"].find("x:target", X12).text == "  The meeting was led by the Secretary General.  "
    )
    assert units["3"].find("x:target", X12).get("state") == "signed-off"
    assert (
        units["1"].find("x:target", X12).get("{http://www.w3.org/XML/1998/namespace}lang")
        == "en-GB"
    )
    assert units["1"].find("x:target/x:g", X12) is not None
    assert units["4"].find("x:target", X12) is None  # in a translate="no" group
    assert units["5"].find("x:target", X12) is not None


def test_overwrite_replaces_and_counts(filled: TranslationMemory, tmp_path: Path) -> None:
    batch = pretranslate(
        filled, [INTEROP / "okapi.xlf"], out=tmp_path, workers=1, overwrite=True, threshold=60
    )
    assert batch.analysis.batch.replaced == 2
    units = {u.get("id"): u for u in etree.parse(str(tmp_path / "okapi.xlf")).iter("{*}trans-unit")}
    assert (
        units["2"].find("x:target", X12).text == "The meeting was chaired by the Secretary General."
    )


def test_cli_and_http_overwrite_agree(
    filled: TranslationMemory, db_path: Path, tmp_path: Path
) -> None:
    from fastapi.testclient import TestClient

    from service import keys
    from service.http.app import create_app
    from service.settings import Settings

    result = runner.invoke(
        app,
        ["--db", str(db_path), "pretranslate", str(INTEROP / "okapi.xlf"), "--out",
         str(tmp_path / "cli"), "--overwrite", "--threshold", "60", "--workers", "1", "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert '"replaced": 2' in result.output
    keys.ensure_schema(filled.db)
    secret = keys.create(filled.db, role="translator", name="t", now="2024-01-01T00:00:00Z")[0]
    with TestClient(create_app(Settings(db=db_path, allowed_hosts=("testserver",)))) as client:  # type: ignore[call-arg]
        answer = client.post(
            "/pretranslate",
            headers={"Authorization": f"Bearer {secret}"},
            files={"files": ("okapi.xlf", (INTEROP / "okapi.xlf").read_bytes())},
            data={"threshold": "60", "overwrite": "true"},
        )
    assert answer.status_code == 200, answer.text
    assert answer.json()["analysis"]["batch"]["replaced"] == 2
    written = (tmp_path / "cli" / "okapi.xlf").read_bytes().decode("utf-8")
    notes = re.compile(r'<note from="tm">[^<]*</note>')  # the edges' annotators differ
    assert notes.sub("", answer.json()["drafts"][0]["content"]) == notes.sub("", written)


def test_xliff_2_codes_trglang_and_states(filled: TranslationMemory, tmp_path: Path) -> None:
    output = drafted(filled, "oasis-2.0.xlf", tmp_path)
    tree = etree.parse(str(output))
    assert tree.getroot().get("trgLang") == "en"
    segments = {s.get("id"): s for s in tree.iter("{*}segment")}
    target = segments["s1"].find("x:target", X2)
    assert target is not None
    ph = target.find("x:ph", X2)
    assert ph is not None and ph.get("canDelete") == "no"  # the source's code, always
    assert target.find("x:pc", X2) is not None
    assert (
        segments["s2"].findtext("x:target", namespaces=X2) == "The meeting was chaired by the SG."
    )
    assert (
        segments["s3"].findtext("x:target", namespaces=X2)
        == "The summit will be held in Washington in July."
    )
    assert segments["s4"].find("x:target", X2) is None  # translate="no"
    assert "<t1>" not in output.read_text("utf-8")


@pytest.mark.skipif(not XLIFF_12_XSD.exists(), reason="the shared XLIFF 1.2 schema is absent")
def test_draft_of_a_valid_file_stays_valid(filled: TranslationMemory, tmp_path: Path) -> None:
    schema = etree.XMLSchema(etree.parse(str(XLIFF_12_XSD)))
    source = DATA / "pretranslation" / "export.xlf"
    schema.assertValid(etree.parse(str(source)))
    batch = pretranslate(filled, [source], out=tmp_path, workers=1)
    schema.assertValid(etree.parse(str(batch.files[0].output)))


# -- import: confirmed segments only ---------------------------------------------------------


IMPORTS = [
    ("trados.sdlxliff", ["Defence Ministers gathered in Brussels."], "Trados segment Draft"),
    ("memoq.mqxliff", ["The North Atlantic Council adopted a joint statement."], "memoQ status"),
    ("okapi.xlf", ["The SG welcomed Allies’ commitment."], "state new"),
    ("toolkit-1.1.xlf", ["Defence Ministers met in Brussels."], "state needs-review"),
]


@pytest.mark.parametrize(("name", "targets", "reason"), IMPORTS)
def test_only_confirmed_segments_are_imported(
    memory: TranslationMemory, name: str, targets: list[str], reason: str
) -> None:
    report = memory.import_files([INTEROP / name])
    assert sorted(s.target for s in memory.segments()) == targets
    assert any(why.startswith(reason) for _where, why in report.skipped), report.skipped


def test_translate_no_and_initial_are_not_imported(memory: TranslationMemory) -> None:
    with pytest.raises(InvalidInput, match="no French–English pair"):
        memory.import_files([INTEROP / "oasis-2.0.xlf"])
    assert memory.count() == 0


# -- TMX: metadata and codes both ways ------------------------------------------------------


def test_tuv_metadata_and_variants_round_trip(memory: TranslationMemory, tmp_path: Path) -> None:
    memory.import_files([INTEROP / "omegat-project.tmx"])
    stored = {s.target: s for s in memory.segments()}
    assert len(stored) == 3  # en-GB and en-US variants are two pairs
    british = stored["Foreign Ministers met their partner counterparts."]
    assert (british.author, british.created) == ("marie", "2024-02-01T09:00:00Z")
    memory.export(tmp_path / "out.tmx")
    text = (tmp_path / "out.tmx").read_text("utf-8")
    assert 'changeid="marie"' in text and "<note>British spelling</note>" in text
    assert 'xml:lang="en-US"' in text and 'usagecount="3"' in text
    with TranslationMemory.open(tmp_path / "again.db") as again:
        again.import_files([tmp_path / "out.tmx"])
        again.export(tmp_path / "again.tmx")
    assert (tmp_path / "again.tmx").read_text("utf-8") == text


XLIFF_CODES = (
    "<xliff version='1.2' xmlns='urn:oasis:names:tc:xliff:document:1.2'>"
    "<file source-language='fr' target-language='en' original='a' datatype='html'><body>"
    "<trans-unit id='1'><source>Voir <g id='1' ctype='bold'>ici</g><x id='2'/> et "
    "<bx id='3'/>là<ex id='3'/>.</source><target>See <g id='1' ctype='bold'>here</g><x id='2'/>"
    " and <bx id='3'/>there<ex id='3'/>.</target></trans-unit></body></file></xliff>"
)


@pytest.mark.skipif(not TMX_DTD.exists(), reason="the shared TMX DTD is absent")
def test_codes_of_any_format_export_as_valid_tmx(memory: TranslationMemory, tmp_path: Path) -> None:
    path = tmp_path / "codes.xlf"
    path.write_text(XLIFF_CODES, "utf-8")
    memory.import_files([path])
    memory.export(tmp_path / "out.tmx")
    tree = etree.parse(str(tmp_path / "out.tmx"))
    dtd = etree.DTD(str(TMX_DTD))
    assert dtd.validate(tree), dtd.error_log
    names = {e.tag for seg in tree.iter("seg") for e in seg.iter() if e is not seg}
    assert names <= {"bpt", "ept", "ph", "it", "hi", "sub"}
    with TranslationMemory.open(tmp_path / "again.db") as again:
        again.import_files([tmp_path / "out.tmx"])
        (pair,) = again.segments()
    assert (pair.source, len(pair.source_tags)) == ("Voir <t1>ici</t1><t2/> et <t3>là</t3>.", 3)


CARRY = [
    ("See <t1>here</t1>.", {"1": "wrap"}, "See <t1>here</t1>."),
    ("See <t5>here</t5>.", {"1": "wrap"}, "See here.<t1></t1>"),  # the TM's code is not ours
    ("Hello<t2/>.", {"1": "point"}, "Hello.<t1/>"),
    ("<t1/><t1/>twice", {"1": "point"}, "<t1/>twice"),
    ("<t1><t2>crossed</t1></t2>", {"1": "wrap", "2": "wrap"}, "<t1><t2>crossed</t2></t1>"),
    ("plain", {}, "plain"),
    ("<t1>dropped</t1>", {}, "dropped"),
]


@pytest.mark.parametrize(("text", "kinds", "expected"), CARRY)
def test_carry_writes_exactly_the_source_codes(
    text: str, kinds: dict[str, str], expected: str
) -> None:
    tags = {n: {"kind": k, "xml": "<x/>"} for n, k in kinds.items()}
    assert codes.carry(text, tags) == expected


def test_to_tmx_keeps_tmx_codes_and_converts_others() -> None:
    _text, tags = extract(
        etree.fromstring(
            "<seg>a<bpt i='7'>&lt;b&gt;</bpt>b<ept i='7'>&lt;/b&gt;</ept>"
            "<ut>&lt;br&gt;</ut><hi type='x'>c</hi></seg>"
        )
    )
    converted = codes.to_tmx(tags)
    assert converted["1"] == tags["1"]  # a valid bpt/ept pair stays as it was
    assert converted["2"]["xml"].startswith("<ph")  # ut is deprecated: a ph
    assert converted["3"] == tags["3"]  # hi


# -- every real exchange file: a clear refusal or a valid round trip --------------------------

EXCHANGE = SHARED / "exchange-files"


def _real(folder: str) -> list[Path]:
    return sorted((EXCHANGE / folder).iterdir()) if EXCHANGE.is_dir() else []


@pytest.mark.skipif(not EXCHANGE.is_dir(), reason="../shared/data/exchange-files is absent")
@pytest.mark.parametrize(
    "path", _real("tmx") + _real("xliff12") + _real("xliff2"), ids=lambda p: p.name
)
def test_real_file_is_refused_clearly_or_exports_valid_tmx(path: Path, tmp_path: Path) -> None:
    with TranslationMemory.open(tmp_path / "tm.db") as memory:
        try:
            memory.import_files([path])
        except InvalidInput as error:
            assert error.file == str(path)
            assert memory.count() == 0
            return
        memory.export(tmp_path / "out.tmx")
    dtd = etree.DTD(str(TMX_DTD))
    assert dtd.validate(etree.parse(str(tmp_path / "out.tmx"))), dtd.error_log
