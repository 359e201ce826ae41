"""`TranslationMemory`: the one entry point to a TM database."""

from __future__ import annotations

import os
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from itertools import compress
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from tm.errors import InvalidInput
from tm.segment import Review, Segment, Status, Unit, too_long, unstorable
from tm.store import corpus, reviews, settings
from tm.store import quality as quality_store
from tm.store import segments as store
from tm.store.database import Database, connect, large_cache, writing

if TYPE_CHECKING:
    from tm.formats import ImportFile
    from tm.quality.lexicon import Lexicon
    from tm.retrieval import concordance
    from tm.retrieval.index import Index
    from tm.retrieval.index import Progress as IndexProgress
    from tm.retrieval.matching import Match
    from tm.store.lexicons import Lexicons

# The engine (retrieval, formats, quality: numpy, sentencepiece, lxml, sacrebleu) is imported
# by the methods that use it, so that opening a TM for its counts or a key costs no more than
# SQLite does: `tm stats` and `tm keys` start at once.

Progress = Callable[[int], None]


@dataclass(frozen=True)
class ImportReport:
    """What an import did: counts per run, and every unit skipped with where and why."""

    imported: int
    duplicates: int
    skipped: list[tuple[str, str]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    scored: RescoreReport | None = None
    """The quality of the pairs the import added, scored in its transaction (None when it
    did not score)."""


@dataclass(frozen=True)
class RescoreReport:
    """What a quality pass did: pairs scored, pairs flagged, and flags by reason."""

    scored: int
    flagged: int
    reasons: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Stats:
    segments: int
    documents: int
    origins: dict[str, int]
    size_bytes: int


class TranslationMemory:
    """A French→English TM stored in one SQLite file.

    >>> with TranslationMemory.open("tm.db") as memory:
    ...     memory.add("Bonjour.", "Hello.")
    ...     memory.lookup("Bonjour !")
    """

    def __init__(
        self,
        db: Database,
        path: str | Path = ":memory:",
        *,
        index: Index | None = None,
        lexicons: Lexicons | None = None,
    ) -> None:
        self.db = db
        self.path = Path(path) if str(path) != ":memory:" else None
        self._index = index
        self._lexicons = lexicons
        self._lexicon: Lexicon | None = None
        self.index_progress: IndexProgress | None = None
        """Told of the lookup index's long work when this TM makes its own index."""

    @property
    def index(self) -> Index:
        """The lookup index: the one given to `open`, or this TM's own, made on first use
        (opened from `tm.db.index` beside the database or built: `tm.retrieval.index`)."""
        if self._index is None:
            from tm.retrieval.index import Index

            self._index = Index(self.path)
            self._index.progress = self.index_progress
        return self._index

    def prepare_lookups(self) -> None:
        """Have the lookup index saved beside the database read and checked in a thread from
        now on (`tm.retrieval.verification`), so that the first lookup finds it done: what a
        command that will look up calls as it starts, while it imports the engine. Nothing
        for a TM in memory or one given its index."""
        if self.path is not None and self._index is None:
            from tm.retrieval import verification

            verification.ahead(verification.path_for(self.path))

    @property
    def lexicons(self) -> Lexicons:
        """The lexicons read from the database, kept between uses: the ones given to `open`, or
        this TM's own, made on first use (so that `tm stats` does not import them)."""
        if self._lexicons is None:
            from tm.store.lexicons import Lexicons

            self._lexicons = Lexicons()
        return self._lexicons

    @classmethod
    def open(
        cls, path: str | Path, *, index: Index | None = None, lexicons: Lexicons | None = None
    ) -> TranslationMemory:
        """Open (creating and migrating when needed) the TM at `path`.

        `index` lets several connections to the same file share one lookup index (by default
        each TranslationMemory has its own: opened on the first lookup from the file saved
        beside the database, `tm.db.index`, or built and saved; then kept up to date from the
        database: `tm.retrieval.index`); `lexicons`, the lexicons already read (see
        `tm.store.lexicons.Lexicons`).
        """
        return cls(connect(path), path, index=index, lexicons=lexicons)

    def close(self) -> None:
        self.db.conn.close()

    def __enter__(self) -> TranslationMemory:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def add(
        self,
        source: str,
        target: str,
        *,
        origin: str = "",
        document: str = "",
        position: int | None = None,
        author: str = "",
    ) -> Segment:
        """Store one confirmed pair (an identical pair already stored is returned as is)."""
        _check(source, target)
        unit = Unit(
            source=source,
            target=target,
            origin=origin,
            document=document,
            position=position,
            author=author,
        )
        # A translator confirmed this pair: it is scored (and its flags kept for the record) but
        # never held out of suggestions by the automatic check.
        from tm.quality import pairs as quality

        result = quality.assess_one(source, target, lexicon=self.lexicon())
        with writing(self.db):
            segment_id, created = store.add(self.db, unit)
            if created:
                quality_store.record(
                    self.db, segment_id, result.score, result.reason, Status.CONFIRMED
                )
        return store.get(self.db, segment_id)

    def get(self, segment_id: int) -> Segment:
        return store.get(self.db, segment_id)

    def update(self, segment_id: int, source: str, target: str, *, author: str = "") -> Segment:
        """Correct a stored pair's texts; returns the updated segment, now confirmed (a rejected
        or doubted pair corrected is suggested again: the audit trail records it, `correct`)."""
        _check(source, target)
        with writing(self.db):
            before = store.get(self.db, segment_id).status
            store.update(self.db, segment_id, source=source, target=target, author=author)
            reviews.corrected(self.db, segment_id, before, author)
        return store.get(self.db, segment_id)

    def delete(self, segment_id: int) -> None:
        with writing(self.db):
            store.delete(self.db, segment_id)

    def count(self) -> int:
        return store.count(self.db)

    def review(
        self, ids: Iterable[int], *, action: str, author: str = "", note: str = ""
    ) -> list[Review]:
        """A maintainer's review of pairs, audited (`tm.store.reviews`): `reject` (kept, never
        suggested), `restore` (a rejected pair back as it was) or `confirm` (never flagged
        again). Returns the reviews recorded (pairs already so are left alone)."""
        return reviews.review(self.db, ids, action=action, author=author, note=note)

    def reviews(self, segment_id: int | None = None, *, limit: int = 100) -> list[Review]:
        """The reviews of one pair (or of all), newest first."""
        return reviews.history(self.db, segment_id, limit=limit)

    def segments(self) -> Iterator[Segment]:
        """Every segment in document order."""
        return store.iterate(self.db)

    def lookup(
        self,
        text: str,
        *,
        limit: int = 5,
        threshold: float = 70,
        context_prev: str | None = None,
        context_next: str | None = None,
        exclude_document: str | None = None,
        floor: float | None = None,
    ) -> list[Match]:
        """Prior translations of `text`, best first (see `tm.retrieval.matching`).

        `context_prev`/`context_next` are the sources around `text` in its document: an
        identical match whose neighbour is identical too scores 101. `exclude_document` leaves
        one document out (leave-one-out evaluation). `floor`: pretranslation's lookup (when
        nothing reaches `threshold`, the best match down to `floor` alone;
        `tm.retrieval.matching.lookup_for_draft`).
        """
        from tm.retrieval import matching

        if floor is not None:
            return matching.lookup_for_draft(
                self.db,
                self.index,
                text,
                limit=limit,
                threshold=threshold,
                floor=floor,
                context_prev=context_prev,
                context_next=context_next,
                exclude_document=exclude_document,
            )
        return matching.lookup(
            self.db,
            self.index,
            text,
            limit=limit,
            threshold=threshold,
            context_prev=context_prev,
            context_next=context_next,
            exclude_document=exclude_document,
        )

    def concordance(
        self,
        expression: str,
        *,
        side: str = "source",
        limit: int = 20,
        candidates: int | None = None,
    ) -> concordance.Concordance:
        """Segments containing `expression` (inflection- and accent-tolerant), newest first,
        and whether every segment holding its words was checked (at most `candidates` are;
        by default `tm.retrieval.concordance.CANDIDATES`)."""
        from tm.retrieval import concordance

        if candidates is None:
            candidates = concordance.CANDIDATES
        return concordance.search(
            self.db, expression, side=side, limit=limit, candidates=candidates
        )

    def train_pieces(self, *, vocab_size: int = 8000, sample: int = 200_000) -> int:
        """Train the sentencepiece model on the TM's French side and store it; returns the
        vocabulary size used (the largest the corpus allows, up to `vocab_size`)."""
        from tm.text import pieces

        model = pieces.train(corpus.french_sample(self.db, sample), vocab_size=vocab_size)
        settings.put(self.db, pieces.SETTING, model)
        return int(pieces.load(model).get_piece_size())

    def lexicon(self) -> Lexicon:
        """The word lexicon pair quality and alignment use: the one this TM learned from its
        own pairs (`tm.quality.learning`), when it has one, over the base lexicon that ships
        with tm (`tm.quality.base`; `Lexicon.over`)."""
        if self._lexicon is None:
            from tm.quality import base

            self._lexicon = self.lexicons.over(self.db, base.lexicon())
        return self._lexicon

    def stored_lexicon(self) -> Lexicon | None:
        """The word lexicon this TM learned from its own pairs, or None (read through
        `lexicons`)."""
        from tm.store import lexicons

        return lexicons.load(self.db, cache=self.lexicons)

    def save_lexicon(self, lexicon: Lexicon) -> None:
        """Store `lexicon` as this TM's word lexicon (replacing any previous one)."""
        from tm.store import lexicons

        lexicons.save(self.db, lexicon)
        self._lexicon = None

    def rescore(
        self,
        *,
        lexicon: Lexicon | None = None,
        only_missing: bool = False,
        after: int = 0,
        progress: Progress | None = None,
        batch: int = 5000,
        workers: int = 1,
    ) -> RescoreReport:
        """Compute pair quality (`tm.quality.pairs`) for every segment (or those never scored;
        and of those, only the ones whose id is above `after`, i.e. added since the TM's largest
        id was `after`) and store it: `quality`, `quality_flags`, and status `flagged` (or back
        to `ok`).

        `lexicon` defaults to the stored one; the service merges the glossary into it.
        `workers` > 1 scores in that many processes forked from this one (0: one per CPU;
        `tm.quality.batches`): for a single-threaded caller such as the CLI, never a server.
        """
        rows = corpus.batches(self.db, only_unscored=only_missing, after=after, batch=batch)
        with writing(self.db):
            return self._scored(rows, lexicon=lexicon, progress=progress, workers=workers)

    def _scored(
        self,
        batches: Iterable[list[corpus.Scoring]],
        *,
        lexicon: Lexicon | None = None,
        progress: Progress | None = None,
        workers: int = 1,
    ) -> RescoreReport:
        """Score the `batches` as they come (`rescore`, in its transaction) and store the
        results of each batch as it comes back: this process writes one batch's while the
        workers score the next ones (all written at the end, the laws TM's 445k rows took 9 s
        after the scoring). `batches` is read only as fast as the workers score (a few batches
        ahead). A pair whose quality, flags and status stay as stored is not written again."""
        from tm.quality.batches import mapped
        from tm.quality.pairs import flags_of

        chosen = lexicon if lexicon is not None else self.lexicon()
        scored = flagged = 0
        reasons: Counter[str] = Counter()
        stored: deque[list[tuple[int, _Stored]]] = deque()

        def pairs() -> Iterator[list[tuple[str, str]]]:
            for rows in batches:
                if rows:
                    stored.append([(row[0], row[3:]) for row in rows])
                    yield [(row[1], row[2]) for row in rows]

        for results in mapped(partial(_qualities, lexicon=chosen), pairs(), workers=workers):
            updates = []
            for (segment_id, before), (score, reason, flagged_now) in zip(
                stored.popleft(), results, strict=True
            ):
                if _changes(before, score, reason, flagged_now):
                    updates.append((segment_id, score, reason, flagged_now))
                if flagged_now:
                    flagged += 1
                    reasons.update(flags_of(reason))
            quality_store.record_many(self.db, updates)
            scored += len(results)
            if progress is not None:
                progress(len(results))
        quality_store.count_pass(self.db)
        return RescoreReport(scored=scored, flagged=flagged, reasons=dict(reasons))

    def import_units(self, units: Iterable[Unit]) -> tuple[int, int]:
        """Store units in one transaction; returns (imported, duplicates)."""
        with writing(self.db):
            inserted = store.add_many(self.db, units)
        return sum(inserted), len(inserted) - sum(inserted)

    def import_files(
        self,
        paths: list[Path],
        *,
        origin: str | None = None,
        swap: bool = False,
        progress: Progress | None = None,
        score: bool = False,
        scoring: Progress | None = None,
        workers: int = 1,
    ) -> ImportReport:
        """Import TMX/XLIFF/TSV/CSV/line-parallel files in ONE transaction: all or nothing.
        Every input is checked first (`tm.formats.check`: a bitext side in the wrong language,
        a glossary given as a bitext), before anything is written; `swap` reads bitexts the
        other way round.

        With `score`, the pairs the import adds are scored (as `rescore` with this TM's
        lexicon, `workers` as there; `scoring` is told of pairs scored) and stored with their
        quality, so that no pair is ever stored unscored, and suggested, by an import killed
        while it scored: each batch of pairs read goes to the workers while the ones scored
        before are stored (a pair already stored keeps its quality, as does a unit read with
        one: TMX's `x-quality`). `progress` is told of units read."""
        from tm import formats

        inputs = formats.group(paths)
        for source in inputs:
            formats.check(source, swap=swap)
        skipped: list[tuple[str, str]] = []
        batches = self._read(inputs, origin=origin, swap=swap, skipped=skipped, progress=progress)
        counts = [0, 0]  # imported, duplicates
        scored = None
        with (
            large_cache(self.db),
            writing(self.db),
            store.text_index_deferred(self.db) as index_text,
            store.indexes_deferred(self.db),
        ):
            if score:
                scored = self._stored_scored(
                    batches, counts, progress=scoring, workers=workers, index_text=index_text
                )
            else:
                for batch in batches:
                    _count(store.add_many(self.db, batch), counts)
        return ImportReport(
            imported=counts[0],
            duplicates=counts[1],
            skipped=skipped,
            files=[source.name for source in inputs],
            scored=scored,
        )

    def _read(
        self,
        inputs: list[ImportFile],
        *,
        origin: str | None,
        swap: bool,
        skipped: list[tuple[str, str]],
        progress: Progress | None,
    ) -> Iterator[list[Unit]]:
        """Each input's units (`import_files`), `_IMPORT_BATCH` at a time; `InvalidInput` for
        an input without any."""
        from tm import formats
        from tm.formats.bitext import document_name

        for source in inputs:
            before = len(skipped)
            units = formats.read(
                source,
                origin=origin or document_name(source.paths[0]),
                skipped=skipped,
                swap=swap,
            )
            found = 0
            for batch in _batched(_counted(units, progress), _IMPORT_BATCH):
                found += len(batch)
                yield batch
            if found == 0:
                reasons = sorted({why for _where, why in skipped[before:]})
                raise InvalidInput(
                    "no French–English pair found"
                    + (f" ({'; '.join(reasons)})" if reasons else ""),
                    file=str(source.paths[0]),
                )

    def _stored_scored(
        self,
        batches: Iterable[list[Unit]],
        counts: list[int],
        *,
        progress: Progress | None,
        workers: int,
        index_text: Callable[[], None],
    ) -> RescoreReport:
        """Score the units of `batches` that have no quality yet (`tm.quality.batches`: the
        workers score the next batches while this process stores the last ones, and every
        `_TEXT_INDEX_EVERY` batches adds them to the concordance index: `index_text`) and
        store them all (`import_files`); `counts` adds up the pairs imported and duplicates.
        The report counts the pairs stored and scored, as `rescore` would have."""
        from tm.quality.batches import mapped
        from tm.quality.pairs import flags_of

        scored = flagged = 0
        reasons: Counter[str] = Counter()
        read: deque[list[Unit]] = deque()
        empty = store.max_id(self.db) == 0  # then no pair read can be stored already

        def pairs() -> Iterator[tuple[list[tuple[str, str]], list[bool]]]:
            for batch in batches:
                stored = [False] * len(batch) if empty else store.stored(self.db, batch)
                wanted = [
                    unit.quality is None and not known
                    for unit, known in zip(batch, stored, strict=True)
                ]
                read.append(batch)
                yield [(unit.source, unit.target) for unit in batch], wanted

        work = partial(_prepared, lexicon=self.lexicon())
        for number, (derived, scores) in enumerate(mapped(work, pairs(), workers=workers), 1):
            batch = read.popleft()
            inserted = store.add_many(self.db, batch, scores, derived)
            _count(inserted, counts)
            if number % _TEXT_INDEX_EVERY == 0:
                index_text()
            for score, added in zip(scores, inserted, strict=True):
                if score is not None and added:
                    scored += 1
                    if score[2]:
                        flagged += 1
                        reasons.update(flags_of(score[1]))
            if progress is not None:
                progress(sum(score is not None for score in scores))
        quality_store.count_pass(self.db)
        return RescoreReport(scored=scored, flagged=flagged, reasons=dict(reasons))

    def export(self, path: Path, *, progress: Progress | None = None) -> int:
        """Write the whole TM as TMX 1.4b, streaming; returns the number of units."""
        from tm.formats import tmx

        units = (segment.unit() for segment in store.iterate(self.db))
        return tmx.write(_counted(units, progress), path)

    def stats(self) -> Stats:
        documents = store.documents(self.db)
        origins = store.origins(self.db)
        size = 0
        if self.path is not None:
            size = sum(
                os.path.getsize(p) for p in (self.path, Path(f"{self.path}-wal")) if p.exists()
            )
        return Stats(
            segments=self.count(), documents=int(documents), origins=origins, size_bytes=size
        )


_IMPORT_BATCH = 5000
"""Units an import reads before it hands their pairs to the scoring workers."""
_TEXT_INDEX_EVERY = 10
"""Batches an import that scores stores before it adds them to the concordance index (the
rest at the end): the FTS5 work is done while the workers score, not after them."""


def _prepared(
    batch: tuple[list[tuple[str, str]], list[bool]], *, lexicon: Lexicon
) -> tuple[list[store.Derived], list[store.Scored | None]]:
    """What an import works out in its scoring workers for a batch of pairs read: each pair's
    `store.derive` and, for the pairs `wanted`, the quality as `store.add_many` stores it
    (`assess`). Plain tuples only: they cross between processes."""
    pairs, wanted = batch
    derived = [store.derive(source, target) for source, target in pairs]
    found = iter(_qualities(list(compress(pairs, wanted)), lexicon=lexicon))
    return derived, [next(found) if chosen else None for chosen in wanted]


def _qualities(pairs: list[tuple[str, str]], *, lexicon: Lexicon) -> list[store.Scored]:
    """`assess` of `pairs` as the store keeps it: plain tuples (score, reasons, flagged), which
    cross between processes for less than `Quality` objects."""
    from tm.quality.pairs import assess

    return [
        (quality.score, quality.reason, quality.flagged)
        for quality in assess(pairs, lexicon=lexicon)
    ]


_Stored = tuple[float | None, str | None, str]
"""A pair's quality, quality flags and status as stored."""


def _changes(stored: _Stored, score: float, reason: str, flagged: bool) -> bool:
    """Whether a pair stored with (quality, quality flags, status) `stored` and scored now
    (`score`, `reason`, `flagged`) is to be written again (`quality_store.record_many`'s rule
    for its status): a rescore rewrote every row of the TM, unchanged or not (445k rows of the
    laws TM, 4-5 s of CPU and the whole table through the WAL again)."""
    quality, flags, status = stored
    return (
        quality != score
        or flags != reason
        or quality_store.status(status, flagged=flagged) != status
    )


def _count(inserted: list[bool], counts: list[int]) -> None:
    """Add the units `add_many` inserted to `counts[0]`, the duplicates to `counts[1]`."""
    added = sum(inserted)
    counts[0] += added
    counts[1] += len(inserted) - added


def _batched(units: Iterable[Unit], size: int) -> Iterator[list[Unit]]:
    batch: list[Unit] = []
    for unit in units:
        batch.append(unit)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _counted(units: Iterable[Unit], progress: Progress | None) -> Iterator[Unit]:
    if progress is None:
        yield from units
        return
    for number, unit in enumerate(units, start=1):
        yield unit
        if number % 1000 == 0:
            progress(1000)
    # the remainder is reported by the caller's final refresh


def _check(source: str, target: str) -> None:
    """InvalidInput unless both texts are non-empty and storable."""
    if not source.strip() or not target.strip():
        raise InvalidInput("source and target must not be empty")
    why = too_long(source, target) or unstorable(source) or unstorable(target)
    if why:
        raise InvalidInput(why)
