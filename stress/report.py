"""The suite's table: one row per check, with what was measured against what was wanted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    """One check: `case` (group), `name`, what was `measured`, the `target`, and `passed`
    (`skipped` when what it needs is missing: neither a pass nor a failure)."""

    case: str
    name: str
    measured: str
    target: str
    passed: bool
    skipped: bool = False

    @property
    def verdict(self) -> str:
        return "SKIP" if self.skipped else "PASS" if self.passed else "FAIL"


def table(rows: Sequence[Row]) -> str:
    """The rows as a plain-text table, with a last line counting passes and failures."""
    header = ("case", "check", "measured", "target", "verdict")
    lines = [(r.case, r.name, r.measured, r.target, r.verdict) for r in rows]
    widths = [max(len(str(line[i])) for line in [header, *lines]) for i in range(5)]
    rule = "  ".join("-" * width for width in widths)
    out = ["  ".join(cell.ljust(width) for cell, width in zip(header, widths, strict=True)), rule]
    out += ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) for line in lines]
    failed = sum(r.verdict == "FAIL" for r in rows)
    skipped = sum(r.skipped for r in rows)
    out += [rule, f"{len(rows) - failed - skipped} passed, {failed} failed, {skipped} skipped"]
    return "\n".join(out)
