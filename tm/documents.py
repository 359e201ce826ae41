"""TEMPORARY stand-in until branch `alignment` lands (plain text only)."""

from __future__ import annotations

from pathlib import Path

from tm.errors import InvalidInput


def read_paragraphs(path: Path) -> list[str]:
    """Non-empty lines of a UTF-8 text file."""
    if path.suffix.lower() == ".docx":
        import zipfile

        if not zipfile.is_zipfile(path):
            raise InvalidInput("not a DOCX file (not a ZIP archive)", file=str(path))
        import docx

        return [p.text.strip() for p in docx.Document(str(path)).paragraphs if p.text.strip()]
    try:
        text = path.read_text("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput("not UTF-8 text", file=str(path)) from error
    return [line.strip() for line in text.splitlines() if line.strip()]
