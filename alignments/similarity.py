"""Lexical similarity between French and English sentences, vectorised over a whole document.

Each French sentence becomes a bag of features: the English words of its gloss (lexicon or a
given machine translation), its own words (names, numbers and identical tokens match as they
are), 5-letter accent-folded prefixes (cognates: *gouvernement*/*government* share none, but
*présidence*/*presidency* do) and gloss bigrams; each English sentence the same from its words.
Features are weighted by inverse document frequency per side (words seen once on each side are
the strongest anchors). `dot_products` returns every sentence-pair dot product in one sparse
join (numpy), from which the aligner derives the cosine of any group of consecutive sentences.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from tm.text.normalise import fold_word

PREFIX = 5
# Features found in more than this share of sentences carry almost no information but cost
# the most pairs in the join; they are dropped.
COMMON = 0.4
COMMON_MAX = 2000


def bag(words: Sequence[str], glossed: Sequence[str] | None = None) -> Counter[str]:
    """The features of one sentence: its words (or `glossed` words plus its own), prefixes,
    bigrams of the glossed (English-side) words."""
    english = list(glossed) if glossed is not None else list(words)
    features: Counter[str] = Counter("w:" + w for w in english)
    if glossed is not None:
        features.update("w:" + w for w in words if "w:" + w not in features)
    features.update("p:" + fold_word(w)[:PREFIX] for w in words if len(w) >= PREFIX + 1)
    features.update("b:" + a + " " + b for a, b in pairwise(english))
    return features


@dataclass(frozen=True)
class Vectors:
    """Sparse weighted bags of a document side: rows (sentence, feature id, weight) sorted by
    feature then sentence."""

    sentence: np.ndarray
    feature: np.ndarray
    weight: np.ndarray
    count: int


def vectors(bags: Sequence[Counter[str]], ids: dict[str, int]) -> Vectors:
    """Encode bags with tf·idf weights (idf from this side's own document frequencies)."""
    frequency: Counter[str] = Counter()
    for features in bags:
        frequency.update(features.keys())
    total = max(len(bags), 1)
    limit = max(2.0, min(COMMON * total, COMMON_MAX))
    kept = {f: i for i, f in enumerate(f for f, df in frequency.items() if df <= limit)}
    idf = np.log((1 + total) / (0.5 + np.array([frequency[f] for f in kept], dtype=np.float64)))
    sentence: list[int] = []
    local: list[int] = []
    counts: list[int] = []
    for index, features in enumerate(bags):
        for name, tf in features.items():
            position = kept.get(name)
            if position is not None:
                sentence.append(index)
                local.append(position)
                counts.append(tf)
    names = list(kept)
    shared = np.array([ids.setdefault(name, len(ids)) for name in names], dtype=np.int64)
    where = np.asarray(local, dtype=np.int64)
    s = np.asarray(sentence, dtype=np.int64)
    f = shared[where] if len(where) else np.empty(0, dtype=np.int64)
    weight = (1.0 + np.log(np.asarray(counts, dtype=np.float64))) * idf[where]
    order = np.lexsort((s, f))
    return Vectors(s[order], f[order], weight[order], len(bags))


def band_products(
    french: Vectors, english: Vectors, low: np.ndarray, high: np.ndarray, *, chunk: int = 1_000_000
) -> list[np.ndarray]:
    """Dot products of French sentence i with English sentences low[i]..high[i] (one array a
    row); pairs outside the band are never stored, so memory is linear in the band's area."""
    n = french.count
    widths = (high[:n] - low[:n] + 1).astype(np.int64)
    offsets = np.concatenate([[0], np.cumsum(widths)])
    flat = np.zeros(int(offsets[-1]), dtype=np.float64)
    if len(french.feature) and len(english.feature):
        start = np.searchsorted(english.feature, french.feature, side="left")
        stop = np.searchsorted(english.feature, french.feature, side="right")
        width = stop - start
        ends = np.cumsum(width)
        first = 0
        while first < len(width):
            # source entries [first, last) make at most about `chunk` pairs
            last = int(np.searchsorted(ends, (ends[first - 1] if first else 0) + chunk, "right"))
            last = max(last, first + 1)
            part = width[first:last]
            total = int(part.sum())
            if total:
                source = np.repeat(np.arange(first, last), part)
                offset = np.arange(total) - np.repeat(np.cumsum(part) - part, part)
                target = np.repeat(start[first:last], part) + offset
                row = french.sentence[source]
                column = english.sentence[target]
                inside = (column >= low[row]) & (column <= high[row])
                cells = offsets[row[inside]] + column[inside] - low[row[inside]]
                weights = (french.weight[source] * english.weight[target])[inside]
                flat += np.bincount(cells, weights=weights, minlength=len(flat))
            first = last
    return [flat[offsets[i] : offsets[i + 1]] for i in range(n)]


def neighbour_products(side: Vectors, distance: int) -> np.ndarray:
    """`out[i]` = dot product of sentence i with sentence i + `distance` on the same side."""
    out = np.zeros(max(side.count, 1), dtype=np.float64)
    for k in range(1, distance + 1):
        same = side.feature[k:] == side.feature[:-k]
        apart = (side.sentence[k:] - side.sentence[:-k]) == distance
        hit = same & apart
        np.add.at(out, side.sentence[:-k][hit], (side.weight[k:] * side.weight[:-k])[hit])
    return out[: side.count]


def self_products(side: Vectors) -> np.ndarray:
    """Squared norm of each sentence vector."""
    return np.bincount(side.sentence, weights=side.weight**2, minlength=side.count)
