"""Character n-gram overlap for many pairs at once: sentence chrF (Popović 2015) in numpy.

`chrf(hypotheses, references)` returns the same numbers as sacrebleu's
`CHRF(char_order=N).sentence_score(h, [r]).score` for every pair (effective-order averaging,
whitespace dropped, β = 2), but scores a whole batch with a few numpy sorts instead of
building Python Counters per pair (sacrebleu: ~400 µs a pair; this: several times less).

No product code calls it today: pair quality compares words (`tm.quality.pairs`) and the
aligner cosines of word features (`alignments.similarity`), both cheaper still. It is kept,
checked against sacrebleu in tests, as the one vectorised chrF for whatever needs chrF on many
pairs at once (the aligner's former copy, `alignments/overlap.py`, is gone).

How: every string's code points are laid end to end; the n-grams of order k are hashed with
a rolling polynomial (64 bits) and the pair number is put in the top bits of the key, so one
sort per side finds each pair's distinct n-grams and their counts; matches are the keys found
on both sides, counted `min(hyp, ref)` and summed per pair with `bincount`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]
_Ints = npt.NDArray[np.int64]
_Keys = npt.NDArray[np.uint64]

_PAIR_BITS = 22  # pair number in the top bits: batches up to 4M pairs
_HASH_MASK = np.uint64((1 << (64 - _PAIR_BITS)) - 1)
_MULTIPLIER = np.uint64(0x9E3779B97F4A7C15)
_MAX_BATCH = 1 << _PAIR_BITS


class _Side:
    """One side of the batch: code points end to end, and where each string starts."""

    def __init__(self, texts: Sequence[str]) -> None:
        squeezed = ["".join(text.split()) for text in texts]
        self.lengths: _Ints = np.fromiter(map(len, squeezed), dtype=np.int64, count=len(texts))
        self.points: _Keys = np.frombuffer(
            "".join(squeezed).encode("utf-32-le"), dtype=np.uint32
        ).astype(np.uint64)
        pair = np.repeat(np.arange(len(texts), dtype=np.uint64), self.lengths)
        self.pair_key: _Keys = pair << np.uint64(64 - _PAIR_BITS)
        starts = np.cumsum(self.lengths) - self.lengths
        # characters left in the string from each position (itself included)
        self.left: _Ints = np.repeat(starts + self.lengths, self.lengths) - np.arange(
            len(self.points), dtype=np.int64
        )
        self.hashes: _Keys = self.points.copy()

    def grow(self, order: int) -> _Keys:
        """Advance the rolling hashes to n-grams of `order`; the sorted keys of the valid ones."""
        if order > 1:
            self.hashes = self.hashes[:-1] * _MULTIPLIER + self.points[order - 1 :]
        count = len(self.hashes)
        valid = self.left[:count] >= order
        keys = (self.hashes[valid] & _HASH_MASK) | self.pair_key[:count][valid]
        keys.sort()
        return keys


def _distinct(keys: _Keys) -> tuple[_Keys, _Ints]:
    """Distinct values of sorted `keys` and how often each occurs."""
    if len(keys) == 0:
        return keys, np.zeros(0, dtype=np.int64)
    edges = np.flatnonzero(np.diff(keys)) + 1
    starts = np.concatenate(([0], edges))
    counts = np.diff(np.concatenate((starts, [len(keys)])))
    return keys[starts], counts.astype(np.int64)


def statistics(
    hypotheses: Sequence[str], references: Sequence[str], *, char_order: int = 6
) -> Floats:
    """Per pair and order, sacrebleu's `[hyp n-grams, ref n-grams, matches]`: shape (n, order, 3).

    As in sacrebleu, the hypothesis count of an order is 0 when the reference has no n-gram
    of that order.
    """
    if len(hypotheses) != len(references):
        raise ValueError("hypotheses and references differ in number")
    count = len(hypotheses)
    if count > _MAX_BATCH:
        raise ValueError(f"at most {_MAX_BATCH} pairs a batch")
    result = np.zeros((count, char_order, 3))
    if count == 0:
        return result
    hyp, ref = _Side(hypotheses), _Side(references)
    for order in range(1, char_order + 1):
        hyp_keys, hyp_counts = _distinct(hyp.grow(order))
        ref_keys, ref_counts = _distinct(ref.grow(order))
        matched = np.zeros(count)
        if len(hyp_keys) and len(ref_keys):
            where = np.searchsorted(ref_keys, hyp_keys)
            where[where >= len(ref_keys)] = 0
            hit = ref_keys[where] == hyp_keys
            both = np.minimum(hyp_counts[hit], ref_counts[where[hit]])
            pairs = (hyp_keys[hit] >> np.uint64(64 - _PAIR_BITS)).astype(np.int64)
            matched = np.bincount(pairs, weights=both, minlength=count).astype(np.float64)
        hyp_total = np.maximum(hyp.lengths - order + 1, 0)
        ref_total = np.maximum(ref.lengths - order + 1, 0)
        result[:, order - 1, 0] = np.where(ref_total > 0, hyp_total, 0)
        result[:, order - 1, 1] = ref_total
        result[:, order - 1, 2] = matched
    return result


def f_score(stats: Floats, *, beta: float = 2.0) -> Floats:
    """chrF in [0, 100] from `statistics` (sacrebleu's effective-order averaging)."""
    hyp, ref, matched = stats[..., 0], stats[..., 1], stats[..., 2]
    effective = (hyp > 0) & (ref > 0)
    precision = np.divide(matched, hyp, out=np.zeros_like(matched), where=hyp > 0)
    recall = np.divide(matched, ref, out=np.zeros_like(matched), where=ref > 0)
    orders = effective.sum(axis=-1)
    safe = np.maximum(orders, 1)
    mean_precision = np.where(orders > 0, (precision * effective).sum(axis=-1) / safe, 0.0)
    mean_recall = np.where(orders > 0, (recall * effective).sum(axis=-1) / safe, 0.0)
    factor = beta**2
    denominator = factor * mean_precision + mean_recall
    numerator = (1 + factor) * mean_precision * mean_recall
    score = np.divide(numerator, denominator, out=np.zeros_like(numerator), where=denominator > 0)
    return np.asarray(100 * score, dtype=np.float64)


def chrf(
    hypotheses: Sequence[str],
    references: Sequence[str],
    *,
    char_order: int = 6,
    beta: float = 2.0,
    batch: int = 2000,
) -> Floats:
    """Sentence chrF of each hypothesis against its reference, in [0, 100]."""
    if len(hypotheses) != len(references):
        raise ValueError("hypotheses and references differ in number")
    parts = [
        f_score(
            statistics(
                hypotheses[start : start + batch],
                references[start : start + batch],
                char_order=char_order,
            ),
            beta=beta,
        )
        for start in range(0, len(hypotheses), batch)
    ]
    return np.concatenate(parts) if parts else np.zeros(0)
