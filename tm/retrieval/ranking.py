"""The order of matches: higher score first; between equal scores an unflagged pair before a
flagged one (`tm.Status.FLAGGED`), then the newer pair, then the higher quality (an unscored
pair after scored ones), then the lower id. The search ranks its pool with it, one pair at a
time (`key`) or a large pool at once (`order`), and lookup its matches; tests/test_ranking.py
checks that both agree."""

from __future__ import annotations

import re

import numpy as np

UNSCORED = -1.0
"""The quality an unscored pair ranks with (below every score in [0, 1])."""

_NOT_DIGIT = re.compile(r"\D")


def recency(changed: str) -> int:
    """`2023-11-28T10:00:00Z` → 20231128100000, for ordering ties (newer first)."""
    digits = _NOT_DIGIT.sub("", changed)[:14]
    return int(digits.ljust(14, "0")) if digits else 0


Key = tuple[float, bool, int, float, int]
"""A match's sort key (`key`)."""


def key(
    score: float, recency: int, quality: float | None, segment_id: int, *, flagged: bool = False
) -> Key:
    """The sort key of one match (smaller first)."""
    return (-score, flagged, -recency, -(UNSCORED if quality is None else quality), segment_id)


def order(
    ids: np.ndarray,
    scores: np.ndarray,
    recencies: np.ndarray,
    qualities: np.ndarray,
    flagged: np.ndarray | None = None,
) -> np.ndarray:
    """The positions of the matches `ids` best first, as `key` sorts them (`qualities` with
    `UNSCORED` for none; `flagged` all False when not given)."""
    demoted = np.zeros(len(ids), dtype=bool) if flagged is None else flagged
    ranked: np.ndarray = np.lexsort((ids, -qualities, -recencies, demoted, -scores))
    return ranked
