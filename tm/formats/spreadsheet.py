"""CSV/TSV cells safe to open in a spreadsheet (OWASP, "CSV Injection").

A cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel,
LibreOffice and Google Sheets (`=HYPERLINK(…)`, `@SUM(…)`, `-2+3`): written as is, a term or a
file name from an upload runs when a maintainer opens the export. `escape` puts a `'` before
such a cell, as OWASP advises; a spreadsheet shows the text and runs nothing.

The escape is undone on reading tm's own files (`unescape`), so an export re-imports to the
same terms. To keep that exact, a cell that already starts with `'`s before one of those
characters gets one more `'` too: `escape` adds exactly one `'` to every cell matching
`'*[=+\\-@\\t\\r]…` and `unescape` removes exactly one from every cell matching `'+[=+\\-@\\t\\r]…`.
(A cell written by another tool as `'=…` therefore reads as `=…`: the `'` is how spreadsheets
mark text, not part of a term.)
"""

from __future__ import annotations

import re

_FORMULA = re.compile(r"'*[=+\-@\t\r]")
_ESCAPED = re.compile(r"'+[=+\-@\t\r]")


def escape(cell: str) -> str:
    """`cell` as it may be written to a CSV/TSV file (see the module docstring)."""
    return "'" + cell if _FORMULA.match(cell) else cell


def unescape(cell: str) -> str:
    """The value `escape` wrote `cell` for."""
    return cell[1:] if _ESCAPED.match(cell) else cell
