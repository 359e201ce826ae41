"""Strict and lax precision, recall and F1 of beads against a gold alignment, counted as
Vecalign's scorer counts them (Thompson & Koehn 2019, after Sennrich & Volk's Bleualign
evaluation): deletions count in precision, not in recall; a lax match shares a sentence on
both sides with a gold bead.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from alignments.bead import Bead

_Pair = tuple[tuple[int, ...], tuple[int, ...]]


@dataclass(frozen=True)
class Score:
    """Precision, recall and F1, strict and lax."""

    precision: float
    recall: float
    f1: float
    lax_precision: float
    lax_recall: float
    lax_f1: float


def _counts(gold: Iterable[_Pair], test: Iterable[_Pair]) -> tuple[int, int, int, int]:
    """(strict true positives, strict false positives, lax true positives, lax false
    positives) of `test` against `gold`."""
    gold_set = {pair for pair in gold if pair[0] or pair[1]}
    test_set = {pair for pair in test if pair[0] or pair[1]}
    targets: defaultdict[int, set[int]] = defaultdict(set)
    for source, target in gold_set:
        for s in source:
            targets[s].update(target)
    tp_strict = fp_strict = tp_lax = fp_lax = 0
    for source, target in test_set:
        if (source, target) in gold_set:
            tp_strict += 1
            tp_lax += 1
            continue
        fp_strict += 1
        near = set().union(*(targets[s] for s in source)) if source else set()
        if near.intersection(target):
            tp_lax += 1
        else:
            fp_lax += 1
    return tp_strict, fp_strict, tp_lax, fp_lax


def _ratio(numerator: int, denominator: int) -> float:
    return numerator / denominator if denominator else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _pairs(beads: Iterable[Bead]) -> list[_Pair]:
    return [(b.french, b.english) for b in beads]


def score(gold: Sequence[Sequence[Bead]], test: Sequence[Sequence[Bead]]) -> Score:
    """Score several documents together: `gold[k]` and `test[k]` are the beads of document k."""
    p = [0, 0, 0, 0]
    r = [0, 0, 0, 0]
    for gold_beads, test_beads in zip(gold, test, strict=True):
        g, t = _pairs(gold_beads), _pairs(test_beads)
        for k, v in enumerate(_counts(g, t)):
            p[k] += v
        # recall: precision with the roles swapped and deletions left out
        kept_g = [x for x in g if x[0] and x[1]]
        kept_t = [x for x in t if x[0] and x[1]]
        for k, v in enumerate(_counts(kept_t, kept_g)):
            r[k] += v
    precision, recall = _ratio(p[0], p[0] + p[1]), _ratio(r[0], r[0] + r[1])
    lax_p, lax_r = _ratio(p[2], p[2] + p[3]), _ratio(r[2], r[2] + r[3])
    return Score(precision, recall, _f1(precision, recall), lax_p, lax_r, _f1(lax_p, lax_r))


def by_kind(
    gold: Sequence[Sequence[Bead]], test: Sequence[Sequence[Bead]]
) -> dict[str, tuple[int, int, float, float]]:
    """Per bead type (`"1-1"`, `"2-1"`, ...): (gold count, test count, strict precision of the
    test beads of that type, strict recall of the gold beads of that type)."""
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for gold_beads, test_beads in zip(gold, test, strict=True):
        gold_set = set(_pairs(gold_beads))
        test_set = set(_pairs(test_beads))
        for bead in gold_beads:
            row = totals[bead.kind]
            row[0] += 1
            row[3] += (bead.french, bead.english) in test_set
        for bead in test_beads:
            row = totals[bead.kind]
            row[1] += 1
            row[2] += (bead.french, bead.english) in gold_set
    return {
        kind: (g, t, _ratio(hit_t, t), _ratio(hit_g, g))
        for kind, (g, t, hit_t, hit_g) in sorted(totals.items())
    }
