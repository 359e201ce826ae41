"""What the index keeps of each segment besides its words, to bound a score before computing
it: a 256-bit signature of its words, and a fingerprint of its punctuation and tags.

A signature sets one bit per word: the 64 most frequent words when the index was built have a
bit each (`DEDICATED`), the others share 192 bits by a multiplicative hash. A query word whose
bit a segment lacks is not in it, and a segment word whose bit the query lacks is not in the
query: both bound the words they share. The fingerprint (two 31-bit CRCs, the same in every
process, as the index is saved) tells whether punctuation or tags differ: a certain penalty
point each.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import Any, overload

import numpy as np

from tm.retrieval.scoring import Keys

WORDS = 4
"""64-bit words per signature: 256 bits."""
DEDICATED = 64
"""Bits 0–63: one each for the 64 most frequent words when the index was built."""
LOW = (1 << 64) - 1
_HASH = 0x9E3779B1  # Knuth's multiplicative hash (2^32 / golden ratio)
# Per 64-bit word of a signature: the value of each bit (0 when the bit is in another word).
BIT_VALUES = tuple(
    np.array(
        [1 << (b - h) if h <= b < h + 64 else 0 for b in range(64 * WORDS)],
        dtype=np.uint64,
    )
    for h in range(0, 64 * WORDS, 64)
)


@overload
def hashed_bit(token: int) -> int: ...
@overload
def hashed_bit(token: np.ndarray) -> np.ndarray: ...
def hashed_bit(token: Any) -> Any:
    """The signature bit of a word without a bit of its own (64–255, a multiplicative hash);
    element-wise for an array of tokens (unsigned 64-bit)."""
    return DEDICATED + ((((token * _HASH) & 0xFFFFFFFF) * (64 * WORDS - DEDICATED)) >> 32)


def masks(tokens: list[int], bits: Sequence[int]) -> np.ndarray:
    """The query's signature masks: the bits (`bits[token]`) of its known words, one row per
    multiplicity (a bit set by two words is in the first two rows), in 64-bit words."""
    rows: list[list[int]] = []
    met: dict[int, int] = {}  # bit → times set so far
    for token in tokens:
        if token:
            bit = bits[token]
            level = met.get(bit, 0)
            met[bit] = level + 1
            if level == len(rows):
                rows.append([0] * WORDS)
            rows[level][bit >> 6] |= 1 << (bit & 63)
    return np.array(rows, dtype=np.uint64).reshape(-1, WORDS)


def marks(keys: Keys) -> int:
    """Punctuation and tags fingerprint: two 31-bit CRCs."""
    punctuation = zlib.crc32("\x1f".join(keys.punctuation).encode("utf-8")) & 0x7FFFFFFF
    tags = zlib.crc32("\x1f".join(keys.tags).encode("utf-8")) & 0x7FFFFFFF
    return (punctuation << 31) | tags


def mark_penalties(theirs: np.ndarray, mine: int) -> np.ndarray:
    """Penalty points certain from fingerprints `theirs` against `mine`: one where the
    punctuation differs, one where the tags do."""
    penalties: np.ndarray = ((theirs >> 31) != (mine >> 31)).astype(np.int32) + (
        (theirs & 0x7FFFFFFF) != (mine & 0x7FFFFFFF)
    )
    return penalties
