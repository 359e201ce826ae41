"""Reading documents into paragraphs: text, Markdown, HTML, DOCX, encodings and bad input."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest

from tm.errors import InvalidInput
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
