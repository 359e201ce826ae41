"""Validation shared by every text field: no lone surrogates, NUL, control characters or
U+FFFE/U+FFFF (XML cannot hold them)."""

from __future__ import annotations

from pydantic import AfterValidator

from tm.segment import FORBIDDEN


def check_text(value: str) -> str:
    """`value` unchanged, or ValueError naming the first forbidden character."""
    bad = FORBIDDEN.search(value)
    if bad:
        raise ValueError(f"forbidden character U+{ord(bad.group()):04X} at {bad.start()}")
    return value


Clean = AfterValidator(check_text)
"""Annotate a query or form parameter with it: a forbidden character is a 422, like bodies."""
