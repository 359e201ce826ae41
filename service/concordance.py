"""Concordance search for the HTTP API: a phrase in the TM's French and/or English side.

Until the engine's indexed concordance lands this is a plain case-insensitive scan
(SQLite `LIKE`, newest first), with the character spans of each occurrence for highlighting.
"""

from __future__ import annotations

from dataclasses import dataclass

from tm import Segment, TranslationMemory
from tm.store import get_many

SIDES = ("source", "target", "both")


@dataclass(frozen=True)
class Occurrence:
    """A segment containing the phrase, and where (character spans in source and target)."""

    segment: Segment
    source_spans: tuple[tuple[int, int], ...]
    target_spans: tuple[tuple[int, int], ...]


def spans(text: str, phrase: str) -> tuple[tuple[int, int], ...]:
    """Every non-overlapping occurrence of `phrase` in `text`, ignoring case."""
    lowered, wanted, found, start = text.lower(), phrase.lower(), [], 0
    if not wanted or len(lowered) != len(text):
        return ()
    while (at := lowered.find(wanted, start)) >= 0:
        found.append((at, at + len(wanted)))
        start = at + len(wanted)
    return tuple(found)


def search(
    memory: TranslationMemory, phrase: str, *, side: str = "both", limit: int = 20
) -> list[Occurrence]:
    """Segments whose `side` contains `phrase` (case-insensitive), newest first."""
    escaped = phrase.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    columns = {"source": ["source"], "target": ["target"], "both": ["source", "target"]}[side]
    where = " OR ".join(f"{column} LIKE ? ESCAPE '\\'" for column in columns)
    rows = memory.db.conn.execute(
        f"SELECT id FROM segments WHERE {where} ORDER BY changed DESC, id DESC LIMIT ?",
        [pattern] * len(columns) + [limit],
    ).fetchall()
    return [
        Occurrence(s, spans(s.source, phrase.strip()), spans(s.target, phrase.strip()))
        for s in get_many(memory.db, [row[0] for row in rows])
    ]
