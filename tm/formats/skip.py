"""A unit read from a file but not imported, with where and why (the import report lists it)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Skip:
    """`where` is `file:line` (or `file`), `why` a short reason."""

    where: str
    why: str
