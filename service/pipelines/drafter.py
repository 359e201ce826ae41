"""Drafting the segments of read inputs from a TM: each distinct source looked up once across a
batch (ahead of drafting, possibly in worker processes: `Lookahead`), the best match at or above
the threshold filling the target with its adapted target, a source met again being a
repetition of its first occurrence, notes from an `Annotate` hook. The batch around it (reading,
writing, the report) is `service.pipelines.pretranslation`.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from service.pipelines.annotate import doubts, finding_note
from tm.drafting.draft import NEEDS_TRANSLATION, Draft, DraftSegment, state_for
from tm.formats import codes
from tm.formats.xliff_input import XliffInput
from tm.retrieval import workers
from tm.retrieval.matching import Match
from tm.text.normalise import normalise

Query = tuple[str, str | None, str | None]
"""A segment to look up: its text and its neighbours' (context for 101 matches)."""
Fill = tuple[str, int, str, dict[str, object], str | None, str | None]
"""A segment to fill (`Pretranslator.fill`): its id, paragraph, text, inline tags and its
neighbours' texts."""
Annotate = Callable[[str, str], Sequence[str]]
"""(French source, English target or "" when nothing was filled) → notes for the translator
(glossary terms, QA findings): `service.pipelines.annotate.Annotator.notes` is one."""
Progress = Callable[[int], None]


class Memory(Protocol):
    """What pretranslation needs from a TM (`tm.TranslationMemory` is one)."""

    def lookup(
        self,
        text: str,
        *,
        limit: int = 5,
        threshold: float = 70,
        context_prev: str | None = None,
        context_next: str | None = None,
        floor: float | None = None,
    ) -> list[Match]: ...


ANALYSIS_FLOOR = 50
"""By default a segment without a match at the threshold is looked up again down to this score,
so that the report can show the 50–74 band even when the fill threshold is higher."""
ALTERNATIVES = 3


@dataclass
class Source:
    """One input after reading: its segments as (paragraph, text, inline tags), and the parsed
    XLIFF file when it is one (to be filled in place)."""

    path: Path
    segments: list[tuple[int, str, dict[str, object]]]
    xliff: XliffInput | None = None


class Lookahead:
    """The matches of a batch's distinct segments, looked up ahead of drafting them (in worker
    processes forked from this one when the memory is a TM file: `tm.retrieval.workers`) and
    taken by key, each once, as drafting reaches it."""

    def __init__(self) -> None:
        self._queued: set[str] = set()  # keys looked up ahead, not taken yet
        self._early: dict[str, list[Match]] = {}  # matches that came before their turn
        self._coming: Generator[tuple[str, list[Match]], None, None] = _nothing()

    def start(self, keys: list[str], matches: Generator[list[Match], None, None]) -> None:
        """Look ahead for `keys`, whose matches `matches` gives in the same order (the
        lookups that were still ahead are stopped)."""
        self.close()
        self._queued = set(keys)
        self._coming = _keyed(keys, matches)

    def __contains__(self, key: str) -> bool:
        return key in self._queued

    def take(self, key: str) -> list[Match] | None:
        """The matches looked up ahead for `key` (waiting for them if needed), once; None for
        a key not looked up ahead."""
        if key not in self._queued:
            return None
        self._queued.discard(key)
        for done, matches in self._coming:
            self._early[done] = matches
            if done == key:
                break
        return self._early.pop(key, None)

    def close(self) -> None:
        """Stop the lookups ahead (and their worker processes)."""
        self._coming.close()
        self._queued.clear()
        self._early.clear()


class Pretranslator:
    """Looks segments up in a TM, once per distinct source across a whole batch.

    >>> pretranslator = Pretranslator(memory, threshold=75)
    >>> draft = pretranslator.draft(read(Path("release.fr.txt")))
    """

    def __init__(
        self,
        memory: Memory,
        *,
        threshold: float = 75,
        floor: float = ANALYSIS_FLOOR,
        annotate: Annotate | None = None,
        progress: Progress | None = None,
        workers: int = 1,
    ) -> None:
        self.memory = memory
        self.threshold = threshold
        self.floor = floor
        self.annotate = annotate
        self.progress = progress
        self.workers = workers
        # Each normalised source drafted so far: its first draft segment and file name.
        self.seen: dict[str, tuple[DraftSegment, str]] = {}
        self.lookahead = Lookahead()

    def prepare(self, sources: Sequence[Source]) -> None:
        """Look up every distinct segment of `sources` not drafted yet ahead of drafting them
        (each at its first occurrence, with its neighbours as context), in `workers`
        processes (see `Lookahead`): `draft` takes the matches as they come. `progress` is
        told of each lookup; `draft` then tells it of the repetitions. Call `close` when
        done."""
        queries: dict[str, Query] = {}
        for source in sources:
            texts = [text for _p, text, _t in source.segments]
            for index, text in enumerate(texts):
                key = normalise(text)
                if key not in queries and key not in self.seen:
                    queries[key] = (text, *_neighbours(texts, index))
        matches = workers.fork_imap(
            self.memory,
            self._matches,
            list(queries.values()),
            workers=self.workers,
            progress=self.progress,
        )
        self.lookahead.start(list(queries), matches)

    def close(self) -> None:
        """Stop the lookups ahead that are no longer wanted (and their worker processes)."""
        self.lookahead.close()

    def draft(self, source: Source, filled: Mapping[int, DraftSegment] | None = None) -> Draft:
        """The pretranslated draft of one read input; `filled` holds segments already filled
        elsewhere (`fill`, by their position), used where the segment is no repetition."""
        segments = []
        texts = [text for _p, text, _t in source.segments]
        for index, (paragraph, text, tags) in enumerate(source.segments):
            ident = _ident(source, index)
            key = normalise(text)
            prepared = key in self.lookahead
            given = filled.get(index) if filled else None
            segment = self._segment(ident, paragraph, text, tags, texts, index, key, given)
            self.seen.setdefault(key, (segment, source.path.name))
            segments.append(segment)
            if self.progress is not None and not prepared:
                self.progress(1)
        language = source.xliff.source_language if source.xliff else "fr"
        existing, locked = source.xliff.kept() if source.xliff else ((), ())
        return Draft(
            name=source.path.name,
            segments=tuple(segments),
            source_language=language,
            existing=existing,
            locked=locked,
        )

    def _segment(
        self,
        ident: str,
        paragraph: int,
        text: str,
        tags: dict[str, object],
        texts: list[str],
        index: int,
        key: str,
        given: DraftSegment | None = None,
    ) -> DraftSegment:
        seen = self.seen.get(key)
        if seen is not None:
            first, name = seen
            # A context match (101) holds for the first occurrence's neighbours only.
            exact = first.band == "101"
            return replace(
                first,
                band="100" if exact else first.band,
                score=100.0 if exact else first.score,
                id=ident,
                paragraph=paragraph,
                repetition=True,
                source=text,
                source_tags=dict(tags),
                notes=(
                    f"repetition of {name} #{first.id}",
                    *(first.notes[1:] if exact else first.notes),
                ),
            )
        if given is not None:
            return given
        found = self.lookahead.take(key)
        if found is None:
            found = self._matches(self.memory, (text, *_neighbours(texts, index)))
        return self._fill(ident, paragraph, text, tags, found)

    def fill(self, segment: Fill) -> DraftSegment:
        """One segment looked up and filled as the first occurrence of its source (no
        repetition): what a worker does for `draft`'s `filled`."""
        ident, paragraph, text, tags, before, after = segment
        found = self._matches(self.memory, (text, before, after))
        return self._fill(ident, paragraph, text, tags, found)

    def remember(self, source: Source, filled: Mapping[int, DraftSegment]) -> None:
        """Take `filled` segments of `source` (drafted in an earlier run) as first occurrences,
        so that their repetitions in the inputs drafted next refer to them."""
        for index, segment in sorted(filled.items()):
            self.seen.setdefault(normalise(source.segments[index][1]), (segment, source.path.name))

    def _matches(self, memory: Memory, query: Query) -> list[Match]:
        """The best match and up to `ALTERNATIVES` at or above the threshold; when none
        reaches it, the best match down to the report's floor (for its band only). One search:
        see `tm.retrieval.matching.lookup_for_draft`."""
        text, before, after = query
        return memory.lookup(
            text,
            limit=ALTERNATIVES,
            threshold=self.threshold,
            floor=self.floor,
            context_prev=before,
            context_next=after,
        )

    def _fill(
        self,
        ident: str,
        paragraph: int,
        text: str,
        tags: dict[str, object],
        matches: list[Match],
    ) -> DraftSegment:
        best = matches[0] if matches else None
        state = state_for(best.score if best else None, threshold=self.threshold)
        segment = DraftSegment(
            id=ident,
            paragraph=paragraph,
            source=text,
            source_tags=dict(tags),
            score=best.score if best else None,
            band=best.band if best else "none",
            state=state,
        )
        if best is None or state == NEEDS_TRANSLATION:
            notes = tuple(self.annotate(text, "")) if self.annotate else ()
            return replace(segment, notes=notes)
        target = codes.carry(best.adapted_target or best.target, tags)
        usable = tuple(m for m in matches if m.score >= self.threshold)
        notes = tuple(self.annotate(text, target)) if self.annotate else ()
        notes = (*map(finding_note, doubts(best)), *adaptation_notes(best), *notes)
        if best.band == "101":
            notes = ("context match (101%)", *notes)
        return replace(
            segment,
            target=target,
            match=best,
            alternatives=usable if best.score < 100 else (),
            notes=notes,
        )


def adaptation_notes(match: Match) -> list[str]:
    """What the draft's target took from the text and not from the TM (`adapted: 3 March 2024
    (TM: 28 November 2023)`), and what it could not (the match's notes on placeables)."""
    adapted = match.adapted_target
    marks = [
        f"adapted: {adapted[mark.start : mark.end]} (TM: {mark.original})"
        for mark in match.adaptations
    ]
    return marks + [note for note in match.notes if "not substituted" in note or "keeps it" in note]


def first_occurrences(sources: Sequence[Source]) -> list[list[int]]:
    """For each source, the positions of its segments whose source text (normalised) occurs
    there first in the batch: those looked up; the others are repetitions."""
    seen: set[str] = set()
    firsts: list[list[int]] = []
    for source in sources:
        mine = []
        for index, (_paragraph, text, _tags) in enumerate(source.segments):
            key = normalise(text)
            if key not in seen:
                seen.add(key)
                mine.append(index)
        firsts.append(mine)
    return firsts


def to_fill(source: Source, positions: Sequence[int]) -> list[Fill]:
    """The segments of `source` at `positions`, as `Pretranslator.fill` takes them."""
    texts = [text for _p, text, _t in source.segments]
    return [
        (
            _ident(source, index),
            source.segments[index][0],
            texts[index],
            dict(source.segments[index][2]),
            *_neighbours(texts, index),
        )
        for index in positions
    ]


def _ident(source: Source, index: int) -> str:
    return source.xliff.segments[index].id if source.xliff else str(index + 1)


def _keyed(
    keys: list[str], found: Generator[list[Match], None, None]
) -> Generator[tuple[str, list[Match]], None, None]:
    """(key, matches) as `found` gives them; closing this closes `found`."""
    try:
        yield from zip(keys, found, strict=True)
    finally:
        found.close()


def _nothing() -> Generator[tuple[str, list[Match]], None, None]:
    yield from ()


def _neighbours(texts: list[str], index: int) -> tuple[str | None, str | None]:
    return (texts[index - 1] if index > 0 else None), (
        texts[index + 1] if index + 1 < len(texts) else None
    )
