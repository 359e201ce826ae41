"""What a score threshold bounds, in words (for prefix filtering, `tm.retrieval.search`).

`score = 100 × (1 − d / max(|q|, |x|))` with `d` the word edit distance, so a segment `x`
scoring ≥ S against a query `q` shares at least `α = ⌈S·max(|q|, |x|)⌉` words with it
(d ≥ max − shared); its length lies in a window around `|q|`; and, under one global word order
(rarest first), its first `|x| − ⌈S·|x|⌉ + 1` words (its prefix) hold a word of the query's
prefix (Chaudhuri et al. 2006; Bayardo et al. 2007).
"""

from __future__ import annotations

import math

import numpy as np

EPSILON = 0.005
"""Scores are rounded to 2 decimals: a base ≥ S − 0.005 can show as S."""


def floor(threshold: float) -> float:
    """The threshold as a fraction, lowered by the rounding tolerance."""
    return max(threshold - EPSILON, 0.5) / 100


def budget(threshold: float, length: int) -> int:
    """Most word edits a segment may be from a query of `length` words and still score ≥
    `threshold` (over every source length the threshold allows)."""
    fraction = floor(threshold)
    return int((1 - fraction) * length / fraction + 1e-9)


def shared(fraction: float, longest: np.ndarray) -> np.ndarray:
    """Words two texts must share to score ≥ `fraction` when the longer has `longest` words
    (α = ⌈fraction · max⌉: d ≥ max − shared), element-wise."""
    return np.ceil(fraction * longest - 1e-9).astype(np.int64)


def shared_one(fraction: float, longest: int) -> int:
    """`shared` for one length, in plain floats (the same doubles as numpy's, without the
    cost of a numpy call)."""
    return math.ceil(fraction * longest - 1e-9)


def prefix_lengths(fraction: float, lengths: np.ndarray) -> np.ndarray:
    """Prefix lengths (rarest words) of texts of `lengths` words for `fraction`
    (element-wise)."""
    prefixes: np.ndarray = lengths - shared(fraction, lengths) + 1
    return prefixes


def prefix(threshold: float, length: int) -> int:
    """How many of its rarest words a text of `length` words must share with any text scoring
    ≥ `threshold` against it (its prefix length; `prefix_lengths` for one length)."""
    return length - shared_one(floor(threshold), length) + 1


def window(threshold: float, length: int) -> tuple[int, int]:
    """Source lengths (in words) that can still score ≥ `threshold` against `length` words."""
    fraction = floor(threshold)
    return shared_one(fraction, length), int(length / fraction + 1e-9)
