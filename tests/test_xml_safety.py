"""Every XML reader refuses DTD tricks at the parser, wherever the DOCTYPE is in the file.

The table crosses each reader of XML (TMX and XLIFF import, XLIFF to pretranslate, TBX, the
ISOcat termbase, drafts to evaluate, DOCX) with each trick: an external entity after a
70 KB comment (the old check read only the first 64 KiB, so this file was accepted and
`&xxe;` stored as a term), an entity bomb, a parameter entity, a DTD named by URL or by
absolute path, and an undeclared entity next to a DOCTYPE naming a DTD (the parser keeps it
as a node in text and drops it from attributes). A DOCTYPE naming its DTD by file name, as
real TMX and TBX files do, is still accepted.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from glossaries import isocat, tbx
from tm import TranslationMemory
from tm.errors import InvalidInput
from tm.formats import xliff_input
from tm.formats.documents import paragraphs_from_bytes
from tm.quality import evaluation

COMMENT = "<!--" + "x" * 70_000 + "-->\n"

# name, prolog (with {root}), text put in a term or segment, attribute value, message
TRICKS = [
    (
        "external entity after 70 KB",
        COMMENT + '<!DOCTYPE {root} [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        "&xxe;",
        "x",
        "DTD declarations and entities are not accepted",
    ),
    (
        "entity bomb",
        '<!DOCTYPE {root} [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
        '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>',
        "&c;",
        "x",
        "DTD declarations and entities are not accepted",
    ),
    (
        "parameter entity",
        '<!DOCTYPE {root} [<!ENTITY % p SYSTEM "http://127.0.0.1:9/p.dtd"> %p;]>',
        "x",
        "x",
        "DTD declarations and entities are not accepted",
    ),
    (
        "DTD by URL",
        '<!DOCTYPE {root} SYSTEM "http://127.0.0.1:9/evil.dtd">',
        "x",
        "x",
        "naming its DTD by URL or absolute path",
    ),
    (
        "DTD by absolute path",
        '<!DOCTYPE {root} PUBLIC "-//X//EN" "/etc/passwd">',
        "x",
        "x",
        "naming its DTD by URL or absolute path",
    ),
    (
        "undeclared entity in text",
        '<!DOCTYPE {root} SYSTEM "standard.dtd">',
        "&xxe;",
        "x",
        "entity references are not accepted",
    ),
    (
        "undeclared entity in an attribute",
        '<!DOCTYPE {root} SYSTEM "standard.dtd">',
        "x",
        "a&xxe;b",
        "entity references are not accepted",
    ),
]

HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'


def _tmx(prolog: str, text: str, attribute: str) -> str:
    return (
        HEAD
        + prolog.format(root="tmx")
        + '\n<tmx version="1.4"><header srclang="fr" segtype="sentence" o-tmf="x" '
        f'adminlang="en" datatype="plaintext" creationtool="t" creationtoolversion="1" '
        f'creationid="{attribute}"/><body><tu><tuv xml:lang="fr"><seg>Le {text}.</seg></tuv>'
        '<tuv xml:lang="en"><seg>The term.</seg></tuv></tu></body></tmx>'
    )


def _xliff(prolog: str, text: str, attribute: str, *, translated: bool = True) -> str:
    target = '<target state="translated">The term.</target>' if translated else ""
    return (
        HEAD
        + prolog.format(root="xliff")
        + '\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
        f'<file original="{attribute}" source-language="fr" target-language="en" '
        f'datatype="plaintext"><body><trans-unit id="1"><source>Le {text}.</source>{target}'
        "</trans-unit></body></file></xliff>"
    )


def _tbx(prolog: str, text: str, attribute: str) -> str:
    return (
        HEAD
        + prolog.format(root="martif")
        + f'\n<martif type="TBX" xml:lang="fr"><text><body><termEntry id="C1" note="{attribute}">'
        f'<langSet xml:lang="fr"><tig><term>terme {text}</term></tig></langSet>'
        '<langSet xml:lang="en"><tig><term>term</term></tig></langSet>'
        "</termEntry></body></text></martif>"
    )


def _isocat(prolog: str, text: str, attribute: str) -> str:
    return (
        HEAD + prolog.format(root="DC-4025-termbase") + "\n<DC-4025-termbase>"
        f'<DC-209-terminologicalEntry DC-206-entryIdentifier="{attribute}">'
        f'<langGrp xml:lang="fr"><termGrp><DC-508-term>terme {text}</DC-508-term></termGrp>'
        '</langGrp><langGrp xml:lang="en"><termGrp><DC-508-term>term</DC-508-term></termGrp>'
        "</langGrp></DC-209-terminologicalEntry></DC-4025-termbase>"
    )


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RELATIONSHIPS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships '
    'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument"/></Relationships>'
)


def docx(document: str, *, relationships: str = RELATIONSHIPS) -> bytes:
    """A minimal DOCX package around `document` (the main part's XML)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("_rels/.rels", relationships)
        package.writestr("word/document.xml", document)
    return buffer.getvalue()


def _document(prolog: str, text: str, attribute: str) -> str:
    return (
        HEAD
        + prolog.format(root="w:document")
        + f'\n<w:document xmlns:w="{W}"><w:body><w:p w:rsidR="{attribute}"><w:r>'
        f"<w:t>Le {text}.</w:t></w:r></w:p></w:body></w:document>"
    )


def _import(tmp_path: Path, name: str, content: str) -> object:
    path = tmp_path / name
    path.write_text(content, "utf-8")
    with TranslationMemory.open(tmp_path / "tm.db") as memory:
        try:
            return memory.import_files([path])
        except InvalidInput:
            assert memory.count() == 0  # nothing written
            raise


Reader = Callable[[Path, str, str, str], object]


def _read(reader: Callable[[Path], object], suffix: str, build: Callable[..., str]) -> Reader:
    def run(tmp_path: Path, prolog: str, text: str, attribute: str) -> object:
        path = tmp_path / f"hostile{suffix}"
        path.write_text(build(prolog, text, attribute), "utf-8")
        return reader(path)

    return run


READERS: dict[str, Reader] = {
    "TMX import": lambda tmp, p, t, a: _import(tmp, "hostile.tmx", _tmx(p, t, a)),
    "XLIFF import": lambda tmp, p, t, a: _import(tmp, "hostile.xlf", _xliff(p, t, a)),
    "XLIFF to pretranslate": _read(
        xliff_input.load, ".xlf", lambda p, t, a: _xliff(p, t, a, translated=False)
    ),
    "TBX": _read(tbx.read, ".tbx", _tbx),
    "ISOcat termbase": _read(isocat.read, ".xml", _isocat),
    "draft to evaluate": lambda tmp, p, t, a: evaluation.parse(
        _xliff(p, t, a).encode("utf-8"), name="draft.xlf"
    ),
    "DOCX": lambda tmp, p, t, a: paragraphs_from_bytes(
        docx(_document(p, t, a)), name="hostile.docx"
    ),
}


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize(
    ("trick", "prolog", "text", "attribute", "message"), TRICKS, ids=[t[0] for t in TRICKS]
)
def test_every_reader_refuses_the_trick(
    tmp_path: Path, reader: str, trick: str, prolog: str, text: str, attribute: str, message: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        READERS[reader](tmp_path, prolog, text, attribute)
    assert message in refused.value.message


@pytest.mark.parametrize("reader", READERS)
def test_a_doctype_naming_a_dtd_file_is_accepted_after_a_long_comment(
    tmp_path: Path, reader: str
) -> None:
    prolog = COMMENT + '<!DOCTYPE {root} SYSTEM "standard.dtd">'
    assert READERS[reader](tmp_path, prolog, "terme &amp; &#233;", "x")


def test_the_refusal_says_where_the_doctype_is(tmp_path: Path) -> None:
    path = tmp_path / "hostile.tbx"
    path.write_text(_tbx(COMMENT + "<!DOCTYPE martif [<!ENTITY x 'y'>]>", "x", "x"), "utf-8")
    with pytest.raises(InvalidInput) as refused:
        tbx.read(path)
    assert (refused.value.file, refused.value.line) == (str(path), 3)


def test_an_invalid_namespace_is_refused_before_its_elements_are_used(tmp_path: Path) -> None:
    # the parser raises only at the end of the file; the elements before came out first and
    # lxml's QName raised ValueError on their tag (found by stress/fuzz.py)
    path = tmp_path / "odd.xlf"
    path.write_text(_xliff("", "x", "x").replace("document:1.2", "docu}ment:1.2"), "utf-8")
    with (
        TranslationMemory.open(tmp_path / "tm.db") as memory,
        pytest.raises(InvalidInput) as refused,
    ):
        memory.import_files([path])
    assert "is not a valid URI" in refused.value.message
    assert refused.value.line == 3
