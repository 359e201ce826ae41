"""A French→English word lexicon learned from parallel sentences, and word-by-word glosses.

`learn` estimates translation candidates from sentence co-occurrence: the Dice coefficient
(Smadja et al. 1996) over the sets of words of each pair, optionally refined by a few EM
iterations of IBM Model 1 (Brown et al. 1993), all vectorised with numpy. `Lexicon.gloss`
renders French text in English word by word (unknown words, names and numbers pass through),
which alignment and the quality checks compare with the English by n-gram overlap.
Multi-word entries (from a glossary) are matched longest first.

`learn_segments` keeps what word-for-word renderings miss on headings: short segments seen
whole as pairs (`Titre abrégé` / `Short title`, `Définitions` / `Interpretation`), both ways.
"""

from __future__ import annotations

import json
import zlib
from array import array
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise

import numpy as np

from tm.text.tokenise import words

SEGMENT_WORDS = 6
"""The most words a side of a known segment (`Segments`) has."""
_FORMAT = 3  # serialisation with segments and reverse; a plain mapping is the words-only format
_FORMATS = (2, 3)  # 2: before the reverse table


_STOP = frozenset(
    "the of and to in a an is are be by or for on that this with as at any it its from which "
    "shall under le la les l de du des d un une et en au aux à a est sont par pour sur que qui "
    "ou dans ce cette se s".split()
)


def is_content(word: str) -> bool:
    """Whether a lower-cased word carries meaning: not a French or English function word,
    not a lone letter."""
    return word not in _STOP and not (len(word) == 1 and word.isalpha())


def _spelled_alike(key: str, translations: Sequence[str]) -> bool:
    """Whether `key` is one of `translations` but for hyphens and spaces (`re appointment`,
    from `Re-appointment`, is `reappointment`)."""
    if key in translations:
        return True
    joined = key.replace(" ", "")
    return any(joined == other.replace(" ", "") for other in translations)


@dataclass(frozen=True)
class Segments:
    """Short segments (≤ `SEGMENT_WORDS` words: headings, titles) seen whole as pairs: the words
    of one side (`words`, space-joined) → those of the other side, most frequent first."""

    french: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    english: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.french or self.english)

    def agreement(self, french_words: Sequence[str], english_words: Sequence[str]) -> float:
        """1 when a side is a known segment and the other side one of its translations, -1
        when a side is known but the other is none of its translations, 0 when neither side is
        known. Takes `words` of each side."""
        if len(french_words) > SEGMENT_WORDS and len(english_words) > SEGMENT_WORDS:
            return 0.0
        french, english = " ".join(french_words), " ".join(english_words)
        forward, backward = self.french.get(french), self.english.get(english)
        if forward is None and backward is None:
            return 0.0
        if (forward is not None and _spelled_alike(english, forward)) or (
            backward is not None and _spelled_alike(french, backward)
        ):
            return 1.0
        return -1.0


@dataclass(frozen=True)
class Lexicon:
    """French words (or space-joined multi-word terms) → English renderings, best first; and
    the known short segments (`Segments`)."""

    translations: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    segments: Segments = field(default_factory=Segments)
    reverse: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """English words → French renderings, best first (learned the other way round; empty
    when not learned): what explains an English word that no French word renders."""

    def __post_init__(self) -> None:
        longest = max((len(key.split()) for key in self.translations), default=1)
        object.__setattr__(self, "_longest", longest)

    def __len__(self) -> int:
        return len(self.translations)

    @property
    def multiword(self) -> bool:
        """Whether some entry is a multi-word term (a glossary's)."""
        longest: int = getattr(self, "_longest", 1)
        return longest > 1

    def __contains__(self, french: object) -> bool:
        return french in self.translations

    def get(self, french: str) -> tuple[str, ...]:
        """The English renderings of a lower-cased French word or term, best first."""
        return self.translations.get(french, ())

    def gloss_words(self, french_words: Sequence[str], *, alternatives: int = 1) -> list[str]:
        """Gloss a list of lower-cased French words: known words and terms (longest first)
        become their first `alternatives` renderings; others are kept as they are."""
        longest: int = getattr(self, "_longest", 1)
        out: list[str] = []
        index = 0
        while index < len(french_words):
            for size in range(min(longest, len(french_words) - index), 0, -1):
                key = " ".join(french_words[index : index + size])
                found = self.translations.get(key)
                if found:
                    for rendering in found[:alternatives]:
                        out.extend(rendering.split())
                    index += size
                    break
            else:
                out.append(french_words[index])
                index += 1
        return out

    def segment(self, french_words: Sequence[str]) -> list[str]:
        """The words of the usual translation of a short French line known whole (a heading:
        `titre abrégé` → `short`, `title`), or none."""
        found = self.segments.french.get(" ".join(french_words))
        return found[0].split() if found else []

    def gloss(self, french_text: str, *, alternatives: int = 1) -> str:
        """A word-by-word English rendering of `french_text` (lower case)."""
        return " ".join(self.gloss_words(words(french_text), alternatives=alternatives))

    def merged(self, first: Mapping[str, Sequence[str]]) -> Lexicon:
        """This lexicon with `first` (e.g. a glossary's terms) taking precedence."""
        combined: dict[str, tuple[str, ...]] = dict(self.translations)
        for french, english in first.items():
            key = " ".join(words(french))
            rendered = tuple(" ".join(words(e)) for e in english if words(e))
            if key and rendered:
                extra = tuple(e for e in combined.get(key, ()) if e not in rendered)
                combined[key] = rendered + extra
        return Lexicon(combined, self.segments, self.reverse)

    def to_bytes(self) -> bytes:
        """A compact serialisation (zlib-compressed JSON)."""
        data: Mapping[str, object] = _lists(self.translations)
        if self.segments or self.reverse:
            data = {
                "format": _FORMAT,
                "translations": data,
                "french": _lists(self.segments.french),
                "english": _lists(self.segments.english),
                "reverse": _lists(self.reverse),
            }
        return zlib.compress(json.dumps(data, ensure_ascii=False).encode("utf-8"))

    @classmethod
    def from_bytes(cls, data: bytes) -> Lexicon:
        """The inverse of `to_bytes` (also reads lexicons stored before segments existed)."""
        loaded = json.loads(zlib.decompress(data).decode("utf-8"))
        if loaded.get("format") not in _FORMATS:  # a French word's value is a list, never 2
            return cls(_tuples(loaded))
        segments = Segments(_tuples(loaded["french"]), _tuples(loaded["english"]))
        return cls(_tuples(loaded["translations"]), segments, _tuples(loaded.get("reverse", {})))

    def with_segments(self, segments: Segments) -> Lexicon:
        """This lexicon with `segments` as its known segments."""
        return replace(self, segments=segments)


def _lists(table: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    return {key: list(value) for key, value in table.items()}


def _tuples(table: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, ...]]:
    return {key: tuple(value) for key, value in table.items()}


def _compact(
    flat: array[int], lengths: array[int], vocabulary: dict[str, int], min_count: int
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Keep the words seen in at least `min_count` sentences: (ids, sentence offsets, words)."""
    ids = np.frombuffer(flat, dtype=np.int32).astype(np.int64)
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


def learn(  # noqa: PLR0915 (tests/test_house.py lists it as work left)
    pairs: Iterable[tuple[str, str]],
    *,
    top: int = 3,
    min_count: int = 2,
    min_score: float = 0.05,
    iterations: int = 0,
    max_words: int = 80,
    chunk: int = 2_000_000,
    reverse: bool = False,
) -> Lexicon:
    """Learn a lexicon from (French, English) sentence pairs.

    Each French word keeps its `top` English words by Dice coefficient (or, with
    `iterations` > 0, by IBM Model 1 probability t(e|f) started from uniform), among English
    words seen with it in at least `min_count` pairs and scoring at least `min_score`. With
    `reverse`, each English word also keeps its `top` French words the same way (t(f|e)):
    `Lexicon.reverse`. The co-occurrence counts are shared; only the EM runs twice.
    Pairs longer than `max_words` on a side are skipped (they are mostly noise here).
    Co-occurrences are counted `chunk` at a time, so memory does not grow with the corpus
    beyond the distinct word pairs.
    """
    f_all: dict[str, int] = {}
    e_all: dict[str, int] = {}
    f_flat, e_flat = array("i"), array("i")
    f_sizes, e_sizes = array("i"), array("i")
    for source, target in pairs:
        f, e = sorted(set(words(source))), sorted(set(words(target)))
        if f and e and len(f) <= max_words and len(e) <= max_words:
            f_flat.extend(f_all.setdefault(w, len(f_all)) for w in f)
            e_flat.extend(e_all.setdefault(w, len(e_all)) for w in e)
            f_sizes.append(len(f))
            e_sizes.append(len(e))
    sentences = len(f_sizes)
    if not sentences:
        return Lexicon({})
    f_ids, f_off, f_words = _compact(f_flat, f_sizes, f_all, min_count)
    e_ids, e_off, e_words = _compact(e_flat, e_sizes, e_all, min_count)
    del f_flat, e_flat, f_all, e_all
    if not f_words or not e_words:
        return Lexicon({})
    f_len, e_len = np.diff(f_off), np.diff(e_off)
    width = np.int64(len(e_words))

    def cooccurrences(first: int, last: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(French word × width + English word, English position, French position) of every
        co-occurrence in sentences first..last-1."""
        sizes = f_len[first:last] * e_len[first:last]
        sentence = np.repeat(np.arange(first, last), sizes)
        within = np.arange(int(sizes.sum())) - np.repeat(np.cumsum(sizes) - sizes, sizes)
        columns = np.maximum(e_len[sentence], 1)
        e_pos = e_off[sentence] + within % columns
        f_pos = f_off[sentence] + within // columns
        return f_ids[f_pos] * width + e_ids[e_pos], e_pos, f_pos

    # Sentence ranges of about `chunk` co-occurrences each: memory stays flat.
    ends = np.cumsum(f_len * e_len)
    cuts = np.searchsorted(ends, np.arange(chunk, int(ends[-1]) + chunk, chunk), side="right")
    bounds = sorted({0, *np.minimum(cuts, sentences).tolist(), sentences})
    ranges = [(a, b) for a, b in pairwise(bounds) if b > a]
    support = np.empty(0, dtype=np.int64)
    counts = np.empty(0, dtype=np.int64)
    found_codes: list[np.ndarray] = []
    found_counts: list[np.ndarray] = []
    for number, (first, last) in enumerate(ranges, start=1):
        codes, _, _ = cooccurrences(first, last)
        unique, count = np.unique(codes, return_counts=True)
        found_codes.append(unique)
        found_counts.append(count)
        if number % 8 == 0 or number == len(ranges):
            support, inverse = np.unique(
                np.concatenate([support, *found_codes]), return_inverse=True
            )
            counts = np.bincount(inverse, weights=np.concatenate([counts, *found_counts]))
            counts = counts.astype(np.int64)
            found_codes.clear()
            found_counts.clear()
    f_of, e_of = support // width, support % width
    f_df = np.bincount(f_ids, minlength=len(f_words)).astype(np.float64)
    e_df = np.bincount(e_ids, minlength=len(e_words)).astype(np.float64)
    dice = 2.0 * counts / (f_df[f_of] + e_df[e_of])

    def model1(english_given_french: bool) -> np.ndarray:
        """IBM Model 1 probabilities t(e|f) (or t(f|e)) for each co-occurring word pair."""
        given, offsets = (f_of, e_off) if english_given_french else (e_of, f_off)
        t = np.full(len(support), 1.0)
        for _ in range(iterations):
            expected = np.zeros(len(support))
            for first, last in ranges:
                codes, e_pos, f_pos = cooccurrences(first, last)
                index = np.searchsorted(support, codes)
                share = t[index]
                # normalise over the given side's words of the pair, for each other word
                group = (e_pos if english_given_french else f_pos) - offsets[first]
                share = share / np.bincount(group, weights=share)[group]
                expected += np.bincount(index, weights=share, minlength=len(support))
            t = expected / np.bincount(given, weights=expected)[given]
        return t

    def best(
        score: np.ndarray, of: np.ndarray, to: np.ndarray, names: list[str], renderings: list[str]
    ) -> dict[str, tuple[str, ...]]:
        """Each word's `top` renderings by `score` (word ids `of`, rendering ids `to`)."""
        keep = (counts >= min_count) & (score >= min_score)
        order = np.lexsort((-score[keep], of[keep]))
        table: dict[str, list[str]] = {}
        for word, rendering in zip(of[keep][order].tolist(), to[keep][order].tolist(), strict=True):
            chosen = table.setdefault(names[word], [])
            if len(chosen) < top:
                chosen.append(renderings[rendering])
        return {key: tuple(value) for key, value in table.items()}

    forward = best(model1(True) if iterations else dice, f_of, e_of, f_words, e_words)
    if not reverse:
        return Lexicon(forward)
    backward = best(model1(False) if iterations else dice, e_of, f_of, e_words, f_words)
    return Lexicon(forward, reverse=backward)


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
