"""The retrieval index: every segment's word keys in memory, with an inverted index over them.

Candidates come from bilateral prefix filtering (Chaudhuri et al. 2006; Bayardo et al.
"All-Pairs" 2007): a segment `x` scoring ≥ S against a query `q` shares at least
`α = S·max(|q|, |x|)` words with it (d ≥ max − overlap), so under one global word order (rarest
first) the first `|x| − ⌈S·|x|⌉ + 1` words of `x` and the first `|q| − ⌈S·|q|⌉ + 1` words of
`q` have a word in common. Each segment is posted only under the words of its own prefix for
`S_min` = `MIN_THRESHOLD`, with its length and where the word stands in its word order; the
build posts segments by length, so a word's postings in the query's length window are a slice.
The query's prefix is visited rarest first. A segment met is kept only if the word met is in
its own prefix for the current threshold, if the words it can still share from where it was
first met can reach α (the positional filter of PPJoin, Xiao et al. 2008), and if the query
words whose bits its 256-bit word signature has can reach α (a signature filter: a query word
whose bit is missing is not in the segment; the 64 most frequent words have a bit each, the
others share 192 hashed bits). The threshold rises to the score of the
current `limit`-th best match, which shrinks the prefix and the length window, so the common
words of boilerplate are rarely visited. Thresholds below `MIN_THRESHOLD` fall back to a scan
of the length window. Candidates are verified with rapidfuzz on strings where each character is
one word (a bit-parallel Levenshtein), then finalised (exact explained score) by the caller.

Updates: segments added or deleted in the database (by any connection) are picked up by
`refresh` before each search: new rows by id, deletions from the `segment_deletions` log. A
deleted or corrected segment's postings are withdrawn, so every posting is current.
"""

from __future__ import annotations

import gc
import math
import threading
from array import array
from collections.abc import Callable, Iterable, Sequence
from itertools import repeat
from operator import itemgetter
from typing import Any, overload

import numpy as np
import sqlite_utils
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from tm.retrieval import ranking
from tm.retrieval.scoring import Keys, analysis_version, base_score, index_keys
from tm.store import deletions, segments
from tm.store import keys as key_cache

# Finalise: (segment ids) → the final explained score of each, or None when not to suggest.
Finalise = Callable[[list[int]], dict[int, float | None]]

_MAX_CODEPOINT = 0x10FFFF
_EPSILON = 0.005  # scores are rounded to 2 decimals: a base ≥ S - 0.005 can show as S


_LOW = (1 << 64) - 1
_SIGNATURE_WORDS = 4  # 64-bit words per signature: 256 bits
_DEDICATED = 64  # bits 0–63: one each for the 64 most frequent words when the index was built
_HASH = 0x9E3779B1  # Knuth's multiplicative hash (2^32 / golden ratio)


@overload
def _hashed_bit(token: int) -> int: ...
@overload
def _hashed_bit(token: np.ndarray) -> np.ndarray: ...
def _hashed_bit(token: Any) -> Any:
    """The signature bit of a word without a bit of its own (64–255, a multiplicative hash);
    element-wise for an array of tokens (unsigned 64-bit)."""
    return _DEDICATED + (
        (((token * _HASH) & 0xFFFFFFFF) * (64 * _SIGNATURE_WORDS - _DEDICATED)) >> 32
    )


def _char(token: int) -> str:
    """The character standing for word `token` (1 → U+0001 …, surrogates skipped)."""
    code = token if token < 0xD800 else token + 0x800
    if code > _MAX_CODEPOINT:
        # Beyond 1.1M distinct words, words share characters: the verification may then
        # over-estimate a score, never under-estimate it (the final score is exact).
        code = 0xE000 + code % (_MAX_CODEPOINT - 0xE000)
    return chr(code)


def _token(char: str) -> int:
    code = ord(char)
    return code if code < 0xD800 else code - 0x800


MIN_THRESHOLD = 50.0
_UNKNOWN_RANK = -(2**62)
_BATCH = 4096  # postings visited before the first verification
_CHUNK = 50_000  # segments per step of the build
# Per 64-bit word of a signature: the value of each bit (0 when the bit is in another word).
_BIT_VALUES = tuple(
    np.array(
        [1 << (b - h) if h <= b < h + 64 else 0 for b in range(64 * _SIGNATURE_WORDS)],
        dtype=np.uint64,
    )
    for h in range(0, 64 * _SIGNATURE_WORDS, 64)
)


def _floor(threshold: float) -> float:
    """The threshold as a fraction, lowered by the rounding tolerance."""
    return max(threshold - _EPSILON, 0.5) / 100


def budget(threshold: float, length: int) -> int:
    """Most word edits a segment may be from a query of `length` words and still score ≥
    `threshold` (over every source length the threshold allows)."""
    floor = _floor(threshold)
    return int((1 - floor) * length / floor + 1e-9)


def _shared(floor: float, longest: np.ndarray) -> np.ndarray:
    """Words two texts must share to score ≥ `floor` when the longer has `longest` words
    (α = ⌈floor · max⌉: d ≥ max − shared), element-wise."""
    return np.ceil(floor * longest - 1e-9).astype(np.int64)


def _shared_one(floor: float, longest: int) -> int:
    """`_shared` for one length, in plain floats (the same doubles as numpy's, without the
    cost of a numpy call)."""
    return math.ceil(floor * longest - 1e-9)


def _prefix_lengths(floor: float, lengths: np.ndarray) -> np.ndarray:
    """Prefix lengths (rarest words) of texts of `lengths` words for `floor` (element-wise)."""
    prefixes: np.ndarray = lengths - _shared(floor, lengths) + 1
    return prefixes


def prefix(threshold: float, length: int) -> int:
    """How many of its rarest words a text of `length` words must share with any text scoring
    ≥ `threshold` against it (its prefix length; `_prefix_lengths` for one length)."""
    return length - _shared_one(_floor(threshold), length) + 1


def window(threshold: float, length: int) -> tuple[int, int]:
    """Source lengths (in words) that can still score ≥ `threshold` against `length` words."""
    floor = _floor(threshold)
    return _shared_one(floor, length), int(length / floor + 1e-9)


class Index:
    """In-memory word index over the non-flagged segments of one TM database."""

    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}
        # The global word order (rarest first): a distinct rank per word, by document frequency
        # when the index was built; words met later rank before all of them (negative ranks).
        self.order = array("q", [_UNKNOWN_RANK])
        self.df = array("i", [0])  # live segments containing each word (index 0: unknown)
        self.postings: list[array[int]] = [array("i")]  # segments with the word in their prefix
        # Per posting: the segment's length << 16 | where the word stands in its word order.
        # Postings made by `build` come by length (the first `ordered[word]`); later ones follow.
        self.shapes: list[array[int]] = [array("I")]
        self.ordered = array("i", [0])
        self.strings: list[str] = []  # per segment id: one character per word ("" if absent)
        self.lengths = array("i")  # per segment id: words, -1 when absent
        self.recency = array("q")
        self.quality = array("d")
        self.marks = array("q")  # per segment id: fingerprint of its punctuation and tags
        # Per segment id: a signature of its words (bit `bits[token]` set for each), as
        # `_SIGNATURE_WORDS` consecutive 64-bit words.
        self.signatures = array("Q")
        self.bits = array("H", [0])  # per word: its signature bit (see `_assign_bits`)
        self.empty: set[int] = set()  # live segments without words
        self.placeables: dict[int, tuple[str, ...]] = {}  # their texts, for segments with any
        self.placeable_tokens: set[int] = set()  # the typed tokens (⟨number⟩, ⟨date⟩…)
        self.live = 0
        self.max_id = 0
        self.deletion_seq = 0
        self.built = False
        self.lock = threading.RLock()
        self._marks = np.zeros(0, dtype=bool)  # per segment id: verified by the search

    # -- building and updating -------------------------------------------------------------

    def _grow(self, segment_id: int, *, spare: int = 0) -> None:
        """Make room for `segment_id` (and `spare` more ids), a quarter more at a time."""
        missing = segment_id + 1 + spare - len(self.lengths)
        if missing > 0:
            grow = max(missing, len(self.lengths) // 4)
            self.strings.extend(repeat("", grow))
            self.lengths.extend(array("i", [-1]) * grow)
            self.recency.frombytes(bytes(8 * grow))
            self.quality.extend(array("d", [ranking.UNSCORED]) * grow)
            self.marks.frombytes(bytes(8 * grow))
            self.signatures.frombytes(bytes(8 * _SIGNATURE_WORDS * grow))

    def _encode(self, norm: str, segment_id: int) -> list[int]:
        return self._encode_keys(index_keys(norm), segment_id)

    def _encode_keys(self, keys: Keys, segment_id: int) -> list[int]:
        vocab, df, postings, order = self.vocab, self.df, self.postings, self.order
        if keys.placeables:
            self.placeables[segment_id] = keys.placeables
        self._grow(segment_id)
        self.marks[segment_id] = _marks(keys)
        known = list(map(vocab.get, keys.words))
        if None not in known:
            return known  # type: ignore[return-value]
        tokens = []
        for word, token in zip(keys.words, known, strict=True):
            if token is None:
                token = vocab.get(word)  # a new word may repeat in the same segment
            if token is None:
                token = vocab[word] = len(df)
                df.append(0)
                order.append(-token)  # new words sort as the rarest
                self.bits.append(_hashed_bit(token))
                if word.startswith("⟨"):
                    self.placeable_tokens.add(token)
                postings.append(array("i"))
                self.shapes.append(array("I"))
                self.ordered.append(0)
            tokens.append(token)
        return tokens

    def _store(
        self, segment_id: int, tokens: list[int], changed: str, quality: float | None
    ) -> None:
        text = "".join(map(_char, tokens))  # `_encode_keys` made room for `segment_id`
        for token in set(tokens):
            self.df[token] += 1
        if not tokens:
            self.empty.add(segment_id)
        self.strings[segment_id] = text
        self.lengths[segment_id] = len(tokens)
        signature, bits = 0, self.bits
        for token in tokens:
            signature |= 1 << bits[token]
        for word in range(_SIGNATURE_WORDS):
            self.signatures[segment_id * _SIGNATURE_WORDS + word] = signature & _LOW
            signature >>= 64
        self.recency[segment_id] = ranking.recency(changed)
        self.quality[segment_id] = ranking.UNSCORED if quality is None else quality
        self.live += 1
        self.max_id = max(self.max_id, segment_id)

    def _prefix(self, tokens: list[int]) -> dict[int, int]:
        """The words a segment is posted under (those of its prefix for `MIN_THRESHOLD`),
        each with where it first stands in the segment's word order."""
        ranked = sorted(tokens, key=self.order.__getitem__)
        posted: dict[int, int] = {}
        for position, token in enumerate(ranked[: prefix(MIN_THRESHOLD, len(tokens))]):
            posted.setdefault(token, position)
        return posted

    def _post(self, segment_id: int, tokens: list[int]) -> None:
        postings, shapes = self.postings, self.shapes
        length = min(len(tokens), 0xFFFF) << 16
        for token, position in self._prefix(tokens).items():
            postings[token].append(segment_id)
            shapes[token].append(length | min(position, 0xFFFF))

    def _unpost(self, segment_id: int, tokens: list[int]) -> None:
        for token in self._prefix(tokens):
            ids = self.postings[token]
            where = int(np.flatnonzero(np.frombuffer(ids, dtype=np.int32) == segment_id)[0])
            del ids[where]
            del self.shapes[token][where]
            if where < self.ordered[token]:
                self.ordered[token] -= 1

    def add(
        self, segment_id: int, norm: str, *, changed: str = "", quality: float | None = None
    ) -> None:
        """Index one segment (re-indexing it if already there)."""
        with self.lock:
            self.remove(segment_id)
            tokens = self._encode(norm, segment_id)
            self._store(segment_id, tokens, changed, quality)
            self._post(segment_id, tokens)

    def remove(self, segment_id: int) -> None:
        """Forget one segment."""
        with self.lock:
            if segment_id >= len(self.lengths) or self.lengths[segment_id] < 0:
                return
            tokens = list(map(_token, self.strings[segment_id]))
            if self.built:
                self._unpost(segment_id, tokens)
            for token in set(tokens):
                self.df[token] -= 1
            self.empty.discard(segment_id)
            self.placeables.pop(segment_id, None)
            self.strings[segment_id] = ""
            self.lengths[segment_id] = -1
            self.live -= 1

    def refresh(self, db: sqlite_utils.Database) -> None:
        """Catch up with the database: build on first use, then apply new rows and deletions."""
        with self.lock:
            if not self.built:
                self.build(db)
                return
            seq = deletions.last(db)
            if seq > self.deletion_seq:
                deleted = deletions.since(db, self.deletion_seq)
                for segment_id in deleted:
                    self.remove(segment_id)
                self.deletion_seq = seq
                # SQLite reuses the largest ids: a deleted id may already hold a new row.
                for segment_id, norm, changed, quality in segments.indexable_among(db, deleted):
                    self.add(segment_id, norm, changed=changed, quality=quality)
            top = segments.max_id(db)
            self.max_id = min(self.max_id, top)  # ids above the largest are new rows
            if top > self.max_id:
                for segment_id, norm, changed, quality in segments.indexable_after(db, self.max_id):
                    self.add(segment_id, norm, changed=changed, quality=quality)
                self.max_id = max(self.max_id, top)

    def build(self, db: sqlite_utils.Database) -> None:
        """Index every segment of a new index: words first (in Python), then, over all of
        them at once (numpy), the word strings, signatures, the global order and the
        postings.

        Word keys come from the `segment_keys` cache when it was made by the same analysis
        code; the keys computed here are written back (skipped if the database is busy).
        """
        with self.lock:
            self.deletion_seq = deletions.last(db)
            version = analysis_version()
            fresh = key_cache.version(db) == version
            encoded = array("i")
            words = array("i")
            ends = array("q")
            top = segments.max_id(db)
            self._grow(top, spare=top // 8)  # room for the ids to come: adds never wait on it
            recencies, qualities = self.recency, self.quality
            replace, saving, after = not fresh, True, 0
            while True:  # a chunk at a time, so that the keys computed are saved as we go
                rows = key_cache.rows(db, after=after, limit=_CHUNK, cached=fresh)
                if not rows:
                    break
                computed: list[tuple[int, str]] = []
                for segment_id, norm, changed, quality, packed in rows:
                    if packed is None:
                        keys = index_keys(norm)
                        computed.append((segment_id, key_cache.pack(keys)))
                    else:
                        keys = key_cache.unpack(packed)
                    words.extend(self._encode_keys(keys, segment_id))
                    ends.append(len(words))
                    encoded.append(segment_id)
                    recencies[segment_id] = ranking.recency(changed)
                    qualities[segment_id] = ranking.UNSCORED if quality is None else quality
                after = rows[-1][0]
                del rows
                if computed and saving:
                    # Once the stale cache could not be cleared, none of it may be marked fresh.
                    saving = key_cache.save(db, computed, version, replace=replace) or not replace
                    replace = False
            self._build_all(
                np.frombuffer(encoded, dtype=np.int32),
                np.frombuffer(words, dtype=np.int32),
                np.frombuffer(ends, dtype=np.int64),
            )
            self.built = True
            # The index lives as long as the process, and its lists hold millions of
            # references: a full cyclic collection walking them paused lookups for 50–75 ms
            # at 1M segments. Objects alive now are left out of later collections.
            gc.freeze()

    def _build_all(self, ids: np.ndarray, words: np.ndarray, ends: np.ndarray) -> None:
        """`build`'s second half: segments `ids`, their words concatenated in `words`, the
        end of each segment's words in `ends`. Works in chunks of segments, so that its
        temporary arrays stay small next to the index."""
        count, vocabulary = len(ids), len(self.df)
        starts = np.concatenate(([0], ends[:-1])).astype(np.int64)
        lengths = (ends - starts).astype(np.int32)
        np.frombuffer(self.lengths, dtype=np.int32)[ids] = lengths
        self.live += count
        self.max_id = max(self.max_id, int(ids.max(initial=0)))
        self.empty.update(ids[lengths == 0].tolist())
        df = np.zeros(vocabulary, dtype=np.int64)
        for first in range(0, count, _CHUNK):
            last = min(first + _CHUNK, count)
            df += self._describe(ids[first:last], words, starts[first:last], lengths[first:last])
        self.df = array("i", df.astype(np.int32).tobytes())
        self._assign_bits(df)
        for first in range(0, count, _CHUNK):
            last = min(first + _CHUNK, count)
            self._sign(ids[first:last], words, starts[first:last], lengths[first:last])
        # The global order: rarest first, ties by word id.
        ranked = np.lexsort((np.arange(1, vocabulary), df[1:])) + 1
        order = np.zeros(vocabulary, dtype=np.int64)
        order[0] = _UNKNOWN_RANK
        order[ranked] = np.arange(vocabulary - 1)
        self.order = array("q", order.tobytes())
        # Postings, made chunk by chunk of segments in length order, appended word by word.
        by_length = np.argsort(lengths, kind="stable")
        floor = _floor(MIN_THRESHOLD)
        for at in range(0, count, _CHUNK):
            chunk = by_length[at : at + _CHUNK]
            token, posting_ids, shapes = self._posted(
                ids[chunk], words, starts[chunk], lengths[chunk], order, floor
            )
            grouped = np.argsort(token, kind="stable")
            token, posting_ids, shapes = token[grouped], posting_ids[grouped], shapes[grouped]
            cuts = np.flatnonzero(token[1:] != token[:-1]) + 1
            for start, end in zip([0, *cuts.tolist()], [*cuts.tolist(), len(token)], strict=True):
                if start < end:
                    word = int(token[start])
                    self.postings[word].frombytes(posting_ids[start:end].tobytes())
                    self.shapes[word].frombytes(shapes[start:end].tobytes())
        self.ordered = array("i", map(len, self.postings))

    def _describe(
        self, ids: np.ndarray, words: np.ndarray, starts: np.ndarray, lengths: np.ndarray
    ) -> np.ndarray:
        """Word strings of consecutive segments; their words' document frequencies."""
        low, high = int(starts[0]), int(starts[-1] + lengths[-1])
        mine = words[low:high]
        codes = mine.astype("<u4")
        codes[codes >= 0xD800] += 0x800
        beyond = codes > _MAX_CODEPOINT
        codes[beyond] = 0xE000 + codes[beyond] % (_MAX_CODEPOINT - 0xE000)
        text = codes.tobytes().decode("utf-32-le")
        strings = self.strings
        local = (starts - low).tolist()
        for segment_id, start, length in zip(ids.tolist(), local, lengths.tolist(), strict=True):
            strings[segment_id] = text[start : start + length]
        owner = np.repeat(np.arange(len(ids), dtype=np.int64), lengths)
        pairs = (owner << 32) | mine
        pairs.sort()
        distinct = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))] if len(pairs) else pairs
        return np.bincount(distinct & 0xFFFFFFFF, minlength=len(self.df))

    @staticmethod
    def _posted(
        ids: np.ndarray,
        words: np.ndarray,
        starts: np.ndarray,
        lengths: np.ndarray,
        order: np.ndarray,
        floor: float,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The postings of some segments: (word, segment id, shape) for the first occurrence
        of each word of their prefixes, segment by segment in the order given."""
        offsets = np.cumsum(lengths, dtype=np.int64) - lengths
        total = int(lengths.sum())
        owner = np.repeat(np.arange(len(ids), dtype=np.int64), lengths)
        mine = words[np.repeat(starts - offsets, lengths) + np.arange(total)]
        ranked = np.argsort((owner << 32) | order[mine])
        mine, owner = mine[ranked], owner[ranked]
        position = np.arange(total) - offsets[owner]
        posted = position < _prefix_lengths(floor, lengths)[owner]
        posted[1:] &= (mine[1:] != mine[:-1]) | (position[1:] == 0)
        owner, position = owner[posted], position[posted]
        length = np.minimum(lengths[owner], 0xFFFF).astype(np.uint32)
        shape = (length << 16) | np.minimum(position, 0xFFFF).astype(np.uint32)
        return mine[posted], ids[owner].astype(np.int32), shape

    def _assign_bits(self, df: np.ndarray) -> None:
        """Signature bits: the `_DEDICATED` most frequent words get a bit each, so that the
        words nearly every segment holds never collide; the others share the rest (hashed)."""
        bits = np.frombuffer(self.bits, dtype=np.uint16)
        bits[:] = _hashed_bit(np.arange(len(bits), dtype=np.uint64))
        frequent = np.argsort(-df[1:], kind="stable")[:_DEDICATED] + 1
        bits[frequent] = np.arange(len(frequent))

    def _sign(
        self, ids: np.ndarray, words: np.ndarray, starts: np.ndarray, lengths: np.ndarray
    ) -> None:
        """The signatures of consecutive segments (after `_assign_bits`)."""
        low, high = int(starts[0]), int(starts[-1] + lengths[-1])
        bits = np.frombuffer(self.bits, dtype=np.uint16)[words[low:high]]
        filled = lengths > 0
        signatures = np.frombuffer(self.signatures, dtype=np.uint64).reshape(-1, _SIGNATURE_WORDS)
        for word, table in enumerate(_BIT_VALUES):
            merged = np.zeros(len(ids), dtype=np.uint64)
            if len(bits):
                merged[filled] = np.bitwise_or.reduceat(table[bits], starts[filled] - low)
            signatures[ids, word] = merged

    # -- searching -------------------------------------------------------------------------

    def search(
        self,
        keys: Keys,
        *,
        threshold: float,
        limit: int,
        finalise: Finalise,
        seeds: Iterable[int] = (),
        wide: float | None = None,
    ) -> list[tuple[float, int]]:
        """The best `limit` (final score, id) pairs with final score ≥ `threshold`, in rank
        order (score, then newer, then higher quality, then lower id). With `wide` above
        `threshold`: the best `limit` with final score ≥ `wide`, or, when none reaches it, the
        best one ≥ `threshold` alone (one search where two would look twice at the same
        candidates: pretranslation's fill with alternatives, or the report's band).

        `keys` are the query's (`tm.retrieval.scoring.index_keys`); `seeds` ids known to match
        (exact hash hits); `finalise` gives exact scores. Besides words, the keys give certain
        penalties before finalising (punctuation or tags differ; a placeable differs in a
        candidate with the same words), which keeps boilerplate ties from being finalised.
        """
        with self.lock:
            if len(self._marks) < len(self.lengths):
                self._marks = np.zeros(len(self.lengths), dtype=bool)
            search = _Search(self, keys, threshold, limit, finalise, wide)
            try:
                return search.run(list(seeds))
            finally:
                for marked in search.marked:
                    self._marks[marked] = False


class _Search:
    """One query's state: the pool of verified candidates and the finalised scores."""

    def __init__(
        self,
        index: Index,
        keys: Keys,
        threshold: float,
        limit: int,
        finalise: Finalise,
        wide: float | None = None,
    ) -> None:
        self.index = index
        self.tokens = [index.vocab.get(word, 0) for word in keys.words]
        self.placeables = keys.placeables
        self.marks_of_query = _marks(keys)
        placeable_positions = [i for i, w in enumerate(keys.words) if w.startswith("⟨")]
        self.query_ranks = {p: rank for rank, p in enumerate(placeable_positions)}
        self.query = "".join("\x00" if t == 0 else _char(t) for t in self.tokens)
        self._masks: np.ndarray | None = None  # the query's signature masks, when needed
        self._words: list[tuple[int, np.uint64]] = []  # (column, mask word) with bits set
        self.signatures = np.frombuffer(index.signatures, dtype=np.uint64).reshape(
            -1, _SIGNATURE_WORDS
        )
        self.length = len(keys.words)
        self.tau = max(threshold, 1.0)
        self.limit = limit
        self.wide = self.tau if wide is None else max(wide, self.tau)
        # Matches that let tau rise: below `wide` only the best one is wanted.
        self.enough = limit if self.wide <= self.tau else 1
        self.finalise = finalise
        self.pool: dict[int, float] = {}  # id → base score (verified, ≥ tau when added)
        self.finals: dict[int, float | None] = {}
        self.lengths = np.frombuffer(index.lengths, dtype=np.int32)
        self.marks = index._marks
        self.marked: list[np.ndarray] = []
        self.aligned: dict[str, list[tuple[int, int]]] = {}  # per source string: placeables

    def run(self, seeds: list[int]) -> list[tuple[float, int]]:
        index = self.index
        lengths = self.lengths
        live = np.array([i for i in seeds if i < len(lengths) and lengths[i] >= 0], np.int64)
        for segment_id in live.tolist():
            self.pool[segment_id] = 100.0
        self.marks[live] = True
        self.marked.append(live)
        if len(self.pool) >= self.enough:
            self._rank()
        if self.length == 0:
            self._verify(np.fromiter(index.empty, dtype=np.int64, count=len(index.empty)))
            return self._rank()
        if self.tau < MIN_THRESHOLD:  # postings only cover prefixes for MIN_THRESHOLD
            low, high = window(self.tau, self.length)
            self._verify(np.nonzero((lengths >= low) & (lengths <= high))[0])
            return self._rank()
        ranked_tokens = sorted(self.tokens, key=index.order.__getitem__)
        visited: set[int] = set()
        batch: list[tuple[int, int]] = []
        size = position = 0
        alone = True  # until `enough` candidates qualify, tau cannot rise: one batch for the rest
        while position < min(prefix(self.tau, self.length), self.length):
            token = ranked_tokens[position]
            position += 1
            if token == 0 or token in visited:
                continue
            visited.add(token)
            batch.append((token, position - 1))
            size += len(index.postings[token])
            if alone and size >= _BATCH:
                self._gather(batch)
                batch.clear()
                size = 0
                if len(self.pool) >= self.enough:
                    self._rank()  # may raise tau, which shortens the prefix left to visit
                else:
                    alone = False
        if batch:
            self._gather(batch)
        return self._rank()

    def _gather(self, batch: list[tuple[int, int]]) -> None:
        """Verify the segments posted under the query's words in `batch` (each with where it
        first stands in the query's word order) that can still score ≥ `tau`.

        Words are visited in the global order, so where a segment is first met, it shares no
        earlier word with the query. A segment is kept when it is in the length window (a
        slice of the postings made by `build`, plus all later ones), holds the word met in its
        own prefix for `tau` (bilateral prefix filter) and can share enough words from there
        on (positional filter, as in PPJoin). A segment met under several words of the batch
        is kept if any meeting passes (only the first one's positional bound holds: a superset,
        verified exactly), and is passed on once per meeting (`_verify` keeps one after its
        signature filter, where fewer are left to sort); one met in an earlier batch is
        already decided.
        """
        index = self.index
        low, high = window(self.tau, self.length)
        parts: list[tuple[np.ndarray, np.ndarray]] = []
        places: list[int] = []
        for token, mine in batch:
            ids = np.frombuffer(index.postings[token], dtype=np.int32)
            shapes = np.frombuffer(index.shapes[token], dtype=np.uint32)
            ordered = index.ordered[token]
            start, end = np.searchsorted(shapes[:ordered], (low << 16, (high + 1) << 16))
            if start < end:
                parts.append((ids[start:end], shapes[start:end]))
                places.append(mine)
            if ordered < len(ids):
                parts.append((ids[ordered:], shapes[ordered:]))
                places.append(mine)
        if not parts:
            return
        if len(parts) == 1:
            ids, shapes = parts[0]
            mines: np.ndarray | int = places[0]
        else:
            ids = np.concatenate([part[0] for part in parts])
            shapes = np.concatenate([part[1] for part in parts])
            mines = np.repeat(np.array(places, dtype=np.int32), [len(p[0]) for p in parts])
        lengths = (shapes >> 16).astype(np.int32)
        positions = (shapes & 0xFFFF).astype(np.int32)
        # The bounds per source length, looked up in tables over the window (one more entry
        # for the lengths beyond it, which the window test drops).
        floor = _floor(self.tau)
        sizes = np.arange(high + 2)
        prefixes = _prefix_lengths(floor, sizes)
        needed = _shared(floor, np.maximum(sizes, self.length))
        capped = np.minimum(lengths, high + 1)
        keep = (lengths >= low) & (lengths <= high)
        keep &= positions < prefixes.take(capped)
        keep &= np.minimum(self.length - mines, lengths - positions) >= needed.take(capped)
        met = ids[keep]
        met = met[~self.marks.take(met)]  # random access: last
        if len(met):
            self.marks[met] = True
            self.marked.append(met)
            self._verify(met, decided=True)

    def _verify(self, ids: np.ndarray, *, decided: bool = False) -> None:  # noqa: PLR0915 (tests/test_house.py lists it as work left)
        """Verify candidates `ids`: unless `decided` (in the length window and not verified
        before, as `_gather` leaves them), those first, then marked verified."""
        if not decided:
            lengths = self.lengths.take(ids)
            low, high = window(self.tau, self.length)
            ids = ids[(lengths >= low) & (lengths <= high)]
            ids = ids[~self.marks.take(ids)]
            self.marks[ids] = True
            self.marked.append(ids)
        if not len(ids):
            return
        lengths = self.lengths.take(ids)
        if self._masks is None:
            self._masks = _masks(self.tokens, self.index.bits)
            levels, columns = np.nonzero(self._masks)  # the mask words with bits set
            self._words = list(zip(columns.tolist(), self._masks[levels, columns], strict=True))
        if len(ids) and len(self._masks):
            # Signature filter: a query word whose bit a segment lacks is not in it, and a
            # segment word whose bit the query lacks is not in the query; so both bound the
            # words they share (d ≥ max − shared).
            # Column by column: numpy's sums over a short last axis are slow, and `take` is
            # much faster than indexing rows with an index array.
            theirs = self.signatures.take(ids, axis=0)
            shared = np.zeros(len(ids), dtype=np.int32)
            outside = np.zeros(len(ids), dtype=np.int32)
            for column, mask in enumerate(self._masks[0]):
                outside += np.bitwise_count(theirs[:, column] & ~mask)
            for column, mask in self._words:
                shared += np.bitwise_count(theirs[:, column] & mask)
            shared = np.minimum(shared, lengths - outside)
            passing = shared >= _shared(_floor(self.tau), np.maximum(lengths, self.length))
            ids, lengths = ids[passing], lengths[passing]
        if len(ids) > 1:  # met under several words: once (fewer to sort after the filter)
            order = np.argsort(ids, kind="stable")
            ids, lengths = ids[order], lengths[order]
            once = np.concatenate(([True], ids[1:] != ids[:-1]))
            ids, lengths = ids[once], lengths[once]
        if not len(ids):
            return
        fresh = ids.tolist()
        strings = self.index.strings
        choices = [strings[fresh[0]]] if len(fresh) == 1 else itemgetter(*fresh)(strings)
        distances = process.cdist(
            [self.query],
            choices,
            scorer=Levenshtein.distance,
            score_cutoff=budget(self.tau, self.length),
            dtype=np.int32,
            workers=1,
        )[0]
        longest = np.maximum(lengths, self.length).astype(np.float64)
        bases = np.round(100 * (1 - distances / np.maximum(longest, 1)), 2)
        good = np.nonzero(bases >= self.tau)[0]
        if not len(good):
            return
        good_ids = ids[good]
        theirs = np.frombuffer(self.index.marks, dtype=np.int64)[good_ids]
        mine = self.marks_of_query
        bounds = bases[good] - (
            ((theirs >> 31) != (mine >> 31)).astype(np.int32)
            + ((theirs & 0x7FFFFFFF) != (mine & 0x7FFFFFFF))
        )
        above = bounds >= self.tau
        pairs = zip(good_ids[above].tolist(), bounds[above].tolist(), strict=True)
        if not self.placeables:
            self.pool.update(pairs)
            return
        known = self.index.placeables
        for segment_id, bound in pairs:
            placeables = known.get(segment_id)
            if placeables is not None:
                bound -= self._placeable_changes(segment_id, placeables)
            if bound >= self.tau:
                self.pool[segment_id] = bound

    def _placeable_changes(self, segment_id: int, theirs: tuple[str, ...]) -> int:
        """Placeables that `score` will find changed: aligned like `score` aligns the words
        (the same rapidfuzz opcodes over the same equalities), texts compared. Boilerplate
        candidates share word strings, so alignments are kept per string for the query."""
        source = self.index.strings[segment_id]
        pairs = self.aligned.get(source)
        if pairs is None:
            pairs = self.aligned[source] = self._align_placeables(source)
        changed = 0
        for rank, mine in pairs:
            changed += theirs[rank] != self.placeables[mine]
        return changed

    def _align_placeables(self, source: str) -> list[tuple[int, int]]:
        """(rank in the source, rank in the query) of the placeables the alignment pairs."""
        placeable_tokens = self.index.placeable_tokens
        ranks: dict[int, int] = {}
        for position, char in enumerate(source):
            if _token(char) in placeable_tokens:
                ranks[position] = len(ranks)
        pairs = []
        for block in Levenshtein.opcodes(source, self.query):
            if block.tag != "equal":
                continue
            for offset in range(block.src_end - block.src_start):
                rank = ranks.get(block.src_start + offset)
                if rank is not None:
                    pairs.append((rank, self.query_ranks[block.dest_start + offset]))
        return pairs

    def _key(self, segment_id: int, value: float) -> tuple[float, int, float, int]:
        index = self.index
        return ranking.key(value, index.recency[segment_id], index.quality[segment_id], segment_id)

    def _ordered(self) -> list[tuple[int, float]]:
        """The pool's (id, base) best-first by `_key` (sorted by numpy when it is large)."""
        if len(self.pool) < 64:
            return sorted(self.pool.items(), key=lambda item: self._key(item[0], item[1]))
        ids = np.fromiter(self.pool.keys(), dtype=np.int64, count=len(self.pool))
        bases = np.fromiter(self.pool.values(), dtype=np.float64, count=len(self.pool))
        recency = np.frombuffer(self.index.recency, dtype=np.int64).take(ids)
        quality = np.frombuffer(self.index.quality, dtype=np.float64).take(ids)
        ranked = ranking.order(ids, bases, recency, quality)
        return list(zip(ids[ranked].tolist(), bases[ranked].tolist(), strict=True))

    def _rank(self) -> list[tuple[float, int]]:
        """Finalise pool members best-first until the top wanted is certain (`_wanted`);
        raise tau."""
        order = self._ordered()
        top: list[tuple[tuple[float, int, float, int], float, int]] = []
        start = 0
        while start < len(order):
            wanted = self._wanted(top)
            if len(top) >= wanted:
                worst = top[wanted - 1][0]
                segment_id, base = order[start]
                if self._key(segment_id, base) >= worst:
                    break
            batch = [i for i, _ in order[start : start + wanted]]
            start += len(batch)
            missing = [i for i in batch if i not in self.finals]
            if missing:
                self.finals.update(self.finalise(missing))
            for segment_id in batch:
                final = self.finals.get(segment_id)
                if final is not None and final >= self.tau:
                    top.append((self._key(segment_id, final), final, segment_id))
            top.sort()
            del top[self.limit :]
        wanted = self._wanted(top)
        tau = self.tau
        if top and top[0][1] >= self.wide:  # below `wide` nothing is wanted any more
            tau = max(tau, self.wide)
        if len(top) >= wanted:
            tau = max(tau, top[wanted - 1][1])
        if tau > self.tau:
            self.tau = tau
            self.pool = {i: b for i, b in self.pool.items() if b >= tau}
        if top and top[0][1] < self.wide:
            del top[1:]
        return [(final, segment_id) for _key, final, segment_id in top if final >= self.tau]

    def _wanted(self, top: list[tuple[tuple[float, int, float, int], float, int]]) -> int:
        """How many of the best matches are wanted: `limit`, or, with `wide`, one until the
        best reaches it."""
        return self.limit if top and top[0][1] >= self.wide else self.enough


def _masks(tokens: list[int], bits: Sequence[int]) -> np.ndarray:
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
                rows.append([0] * _SIGNATURE_WORDS)
            rows[level][bit >> 6] |= 1 << (bit & 63)
    return np.array(rows, dtype=np.uint64).reshape(-1, _SIGNATURE_WORDS)


def _marks(keys: Keys) -> int:
    """Punctuation and tags fingerprint: two 31-bit hashes (this process only)."""
    punctuation = hash(keys.punctuation) & 0x7FFFFFFF
    tags = hash(keys.tags) & 0x7FFFFFFF
    return (punctuation << 31) | tags


def base(query: list[str], source: list[str]) -> float:
    """The base score of two word-key lists (the verification's score, for tests)."""
    return base_score(Levenshtein.distance(query, source), len(query), len(source))
