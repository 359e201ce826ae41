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

import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

PREFIX = 5
# Features found in more than this share of sentences carry almost no information but cost
# the most pairs in the join; they are dropped.
COMMON = 0.4


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def bag(words: Sequence[str], glossed: Sequence[str] | None = None) -> Counter[str]:
    """The features of one sentence: its words (or `glossed` words plus its own), prefixes,
    bigrams of the glossed (English-side) words."""
    english = list(glossed) if glossed is not None else list(words)
    features: Counter[str] = Counter("w:" + w for w in english)
    if glossed is not None:
        features.update("w:" + w for w in words if "w:" + w not in features)
    features.update("p:" + _fold(w)[:PREFIX] for w in words if len(w) >= PREFIX + 1)
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
    limit = max(2.0, COMMON * total)
    sentence: list[int] = []
    feature: list[int] = []
    weight: list[float] = []
    idf = {f: np.log((1 + total) / (0.5 + df)) for f, df in frequency.items() if df <= limit}
    for index, features in enumerate(bags):
        for name, tf in features.items():
            if name in idf:
                sentence.append(index)
                feature.append(ids.setdefault(name, len(ids)))
                weight.append((1.0 + np.log(tf)) * idf[name])
    s = np.asarray(sentence, dtype=np.int64)
    f = np.asarray(feature, dtype=np.int64)
    order = np.lexsort((s, f))
    return Vectors(s[order], f[order], np.asarray(weight, dtype=np.float64)[order], len(bags))


def dot_products(french: Vectors, english: Vectors) -> np.ndarray:
    """The dense matrix of dot products between every French and English sentence vector."""
    n, m = french.count, english.count
    result = np.zeros(n * m, dtype=np.float64)
    if not len(french.feature) or not len(english.feature):
        return result.reshape(n, m)
    start = np.searchsorted(english.feature, french.feature, side="left")
    stop = np.searchsorted(english.feature, french.feature, side="right")
    width = stop - start
    total = int(width.sum())
    if total:
        source = np.repeat(np.arange(len(french.feature)), width)
        offset = np.arange(total) - np.repeat(np.cumsum(width) - width, width)
        target = np.repeat(start, width) + offset
        cells = french.sentence[source] * m + english.sentence[target]
        result += np.bincount(
            cells, weights=french.weight[source] * english.weight[target], minlength=n * m
        )
    return result.reshape(n, m)


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
