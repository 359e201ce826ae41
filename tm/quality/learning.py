"""Learning a word lexicon (`tm.quality.lexicon.Lexicon`) from parallel sentences.

`learn` estimates translation candidates from sentence co-occurrence: the Dice coefficient
(Smadja et al. 1996) over the sets of words of each pair, optionally refined by a few EM
iterations of IBM Model 1 (Brown et al. 1993), all vectorised with numpy. `learn_segments`
keeps what word-for-word renderings miss on headings: short segments seen whole as pairs
(`Titre abrégé` / `Short title`, `Définitions` / `Interpretation`), both ways.
"""

from __future__ import annotations

from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from itertools import pairwise

import numpy as np

from tm.quality import batches
from tm.quality.lexicon import SEGMENT_WORDS, Lexicon, Segments
from tm.text.tokenise import words


def learn(
    pairs: Iterable[tuple[str, str]],
    *,
    top: int = 3,
    min_count: int = 2,
    min_score: float = 0.05,
    iterations: int = 0,
    max_words: int = 80,
    chunk: int = 2_000_000,
    reverse: bool = False,
    progress: Callable[[int], None] | None = None,
    workers: int = 1,
) -> Lexicon:
    """Learn a lexicon from (French, English) sentence pairs.

    Each French word keeps its `top` English words by Dice coefficient (or, with
    `iterations` > 0, by IBM Model 1 probability t(e|f) started from uniform), among English
    words seen with it in at least `min_count` pairs and scoring at least `min_score`. With
    `reverse`, each English word also keeps its `top` French words the same way (t(f|e)):
    `Lexicon.reverse`. The co-occurrence counts are shared; only the EM runs twice.
    Pairs longer than `max_words` on a side are skipped (they are mostly noise here).
    Co-occurrences are counted `chunk` at a time, so memory does not grow with the corpus
    beyond the distinct word pairs. `progress` is called with 1 after each of the
    `steps(iterations=…, reverse=…)` steps (reading and counting, each EM iteration).
    With `workers` other than 1 (and more than one CPU that this platform forks to), the
    English→French side is learned in a process forked from this one while this one learns
    the other (for a single-threaded caller such as the CLI, never a server: the rule of
    `tm.quality.batches`); the lexicon is the same.
    """
    corpus = _Corpus.read(pairs, max_words=max_words, min_count=min_count)
    if corpus is None:
        return Lexicon({})
    table = _Cooccurrences(corpus, chunk, workers=workers)
    if progress is not None:
        progress(1)
    kept = _Kept(iterations=iterations, top=top, min_count=min_count, min_score=min_score)
    if not reverse:
        return Lexicon(table.renderings(kept, forward=True, progress=progress))
    if workers == 1 or batches.available() < 2:
        forward = table.renderings(kept, forward=True, progress=progress)
        return Lexicon(forward, reverse=table.renderings(kept, forward=False, progress=progress))
    # the two directions share the counts and where each co-occurrence is counted: the
    # English→French side is learned in a process forked now (it inherits the table) while
    # this one learns the other
    with batches.aside(partial(table.renderings, kept, forward=False)) as backward:
        forward = table.renderings(kept, forward=True, progress=progress)
        english = backward()
    if progress is not None:
        progress(iterations)
    return Lexicon(forward, reverse=english)


@dataclass(frozen=True)
class _Kept:
    """What `learn` keeps of each word's renderings (its parameters of the same names)."""

    iterations: int
    top: int
    min_count: int
    min_score: float


def steps(*, iterations: int, reverse: bool) -> int:
    """How many times `learn` calls its `progress` with these settings."""
    return 1 + iterations * (2 if reverse else 1)


@dataclass(frozen=True)
class _Corpus:
    """The pairs as word ids (words seen in fewer than `min_count` sentences dropped): per
    side the ids of each sentence's distinct words end to end, where each sentence starts
    (one more entry, the end), and the words."""

    french_ids: np.ndarray
    french_offsets: np.ndarray
    french_words: list[str]
    english_ids: np.ndarray
    english_offsets: np.ndarray
    english_words: list[str]

    @classmethod
    def read(
        cls, pairs: Iterable[tuple[str, str]], *, max_words: int, min_count: int
    ) -> _Corpus | None:
        """The corpus of `pairs` (those with at most `max_words` words a side), or None when
        no word is left."""
        f_flat: list[str] = []
        e_flat: list[str] = []
        f_sizes, e_sizes = array("i"), array("i")
        for source, target in pairs:
            f, e = sorted(set(words(source))), sorted(set(words(target)))
            if f and e and len(f) <= max_words and len(e) <= max_words:
                f_flat += f
                e_flat += e
                f_sizes.append(len(f))
                e_sizes.append(len(e))
        if not f_sizes:
            return None
        f_ids, f_off, f_words = _compact(f_flat, f_sizes, min_count)
        e_ids, e_off, e_words = _compact(e_flat, e_sizes, min_count)
        if not f_words or not e_words:
            return None
        return cls(f_ids, f_off, f_words, e_ids, e_off, e_words)

    @property
    def sentences(self) -> int:
        return len(self.french_offsets) - 1


def _compact(
    flat: list[str], lengths: array[int], min_count: int
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Number the words of the sentences `flat` (end to end, `lengths` words each) in the
    order they first come, and keep those seen in at least `min_count` sentences: (ids,
    sentence offsets, words). Numbered in C (`dict.fromkeys`, `map`): a `setdefault` a word
    took 1.5 s of the 2.5 s read of a 50k-pair sample."""
    vocabulary = {word: number for number, word in enumerate(dict.fromkeys(flat))}
    ids = np.fromiter(map(vocabulary.__getitem__, flat), dtype=np.int64, count=len(flat))
    sizes = np.frombuffer(lengths, dtype=np.int32).astype(np.int64)
    frequency = np.bincount(ids, minlength=len(vocabulary))
    kept = frequency >= min_count
    renumber = np.full(len(vocabulary), -1, dtype=np.int64)
    renumber[kept] = np.arange(int(kept.sum()))
    sentence = np.repeat(np.arange(len(sizes)), sizes)
    new = renumber[ids]
    keep = new >= 0
    counts = np.bincount(sentence[keep], minlength=len(sizes))
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    names = np.array(list(vocabulary), dtype=object)[kept].tolist()
    return new[keep], offsets, names


class _Cooccurrences:
    """Every (French word, English word) pair seen in a sentence pair, with its count: `support`
    (French id × width + English id, sorted), `counts`, and the word ids of each
    (`french_of`, `english_of`). Counted over sentence ranges of about `chunk` co-occurrences
    each, so memory stays flat."""

    def __init__(self, corpus: _Corpus, chunk: int, *, workers: int = 1) -> None:
        self.corpus = corpus
        self.french_lengths = np.diff(corpus.french_offsets)
        self.english_lengths = np.diff(corpus.english_offsets)
        self.width = np.int64(len(corpus.english_words))
        sentences = corpus.sentences
        ends = np.cumsum(self.french_lengths * self.english_lengths)
        cuts = np.searchsorted(ends, np.arange(chunk, int(ends[-1]) + chunk, chunk), side="right")
        bounds = sorted({0, *np.minimum(cuts, sentences).tolist(), sentences})
        self.ranges = [(a, b) for a, b in pairwise(bounds) if b > a]
        self._where: list[np.ndarray] = []
        self.support, self.counts = self._count(workers)
        self.french_of, self.english_of = self.support // self.width, self.support % self.width
        self._groups: dict[tuple[int, bool], np.ndarray] = {}

    def codes(self, first: int, last: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(French word × width + English word, English position, French position) of every
        co-occurrence in sentences first..last-1."""
        corpus, e_len = self.corpus, self.english_lengths
        sizes = self.french_lengths[first:last] * e_len[first:last]
        sentence = np.repeat(np.arange(first, last), sizes)
        within = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        columns = np.maximum(e_len[sentence], 1)
        e_pos = corpus.english_offsets[sentence] + within % columns
        f_pos = corpus.french_offsets[sentence] + within // columns
        return corpus.french_ids[f_pos] * self.width + corpus.english_ids[e_pos], e_pos, f_pos

    def _count(self, workers: int) -> tuple[np.ndarray, np.ndarray]:
        """The distinct codes and their counts, merged every 8 ranges; and where each
        co-occurrence is in them (`where`), found from each range's distinct codes once they
        are all known: counting and finding had each worked out and sorted every range's
        codes (7.5 s of a 50k-pair sample's 10 s before the EM, now 5 s). The ranges are
        sorted in `workers` processes (`tm.quality.batches.mapped`): nothing else runs then."""
        support = np.empty(0, dtype=np.int64)
        counts = np.empty(0, dtype=np.int64)
        found_codes: list[np.ndarray] = []
        found_counts: list[np.ndarray] = []
        distinct: list[tuple[np.ndarray, np.ndarray]] = []
        ranges = batches.mapped(self._distinct, range(len(self.ranges)), workers=workers)
        for number, (unique, inverse, count) in enumerate(ranges, start=1):
            distinct.append((unique, inverse))
            found_codes.append(unique)
            found_counts.append(count)
            if number % 8 == 0 or number == len(self.ranges):
                support, merged = np.unique(
                    np.concatenate([support, *found_codes]), return_inverse=True
                )
                counts = np.bincount(merged, weights=np.concatenate([counts, *found_counts]))
                counts = counts.astype(np.int64)
                found_codes.clear()
                found_counts.clear()
        self._where = [
            np.searchsorted(support, unique).astype(np.int32)[inverse]
            for unique, inverse in distinct
        ]
        return support, counts

    def _distinct(self, number: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The distinct codes of range `number`, sorted, which of them each co-occurrence is,
        and how often each is seen."""
        codes, _, _ = self.codes(*self.ranges[number])
        unique, inverse, count = np.unique(codes, return_inverse=True, return_counts=True)
        return unique, inverse.astype(np.int32), count

    def dice(self) -> np.ndarray:
        """The Dice coefficient of each co-occurring word pair."""
        corpus = self.corpus
        f_df = np.bincount(corpus.french_ids, minlength=len(corpus.french_words))
        e_df = np.bincount(corpus.english_ids, minlength=len(corpus.english_words))
        f_df, e_df = f_df.astype(np.float64), e_df.astype(np.float64)
        dice: np.ndarray = 2.0 * self.counts / (f_df[self.french_of] + e_df[self.english_of])
        return dice

    def model1(
        self,
        iterations: int,
        *,
        english_given_french: bool,
        progress: Callable[[int], None] | None = None,
    ) -> np.ndarray:
        """IBM Model 1 probabilities t(e|f) (or t(f|e)) for each co-occurring word pair, after
        `iterations` EM steps from uniform."""
        support = self.support
        given = self.french_of if english_given_french else self.english_of
        t = np.full(len(support), 1.0)
        for _ in range(iterations):
            expected = np.zeros(len(support))
            for number in range(len(self.ranges)):
                index = self.where(number)
                share = t[index]
                # normalise over the given side's words of the pair, for each other word
                group = self.group(number, english_given_french=english_given_french)
                share = share / np.bincount(group, weights=share)[group]
                expected += np.bincount(index, weights=share, minlength=len(support))
            t = expected / np.bincount(given, weights=expected)[given]
            if progress is not None:
                progress(1)
        return t

    def where(self, number: int) -> np.ndarray:
        """The position in `support` of each co-occurrence of range `number`: found once, while
        counting (the searches over millions of sorted codes were most of learning's time when
        each EM iteration repeated them), then kept, 4 bytes a co-occurrence."""
        return self._where[number]

    def group(self, number: int, *, english_given_french: bool) -> np.ndarray:
        """For each co-occurrence of range `number`, which word of the given side's sentence it
        is with (an English position when English is given French), counted from the range's
        start: kept for the EM iterations of one direction (then the other's replace them)."""
        key = (number, english_given_french)
        if key not in self._groups:
            if any(given != english_given_french for _, given in self._groups):
                self._groups.clear()
            first, last = self.ranges[number]
            _, e_pos, f_pos = self.codes(first, last)
            offsets = (
                self.corpus.english_offsets if english_given_french else self.corpus.french_offsets
            )
            position = (e_pos if english_given_french else f_pos) - offsets[first]
            self._groups[key] = position.astype(np.int32)
        return self._groups[key]

    def renderings(
        self, kept: _Kept, *, forward: bool, progress: Callable[[int], None] | None = None
    ) -> dict[str, tuple[str, ...]]:
        """Each French word's renderings (`forward`) or each English word's, kept as `kept`
        says: by IBM Model 1 after `kept.iterations` EM steps, or by Dice without."""
        score = (
            self.model1(kept.iterations, english_given_french=forward, progress=progress)
            if kept.iterations
            else self.dice()
        )
        words = (self.corpus.french_words, self.corpus.english_words)
        ids = (self.french_of, self.english_of)
        first = 0 if forward else 1
        return self.best(
            score,
            ids[first],
            ids[1 - first],
            words[first],
            words[1 - first],
            top=kept.top,
            min_count=kept.min_count,
            min_score=kept.min_score,
        )

    def best(
        self,
        score: np.ndarray,
        of: np.ndarray,
        to: np.ndarray,
        names: list[str],
        renderings: list[str],
        *,
        top: int,
        min_count: int,
        min_score: float,
    ) -> dict[str, tuple[str, ...]]:
        """Each word's `top` renderings by `score` (word ids `of`, rendering ids `to`), among
        those seen `min_count` times and scoring `min_score`."""
        keep = (self.counts >= min_count) & (score >= min_score)
        order = np.lexsort((-score[keep], of[keep]))
        table: dict[str, list[str]] = {}
        for word, rendering in zip(of[keep][order].tolist(), to[keep][order].tolist(), strict=True):
            chosen = table.setdefault(names[word], [])
            if len(chosen) < top:
                chosen.append(renderings[rendering])
        return {key: tuple(value) for key, value in table.items()}


def learn_segments(
    pairs: Iterable[tuple[str, str]],
    *,
    min_count: int = 2,
    min_share: float = 0.05,
    top: int = 3,
) -> Segments:
    """The short segments of (French, English) `pairs`: for each side of at most
    `SEGMENT_WORDS` words, its `top` translations seen in at least `min_count` pairs and in at
    least `min_share` of that side's pairs. Word-for-word lexicons miss fixed heading
    translations (`Titre abrégé` / `Short title`: `titre` mostly renders `under` or `as`).

    Learned from the pairs being scored, a `min_count` of 1 would vouch for every short pair
    by itself; 1 suits a de-duplicated corpus that holds none of them.
    """
    forward: defaultdict[str, Counter[str]] = defaultdict(Counter)
    backward: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for source, target in pairs:
        french, english = words(source), words(target)
        if 0 < len(french) <= SEGMENT_WORDS and 0 < len(english) <= SEGMENT_WORDS:
            french_key, english_key = " ".join(french), " ".join(english)
            forward[french_key][english_key] += 1
            backward[english_key][french_key] += 1

    def kept(counts: Mapping[str, Counter[str]]) -> dict[str, tuple[str, ...]]:
        table: dict[str, tuple[str, ...]] = {}
        for key, seen in counts.items():
            total = seen.total()
            chosen = tuple(
                other
                for other, count in seen.most_common(top)
                if count >= min_count and count >= min_share * total
            )
            if chosen:
                table[key] = chosen
        return table

    return Segments(kept(forward), kept(backward))
