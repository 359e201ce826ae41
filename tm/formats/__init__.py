"""Reading and writing the exchange formats: TMX, XLIFF, TSV/CSV and line-parallel bitext.

The names below are imported on first use (PEP 562 `__getattr__`): a module that needs one
format (`tm.formats.xml`, the one safe XML parser) does not load every reader, and the readers
may use `tm.text.inline`, which uses `tm.formats.xml`, whichever is imported first."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tm.formats.reader import ImportFile, Skipped, check, group, read

_NAMES = ("ImportFile", "Skipped", "check", "group", "read")


def __getattr__(name: str) -> Any:
    """The public name `name`, imported from `tm.formats.reader` the first time it is asked
    for."""
    if name not in _NAMES:
        raise AttributeError(f"module 'tm.formats' has no attribute {name!r}")
    value = getattr(import_module("tm.formats.reader"), name)
    globals()[name] = value
    return value


__all__ = ["ImportFile", "Skipped", "check", "group", "read"]
