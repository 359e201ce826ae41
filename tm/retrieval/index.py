"""The lookup index of one TM database: a snapshot of every segment's word keys with an inverted
index over them for prefix filtering (`tm.retrieval.snapshot`; the search itself:
`tm.retrieval.search`), saved beside the database (`tm.retrieval.indexfile`) and kept in step
with it.

Each segment is posted only under the words of its own prefix for `MIN_THRESHOLD` (rarest
words first, in one global order by document frequency when the snapshot was made), with its
length and where the word stands in its word order; a snapshot posts segments by length, so a
word's postings in a query's length window are a slice. Segments added since the snapshot are
posted after it (`later`); the postings of a segment deleted or changed since stay where they
are and are told apart by its current length (-1 once deleted), so the search drops them.

Updates: segments added or deleted in the database (by any connection or process) are picked
up by `refresh` before each search: new rows by id, deletions (and corrections, and pairs
rejected or restored) from the deletion log (`tm.store.deletions`), qualities after a quality
pass (`tm.store.quality.epoch`). Flagged segments are indexed (and suggested, after unflagged
ones: `tm.retrieval.matching.judge`); rejected ones are not.
"""

from __future__ import annotations

import gc
import logging
import threading
import weakref
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from tm.retrieval import bounds, ranking, signatures
from tm.retrieval import snapshot as snapshots
from tm.retrieval.columns import Placeables, Strings
from tm.retrieval.scoring import Keys, index_keys
from tm.retrieval.snapshot import MIN_THRESHOLD, Snapshot, character, token_of
from tm.store import identity
from tm.store.database import Database

__all__ = ["MIN_THRESHOLD", "Index", "Progress", "character", "token_of"]

log = logging.getLogger("tm.index")

Progress = Callable[[str, int, int], None]
"""Told (what, done, total) while the index is built or catches up with many changes; done =
total when the work is over (it may then be told so again)."""


@dataclass(frozen=True)
class Pending:
    """What the database holds that the index has not seen: where the deletion log and the
    largest id are, the quality epoch, and how many entries and rows that makes."""

    seq: int
    top: int
    epoch: int
    deleted: int
    added: int
    quality: bool

    @property
    def size(self) -> int:
        return self.deleted + self.added


class Index:
    """The lookup index over the suggestible (not rejected) segments of one TM database
    (`database`: its path, where the index is saved beside it; None for a database in memory,
    never saved).

    With `background`, a `refresh` that finds many changes leaves them to a new index brought
    up to date in a thread while lookups go on with this one (the service); without, it
    applies them before returning (the command line). `progress` is told of long work.
    """

    def __init__(self, database: str | Path | None = None, *, background: bool = False) -> None:
        memory = database is None or str(database) == ":memory:"
        self.database = None if memory else Path(str(database))
        self.background = background
        self.progress: Progress | None = None
        self.lock = threading.RLock()
        self.opened = False
        self.verified = np.zeros(0, dtype=bool)  # per segment id: verified by the running search
        self.worker: threading.Thread | None = None
        # Per connection: its `identity.version` and this index's watermarks when `pending`
        # last found nothing to apply (`refresh` asks no more while both stay the same).
        self.level: weakref.WeakKeyDictionary[Database, tuple[int, ...]] = (
            weakref.WeakKeyDictionary()
        )
        self.adopt(snapshots.empty(), seen=(0, 0, 0))

    def adopt(self, snapshot: Snapshot, *, seen: tuple[int, int, int]) -> None:
        """Take `snapshot` as this index's state (it is then changed in place); `seen`: the
        largest id, the deletion-log entry and the quality epoch it reflects."""
        self.snapshot = snapshot
        self.words = list(snapshot.words)  # token → word ("" for 0: unknown)
        self.vocab = {word: token for token, word in enumerate(self.words) if token}
        # The global word order (rarest first): a distinct rank per word, by document frequency
        # when the snapshot was made; words met later rank before all of them (negative ranks).
        self.order = array("q", snapshot.order.tobytes())
        self.df = array("i", snapshot.df.tobytes())  # live segments containing each word
        self.bits = array("H", snapshot.bits.tobytes())  # per word: its signature bit
        self.placeable_tokens = set(snapshot.placeable_tokens.tolist())  # ⟨number⟩, ⟨date⟩…
        self.later: dict[int, tuple[array[int], array[int]]] = {}  # postings since: ids, shapes
        self.lengths = snapshot.lengths  # per segment id: words, -1 when absent
        self.recency = snapshot.recency
        self.quality = snapshot.quality
        self.marks = snapshot.marks  # fingerprint of its punctuation and tags
        self.signatures = snapshot.signatures  # a bit per word (`tm.retrieval.signatures`)
        self.strings = Strings(snapshot.word_starts, snapshot.codes)
        self.placeables = Placeables(snapshot.placeable_starts, snapshot.placeable_text)
        self.live = snapshot.live
        self.max_id, self.deletion_seq, self.quality_epoch = seen
        self.changes = 0  # changes applied since the snapshot

    def take(self, other: Index) -> None:
        """Take the state of `other` (a new index brought up to date elsewhere)."""
        for name in _STATE:
            setattr(self, name, getattr(other, name))

    # -- what the search reads ---------------------------------------------------------------

    def postings(self, token: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The postings of word `token`: ids and shapes of the snapshot's (by length), then
        those of segments added since (in no order)."""
        starts = self.snapshot.post_starts
        if token + 1 < len(starts):
            start, end = starts[token], starts[token + 1]
            ids, shapes = self.snapshot.post_ids[start:end], self.snapshot.post_shapes[start:end]
        else:
            ids, shapes = _NO_IDS, _NO_SHAPES
        later = self.later.get(token)
        if later is None:
            return ids, shapes, _NO_IDS, _NO_SHAPES
        return (
            ids,
            shapes,
            np.frombuffer(later[0], dtype=np.int32),
            np.frombuffer(later[1], dtype=np.uint32),
        )

    def posting_count(self, token: int) -> int:
        starts = self.snapshot.post_starts
        count = int(starts[token + 1] - starts[token]) if token + 1 < len(starts) else 0
        later = self.later.get(token)
        return count + (len(later[0]) if later is not None else 0)

    def empty(self) -> np.ndarray:
        """The ids of the live segments without words."""
        return np.flatnonzero(self.lengths == 0)

    # -- adding and removing ------------------------------------------------------------------

    def add(
        self, segment_id: int, norm: str, *, changed: str = "", quality: float | None = None
    ) -> None:
        """Index one segment (re-indexing it if already there)."""
        with self.lock:
            self.remove(segment_id)
            keys = index_keys(norm)
            tokens = self.encode(keys)
            self._grow(segment_id)
            self._store(segment_id, tokens, keys, changed, quality)
            self._post(segment_id, tokens)
            self.changes += 1

    def remove(self, segment_id: int) -> None:
        """Forget one segment."""
        with self.lock:
            if segment_id >= len(self.lengths) or self.lengths[segment_id] < 0:
                return
            for token in set(map(token_of, self.strings[segment_id])):
                self.df[token] -= 1
            self.strings.changed[segment_id] = ""
            self.placeables.changed[segment_id] = None
            self.lengths[segment_id] = -1
            self.live -= 1
            self.changes += 1

    def encode(self, keys: Keys) -> list[int]:
        """The tokens of `keys`' words, new words added to the vocabulary."""
        vocab = self.vocab
        known = list(map(vocab.get, keys.words))
        if None not in known:
            return known  # type: ignore[return-value]
        tokens = []
        for word, token in zip(keys.words, known, strict=True):
            if token is None:
                token = vocab.get(word)  # a new word may repeat in the same segment
            if token is None:
                token = vocab[word] = len(self.words)
                self.words.append(word)
                self.df.append(0)
                self.order.append(-token)  # new words sort as the rarest
                self.bits.append(signatures.hashed_bit(token))
                if word.startswith("⟨"):
                    self.placeable_tokens.add(token)
            tokens.append(token)
        return tokens

    def _grow(self, segment_id: int) -> None:
        """Make room for `segment_id`, a quarter more at a time."""
        capacity = len(self.lengths)
        if segment_id < capacity:
            return
        size = max(segment_id + 1, capacity + capacity // 4)
        self.lengths = _resized(self.lengths, size, -1)
        self.recency = _resized(self.recency, size, 0)
        self.quality = _resized(self.quality, size, ranking.UNSCORED)
        self.marks = _resized(self.marks, size, 0)
        self.signatures = _resized(self.signatures, size, 0)

    def _store(
        self, segment_id: int, tokens: list[int], keys: Keys, changed: str, quality: float | None
    ) -> None:
        for token in set(tokens):
            self.df[token] += 1
        self.strings.changed[segment_id] = "".join(map(character, tokens))
        self.placeables.changed[segment_id] = keys.placeables or None
        self.lengths[segment_id] = len(tokens)
        signature, bits = 0, self.bits
        for token in tokens:
            signature |= 1 << bits[token]
        for word in range(signatures.WORDS):
            self.signatures[segment_id, word] = signature & signatures.LOW
            signature >>= 64
        self.marks[segment_id] = signatures.marks(keys)
        self.recency[segment_id] = ranking.recency(changed)
        self.quality[segment_id] = ranking.UNSCORED if quality is None else quality
        self.live += 1
        self.max_id = max(self.max_id, segment_id)

    def _post(self, segment_id: int, tokens: list[int]) -> None:
        """Post a segment under the words of its prefix for `MIN_THRESHOLD`, each with where
        it first stands in the segment's word order."""
        ranked = sorted(tokens, key=self.order.__getitem__)
        posted: dict[int, int] = {}
        for position, token in enumerate(ranked[: bounds.prefix(MIN_THRESHOLD, len(tokens))]):
            posted.setdefault(token, position)
        length = min(len(tokens), 0xFFFF) << 16
        for token, position in posted.items():
            ids, shapes = self.later.setdefault(token, (array("i"), array("I")))
            ids.append(segment_id)
            shapes.append(length | min(position, 0xFFFF))

    # -- keeping up with the database -----------------------------------------------------------

    def refresh(self, db: Database) -> None:
        """Catch up with the database: open on first use (`tm.retrieval.upkeep.open_index`:
        the saved index, or a new one built and saved), then apply new rows, deletions and
        quality passes.

        A few changes are applied at once. Many are applied too without `background` (with
        progress; the index is rebuilt when most of it changed, and saved again when far
        behind). With it, they are left to a thread (`tm.retrieval.upkeep.in_background`: a
        separate process brings the saved file up to date, a new index reads it) while
        lookups go on with this index as it is; the new one takes its place when ready.
        """
        from tm.retrieval import upkeep

        with self.lock:
            if not self.opened:
                upkeep.open_index(self, db)
                gc.freeze()  # see `upkeep.open_index`
            # What `pending` depends on: the rows this connection sees and these watermarks.
            level = (*identity.version(db), self.max_id, self.deletion_seq, self.quality_epoch)
            if self.level.get(db) == level:
                return  # nothing committed nor changed since nothing was pending
            pending = self.pending(db)
            if not (pending.size or pending.quality):
                self.level[db] = level
                return
            heavy = pending.size > upkeep.INLINE or pending.quality
            if not (self.background and heavy and self.database is not None):
                upkeep.apply(self, db, pending, save=not self.background)
                self.tell("", 1, 1)  # any long work is over
                if not self.background or self.changes < upkeep.SAVE_AFTER:
                    return
        upkeep.in_background(self)

    def pending(self, db: Database) -> Pending:
        """What the database holds that this index has not seen. The counts stop past what
        decides how the index catches up (`tm.retrieval.upkeep.apply`: inline, or rebuilt):
        asked on every lookup, they must stay cheap while a large import waits to be indexed."""
        from tm.retrieval.upkeep import INLINE
        from tm.store import deletions, segments

        cap = max(INLINE, self.live // 2) + 1
        seq, top, epoch = identity.watermarks(db)
        deleted = (
            deletions.count_since(db, self.deletion_seq, limit=cap)
            if seq > self.deletion_seq
            else 0
        )
        after = min(self.max_id, top)  # ids above the largest are new rows
        added = segments.count_after(db, after, limit=cap) if top > after else 0
        return Pending(seq, top, epoch, deleted, added, epoch != self.quality_epoch)

    def tell(self, what: str, done: int, total: int) -> None:
        """Report progress, when someone listens."""
        if self.progress is not None:
            self.progress(what, done, total)


_STATE = (
    "snapshot words vocab order df bits placeable_tokens later lengths recency quality marks "
    "signatures strings placeables live max_id deletion_seq quality_epoch changes opened"
).split()
_NO_IDS = np.zeros(0, dtype=np.int32)
_NO_SHAPES = np.zeros(0, dtype=np.uint32)


def _resized(values: np.ndarray, size: int, fill: float) -> np.ndarray:
    grown = np.full((size, *values.shape[1:]), fill, dtype=values.dtype)
    grown[: len(values)] = values
    return grown
