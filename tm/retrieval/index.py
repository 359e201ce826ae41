"""The retrieval index: every segment's word keys in memory, with an inverted index over them
for prefix filtering (`tm.retrieval.bounds`; the search itself: `tm.retrieval.search`).

Each segment is posted only under the words of its own prefix for `MIN_THRESHOLD` (rarest
words first, in one global order by document frequency when the index was built), with its
length and where the word stands in its word order; the build posts segments by length, so a
word's postings in a query's length window are a slice. Beside its words (one character a word,
`character`), each segment keeps a 256-bit word signature and a fingerprint of its punctuation
and tags (`tm.retrieval.signatures`), its recency and its quality (`tm.retrieval.ranking`).

Updates: segments added or deleted in the database (by any connection) are picked up by
`refresh` before each search: new rows by id, deletions (and pairs rejected or restored) from
the deletion log (`tm.store.deletions`). A deleted, corrected or rejected segment's postings
are withdrawn, so every posting is current. Flagged segments are indexed (and suggested, after
unflagged ones: `tm.retrieval.matching.judge`); rejected ones are not.
"""

from __future__ import annotations

import gc
import threading
from array import array
from itertools import repeat

import numpy as np
import sqlite_utils
from rapidfuzz.distance import Levenshtein

from tm.retrieval import bounds, ranking, signatures
from tm.retrieval.scoring import Keys, analysis_version, base_score, index_keys
from tm.store import deletions, segments
from tm.store import keys as key_cache

_MAX_CODEPOINT = 0x10FFFF


def character(token: int) -> str:
    """The character standing for word `token` (1 → U+0001 …, surrogates skipped)."""
    code = token if token < 0xD800 else token + 0x800
    if code > _MAX_CODEPOINT:
        # Beyond 1.1M distinct words, words share characters: the verification may then
        # over-estimate a score, never under-estimate it (the final score is exact).
        code = 0xE000 + code % (_MAX_CODEPOINT - 0xE000)
    return chr(code)


def token_of(char: str) -> int:
    """The word a character of a word string stands for (`character`'s inverse)."""
    code = ord(char)
    return code if code < 0xD800 else code - 0x800


MIN_THRESHOLD = 50.0
"""The lowest threshold the postings serve (each segment is posted under its prefix for it);
a search below it scans the length window."""
_UNKNOWN_RANK = -(2**62)
_CHUNK = 50_000  # segments per step of the build


class Index:
    """In-memory word index over the suggestible (not rejected) segments of one TM database."""

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
        # `signatures.WORDS` consecutive 64-bit words.
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
        self.verified = np.zeros(0, dtype=bool)  # per segment id: verified by the running search

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
            self.signatures.frombytes(bytes(8 * signatures.WORDS * grow))

    def _encode(self, norm: str, segment_id: int) -> list[int]:
        return self._encode_keys(index_keys(norm), segment_id)

    def _encode_keys(self, keys: Keys, segment_id: int) -> list[int]:
        vocab, df, postings, order = self.vocab, self.df, self.postings, self.order
        if keys.placeables:
            self.placeables[segment_id] = keys.placeables
        self._grow(segment_id)
        self.marks[segment_id] = signatures.marks(keys)
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
                self.bits.append(signatures.hashed_bit(token))
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
        text = "".join(map(character, tokens))  # `_encode_keys` made room for `segment_id`
        for token in set(tokens):
            self.df[token] += 1
        if not tokens:
            self.empty.add(segment_id)
        self.strings[segment_id] = text
        self.lengths[segment_id] = len(tokens)
        signature, bits = 0, self.bits
        for token in tokens:
            signature |= 1 << bits[token]
        for word in range(signatures.WORDS):
            self.signatures[segment_id * signatures.WORDS + word] = signature & signatures.LOW
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
        for position, token in enumerate(ranked[: bounds.prefix(MIN_THRESHOLD, len(tokens))]):
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
            tokens = list(map(token_of, self.strings[segment_id]))
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
        fraction = bounds.floor(MIN_THRESHOLD)
        for at in range(0, count, _CHUNK):
            chunk = by_length[at : at + _CHUNK]
            token, posting_ids, shapes = self._posted(
                ids[chunk], words, starts[chunk], lengths[chunk], order, fraction
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
        fraction: float,
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
        posted = position < bounds.prefix_lengths(fraction, lengths)[owner]
        posted[1:] &= (mine[1:] != mine[:-1]) | (position[1:] == 0)
        owner, position = owner[posted], position[posted]
        length = np.minimum(lengths[owner], 0xFFFF).astype(np.uint32)
        shape = (length << 16) | np.minimum(position, 0xFFFF).astype(np.uint32)
        return mine[posted], ids[owner].astype(np.int32), shape

    def _assign_bits(self, df: np.ndarray) -> None:
        """Signature bits: the `signatures.DEDICATED` most frequent words get a bit each, so
        that the words nearly every segment holds never collide; the others share the rest
        (hashed)."""
        bits = np.frombuffer(self.bits, dtype=np.uint16)
        bits[:] = signatures.hashed_bit(np.arange(len(bits), dtype=np.uint64))
        frequent = np.argsort(-df[1:], kind="stable")[: signatures.DEDICATED] + 1
        bits[frequent] = np.arange(len(frequent))

    def _sign(
        self, ids: np.ndarray, words: np.ndarray, starts: np.ndarray, lengths: np.ndarray
    ) -> None:
        """The signatures of consecutive segments (after `_assign_bits`)."""
        low, high = int(starts[0]), int(starts[-1] + lengths[-1])
        bits = np.frombuffer(self.bits, dtype=np.uint16)[words[low:high]]
        filled = lengths > 0
        signed = np.frombuffer(self.signatures, dtype=np.uint64).reshape(-1, signatures.WORDS)
        for word, table in enumerate(signatures.BIT_VALUES):
            merged = np.zeros(len(ids), dtype=np.uint64)
            if len(bits):
                merged[filled] = np.bitwise_or.reduceat(table[bits], starts[filled] - low)
            signed[ids, word] = merged


def base(query: list[str], source: list[str]) -> float:
    """The base score of two word-key lists (the verification's score, for tests)."""
    return base_score(Levenshtein.distance(query, source), len(query), len(source))
