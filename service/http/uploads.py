"""Uploaded files saved to a temporary folder under safe names (never a client path)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from fastapi import UploadFile

from tm.errors import InvalidInput, TooLarge

_UNSAFE = re.compile(r"[^\w.\-]+")


def safe_name(name: str | None, *, fallback: str) -> str:
    """The last component of a client file name, reduced to word characters, dots and dashes."""
    base = Path((name or "").replace("\\", "/")).name
    cleaned = _UNSAFE.sub("_", base).strip("._")
    return cleaned or fallback


def save(uploads: list[UploadFile], folder: Path) -> list[Path]:
    """Write each upload into `folder`; two uploads with one name are refused."""
    paths: list[Path] = []
    for number, upload in enumerate(uploads, 1):
        path = folder / safe_name(upload.filename, fallback=f"upload-{number}")
        if path in paths:
            raise InvalidInput.said("error/same-upload-name", name=repr(path.name))
        with path.open("wb") as out:
            shutil.copyfileobj(upload.file, out, length=1 << 20)
        paths.append(path)
    return paths


def read(upload: UploadFile, *, limit: int) -> bytes:
    """An upload's bytes; `TooLarge` (413) when it holds more than `limit` (never cut short)."""
    data = upload.file.read(limit + 1)
    if len(data) > limit:
        raise TooLarge.at(
            "error/upload-over",
            file=safe_name(upload.filename, fallback="upload"),
            limit=f"{limit:,}",
        )
    return data
