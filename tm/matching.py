"""Suggestions for a French text: exact matches by hash, fuzzy matches by word edit distance.

Score (CAT convention): `100 × (1 − word_edit_distance / max(len_query, len_source))` on
normalised tokens, punctuation included.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlite_utils
from rapidfuzz.distance import Levenshtein

from tm import store
from tm.normalise import normalise, tokens
from tm.segment import Segment


@dataclass(frozen=True)
class Penalty:
    """Points taken off a score, and why."""

    code: str
    points: float
    detail: str = ""


@dataclass(frozen=True)
class Match:
    """A prior translation suggested for a query, with the reason for its score."""

    id: int
    source: str
    target: str
    score: float
    adapted_target: str = ""
    band: str = ""
    origin: str = ""
    document: str = ""
    created: str = ""
    changed: str = ""
    quality: float | None = None
    penalties: tuple[Penalty, ...] = field(default_factory=tuple)


BANDS = ((101, "101"), (100, "100"), (95, "95-99"), (85, "85-94"), (75, "75-84"), (50, "50-74"))


def band(score: float) -> str:
    """The analysis band of a score: `101`, `100`, `95-99`, `85-94`, `75-84`, `50-74`, `none`."""
    return next((name for floor, name in BANDS if score >= floor), "none")


def score(query: list[str], source: list[str]) -> float:
    """`100 × (1 − d / max(len))` over token lists; 100 only for identical lists."""
    longest = max(len(query), len(source))
    if longest == 0:
        return 100.0
    distance = Levenshtein.distance(query, source)
    return round(100 * (1 - distance / longest), 2)


def length_window(length: int, threshold: float) -> tuple[int, int]:
    """Source lengths that can still reach `threshold` against a query of `length` tokens."""
    ratio = max(threshold, 1) / 100
    return int(length * ratio), int(length / ratio) + 1


def lookup(
    db: sqlite_utils.Database,
    text: str,
    *,
    limit: int = 5,
    threshold: float = 70,
    exclude_document: str | None = None,
) -> list[Match]:
    """The best `limit` matches scoring at least `threshold`, best first.

    Ties: newer first, then higher quality, then lower id. `exclude_document` leaves out the
    segments of one document (leave-one-out evaluation).
    """
    query = tokens(normalise(text))
    low, high = length_window(len(query), threshold)
    found: list[tuple[float, Segment]] = []
    rows = db.conn.execute(
        "SELECT id, source_norm FROM segments WHERE length BETWEEN ? AND ? AND status != 'flagged'"
        + (" AND document != ?" if exclude_document is not None else ""),
        (low, high) if exclude_document is None else (low, high, exclude_document),
    )
    scored = [(score(query, tokens(norm)), segment_id) for segment_id, norm in rows]
    keep = {segment_id: value for value, segment_id in scored if value >= threshold}
    for segment in store.get_many(db, list(keep)):
        found.append((keep[segment.id], segment))
    found.sort(key=lambda item: (-item[0], _newest(item[1]), -(item[1].quality or 0), item[1].id))
    return [_match(value, segment) for value, segment in found[:limit]]


def _newest(segment: Segment) -> tuple[int, ...]:
    return tuple(-ord(c) for c in segment.changed)


def _match(value: float, segment: Segment) -> Match:
    return Match(
        id=segment.id,
        source=segment.source,
        target=segment.target,
        score=value,
        adapted_target=segment.target,
        band=band(value),
        origin=segment.origin,
        document=segment.document,
        created=segment.created,
        changed=segment.changed,
        quality=segment.quality,
    )
