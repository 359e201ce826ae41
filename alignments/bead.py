"""The bead: a group of French sentences aligned with a group of English sentences."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from tm.errors import InvalidInput


@dataclass(frozen=True)
class Bead:
    """French sentence indices, English sentence indices (0-based, consecutive), and how sure
    the aligner is (0–1). An empty side is a deletion (1-0 or 0-1)."""

    french: tuple[int, ...]
    english: tuple[int, ...]
    confidence: float = 1.0

    @property
    def kind(self) -> str:
        """The bead type, `"1-1"`, `"2-1"`, `"0-1"`..."""
        return f"{len(self.french)}-{len(self.english)}"

    @property
    def deletion(self) -> bool:
        """True for a bead with one side empty."""
        return not self.french or not self.english

    def format(self) -> str:
        """The Vecalign line, French as source: `[1, 2]:[3]`."""
        return f"{list(self.french)}:{list(self.english)}"


_LINE = re.compile(r"^\s*\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\]\s*$")


def _indices(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",") if part.strip())


def parse(lines: Iterable[str], *, file: str | None = None) -> list[Bead]:
    """Beads from Vecalign-format lines (`[0]:[0]`, `[1, 2]:[1]`, `[3]:[]`); blank lines skipped."""
    beads: list[Bead] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        match = _LINE.match(line)
        if not match:
            raise InvalidInput(f"not a bead line: {line.strip()[:60]!r}", file=file, line=number)
        beads.append(Bead(_indices(match.group(1)), _indices(match.group(2))))
    return beads
