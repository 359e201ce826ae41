"""One query's search of the index (`tm.retrieval.index.Index`): candidates by bilateral prefix
filtering (`tm.retrieval.bounds`), verified, then finalised best-first by the caller.

The query's prefix is visited rarest word first. A segment met is kept only if the word met is
in its own prefix for the current threshold, if the words it can still share from where it was
first met can reach α (the positional filter of PPJoin, Xiao et al. 2008), and if the query
words whose bits its word signature has can reach α (`tm.retrieval.signatures`). The threshold
rises to the score of the current `limit`-th best match, which shrinks the prefix and the
length window, so the common words of boilerplate are rarely visited. Thresholds below
`MIN_THRESHOLD` fall back to a scan of the length window. Candidates are verified with
rapidfuzz on strings where each character is one word (a bit-parallel Levenshtein), bounded by
the penalties certain before scoring, then finalised (exact explained score) by the caller.

The signature filter is applied to the postings met, on their own lengths, before the arrays
per segment (verified, lengths) are read: it leaves a few percent of the postings, and each
read of those arrays is a cache miss. A posting's length is the segment's current one unless
the posting is stale (dropped then, whatever the filter said) or the segment has 65,535 words
or more (a shape's largest length: the filter then waits for the current lengths). A segment
the filter drops is not marked verified: met again in a later batch, it is dropped again (the
words needed only grow as tau rises).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple, Protocol

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from tm.retrieval import bounds, ranking, signatures
from tm.retrieval.index import MIN_THRESHOLD, Index, character, token_of
from tm.retrieval.scoring import Keys

_BATCH = 4096  # postings visited before the first verification
_Ranked = tuple[ranking.Key, float, int]  # (rank key, final score, id)


class Final(NamedTuple):
    """A segment's final score for the query, and whether it ranks after unflagged segments
    of the same score (`tm.retrieval.ranking`)."""

    score: float
    flagged: bool = False


class Finalise(Protocol):
    """What the search asks its caller for: the final, explained score of each of `ids`
    (`tm.retrieval.matching.judge`), or None for a segment not to suggest (rejected, or in an
    excluded document). Called with few ids at a time, best candidates first. A final score is
    never above the segment's base score (the search's bounds rest on it)."""

    def __call__(self, ids: list[int]) -> dict[int, Final | None]: ...


def search(
    index: Index,
    keys: Keys,
    *,
    threshold: float,
    limit: int,
    finalise: Finalise,
    seeds: Iterable[int] = (),
    wide: float | None = None,
) -> list[tuple[float, int]]:
    """The best `limit` (final score, id) pairs with final score ≥ `threshold`, in rank order
    (`tm.retrieval.ranking`). With `wide` above `threshold`: the best `limit` with final score
    ≥ `wide`, or, when none reaches it, the best one ≥ `threshold` alone (one search where two
    would look twice at the same candidates: pretranslation's fill with alternatives, or the
    report's band).

    `keys` are the query's (`tm.retrieval.scoring.index_keys`); `seeds` ids known to match
    (exact hash hits); `finalise` gives exact scores. Besides words, the keys give certain
    penalties before finalising (punctuation or tags differ; a placeable differs in a
    candidate with the same words), which keeps boilerplate ties from being finalised.
    """
    with index.lock:
        if len(index.verified) < len(index.lengths):
            index.verified = np.zeros(len(index.lengths), dtype=bool)
        query = _Search(index, keys, threshold, limit, finalise, wide)
        try:
            return query.run(list(seeds))
        finally:
            for marked in query.marked:
                index.verified[marked] = False


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
        self.marks_of_query = signatures.marks(keys)
        placeable_positions = [i for i, w in enumerate(keys.words) if w.startswith("⟨")]
        self.query_ranks = {p: rank for rank, p in enumerate(placeable_positions)}
        self.query = "".join("\x00" if t == 0 else character(t) for t in self.tokens)
        self._masks: np.ndarray | None = None  # the query's signature masks, when needed
        self._words: list[tuple[int, np.uint64]] = []  # (column, mask word) with bits set
        self.signatures = index.signatures
        self.length = len(keys.words)
        self.tau = max(threshold, 1.0)
        self.limit = limit
        self.wide = self.tau if wide is None else max(wide, self.tau)
        # Matches that let tau rise: below `wide` only the best one is wanted.
        self.enough = limit if self.wide <= self.tau else 1
        self.finalise = finalise
        self.pool: dict[int, float] = {}  # id → base score (verified, ≥ tau when added)
        self.finals: dict[int, Final | None] = {}
        self.lengths = index.lengths
        self.verified = index.verified
        self.marked: list[np.ndarray] = []  # the ids marked verified, to unmark at the end
        self.aligned: dict[str, list[tuple[int, int]]] = {}  # per source string: placeables

    def run(self, seeds: list[int]) -> list[tuple[float, int]]:
        index = self.index
        lengths = self.lengths
        live = np.array([i for i in seeds if i < len(lengths) and lengths[i] >= 0], np.int64)
        for segment_id in live.tolist():
            self.pool[segment_id] = 100.0
        self.verified[live] = True
        self.marked.append(live)
        if len(self.pool) >= self.enough:
            self._rank()
        if self.length == 0:
            self._verify(index.empty())
            return self._rank()
        if self.tau < MIN_THRESHOLD:  # postings only cover prefixes for MIN_THRESHOLD
            low, high = bounds.window(self.tau, self.length)
            self._verify(np.nonzero((lengths >= low) & (lengths <= high))[0])
            return self._rank()
        ranked_tokens = sorted(self.tokens, key=index.order.__getitem__)
        visited: set[int] = set()
        batch: list[tuple[int, int]] = []
        size = position = 0
        alone = True  # until `enough` candidates qualify, tau cannot rise: one batch for the rest
        while position < min(bounds.prefix(self.tau, self.length), self.length):
            token = ranked_tokens[position]
            position += 1
            if token == 0 or token in visited:
                continue
            visited.add(token)
            batch.append((token, position - 1))
            size += index.posting_count(token)
            if alone and size >= _BATCH:
                self._gather(batch)
                batch.clear()
                size = 0
                if len(self.pool) >= self.enough:
                    self._rank()  # may raise tau, which shortens the prefix left to visit
                else:
                    alone = False
        if batch:
            self._gather(batch, last=True)
        return self._rank()

    def _gather(self, batch: list[tuple[int, int]], *, last: bool = False) -> None:
        """Verify the segments posted under the query's words in `batch` (each with where it
        first stands in the query's word order) that can still score ≥ `tau`; unless `last`
        (no batch follows), mark them verified.

        Words are visited in the global order, so where a segment is first met, it shares no
        earlier word with the query. A segment is kept when it is in the length window, holds
        the word met in its own prefix for `tau` (bilateral prefix filter) and can share
        enough words from there on (positional filter, as in PPJoin): the words left after
        the query's position bound the segments' length (a slice of the snapshot's postings,
        by length, plus the later ones of those lengths), and the words left after the
        segment's position (with its prefix) bound that position, per length (`_tables`). A
        segment met under several words of the batch is kept if any meeting passes (only the
        first one's positional bound holds: a superset, verified exactly), and is passed on
        once per meeting (`_verify` keeps one, where fewer are left to sort); one verified in
        an earlier batch is already decided. A posting whose length is not the segment's
        current one is of a segment deleted or changed since it was posted: dropped (its
        current postings, if any, are among the later ones). The signature filter comes
        first, on the postings' lengths (see the module's docstring).
        """
        index = self.index
        low, high = bounds.window(self.tau, self.length)
        tables = _tables(self.tau, self.length)
        parts: list[tuple[np.ndarray, np.ndarray]] = []
        for token, mine in batch:
            top = _longest(tables.steps, self.length - mine, high)
            if top < low:
                continue  # the positional filter would drop every posting
            ids, shapes, later_ids, later_shapes = index.postings(token)
            start, end = _within(shapes, _edges(low, top), low, top)
            if start < end:
                parts.append((ids[start:end], shapes[start:end]))
            if len(later_ids):
                lengths = later_shapes >> 16
                inside = (lengths >= low) & (lengths <= top)
                parts.append((later_ids[inside], later_shapes[inside]))
        if not parts:
            return
        ids = np.concatenate([part[0] for part in parts])
        shapes = np.concatenate([part[1] for part in parts])
        keep = np.flatnonzero(shapes < tables.limits.take(shapes >> 16))
        # Random access from here on; numpy would convert 32-bit ids at every step.
        met, posted = ids.take(keep).astype(np.intp), shapes.take(keep) >> 16
        if high < _LONGEST:  # the postings' lengths are exact: the signatures first
            met, posted = self._signed(met, posted)
        fresh = ~self.verified.take(met)
        met, posted = met[fresh], posted[fresh]
        current = self.lengths.take(met)
        if self.index.changes:  # postings made before a change may be stale
            valid = np.minimum(current, 0xFFFF) == posted
            met, current = met[valid], current[valid]
        if len(met) and not last:
            self.verified[met] = True
            self.marked.append(met)
        if len(met):
            self._verify(met, current, signed=high < _LONGEST)

    def _verify(
        self, ids: np.ndarray, lengths: np.ndarray | None = None, *, signed: bool = False
    ) -> None:
        """Verify candidates `ids` into the pool. Unless their `lengths` are given (in the
        length window and not verified before, as `_gather` leaves them), those first, then
        marked verified; unless `signed`, those whose signatures can share enough words."""
        if lengths is None:
            ids = self._undecided(ids)
            lengths = self.lengths.take(ids)
        if not len(ids):
            return
        if not signed:
            ids, lengths = self._signed(ids, lengths)
        if len(ids) > 1:  # met under several words: once (fewer to sort after the filter)
            ids, lengths = _once(ids, lengths)
        if not len(ids):
            return
        ids, bases, sources = self._bases(ids, lengths)
        if not len(ids):
            return
        theirs = self.index.marks[ids]
        found = bases - signatures.mark_penalties(theirs, self.marks_of_query)
        above = found >= self.tau
        kept = np.flatnonzero(above).tolist()
        self._pool(ids[kept].tolist(), found[kept].tolist(), [sources[i] for i in kept])

    def _undecided(self, ids: np.ndarray) -> np.ndarray:
        """Those of `ids` in the length window and not verified yet, now marked verified."""
        lengths = self.lengths.take(ids)
        low, high = bounds.window(self.tau, self.length)
        ids = ids[(lengths >= low) & (lengths <= high)]
        ids = ids[~self.verified.take(ids)]
        self.verified[ids] = True
        self.marked.append(ids)
        return ids

    def _signed(self, ids: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Those of `ids` (of `lengths` words) whose signatures can share enough words with
        the query's: a query word whose bit a segment lacks is not in it, and a segment word
        whose bit the query lacks is not in the query; so both bound the words they share
        (d ≥ max − shared)."""
        if self._masks is None:
            self._masks = signatures.masks(self.tokens, self.index.bits)
            levels, columns = np.nonzero(self._masks[1:])  # beyond the first row: few bits
            self._words = list(zip(columns.tolist(), self._masks[1:][levels, columns], strict=True))
        if not len(ids) or not len(self._masks):
            return ids, lengths
        # Looked up per length in a table over the window (`ids` are in it), as in `_gather`.
        high = bounds.window(self.tau, self.length)[1]
        needed = _tables(self.tau, self.length).needed.take(np.minimum(lengths, high + 1))
        # Column by column, each made contiguous (numpy's sums over a short last axis are
        # slow, its bitwise loops over strided columns too; `take` is much faster than
        # indexing rows with an index array). The query's bits first: they leave few
        # segments, whose other bits are then counted.
        theirs = self.signatures.take(ids, axis=0).T.copy()
        shared = np.bitwise_count(theirs & self._masks[0][:, None]).sum(axis=0, dtype=np.int32)
        for column, mask in self._words:
            shared += np.bitwise_count(theirs[column] & mask)
        passing = np.flatnonzero(shared >= needed)
        ids, lengths, needed = ids[passing], lengths[passing], needed[passing]
        theirs = theirs[:, passing]
        outside = np.zeros(len(ids), dtype=np.int32)
        for column, mask in enumerate(self._masks[0]):
            outside += np.bitwise_count(theirs[column] & ~mask)
        passing = np.flatnonzero(lengths - outside >= needed)
        return ids[passing], lengths[passing]

    def _bases(
        self, ids: np.ndarray, lengths: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, list[str]]:
        """Those of `ids` (of `lengths` words) whose base score (word edit distance, rapidfuzz
        on one character a word) reaches tau, their bases and their word strings."""
        choices = self.index.strings.many(ids.tolist())
        distances = process.cdist(
            [self.query],
            choices,
            scorer=Levenshtein.distance,
            score_cutoff=bounds.budget(self.tau, self.length),
            dtype=np.int32,
            workers=1,
        )[0]
        longest = np.maximum(lengths, self.length).astype(np.float64)
        bases = np.round(100 * (1 - distances / np.maximum(longest, 1)), 2)
        good = np.nonzero(bases >= self.tau)[0]
        return ids[good], bases[good], [choices[i] for i in good.tolist()]

    def _pool(self, ids: list[int], found: list[float], sources: list[str]) -> None:
        """Pool the verified `ids` (of word strings `sources`) with their bounds `found`, less
        the placeables certain to differ, where still ≥ tau."""
        if not self.placeables:
            self.pool.update(zip(ids, found, strict=True))
            return
        known = self.index.placeables
        for segment_id, bound, source in zip(ids, found, sources, strict=True):
            placeables = known.get(segment_id)
            if placeables is not None:
                bound -= self._placeable_changes(source, placeables)
            if bound >= self.tau:
                self.pool[segment_id] = bound

    def _placeable_changes(self, source: str, theirs: tuple[str, ...]) -> int:
        """Placeables that `score` will find changed in a segment of word string `source`:
        aligned like `score` aligns the words (the same rapidfuzz opcodes over the same
        equalities), texts compared. Boilerplate candidates share word strings, so alignments
        are kept per string for the query."""
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
            if token_of(char) in placeable_tokens:
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

    def _key(self, segment_id: int, value: float, *, flagged: bool = False) -> ranking.Key:
        """The rank key of a segment scoring `value`; before it is finalised, as if unflagged
        (a bound: its final key is never smaller)."""
        index = self.index
        return ranking.key(
            value,
            int(index.recency[segment_id]),
            float(index.quality[segment_id]),
            segment_id,
            flagged=flagged,
        )

    def _ordered(self) -> list[tuple[int, float]]:
        """The pool's (id, base) best-first by `_key` (sorted by numpy when it is large)."""
        if len(self.pool) < 64:
            return sorted(self.pool.items(), key=lambda item: self._key(item[0], item[1]))
        ids = np.fromiter(self.pool.keys(), dtype=np.int64, count=len(self.pool))
        bases = np.fromiter(self.pool.values(), dtype=np.float64, count=len(self.pool))
        recency = self.index.recency.take(ids)
        quality = self.index.quality.take(ids)
        ranked = ranking.order(ids, bases, recency, quality)
        return list(zip(ids[ranked].tolist(), bases[ranked].tolist(), strict=True))

    def _rank(self) -> list[tuple[float, int]]:
        """Finalise pool members best-first until the top wanted is certain (`_wanted`);
        raise tau."""
        order = self._ordered()
        top: list[_Ranked] = []
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
                if final is not None and final.score >= self.tau:
                    key = self._key(segment_id, final.score, flagged=final.flagged)
                    top.append((key, final.score, segment_id))
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

    def _wanted(self, top: list[_Ranked]) -> int:
        """How many of the best matches are wanted: `limit`, or, with `wide`, one until the
        best reaches it."""
        return self.limit if top and top[0][1] >= self.wide else self.enough


_LONGEST = 0xFFFF  # the largest length a shape holds (`tm.retrieval.snapshot`)


def _edges(low: int, high: int) -> np.ndarray:
    """The shapes where lengths `low` and `high` + 1 begin, as 32-bit needles for `_within`
    (past the largest length a shape holds: `_within` then takes the end)."""
    return np.array([min(low, _LONGEST) << 16, min(high + 1, _LONGEST) << 16], dtype=np.uint32)


def _within(shapes: np.ndarray, edges: np.ndarray, low: int, high: int) -> tuple[int, int]:
    """Where the postings of lengths `low` … `high` start and end among `shapes` (sorted by
    length), searched with needles of the shapes' own type (`_edges`): Python integers made
    numpy copy every shape to 64 bits first, a whole posting list each time."""
    start, end = shapes.searchsorted(edges).tolist()
    if low > _LONGEST:
        start = len(shapes)
    if high >= _LONGEST:
        end = len(shapes)
    return start, end


class _Tables(NamedTuple):
    """The bounds of a query of some length at a threshold, per source length over its
    window (`_tables`)."""

    needed: np.ndarray
    """Words a source must share with the query (growing; one more entry past the window)."""
    steps: list[int]
    """The same as Python integers (for `bisect`), over the window."""
    limits: np.ndarray
    """The shapes (`tm.retrieval.snapshot`) below which a posting passes the filters on the
    source's side: its position within the source's prefix for the threshold, with enough of
    the source's words left from there on."""


@lru_cache(maxsize=256)
def _tables(tau: float, length: int) -> _Tables:
    """The tables of a query of `length` words at threshold `tau` (the same few are asked
    again and again: a batch's queries share lengths and thresholds; never changed)."""
    fraction = bounds.floor(tau)
    high = bounds.window(tau, length)[1]
    sizes = np.arange(high + 2)
    needed = bounds.shared(fraction, np.maximum(sizes, length))
    below = np.minimum(bounds.prefix_lengths(fraction, sizes), sizes - needed + 1)[: high + 1]
    # A shape holds at most 16 bits of a length: the last one's limit stays within 32 bits.
    limits = (sizes[: high + 1] << 16) + np.minimum(np.maximum(below, 0), 0x10000)
    limits = np.minimum(limits, 0xFFFFFFFF).astype(np.uint32)
    needed.flags.writeable = limits.flags.writeable = False
    return _Tables(needed, needed[: high + 1].tolist(), limits)


def _longest(needed: list[int], shared: int, high: int) -> int:
    """The longest source length (at most `high`) whose segments can reach `needed` words in
    common (per source length, growing) with at most `shared` words left to share: a segment
    met at query position p shares at most the query's length − p words from there on."""
    return min(bisect.bisect_right(needed, shared) - 1, high)


def _once(ids: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`ids` (and their `lengths`) with each id once, sorted."""
    order = np.argsort(ids, kind="stable")
    ids, lengths = ids[order], lengths[order]
    once = np.concatenate(([True], ids[1:] != ids[:-1]))
    return ids[once], lengths[once]
