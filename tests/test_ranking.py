"""Ties: unflagged, then newer, then higher quality, then lower id; one match at a time or many
at once."""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from tm.retrieval import ranking

MATCHES = [  # (score, changed, quality, id, flagged), best first
    (100.0, "2024-01-02T00:00:00Z", 0.5, 9, False),
    (100.0, "2024-01-01T00:00:00Z", 0.9, 3, False),
    (100.0, "2024-01-01T00:00:00Z", 0.8, 1, False),
    (100.0, "2024-01-01T00:00:00Z", None, 2, False),
    (100.0, "2024-01-01T00:00:00Z", None, 4, False),
    (100.0, "2025-01-01T00:00:00Z", 0.9, 7, True),
    (99.0, "2025-01-01T00:00:00Z", 1.0, 5, False),
]


def test_key_orders_ties() -> None:
    shuffled = sorted(MATCHES, key=lambda m: m[3])
    ordered = sorted(
        shuffled,
        key=lambda m: ranking.key(m[0], ranking.recency(m[1]), m[2], m[3], flagged=m[4]),
    )
    assert ordered == MATCHES


@given(
    st.lists(
        st.tuples(
            st.sampled_from([70.0, 85.5, 100.0]),
            st.integers(0, 3),
            st.sampled_from([None, 0.0, 0.5, 1.0]),
            st.booleans(),
        ),
        max_size=30,
    )
)
def test_order_agrees_with_key(rows: list[tuple[float, int, float | None, bool]]) -> None:
    ids = np.arange(len(rows), dtype=np.int64)[::-1].copy()
    scores = np.array([r[0] for r in rows], dtype=np.float64)
    recencies = np.array([r[1] for r in rows], dtype=np.int64)
    qualities = np.array(
        [ranking.UNSCORED if r[2] is None else r[2] for r in rows], dtype=np.float64
    )
    flagged = np.array([r[3] for r in rows], dtype=bool)
    by_key = sorted(
        range(len(rows)), key=lambda i: ranking.key(*rows[i][:3], int(ids[i]), flagged=rows[i][3])
    )
    assert ranking.order(ids, scores, recencies, qualities, flagged).tolist() == by_key


def test_recency() -> None:
    assert ranking.recency("2023-11-28T10:00:00Z") == 20231128100000
    assert ranking.recency("2023-11-28") == 20231128000000
    assert ranking.recency("") == 0
