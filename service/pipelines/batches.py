"""Whole archives on workers: `tm pretranslate … --cluster` and `tm align --batch … --store
--cluster`, each document one task or a few (`service.pipelines.cluster`), the workers reading
a copy of the TM (`service.pipelines.runs`), the client alone writing.

Pretranslation: the client reads every input, as `service.pipelines.pretranslation` does, and
sends each document's first occurrences (segments whose source is not met earlier in the batch)
to the workers, `PART` to a task, which look them up, fill and annotate them
(`Pretranslator.fill`); the client drafts each document in input order, repetitions taken from
their first occurrence, writes it and notes it in the output folder's journal. The drafts and
the analysis are those of one process, byte for byte. A run started again with the same
inputs, settings and TM skips the documents its journal lists (their first occurrences are
looked up again only where a document still to draft repeats them).

Alignment: the client reads and checks every pair (one in the wrong language refuses the batch
before any work), learns the TM's lexicon when it has none, then workers align the documents
with the copy's lexicon; the client stores each in its own transaction, in input order. A
document already in the TM under the run's origin is skipped (a run can be resumed); one whose
confidence is too low is refused alone.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from service.pipelines import alignment, pretranslation, runs, works
from service.pipelines.cluster import Failed
from service.pipelines.drafter import (
    ANALYSIS_FLOOR,
    Fill,
    Pretranslator,
    Source,
    first_occurrences,
    to_fill,
)
from service.pipelines.works import Aligning, Drafting
from tm import TMError, TranslationMemory
from tm.drafting import analysis
from tm.drafting.draft import DraftSegment
from tm.errors import InvalidInput
from tm.files import made_folder, replacing
from tm.formats import drafts
from tm.retrieval.matching import Match
from tm.store import corpus
from tm.text.normalise import normalise

Progress = Callable[[int], None]


# -- pretranslation on the client -------------------------------------------------------------


@dataclass(frozen=True)
class Pretranslated:
    """A pretranslation run on workers: the batch (as `pretranslation.pretranslate` gives it),
    the TM read, and how many documents an earlier run had finished."""

    batch: pretranslation.Batch
    snapshot: runs.Snapshot
    skipped: int = 0
    restarted: bool = False


def pretranslate(
    memory: TranslationMemory,
    paths: Sequence[Path],
    *,
    out: Path,
    place: runs.Place,
    threshold: float = 75,
    floor: float = ANALYSIS_FLOOR,
    format: str = "xliff",
    notes: bool = True,
    overwrite: bool = False,
    progress: Progress | None = None,
    total: Callable[[int], None] | None = None,
) -> Pretranslated:
    """`pretranslation.pretranslate` on the workers `place` names: the same drafts and
    report. Documents listed in `out`'s journal by a run with the same settings and the same
    TM are skipped; the journal of another run is started over (`restarted`)."""
    if format not in drafts.FORMATS:
        raise InvalidInput(f"unknown draft format {format!r}: expected {', '.join(drafts.FORMATS)}")
    made_folder(out, what="the output folder")
    runs.early(place, works.__name__)
    sources, unread = pretranslation._read_all(paths, overwrite=overwrite)
    if total is not None:
        total(sum(len(s.segments) for s in sources.values()))
    targets, refused = pretranslation._targets(sources, out, format)
    settings = {"threshold": threshold, "floor": floor, "format": format, "overwrite": overwrite}
    header = {"job": "pretranslate", **settings, "notes": notes, "tm": runs.moment(memory)}
    with runs.started(memory, place, indexed=True, module=works.__name__) as run:
        work = Drafting(run.copy.path, threshold=threshold, floor=floor, notes=notes)
        run.engine.check(work)
        journal = runs.Journal(out, header)
        plan = _Plan(sources, targets, journal)
        if progress is not None:
            progress(sum(len(sources[i].segments) for i in plan.done))
        reader = _Reader(run.copy.path)  # for what no worker filled: nothing, or a failed
        client = Pretranslator(reader, threshold=threshold, floor=floor)  # document's
        results = {index: plan.skipped(index) for index in plan.done}
        try:
            pieces = [(index, part) for index, items in plan.tasks for part in _parts(items)]
            tasks = _packed([part for _i, part in pieces])
            outcomes = (outcome for done in run.engine.map(work, tasks) for outcome in done)
            for index, outcome in _joined([index for index, _p in pieces], outcomes):
                results[index] = plan.finish(index, outcome, client, format, progress)
        finally:
            reader.close()
        snapshot = run.snapshot()
    merged = unread | refused | results
    ordered = tuple(merged[i] for i in range(len(paths)))
    batch = pretranslation._report(
        ordered, out, threshold=threshold, format=format, overwrite=overwrite
    )
    if snapshot.changed:  # the report says which TM its figures come from
        report = json.loads(batch.report.read_text("utf-8"))
        report["tm_changed_during_run"] = snapshot.describe()
        with replacing(batch.report) as temporary:
            temporary.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", "utf-8")
    return Pretranslated(batch, snapshot, len(plan.done), journal.previous)


PART = 128
"""First occurrences per task at most: a long document is several tasks, so that the workers
share the last documents too, and short documents share a task. A task costs about 10 ms of
CPU on a Dask cluster, whatever it holds (the client's submit and the scheduler's bookkeeping,
the worker's messages: 1,000 empty tasks on a local cluster of 2 workers, 10-11 s of CPU in
all), 5 lookups' worth: with 32 a task, the 89 tasks of bench.cluster's pretranslation spent a
fifth of the CPU the lookups did; with 128, 28 tasks (the last one keeps a worker busy a
quarter of a second more)."""


def _parts(items: list[Fill]) -> list[list[Fill]]:
    """A document's first occurrences as parts of `PART` at most (one, empty, for none)."""
    return [items[start : start + PART] for start in range(0, len(items), PART)] or [[]]


def _packed(parts: list[list[Fill]]) -> list[tuple[list[Fill], ...]]:
    """Consecutive parts as tasks of `PART` first occurrences at most: a release of thousands
    of short files is not thousands of tasks (each paying a Dask task's fixed cost)."""
    tasks: list[tuple[list[Fill], ...]] = []
    task: list[list[Fill]] = []
    size = 0
    for part in parts:
        if task and size + len(part) > PART:
            tasks.append(tuple(task))
            task, size = [], 0
        task.append(part)
        size += len(part)
    if task:
        tasks.append(tuple(task))
    return tasks


def _joined(
    indexes: list[int], outcomes: Iterator[list[DraftSegment] | Failed]
) -> Iterator[tuple[int, list[DraftSegment] | Failed]]:
    """Each document's outcome, from those of its consecutive parts: their filled segments in
    order, or the first part's that failed."""
    joined: list[DraftSegment] | Failed = []
    for position, (index, outcome) in enumerate(zip(indexes, outcomes, strict=True)):
        if isinstance(joined, list):
            joined = outcome if isinstance(outcome, Failed) else [*joined, *outcome]
        if position + 1 == len(indexes) or indexes[position + 1] != index:
            yield index, joined
            joined = []


class _Reader:
    """The copy, opened on the client only if it is looked up in (`draft` of a document whose
    first occurrences no worker filled: never, but for a failed document's)."""

    def __init__(self, copy: Path) -> None:
        self.copy = copy
        self.memory: TranslationMemory | None = None

    def lookup(self, text: str, **options: Any) -> list[Match]:
        if self.memory is None:
            self.memory = works.opened_copy(self.copy, indexed=True)
        return self.memory.lookup(text, **options)

    def close(self) -> None:
        if self.memory is not None:
            self.memory.close()


@dataclass
class _Plan:
    """Which documents a run drafts, which an earlier run finished, and what each task asks of
    a worker: (document position, its first occurrences to fill)."""

    sources: dict[int, Source]
    targets: dict[int, Path]
    journal: runs.Journal
    done: dict[int, dict[str, Any]] = field(default_factory=dict)
    tasks: list[tuple[int, list[Fill]]] = field(default_factory=list)
    positions: dict[int, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        order = list(self.targets)
        for index in order:
            entry = self.journal.done(
                _name(self.sources[index]), runs.digest(self.sources[index].path)
            )
            if entry is not None:
                self.done[index] = entry
        firsts = first_occurrences([self.sources[i] for i in order])
        wanted = {  # sources of documents still to draft
            normalise(text)
            for index in order
            if index not in self.done
            for _p, text, _t in self.sources[index].segments
        }
        for index, positions in zip(order, firsts, strict=True):
            if index in self.done:  # only what a document still to draft repeats
                texts = self.sources[index].segments
                positions = [p for p in positions if normalise(texts[p][1]) in wanted]
                if not positions:
                    continue
            self.positions[index] = positions
            self.tasks.append((index, to_fill(self.sources[index], positions)))

    def skipped(self, index: int) -> pretranslation.FileResult:
        """The result of a document an earlier run finished."""
        entry = self.done[index]
        return pretranslation.FileResult(
            self.sources[index].path, output=Path(entry["output"]), counted=_counted(entry)
        )

    def finish(
        self,
        index: int,
        outcome: list[DraftSegment] | Failed,
        client: Pretranslator,
        format: str,
        progress: Progress | None,
    ) -> pretranslation.FileResult:
        """Draft, write and journal one document from what its worker filled."""
        source = self.sources[index]
        if isinstance(outcome, Failed):
            return pretranslation.FileResult(source.path, error=f"{source.path}: {outcome.message}")
        filled = dict(zip(self.positions[index], outcome, strict=True))
        if index in self.done:
            client.remember(source, filled)
            return self.skipped(index)
        try:
            draft = client.draft(source, filled)
            target = self.targets[index]
            pretranslation._write(source, draft, target, format=format)
        except (TMError, OSError) as error:
            return pretranslation.FileResult(
                source.path, error=pretranslation._message(error, source.path)
            )
        finally:
            if progress is not None:
                progress(len(source.segments))
        counted = analysis.analyse_file(draft)
        self.journal.record(
            {
                "input": _name(source),
                "name": counted.name,
                "digest": runs.digest(source.path),
                "output": str(target),
                "counts": {c: [n.segments, n.words] for c, n in counted.counts.items()},
                "replaced": counted.replaced,
            }
        )
        return pretranslation.FileResult(source.path, output=target, draft=draft)


def _name(source: Source) -> str:
    return str(source.path.resolve())


def _counted(entry: dict[str, Any]) -> analysis.FileAnalysis:
    counts = {c: analysis.Count(*entry["counts"].get(c, (0, 0))) for c in analysis.CATEGORIES}
    return analysis.FileAnalysis(entry["name"], counts, replaced=entry["replaced"])


# -- alignment on the client -------------------------------------------------------------------


@dataclass(frozen=True)
class Aligned:
    """An alignment run on workers: what storing did (documents stored now), the documents
    skipped as already in the TM, those refused with why, and the TM read."""

    documents: list[alignment.AlignedDocument]
    report: alignment.StoreReport
    skipped: list[str]
    failed: list[tuple[str, str]]
    snapshot: runs.Snapshot


def align(
    memory: TranslationMemory,
    pairs: Sequence[tuple[str, Path, Path]],
    *,
    place: runs.Place,
    origin: str | None = None,
    force: bool = False,
    presplit: bool = False,
    relearn: bool = False,
    swap: bool = False,
    progress: Progress | None = None,
) -> Aligned:
    """Align and store document pairs on the workers `place` names, each stored in its own
    transaction as it comes back, in input order; pairs already stored under `origin`
    (default: the first document's name) are skipped. `progress` is told of each document
    aligned (or skipped), then of each stored."""
    runs.early(place, works.__name__)
    documents = alignment.read_pairs(pairs, presplit=presplit, swap=swap)
    origin = origin or documents[0].name
    stored = corpus.stored(memory.db, origin, [d.name for d in documents])
    todo = [d for d in documents if d.name not in stored]
    if progress is not None:
        progress(2 * (len(documents) - len(todo)))
    done: list[alignment.AlignedDocument] = []
    failed: list[tuple[str, str]] = []
    totals = [0, 0, 0, 0]

    def learn() -> None:  # here, when missing (or asked): the workers read it in the copy
        alignment.lexicon(memory, relearn=relearn)

    with runs.started(memory, place, indexed=False, prepare=learn, module=works.__name__) as run:
        work = Aligning(run.copy.path)
        run.engine.check(work)
        for document, outcome in zip(todo, run.engine.map(work, todo), strict=True):
            if progress is not None:
                progress(1)
            if isinstance(outcome, Failed):
                failed.append((document.name, outcome.message))
                continue
            try:
                report = alignment.store(memory, [outcome], origin=origin, force=force)
            except InvalidInput as error:
                failed.append((document.name, error.describe()))
                continue
            finally:
                if progress is not None:
                    progress(1)
            done.append(outcome)
            for position, value in enumerate(
                (report.stored, report.duplicates, report.flagged, report.deletions)
            ):
                totals[position] += value
        snapshot = run.snapshot()
    report = alignment.StoreReport(len(done), *totals)
    skipped = [d.name for d in documents if d.name in stored]
    return Aligned(done, report, skipped, failed, snapshot)


__all__ = ["Aligned", "Aligning", "Drafting", "Pretranslated", "align", "pretranslate"]
