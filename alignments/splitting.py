"""TEMPORARY stand-in until branch `alignment` lands."""

from __future__ import annotations

import re

_END = re.compile(r"(?<=[.!?])\s+(?=[«\"A-ZÀ-Ý])")


def split(text: str, *, language: str = "fr") -> list[str]:
    """Sentences of a paragraph."""
    return [part.strip() for part in _END.split(text) if part.strip()]
