"""Reading documents into paragraphs: text, Markdown, HTML, DOCX, encodings and bad input."""

from __future__ import annotations

import base64
import io
import random
import zipfile
from pathlib import Path

import docx
import pytest

from tm.errors import InvalidInput, TooLarge
from tm.formats.documents import paragraphs_from_bytes, read_paragraphs

TEXTS = [
    (
        "a.txt",
        "Premier paragraphe.\n\n  Deuxième\u00a0 paragraphe. \n",
        ["Premier paragraphe.", "Deuxième paragraphe."],
    ),
    (
        "a.md",
        "# Titre\n\nUn **paragraphe** sur\ndeux lignes avec [un lien](http://x).\n\n"
        "- premier *point*\n- second `point`\n\n1. numéroté\n\nSous-titre\n---\n\n> citation\n",
        [
            "Titre",
            "Un paragraphe sur deux lignes avec un lien.",
            "premier point",
            "second point",
            "numéroté",
            "Sous-titre",
            "citation",
        ],
    ),
    (
        "a.html",
        "<html><head><title>T</title><script>x()</script></head><body><h1>Titre</h1>"
        "<p>Un <b>paragraphe</b><br>suite.</p><ul><li>point 1</li><li>point 2</li></ul>"
        "<div>Texte <span>libre</span><p>imbriqué</p>fin</div><style>p{}</style></body></html>",
        ["Titre", "Un paragraphe suite.", "point 1", "point 2", "Texte libre", "imbriqué", "fin"],
    ),
]


@pytest.mark.parametrize(("name", "text", "expected"), TEXTS)
def test_formats(name: str, text: str, expected: list[str]) -> None:
    assert paragraphs_from_bytes(text.encode("utf-8"), name=name) == expected


@pytest.mark.parametrize(
    "data",
    [
        "Élan.\nDeux.".encode(),
        b"\xef\xbb\xbf" + "Élan.\nDeux.".encode(),
        "Élan.\nDeux.".encode("utf-16"),
        b"\xfe\xff" + "Élan.\nDeux.".encode("utf-16-be"),
    ],
)
def test_encodings(data: bytes) -> None:
    assert paragraphs_from_bytes(data, name="x.txt") == ["Élan.", "Deux."]


@pytest.mark.parametrize(
    ("name", "data", "message", "line"),
    [
        ("x.txt", "Un.\nDéjà.".encode("cp1252"), "not valid UTF-8", 2),
        ("x.txt", b"ok\n\x00\x01\x02", "binary", 2),
        ("x.txt", b"ok\nbad\x07bell", "control characters", 2),
        ("x.docx", b"Ceci n'est pas un DOCX.", "not a DOCX", None),
        ("x.docx", b"PK\x03\x04garbage", "not a DOCX", None),
    ],
)
def test_bad_input(name: str, data: bytes, message: str, line: int | None) -> None:
    with pytest.raises(InvalidInput, match=message) as raised:
        paragraphs_from_bytes(data, name=name)
    assert raised.value.file == name
    assert raised.value.line == line


def test_docx(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_heading("Titre", level=1)
    document.add_paragraph("Premier paragraphe.")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "cellule A"
    table.cell(0, 1).text = "cellule B"
    document.add_paragraph("")
    document.add_paragraph("Fin.")
    buffer = io.BytesIO()
    document.save(buffer)
    path = tmp_path / "doc.docx"
    path.write_bytes(buffer.getvalue())
    assert read_paragraphs(path) == [
        "Titre",
        "Premier paragraphe.",
        "cellule A",
        "cellule B",
        "Fin.",
    ]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="cannot read"):
        read_paragraphs(tmp_path / "absent.txt")


def _package(members: dict[str, bytes], *, declared: dict[str, int] | None = None) -> bytes:
    """A ZIP package; `declared` rewrites members' sizes in the central directory, as a hostile
    file would."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in members.items():
            package.writestr(name, data)
    data = bytearray(buffer.getvalue())
    entry = data.find(b"PK\x01\x02")
    while entry >= 0:
        length = int.from_bytes(data[entry + 28 : entry + 30], "little")
        name = data[entry + 46 : entry + 46 + length].decode()
        if declared and name in declared:
            data[entry + 24 : entry + 28] = declared[name].to_bytes(4, "little")
        entry = data.find(b"PK\x01\x02", entry + 4)
    return bytes(data)


NOISE = {f"word/media/{i}.bin": random.Random(i).randbytes(700_000) for i in range(5)}
MAIN = (
    b'<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
    b'wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Bonjour.</w:t></w:r></w:p>'
    b"</w:body></w:document>"
)
RELS = (
    b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'relationships"><Relationship Id="r1" Type="http://schemas.openxmlformats.org/'
    b'officeDocument/2006/relationships/officeDocument" Target="/word/main.xml"/></Relationships>'
)
PACKAGE = {"_rels/.rels": RELS, "word/main.xml": MAIN}

HOSTILE_DOCX = [
    ("declares 1 GiB", _package(PACKAGE, declared={"word/main.xml": 1 << 30}), TooLarge, "unpacks"),
    (
        "a bomb's ratio",
        _package(PACKAGE | {"word/media/zeros.bin": bytes(2 << 20)}),
        TooLarge,
        "possible zip bomb",
    ),
    (
        "300 MiB in all",
        _package(PACKAGE | NOISE, declared=dict.fromkeys(NOISE, 60 << 20)),
        TooLarge,
        "the DOCX unpacks to 314,573,233 bytes",
    ),
    ("10,001 parts", _package(PACKAGE | {f"p/{i}": b"" for i in range(10_001)}), TooLarge, "parts"),
    (
        "unpacks to more than it declares",
        _package(PACKAGE, declared={"word/main.xml": 20}),
        InvalidInput,
        "not a DOCX file",
    ),
    ("no main part", _package({"_rels/.rels": RELS}), InvalidInput, "no 'word/main.xml' part"),
    ("no relationships", _package({"word/main.xml": MAIN}), InvalidInput, "no _rels/.rels"),
    (
        "an entity reference",
        _package(PACKAGE | {"word/main.xml": MAIN.replace(b"Bonjour.", b"&xxe;")}),
        InvalidInput,
        "malformed XML: Entity 'xxe' not defined",
    ),
]


# Packages the fuzzer (stress/fuzz.py) made, on which zipfile raised ValueError ("negative
# seek value") and NotImplementedError ("zip file version 23.9") instead of BadZipFile.
FUZZED = [
    base64.b64decode(
        "UEsDBBQAAAAIAFYth10d0QbphwAAAPAAAAALAAAAX3JlbHMvLnJlbHONjz0OAiEUhK9CNMC+1cLCAJWNrdkLEHj8"
        "xOUnD4x6eyksVmNhOZmZb07jwgVBFnoSCt7WAEMGCHp7C2hMjJv38zP/T2Z4YRpVdsanw8NZH1k5D2tKgQFEtRon"
        "44jB+H12Q3Iy7ZYWKEg6ECoT4+YXZ+E4TSdwcvOD4IXNqJ9VQwVVJHFBf8dMI4fqKqmxZdJsm/Ss+u1ejbXZmj9V"
        "6HHoXXhvgs8J8H1PvABQSwECFAMUAAAACABWLYddHdEG6YcAAADwAAAACwAAAAAAAAAAAAAAgAEAAAAAX3JlbHMv"
        "LnJlbHNQSwECFAMUAAAACABWLYddHHFtOo4AAADrAAAAEQAAAAAAAAAAAAAAgAGwAAAAd29yZC9kb2N1bWVudC54"
        "bWxQSwUGAAAAAAIAAgB4AAAAbQEAAAAA"
    ),
    base64.b64decode(
        "UEsDBBQAwL7VwsIAlY2t2QsQePzE5ScPjHp7KSxWY2E5mZlvMuJejbXZmj9V6HHoXXhvgs8J8H1PvABQSwECFP3r"
        "////9/+oLYddHdEG6YcAAADwAAAACwAAAAAAAAAAAAAAgAEAAAAAX3JlbHMvLnJlbHNQSwECFAMUAAAACABgLYdd"
        "HHFtOo4AAADrAAAAEQAAAAAAAAAAABAAgAGwAAAAd29yZC9kb2N1bWVudC54bWxQSwUGAAAAAAIAAgB4AAAAbQEA"
        "AAAA"
    ),
]
HOSTILE_DOCX += [
    ("a corrupt offset (fuzzed)", FUZZED[0], InvalidInput, "not a DOCX file: negative seek"),
    (
        "an unknown ZIP version (fuzzed)",
        FUZZED[1],
        InvalidInput,
        "not a DOCX file: zip file version",
    ),
]


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [row[1:] for row in HOSTILE_DOCX],
    ids=[row[0] for row in HOSTILE_DOCX],
)
def test_hostile_docx_is_refused_before_reading(
    data: bytes, error: type[InvalidInput], message: str
) -> None:
    with pytest.raises(error, match=message) as refused:
        paragraphs_from_bytes(data, name="x.docx")
    assert refused.value.file is not None and refused.value.file.startswith("x.docx")


def test_docx_main_part_is_found_by_its_relationship() -> None:
    assert paragraphs_from_bytes(_package(PACKAGE), name="x.docx") == ["Bonjour."]
