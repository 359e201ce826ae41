"""Sentence alignment by dynamic programming over beads (Gale & Church 1993; Moore 2002;
Thompson & Koehn 2019 for the cosine of concatenated sentences).

A bead's cost combines the lexical dissimilarity of its sentences (1 − cosine of their
glossed-French and English feature vectors, see `similarity`), a Gale–Church length cost whose
English/French character ratio is estimated on the document itself, and a prior per bead type.
The search is banded and runs twice: first over 1-1, 1-0 and 0-1 beads in a wide band around
the diagonal, then over every bead type in a narrow band around the first path, so time grows
with document length times band width, not with the product of the lengths.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from alignments import similarity
from alignments.bead import Bead
from tm.errors import InvalidInput
from tm.lexicon import Lexicon, words

KINDS: tuple[tuple[int, int], ...] = (
    (1, 1),
    (1, 0),
    (0, 1),
    (2, 1),
    (1, 2),
    (2, 2),
    (1, 3),
    (3, 1),
)
FIRST_PASS = ((1, 1), (1, 0), (0, 1))


@dataclass(frozen=True)
class Costs:
    """Weights of the cost terms (defaults chosen on the Text+Berg dev document and law texts)."""

    deletion: float = 1.0
    length: float = 0.06
    prior: Mapping[tuple[int, int], float] | None = None
    first_band: int = 60
    second_band: int = 8


PRIOR = {(1, 1): 0.0, (2, 1): 0.25, (1, 2): 0.25, (2, 2): 0.7, (1, 3): 0.6, (3, 1): 0.6}


@dataclass
class _Document:
    low: np.ndarray  # dot products are kept for columns low[i]..high[i] of French row i
    rows: list[np.ndarray]  # rows[i][x]: sum of the dot products of row i before low[i] + x
    french_norm: list[np.ndarray]  # [a][i]: squared norm of French sentences i-a..i-1 (end i)
    english_norm: list[np.ndarray]  # [b][j]: same for English ending at j
    french_length: np.ndarray  # prefix sums of character lengths
    english_length: np.ndarray
    ratio: float
    variance: float


def _group_norms(side: similarity.Vectors) -> list[np.ndarray]:
    count = side.count
    own = similarity.self_products(side)
    near = [similarity.neighbour_products(side, d) for d in (1, 2)]
    norms = [np.zeros(count + 1)]
    for size in (1, 2, 3):
        out = np.full(count + 1, np.inf)
        ends = np.arange(size, count + 1)
        total = np.zeros(len(ends))
        for k in range(size):
            total += own[ends - size + k]
        for k in range(size - 1):
            total += 2 * near[0][ends - size + k]
        if size == 3:
            total += 2 * near[1][ends - 3]
        out[size:] = total
        norms.append(out)
    return norms


def _prepare(
    french: Sequence[str],
    english: Sequence[str],
    lexicon: Lexicon,
    glosses: Sequence[str] | None,
    back_glosses: Sequence[str] | None,
    low: np.ndarray,
    high: np.ndarray,
) -> _Document:
    french_words = [words(s) for s in french]
    glossed = (
        [words(g) for g in glosses]
        if glosses is not None
        else [lexicon.gloss_words(w, alternatives=2) for w in french_words]
    )
    ids: dict[str, int] = {}
    f_vec = similarity.vectors(
        [similarity.bag(w, g) for w, g in zip(french_words, glossed, strict=True)], ids
    )
    if back_glosses is None:
        e_bags = [similarity.bag(words(s)) for s in english]
    else:
        # English words plus the back-translation's words, whose prefixes meet the French ones
        e_bags = [
            similarity.bag(words(g), words(s)) for s, g in zip(english, back_glosses, strict=True)
        ]
    e_vec = similarity.vectors(e_bags, ids)
    band = similarity.band_products(f_vec, e_vec, low, high)
    rows = [np.concatenate([[0.0], row.cumsum()]) for row in band]
    f_len = np.array([len(s.replace(" ", "")) + 1 for s in french], dtype=np.float64)
    e_len = np.array([len(s.replace(" ", "")) + 1 for s in english], dtype=np.float64)
    return _Document(
        low=low,
        rows=rows,
        french_norm=_group_norms(f_vec),
        english_norm=_group_norms(e_vec),
        french_length=np.concatenate([[0.0], f_len.cumsum()]),
        english_length=np.concatenate([[0.0], e_len.cumsum()]),
        ratio=float(e_len.sum() / f_len.sum()),
        variance=6.8,
    )


def _bead_cost(
    doc: _Document, i: int, columns: np.ndarray, a: int, b: int, costs: Costs
) -> tuple[np.ndarray, np.ndarray]:
    """Cost and cosine of beads (a, b) ending at row i and each of `columns`."""
    if a == 0 or b == 0:
        return np.full(len(columns), costs.deletion), np.zeros(len(columns))
    block = np.zeros(len(columns))
    for row in range(i - a, i):
        cumulative, first = doc.rows[row], doc.low[row]
        last = len(cumulative) - 1
        at = np.minimum(np.maximum(columns - first, 0), last)
        before = np.minimum(np.maximum(columns - b - first, 0), last)
        block += cumulative[at] - cumulative[before]
    norm = np.sqrt(doc.french_norm[a][i] * doc.english_norm[b][columns])
    cosine = block / np.maximum(norm, 1e-12)  # block is 0 where a norm is 0
    f_len = doc.french_length[i] - doc.french_length[i - a]
    e_len = doc.english_length[columns] - doc.english_length[columns - b]
    delta = (e_len - f_len * doc.ratio) / np.sqrt(doc.variance * (f_len + e_len / doc.ratio) / 2)
    prior = (costs.prior or PRIOR).get((a, b), 1.0)
    cost = (a + b) / 2 * (1.0 - cosine) + costs.length * np.minimum(delta**2, 50.0) + prior
    return cost, cosine


def _search(
    doc: _Document,
    n: int,
    m: int,
    low: np.ndarray,
    high: np.ndarray,
    kinds: Sequence[tuple[int, int]],
    costs: Costs,
) -> list[tuple[int, int, int, int, float]]:
    """Best path in the band [low[i], high[i]] of each row; returns beads as
    (i_start, i_end, j_start, j_end, cosine)."""
    best: list[np.ndarray] = []
    back: list[np.ndarray] = []
    cosines: list[np.ndarray] = []
    with_rows = [(k, (a, b)) for k, (a, b) in enumerate(kinds) if a > 0]
    insertion = next((k for k, kind in enumerate(kinds) if kind == (0, 1)), None)
    for i in range(n + 1):
        columns = np.arange(low[i], high[i] + 1)
        row = np.full(len(columns), np.inf)
        pointer = np.full(len(columns), -1, dtype=np.int8)
        cos_row = np.zeros(len(columns), dtype=np.float32)
        if i == 0:
            row[columns == 0] = 0.0
        for k, (a, b) in with_rows:
            if i - a < 0:
                continue
            previous = columns - b
            lo, hi = low[i - a], high[i - a]
            valid = (previous >= lo) & (previous <= hi) & (previous >= 0)
            if not valid.any():
                continue
            where = np.nonzero(valid)[0]
            before = best[i - a][previous[where] - lo]
            cost, cosine = _bead_cost(doc, i, columns[where], a, b, costs)
            total = before + cost
            better = total < row[where]
            row[where[better]] = total[better]
            pointer[where[better]] = k
            cos_row[where[better]] = cosine[better]
        if insertion is not None:
            steps = np.arange(len(columns)) * costs.deletion
            scanned = np.minimum.accumulate(row - steps) + steps
            improved = scanned < row - 1e-12
            row = np.where(improved, scanned, row)
            pointer[improved] = insertion
            cos_row[improved] = 0.0
        best.append(row)
        back.append(pointer)
        cosines.append(cos_row)
    if not (low[n] <= m <= high[n]) or not np.isfinite(best[n][m - low[n]]):
        raise InvalidInput("no alignment path within the search band")
    path: list[tuple[int, int, int, int, float]] = []
    i, j = n, m
    while i > 0 or j > 0:
        k = int(back[i][j - low[i]])
        a, b = kinds[k]
        path.append((i - a, i, j - b, j, float(cosines[i][j - low[i]])))
        i, j = i - a, j - b
    path.reverse()
    return path


def _diagonal_band(n: int, m: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    centre = np.arange(n + 1) * (m / max(n, 1))
    slope = max(1.0, m / max(n, 1))
    low = np.clip(np.floor(centre - width - slope), 0, m).astype(np.int64)
    high = np.clip(np.ceil(centre + width + slope), 0, m).astype(np.int64)
    return low, high


def _path_band(
    path: Sequence[tuple[int, int, int, int, float]], n: int, m: int, width: int
) -> tuple[np.ndarray, np.ndarray]:
    low = np.full(n + 1, m, dtype=np.int64)
    high = np.zeros(n + 1, dtype=np.int64)
    low[0] = high[0] = 0
    for i0, i1, j0, j1, _ in path:
        for i in range(i0, i1 + 1):
            low[i] = min(low[i], j0)
            high[i] = max(high[i], j1)
    low[n] = min(low[n], m)
    high[n] = max(high[n], m)
    # widen, keeping the band monotone
    low = np.minimum.accumulate(low[::-1])[::-1]
    high = np.maximum.accumulate(high)
    spread_low = np.concatenate([np.full(width, low[0]), low])
    spread_low = np.array([spread_low[i : i + width + 1].min() for i in range(n + 1)])
    spread_high = np.concatenate([high, np.full(width, high[-1])])
    spread_high = np.array([spread_high[i : i + width + 1].max() for i in range(n + 1)])
    return np.clip(spread_low - width, 0, m), np.clip(spread_high + width, 0, m)


def align(
    french: Sequence[str],
    english: Sequence[str],
    *,
    lexicon: Lexicon | Mapping[str, Sequence[str]] | None = None,
    glosses: Sequence[str] | None = None,
    back_glosses: Sequence[str] | None = None,
    costs: Costs | None = None,
) -> list[Bead]:
    """Align French sentences with English sentences.

    `lexicon` renders French words in English (a `tm.lexicon.Lexicon` or a plain mapping,
    e.g. a glossary's terms merged with a learned lexicon); `glosses`, one per French
    sentence, replaces it with a ready translation (e.g. machine translation), and
    `back_glosses`, one per English sentence, adds a translation of the English into French
    (both directions of MT, as Bleualign can use). Returns the
    beads in order, covering every sentence exactly once; deletions are explicit beads.
    """
    costs = costs or Costs()
    if glosses is not None and len(glosses) != len(french):
        raise InvalidInput(f"{len(glosses)} glosses for {len(french)} French sentences")
    if back_glosses is not None and len(back_glosses) != len(english):
        raise InvalidInput(f"{len(back_glosses)} back glosses for {len(english)} English sentences")
    n, m = len(french), len(english)
    if n == 0 or m == 0:
        return [Bead((i,), (), 0.0) for i in range(n)] + [Bead((), (j,), 0.0) for j in range(m)]
    if not isinstance(lexicon, Lexicon):
        lexicon = Lexicon({k: tuple(v) for k, v in (lexicon or {}).items()})
    width = max(costs.first_band, min(int(0.05 * max(n, m)), 300), abs(n - m) // 2)
    low, high = _diagonal_band(n, m, width)
    margin = 4  # dot products a little beyond the band, for groups reaching over its edge
    doc = _prepare(
        french,
        english,
        lexicon,
        glosses,
        back_glosses,
        np.maximum(low - margin, 0),
        np.minimum(high + margin, m),
    )
    first = _search(doc, n, m, low, high, FIRST_PASS, costs)
    second_low, second_high = _path_band(first, n, m, costs.second_band)
    low, high = np.maximum(second_low, low), np.minimum(second_high, high)
    path = _search(doc, n, m, low, high, KINDS, costs)
    return [
        Bead(tuple(range(i0, i1)), tuple(range(j0, j1)), confidence(cos))
        for i0, i1, j0, j1, cos in path
    ]


def confidence(cosine: float) -> float:
    """A bead's confidence from the cosine of its sentences: 1 − exp(−cos / 0.05), so an
    unrelated pair (cos ≈ 0.01) gets ≈ 0.2, a typical true pair of law text (cos ≈ 0.2) ≈ 0.98
    and of a literary text (cos ≈ 0.09) ≈ 0.83. Deletions get 0."""
    return round(1.0 - float(np.exp(-max(cosine, 0.0) / 0.05)), 4)
