"""Sentence alignment by dynamic programming over beads (Gale & Church 1993; Moore 2002;
Thompson & Koehn 2019 for the cosine of concatenated sentences).

A bead's cost combines the lexical dissimilarity of its sentences (1 − cosine of their
glossed-French and English feature vectors, see `similarity`), a Gale–Church length cost whose
English/French character ratio is estimated on the document itself, and a prior per bead type.
A bead grouping several sentences also pays when one of them has next to no lexical link to
the other side (a share of the document's typical 1-1 cosine, measured on the first pass):
an English heading whose French was dropped is then left alone (0-1) rather than glued to
its neighbour (1-2). The layout of the lines adds positional evidence (`layout`): a
heading-like line grouped with a section must face a heading, or a break at the right place
in the other side's single line ("Act prevails This Act …"), and a bead's last lines should
agree on ending with a heading or with a full sentence. A 1-1 bead pays when one of its
sentences has a clearly better partner elsewhere in the band (the margin idea of Artetxe &
Schwenk 2019, on lexical cosines), so a sentence whose counterpart was dropped is left alone
instead of paired with an unrelated one and shifting its neighbours. The search is banded
and runs twice: first over 1-1, 1-0 and 0-1 beads in a wide band around the diagonal, then
over every bead type (up to 1-4, 4-1, 2-3 and 3-2) in a narrow band around the first path,
so time grows with document length times band width, not with the product of the lengths;
bead costs are priced for many rows of the band at once (`CHUNK` cells), the dynamic
program then steps through the rows.
Last, a line glued to a two-line group whose words the single line facing it does not
translate, once its sibling has linked its own (`linking`), is left alone as a deletion.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from alignments import layout, linking, similarity
from alignments.bead import Bead
from tm.errors import InvalidInput
from tm.quality.lexicon import Lexicon
from tm.text.tokenise import words

KINDS: tuple[tuple[int, int], ...] = (
    (1, 1),
    (1, 0),
    (0, 1),
    (2, 1),
    (1, 2),
    (2, 2),
    (1, 3),
    (3, 1),
    (2, 3),
    (3, 2),
    (1, 4),
    (4, 1),
)
FIRST_PASS = ((1, 1), (1, 0), (0, 1))
CHUNK = 1 << 15  # cells of the search band priced at once
LARGEST = max(max(kind) for kind in KINDS)


@dataclass(frozen=True)
class Costs:
    """Weights of the cost terms (defaults chosen on the Text+Berg dev document, law texts and
    the laws perturbed with another seed than the benchmark's).

    `support` is added to a bead of three or more sentences in full when one of them has a
    cosine with the other side of 0, and in part below `support_share` × the document's
    typical 1-1 cosine. `margin` is added to a 1-1 bead in full when one of its sentences has
    a partner elsewhere in the band whose cosine beats the pair's by the typical cosine (in
    part below that), so two unrelated sentences are not paired when a deletion explains them
    better.

    The layout terms (`alignments.layout`): `heading` is added to a bead grouping a
    heading-like line (not its last) with other lines when the other side is one line (not
    in title case) with no break where the heading should end, or a group whose first line
    is a sentence, or a group without any heading-like line; `break_credit` is taken off
    when every such heading facing one line has its break. `ending` is added to a group, and
    `pair_ending` to a 1-1 bead, whose last lines disagree: one ends with a heading, the
    other with a full sentence.

    `glued_share`, `glued_words` and `glued_explained` are `linking.glued`'s `share`, `least`
    and `explained`: a line of a found 1-2 or 2-1 bead is split off when its sibling alone
    explains the single line (a negative `glued_share` turns this off)."""

    deletion: float = 1.0
    support: float = 0.3
    support_share: float = 0.2
    margin: float = 0.1
    length: float = 0.06
    prior: Mapping[tuple[int, int], float] | None = None
    first_band: int = 60
    second_band: int = 8
    heading: float = 0.6
    break_credit: float = 0.2
    ending: float = 0.6
    pair_ending: float = 0.15
    glued_share: float = 0.2
    glued_words: int = 3
    glued_explained: float = 0.5


PRIOR = {
    (1, 1): 0.0,
    (2, 1): 0.25,
    (1, 2): 0.25,
    (2, 2): 0.5,
    (1, 3): 0.6,
    (3, 1): 0.6,
    (2, 3): 0.8,
    (3, 2): 0.8,
    (1, 4): 0.8,
    (4, 1): 0.8,
}


@dataclass
class _Document:
    low: np.ndarray  # dot products are kept for columns low[i]..high[i] of French row i
    # prefix[start[i] + x]: sum of the dot products of row i with columns low[i]..low[i] + x − 1
    prefix: np.ndarray
    prefix_start: np.ndarray
    prefix_width: np.ndarray
    french_norm: list[np.ndarray]  # [a][i]: squared norm of French sentences i-a..i-1 (end i)
    english_norm: list[np.ndarray]  # [b][j]: same for English ending at j
    french_length: np.ndarray  # prefix sums of character lengths
    english_length: np.ndarray
    ratio: float
    variance: float
    french_inverse: list[np.ndarray]  # [a][i]: 1 / |sum of French sentences i-a..i-1|
    english_inverse: list[np.ndarray]
    french_best: np.ndarray  # highest cosine of each sentence with one in its band
    english_best: np.ndarray
    french_layout: layout.Lines
    english_layout: layout.Lines
    typical: float = 0.0  # typical cosine of a true 1-1 pair here (0: not known yet)


def _group_norms(side: similarity.Vectors) -> list[np.ndarray]:
    """[size][end]: squared norm of the sum of the `size` sentences before `end`."""
    count = side.count
    own = similarity.self_products(side)
    near = [similarity.neighbour_products(side, d) for d in range(1, LARGEST)]
    norms = [np.zeros(count + 1)]
    for size in range(1, LARGEST + 1):
        out = np.full(count + 1, np.inf)
        ends = np.arange(size, count + 1)
        total = np.zeros(len(ends))
        for k in range(size):
            total += own[ends - size + k]
        for distance in range(1, size):
            for k in range(size - distance):
                total += 2 * near[distance - 1][ends - size + k]
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
    f_vec, e_vec = _vectors(french, english, lexicon, glosses, back_glosses)
    band = similarity.band_products(f_vec, e_vec, low, high)
    rows = [np.concatenate([[0.0], row.cumsum()]) for row in band]
    widths = np.array([len(row) for row in rows], dtype=np.int64)
    f_len = np.array([len(s.replace(" ", "")) + 1 for s in french], dtype=np.float64)
    e_len = np.array([len(s.replace(" ", "")) + 1 for s in english], dtype=np.float64)
    french_norm, english_norm = _group_norms(f_vec), _group_norms(e_vec)
    french_best, english_best = _best_cosines(
        band, low, _inverse_root(french_norm[1][1:]), _inverse_root(english_norm[1][1:])
    )
    return _Document(
        low=low,
        prefix=np.concatenate(rows) if rows else np.zeros(1),
        prefix_start=np.concatenate([[0], widths.cumsum()[:-1]]).astype(np.int64),
        prefix_width=widths,
        french_norm=french_norm,
        english_norm=english_norm,
        french_length=np.concatenate([[0.0], f_len.cumsum()]),
        english_length=np.concatenate([[0.0], e_len.cumsum()]),
        ratio=float(e_len.sum() / f_len.sum()),
        variance=6.8,
        french_inverse=[_inverse_root(norm) for norm in french_norm],
        english_inverse=[_inverse_root(norm) for norm in english_norm],
        french_best=french_best,
        english_best=english_best,
        french_layout=layout.lines(french),
        english_layout=layout.lines(english),
    )


def _vectors(
    french: Sequence[str],
    english: Sequence[str],
    lexicon: Lexicon,
    glosses: Sequence[str] | None,
    back_glosses: Sequence[str] | None,
) -> tuple[similarity.Vectors, similarity.Vectors]:
    """The weighted feature vectors of both sides (`similarity`): the French glossed (by the
    lexicon, or the `glosses` given), the English with its `back_glosses` when given."""
    french_words = [words(s) for s in french]
    glossed = (
        [words(g) for g in glosses]
        if glosses is not None
        else [_gloss(lexicon, w) for w in french_words]
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
    return f_vec, similarity.vectors(e_bags, ids)


def _best_cosines(
    band: list[np.ndarray], low: np.ndarray, f_inverse: np.ndarray, e_inverse: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The highest cosine of each French and each English sentence with one in its band
    (`band[i]`: dot products of French sentence i with English `low[i]`…)."""
    french_best = np.zeros(len(f_inverse))
    english_best = np.zeros(len(e_inverse))
    for i, products in enumerate(band):
        columns = np.arange(low[i], min(low[i] + len(products), len(e_inverse)))
        if len(columns):
            cos = products[: len(columns)] * f_inverse[i] * e_inverse[columns]
            french_best[i] = cos.max()
            np.maximum.at(english_best, columns, cos)
    return french_best, english_best


def _gloss(lexicon: Lexicon, french_words: list[str]) -> list[str]:
    """English words for a French sentence, word by word; a short one seen whole in the TM (a
    heading, "Titre abrégé") also gets its usual translation ("short title"), which
    word-for-word glosses miss ("titre": under, section)."""
    return lexicon.segment(french_words) + lexicon.gloss_words(french_words, alternatives=2)


def _inverse_root(norms: np.ndarray) -> np.ndarray:
    """1 / √norm, with 0-norm (and undefined, infinite) entries kept finite."""
    inverse: np.ndarray = 1.0 / np.sqrt(np.clip(norms, 1e-24, 1e300))
    return inverse


@dataclass(frozen=True)
class _Cells:
    """Cells (French row, English column) of a search band, row after row."""

    row: np.ndarray
    column: np.ndarray


def _cells(low: np.ndarray, high: np.ndarray, first: int, stop: int) -> tuple[_Cells, np.ndarray]:
    """The cells of rows first..stop − 1 (columns low[i]..high[i]), and where each row's
    cells start (one entry more, the end)."""
    widths = np.maximum(high[first:stop] - low[first:stop] + 1, 0)
    starts = np.concatenate([[0], widths.cumsum()]).astype(np.int64)
    rows = np.repeat(np.arange(first, stop), widths)
    columns = (
        np.arange(starts[-1]) - np.repeat(starts[:-1], widths) + np.repeat(low[first:stop], widths)
    )
    return _Cells(rows, columns), starts


def _before(doc: _Document, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """Dot products of each French row with the English sentences before its column (within
    the stored band: 0 before it, the band's total after it)."""
    at = np.minimum(np.maximum(columns - doc.low[rows], 0), doc.prefix_width[rows] - 1)
    found: np.ndarray = doc.prefix[doc.prefix_start[rows] + at]
    return found


def _window(doc: _Document, rows: np.ndarray, columns: np.ndarray, width: int) -> np.ndarray:
    """Dot products of each French row with the `width` English sentences before its column."""
    window: np.ndarray = _before(doc, rows, columns) - _before(doc, rows, columns - width)
    return window


def _summed(parts: list[np.ndarray]) -> np.ndarray:
    """parts[-1] + (… + (parts[1] + parts[0])): the rows of a group, last one first."""
    total = parts[0]
    for part in parts[1:]:
        total = part + total
    return total


def _bead_cost(
    doc: _Document, cells: _Cells, a: int, b: int, costs: Costs
) -> tuple[np.ndarray, np.ndarray]:
    """Cost and cosine of beads (a, b), a and b ≥ 1, ending at each cell (cells whose bead
    would start before row or column 0 are meaningless), but for the layout's heading terms
    (`_headings`)."""
    i, columns = cells.row, cells.column
    group_e = doc.english_inverse[b][columns]
    group_f = doc.french_inverse[a][i]
    # windows[t]: French row i − 1 − t with the b English sentences before the column
    windows = [_window(doc, i - 1 - t, columns, b) for t in range(a)]
    block = _summed(windows)
    cosine = block * (group_e * group_f)  # 0 where a norm is 0
    e_len = doc.english_length[columns] - doc.english_length[np.maximum(columns - b, 0)]
    f_len = doc.french_length[i] - doc.french_length[i - a]
    # Gale–Church: squared deviation of the English length from the expected one
    squared = (e_len - f_len * doc.ratio) ** 2 / (doc.variance / 2 * (f_len + e_len / doc.ratio))
    prior = (costs.prior or PRIOR).get((a, b), 1.0)
    cost = (a + b) / 2 * (1.0 - cosine) + costs.length * np.minimum(squared, 50.0) + prior
    if a + b == 2 and costs.margin > 0 and doc.typical > 0:
        # a pair one of whose sentences has a far better partner elsewhere in the band
        rival = np.maximum(doc.french_best[i - 1], doc.english_best[np.maximum(columns - 1, 0)])
        behind = np.minimum(np.maximum((rival - cosine) / doc.typical, 0.0), 1.0)
        cost += costs.margin * behind
    ending = costs.pair_ending if a + b == 2 else costs.ending
    if ending > 0:
        cost += ending * layout.endings(doc.french_layout, doc.english_layout, i, columns)
    if a + b > 2 and costs.support > 0 and doc.typical > 0:
        # a sentence of the group with next to no lexical link to the other side
        french_weakest = windows[0] * doc.french_inverse[1][i]
        for t, window in enumerate(windows[1:], start=1):
            french_weakest = np.minimum(french_weakest, window * doc.french_inverse[1][i - t])
        # the English sentence k + 1 before the column, with the group
        singles = [
            _summed([_window(doc, i - 1 - t, columns - k, 1) for t in range(a)])
            * doc.english_inverse[1][np.maximum(columns - k, 0)]
            for k in range(b)
        ]
        english_weakest = singles[0]
        for single in singles[1:]:
            english_weakest = np.minimum(english_weakest, single)
        weakest = np.minimum(french_weakest * group_e, english_weakest * group_f)
        shortfall = 1.0 - weakest / (costs.support_share * doc.typical)
        cost += costs.support * np.minimum(np.maximum(shortfall, 0.0), 1.0)
    return cost, cosine


def _headings(
    doc: _Document, i: int, a: int, b: int, columns: np.ndarray, costs: Costs
) -> np.ndarray | None:
    """The layout's heading terms of beads (a, b), a + b > 2, ending at row i and each of the
    row's columns (`layout.headings`), or None where there are none."""
    found = layout.headings(doc.french_layout, doc.english_layout, i, a, b, columns)
    if found is None:
        return None
    added: np.ndarray = costs.heading * found[0] - costs.break_credit * found[1]
    return added


Priced = dict[tuple[int, int], tuple[int, np.ndarray, np.ndarray]]


def _price(
    doc: _Document,
    low: np.ndarray,
    high: np.ndarray,
    first: int,
    with_rows: Sequence[tuple[int, tuple[int, int]]],
    costs: Costs,
) -> tuple[int, np.ndarray, Priced]:
    """Every bead type with lines on both sides priced at once for the rows from `first`,
    about `CHUNK` cells: (the rows' stop, where each row's cells start, and for each type the
    first cell priced, rows before its size having no such bead, with costs and cosines)."""
    end = first + CHUNK  # rows enough: a row has a cell or more
    sizes = np.maximum(high[first:end] - low[first:end] + 1, 0).cumsum()
    stop = first + max(1, int(np.searchsorted(sizes, CHUNK, side="right")))
    cells, starts = _cells(low, high, first, stop)
    priced: Priced = {}
    for _, (a, b) in with_rows:
        if b > 0 and a < stop:
            skip = int(starts[max(a - first, 0)])
            part = _Cells(cells.row[skip:], cells.column[skip:])
            priced[a, b] = (skip, *_bead_cost(doc, part, a, b, costs))
    return stop, starts, priced


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
    band = _Band(doc, low, high, kinds, costs)
    chunk = chunk_stop = 0
    for i in range(n + 1):
        if i >= chunk_stop:
            chunk = i
            chunk_stop, starts, priced = _price(doc, low, high, chunk, band.with_rows, costs)
        band.step(i, int(starts[i - chunk]), priced)
    if not (low[n] <= m <= high[n]) or not np.isfinite(band.best[n][m - low[n]]):
        raise InvalidInput("no alignment path within the search band")
    path: list[tuple[int, int, int, int, float]] = []
    i, j = n, m
    while i > 0 or j > 0:
        k = int(band.back[i][j - low[i]])
        a, b = kinds[k]
        path.append((i - a, i, j - b, j, float(band.cosines[i][j - low[i]])))
        i, j = i - a, j - b
    path.reverse()
    return path


class _Band:
    """The dynamic program over a search band, row by row: for each row, the best cost of a
    path to each of its cells, the bead type it ends with (`back`) and that bead's cosine."""

    def __init__(
        self,
        doc: _Document,
        low: np.ndarray,
        high: np.ndarray,
        kinds: Sequence[tuple[int, int]],
        costs: Costs,
    ) -> None:
        self.doc, self.costs = doc, costs
        self.best: list[np.ndarray] = []
        self.back: list[np.ndarray] = []
        self.cosines: list[np.ndarray] = []
        self.with_rows = [(k, (a, b)) for k, (a, b) in enumerate(kinds) if a > 0]
        self.insertion = next((k for k, kind in enumerate(kinds) if kind == (0, 1)), None)
        self.codes = np.array([k for k, _ in self.with_rows] + [-1], dtype=np.int8)
        self.lows, self.highs = low.tolist(), high.tolist()  # plain ints: cheaper per row

    def step(self, i: int, at: int, priced: Priced) -> None:
        """Row i, whose cells start at `at` in the `priced` chunk."""
        costs, lows, highs = self.costs, self.lows, self.highs
        columns = np.arange(lows[i], highs[i] + 1)
        # one line per bead type (and a last one for the start), the best taken at the end
        totals = np.full((len(self.with_rows) + 1, len(columns)), np.inf)
        found = np.zeros((len(self.with_rows) + 1, len(columns)))
        if i == 0:
            totals[-1, columns == 0] = 0.0
        for line, (_, (a, b)) in enumerate(self.with_rows):
            if i - a < 0:
                continue
            # columns whose bead starts inside the band of row i - a: one contiguous run
            lo, hi = lows[i - a], highs[i - a]
            start = max(lo + b, b, lows[i]) - lows[i]
            stop = min(hi + b, highs[i]) - lows[i] + 1
            if start >= stop:
                continue
            first = lows[i] + start - b - lo
            before = self.best[i - a][first : first + stop - start]
            if b == 0:
                totals[line, start:stop] = before + costs.deletion
                continue
            skip, all_costs, all_cosines = priced[a, b]
            cost = all_costs[at - skip + start : at - skip + stop]
            if a + b > 2 and (costs.heading > 0 or costs.break_credit > 0):
                layout_cost = _headings(self.doc, i, a, b, columns, costs)
                if layout_cost is not None:
                    cost = cost + layout_cost[start:stop]
            totals[line, start:stop] = before + cost
            found[line, start:stop] = all_cosines[at - skip + start : at - skip + stop]
        self._choose(totals, found)

    def _choose(self, totals: np.ndarray, found: np.ndarray) -> None:
        """Keep the best line of each column (then an insertion from the left, where cheaper)."""
        choice = totals.argmin(axis=0)
        everywhere = np.arange(totals.shape[1])
        row = totals[choice, everywhere]
        pointer = self.codes[choice]
        cos_row = found[choice, everywhere].astype(np.float32)
        if self.insertion is not None:
            steps = np.arange(totals.shape[1]) * self.costs.deletion
            scanned = np.minimum.accumulate(row - steps) + steps
            improved = scanned < row - 1e-12
            row = np.where(improved, scanned, row)
            pointer[improved] = self.insertion
            cos_row[improved] = 0.0
        self.best.append(row)
        self.back.append(pointer)
        self.cosines.append(cos_row)


def _calibrate(doc: _Document, path: Sequence[tuple[int, int, int, int, float]]) -> _Document:
    """The document's typical 1-1 cosine, from the first pass; left unknown (0, which turns
    off the costs measured against it) when the sentences share next to no features, e.g.
    without a lexicon."""
    ones = [cos for i0, i1, j0, j1, cos in path if i1 - i0 == 1 and j1 - j0 == 1]
    typical = float(np.median(ones)) if ones else 0.0
    return replace(doc, typical=typical if typical >= 0.02 else 0.0)


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

    `lexicon` renders French words in English (a `tm.quality.lexicon.Lexicon` or a plain mapping,
    e.g. a glossary's terms merged with a learned lexicon); `glosses`, one per French
    sentence, replaces it with a ready translation (e.g. machine translation), and
    `back_glosses`, one per English sentence, adds a translation of the English into French
    (both directions of MT, as Bleualign can use). Returns the
    beads in order, covering every sentence exactly once; deletions are explicit beads.
    """
    costs = costs or Costs()
    _check(french, english, glosses, back_glosses)
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
    doc = _calibrate(doc, first)
    second_low, second_high = _path_band(first, n, m, costs.second_band)
    low, high = np.maximum(second_low, low), np.minimum(second_high, high)
    path = _search(doc, n, m, low, high, KINDS, costs)
    if costs.glued_share >= 0:
        path = _unglue(doc, path, french, english, lexicon, glosses, costs)
    return [
        Bead(tuple(range(i0, i1)), tuple(range(j0, j1)), confidence(cos))
        for i0, i1, j0, j1, cos in path
    ]


def _check(
    french: Sequence[str],
    english: Sequence[str],
    glosses: Sequence[str] | None,
    back_glosses: Sequence[str] | None,
) -> None:
    """InvalidInput unless there is a gloss per French sentence and a back gloss per English
    one (when given)."""
    if glosses is not None and len(glosses) != len(french):
        raise InvalidInput(f"{len(glosses)} glosses for {len(french)} French sentences")
    if back_glosses is not None and len(back_glosses) != len(english):
        raise InvalidInput(f"{len(back_glosses)} back glosses for {len(english)} English sentences")


def _unglue(
    doc: _Document,
    path: list[tuple[int, int, int, int, float]],
    french: Sequence[str],
    english: Sequence[str],
    lexicon: Lexicon,
    glosses: Sequence[str] | None,
    costs: Costs,
) -> list[tuple[int, int, int, int, float]]:
    """`path` with the lines glued to a 1-2 or 2-1 bead left alone (`linking.unglue`)."""

    def pair_cosine(i: int, j: int) -> float:
        """The cosine of French sentence i − 1 with English sentence j − 1."""
        return float(_bead_cost(doc, _Cells(np.array([i]), np.array([j])), 1, 1, costs)[1][0])

    return linking.unglue(
        path,
        french,
        english,
        lexicon=lexicon,
        glosses=glosses,
        share=costs.glued_share,
        least=costs.glued_words,
        explained=costs.glued_explained,
        cosine=pair_cosine,
    )


def confidence(cosine: float) -> float:
    """A bead's confidence from the cosine of its sentences: 1 − exp(−cos / 0.05), so an
    unrelated pair (cos ≈ 0.01) gets ≈ 0.2, a typical true pair of law text (cos ≈ 0.2) ≈ 0.98
    and of a literary text (cos ≈ 0.09) ≈ 0.83. Deletions get 0."""
    return round(1.0 - float(np.exp(-max(cosine, 0.0) / 0.05)), 4)
