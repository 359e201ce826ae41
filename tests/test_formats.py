"""Importers and the TMX exporter: every format, encoding and bad input."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tm import InvalidInput, TranslationMemory

TMX_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'


def tmx(body: str, *, srclang: str = "fr-FR", prolog: str = TMX_HEAD) -> str:
    return (
        f'{prolog}<tmx version="1.4"><header srclang="{srclang}" segtype="sentence" '
        f'o-tmf="x" adminlang="en" datatype="plaintext" creationtool="t" '
        f'creationtoolversion="1"/>\n<body>\n{body}\n</body></tmx>\n'
    )


def tu(fr: str, en: str, fr_code: str = "fr-FR", en_code: str = "en-US") -> str:
    return (
        f'<tu><tuv xml:lang="{en_code}"><seg>{en}</seg></tuv>'
        f'<tuv xml:lang="{fr_code}"><seg>{fr}</seg></tuv></tu>'
    )


def test_sample_tmx_imports_with_metadata_and_tags(
    memory: TranslationMemory, sample_tmx: Path
) -> None:
    report = memory.import_files([sample_tmx], origin="press")
    assert (report.imported, report.duplicates, report.skipped) == (20, 0, [])
    segments = {s.source: s for s in memory.segments()}
    tagged = next(s for s in segments.values() if "bouton" in s.source)
    assert tagged.source == "Cliquez sur le <t1>bouton</t1> pour continuer.<t2/>"
    assert tagged.source_tags["1"]["xml"] == '<bpt i="1">&lt;b&gt;</bpt>'
    first = segments["Le secrétaire général a présidé la réunion."]
    assert first.document == "release-1"
    assert first.author == "translator2"
    assert first.created == "2023-11-03T12:00:00Z"
    assert first.origin == "press"
    assert ["client", "press office"] in first.properties["props"]


def test_export_then_import_gives_back_segments(
    tmp_path: Path, memory: TranslationMemory, sample_tmx: Path
) -> None:
    memory.import_files([sample_tmx], origin="press")
    out = tmp_path / "out.tmx"
    assert memory.export(out) == 20
    assert '<bpt i="1">&lt;b&gt;</bpt>bouton<ept i="1">' in out.read_text("utf-8")
    with TranslationMemory.open(tmp_path / "again.db") as again:
        again.import_files([out])
        assert [s.unit() for s in again.segments()] == [s.unit() for s in memory.segments()]


texts = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc"), blacklist_characters="<>&\ufffe\uffff"
    ),
    min_size=1,
    max_size=40,
).filter(lambda t: t.strip() == t and t != "")


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(pairs=st.lists(st.tuples(texts, texts), min_size=1, max_size=8, unique=True))
def test_round_trip_property(
    tmp_path_factory: pytest.TempPathFactory, pairs: list[tuple[str, str]]
) -> None:
    folder = tmp_path_factory.mktemp("rt")
    with TranslationMemory.open(folder / "a.db") as first:
        for number, (fr, en) in enumerate(pairs):
            first.add(fr, en, origin="o", document="doc", position=number, author="me")
        first.export(folder / "a.tmx")
        with TranslationMemory.open(folder / "b.db") as second:
            second.import_files([folder / "a.tmx"])
            assert [s.unit() for s in second.segments()] == [s.unit() for s in first.segments()]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16-le", "utf-16-be"])
def test_encodings_give_the_same_segments(tmp_path: Path, encoding: str) -> None:
    text = tmx(
        tu("Les Alliés se réunissent à Bruxelles.", "Allies meet in Brussels."),
        prolog=f'<?xml version="1.0" encoding="{encoding.split("-sig")[0].upper()}"?>\n',
    )
    data = text.encode(encoding)
    if encoding.startswith("utf-16"):
        data = (b"\xff\xfe" if encoding.endswith("le") else b"\xfe\xff") + data
        data = data.replace(b"", b"")
    path = tmp_path / "x.tmx"
    path.write_bytes(data)
    with TranslationMemory.open(tmp_path / "tm.db") as memory:
        memory.import_files([path])
        assert [(s.source, s.target) for s in memory.segments()] == [
            ("Les Alliés se réunissent à Bruxelles.", "Allies meet in Brussels.")
        ]


def test_english_source_tmx_is_imported_french_to_english(
    tmp_path: Path, memory: TranslationMemory
) -> None:
    path = tmp_path / "en.tmx"
    path.write_text(tmx(tu("Bonjour.", "Hello.", "FR-ca", "en"), srclang="en-US"), "utf-8")
    memory.import_files([path])
    assert [(s.source, s.target) for s in memory.segments()] == [("Bonjour.", "Hello.")]


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;">]>
<tmx version="1.4"><body><tu><tuv xml:lang="fr"><seg>&lol2;</seg></tuv></tu></body></tmx>"""
QUADRATIC = (
    '<?xml version="1.0"?>\n<!DOCTYPE t [<!ENTITY a "' + "x" * 5000 + '">]>\n'
    '<tmx version="1.4"><body><tu><tuv xml:lang="fr"><seg>'
    + "&a;" * 200
    + "</seg></tuv></tu></body></tmx>"
)
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE tmx [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<tmx version="1.4"><body><tu><tuv xml:lang="fr"><seg>&xxe;</seg></tuv></tu></body></tmx>"""

BAD_FILES = [
    (
        "malformed.tmx",
        tmx("<tu><tuv xml:lang='fr'><seg>ouvert</tuv></tu>").encode(),
        "malformed XML",
        True,
    ),
    ("bomb.tmx", BOMB.encode(), "DTD declarations and entities are not accepted", True),
    ("quadratic.tmx", QUADRATIC.encode(), "DTD declarations", True),
    ("external.tmx", EXTERNAL.encode(), "DTD declarations", True),
    ("empty.tmx", b"", "the file is empty", False),
    ("nul.tmx", tmx(tu("a\x00b", "c")).encode(), "malformed XML", True),
    ("latin1.tmx", tmx(tu("Réunion", "Meeting")).encode("latin-1"), "malformed XML", True),
    ("nofrench.tmx", tmx(tu("Hallo", "Hello", "de-DE", "en")).encode(), "no French", False),
    ("undeclared.tmx", tmx(tu("&nbsp;", "x")).encode(), "malformed XML", True),
    ("bad.tsv", "Réunion\tMeeting\n".encode("latin-1"), "not valid utf-8", True),
    ("control.tsv", "Réu\x07nion\tMeeting\n".encode(), "control character U+0007", True),
    ("empty.tsv", b"", "the file is empty", False),
    ("notes.docx", b"PK\x03\x04", "unknown format", False),
]


@pytest.mark.parametrize(("name", "content", "message", "has_line"), BAD_FILES)
def test_bad_input_is_refused_and_nothing_written(
    tmp_path: Path,
    memory: TranslationMemory,
    sample_tmx: Path,
    name: str,
    content: bytes,
    message: str,
    has_line: bool,
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InvalidInput) as caught:
        memory.import_files([sample_tmx, path])
    assert message in str(caught.value)
    assert caught.value.file == str(path)
    assert (caught.value.line is not None) == has_line
    assert memory.count() == 0


def test_doctype_with_system_id_is_accepted(tmp_path: Path, memory: TranslationMemory) -> None:
    path = tmp_path / "dtd.tmx"
    path.write_text(
        tmx(tu("Oui.", "Yes."), prolog=TMX_HEAD + '<!DOCTYPE tmx SYSTEM "tmx14.dtd">\n'), "utf-8"
    )
    assert memory.import_files([path]).imported == 1


XLIFF12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="release.docx" source-language="{src}" target-language="{trg}" datatype="plaintext">
  <body>
   <trans-unit id="1"><source>{a}</source><target state="translated">{b}</target></trans-unit>
   <trans-unit id="2"><source>Pas encore traduit.</source></trans-unit>
   <trans-unit id="3"><source>Avec <g id="1">gras</g>.</source>
     <target state="final">With <g id="1">bold</g>.</target></trans-unit>
  </body>
 </file>
</xliff>"""

XLIFF20 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="fr" trgLang="en">
 <file id="f1" original="note.html">
  <unit id="u1"><segment state="translated"><source>Les Alliés.</source>
   <target>Allies.</target></segment></unit>
  <unit id="u2"><segment state="initial"><source>Rien.</source><target></target></segment></unit>
 </file>
</xliff>"""


@pytest.mark.parametrize(
    ("src", "trg", "a", "b"),
    [
        ("fr-FR", "en-GB", "Bonjour.", "Hello."),
        ("en-GB", "fr-CA", "Hello.", "Bonjour."),
    ],
)
def test_xliff12_translated_units(
    tmp_path: Path, memory: TranslationMemory, src: str, trg: str, a: str, b: str
) -> None:
    path = tmp_path / "x.xlf"
    path.write_text(XLIFF12.format(src=src, trg=trg, a=a, b=b), "utf-8")
    report = memory.import_files([path])
    assert report.imported == 2
    pairs = {(s.source, s.target) for s in memory.segments()}
    assert ("Bonjour.", "Hello.") in pairs
    assert any(skip[1] == "untranslated unit" for skip in report.skipped)
    assert all(s.document == "release.docx" for s in memory.segments())


def test_xliff20(tmp_path: Path, memory: TranslationMemory) -> None:
    path = tmp_path / "x.xlf"
    path.write_text(XLIFF20, "utf-8")
    report = memory.import_files([path])
    assert [(s.source, s.target) for s in memory.segments()] == [("Les Alliés.", "Allies.")]
    assert len(report.skipped) == 1


def test_xliff_unknown_version(tmp_path: Path, memory: TranslationMemory) -> None:
    path = tmp_path / "x.xlf"
    path.write_text(XLIFF20.replace('version="2.0"', 'version="9.9"'), "utf-8")
    with pytest.raises(InvalidInput, match="unsupported XLIFF version"):
        memory.import_files([path])


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("a.tsv", "Bonjour.\tHello.\nMerci.\tThanks.\n", 2),
        ("b.tsv", "fr\ten\nBonjour.\tHello.\n", 1),
        ("c.tsv", "en\tfr\nHello.\tBonjour.\n", 1),
        ("d.csv", 'fr;en\r\nBonjour.;Hello.\r\n"Oui; non";"Yes; no"\r\n', 2),
        ("e.csv", "\ufefffr,en\nBonjour.,Hello.\n", 1),
    ],
)
def test_tables(
    tmp_path: Path, memory: TranslationMemory, name: str, content: str, expected: int
) -> None:
    path = tmp_path / name
    path.write_text(content, "utf-8")
    assert memory.import_files([path]).imported == expected
    assert ("Bonjour.", "Hello.") in {(s.source, s.target) for s in memory.segments()}


def test_reversed_tsv_without_header_is_refused(tmp_path: Path, memory: TranslationMemory) -> None:
    """Once read the other way round with a note in the report; now refused, as every bitext
    in the wrong direction is (tests/test_direction.py), and read so with `swap`."""
    path = tmp_path / "r.tsv"
    path.write_text(
        "The ministers met in the city.\tLes ministres se sont réunis dans la ville.\n"
        "This is the end of the meeting.\tC'est la fin de la réunion.\n",
        "utf-8",
    )
    with pytest.raises(InvalidInput, match="column 1 looks English"):
        memory.import_files([path])
    assert memory.count() == 0
    assert memory.import_files([path], swap=True).imported == 2
    assert all(s.source.startswith(("Les", "C'est")) for s in memory.segments())


def test_line_parallel_with_gzip_and_ids(tmp_path: Path, memory: TranslationMemory) -> None:
    (tmp_path / "c.fr").write_text("Un.\nDeux.\nTrois.\n", "utf-8")
    with gzip.open(tmp_path / "c.en.gz", "wt", encoding="utf-8") as stream:
        stream.write("One.\nTwo.\nThree.\n")
    (tmp_path / "c.ids").write_text("A\tk1\nA\tk2\nB\tk1\n", "utf-8")
    report = memory.import_files([tmp_path / "c.fr", tmp_path / "c.en.gz"])
    assert report.imported == 3
    rows = [(s.source, s.document, s.position) for s in memory.segments()]
    assert rows == [("Un.", "A", 1), ("Deux.", "A", 2), ("Trois.", "B", 1)]


@pytest.mark.parametrize(
    ("name", "document"),
    [
        ("C-11.4.fr", "C-11.4"),
        ("C-11.4.en", "C-11.4"),
        ("C-11.4.fr.gz", "C-11.4"),
        ("C-11.4.fr.txt", "C-11.4"),
        ("releases.fr", "releases"),
        ("SOR-2002-227.fr", "SOR-2002-227"),
        ("notes.txt", "notes"),
    ],
)
def test_document_name_keeps_dots(name: str, document: str) -> None:
    from tm.formats.bitext import document_name

    assert document_name(Path(name)) == document


def test_line_parallel_documents_keep_their_dotted_names(
    tmp_path: Path, memory: TranslationMemory
) -> None:
    """`C-11.4.fr` and `C-11.7.fr` are two documents, not one `C-11` (issue 20)."""
    for name, (fr, en) in {"C-11.4": ("Un.", "One."), "C-11.7": ("Deux.", "Two.")}.items():
        (tmp_path / f"{name}.fr").write_text(f"{fr}\n", "utf-8")
        (tmp_path / f"{name}.en").write_text(f"{en}\n", "utf-8")
    memory.import_files([tmp_path / "C-11.4.fr", tmp_path / "C-11.7.fr"])
    assert sorted(s.document for s in memory.segments()) == ["C-11.4", "C-11.7"]


def test_line_parallel_length_mismatch(tmp_path: Path, memory: TranslationMemory) -> None:
    (tmp_path / "c.fr").write_text("Un.\nDeux.\n", "utf-8")
    (tmp_path / "c.en").write_text("One.\n", "utf-8")
    with pytest.raises(InvalidInput, match="fewer lines") as caught:
        memory.import_files([tmp_path / "c.fr"])
    assert caught.value.line == 2
    assert memory.count() == 0


@pytest.mark.parametrize("bad", ["\ufffe", "\uffff", "\x01"])
def test_text_no_tmx_can_hold_is_refused(tmp_path: Path, bad: str) -> None:
    """A character XML cannot hold is refused when typed, and a file holding one is refused
    with its line and column, so that `export` never meets it."""
    from tm.errors import InvalidInput

    with TranslationMemory.open(tmp_path / "tm.db") as memory:
        with pytest.raises(InvalidInput, match="cannot be exported"):
            memory.add(f"Le Conseil{bad} se réunit.", "The Council meets.")
        with pytest.raises(InvalidInput, match="U\\+D800"):
            memory.add("Le Conseil se réunit.", "The Council\ud800 meets.")
        path = tmp_path / "pairs.tsv"
        path.write_text(
            f"Le Comité siège.\tThe Committee sits.\nLe Conseil{bad} se réunit.\tThe Council.\n",
            encoding="utf-8",
        )
        with pytest.raises(InvalidInput, match=f"pairs.tsv:2:11: .*U\\+{ord(bad):04X}"):
            memory.import_files([path])
        assert memory.count() == 0
