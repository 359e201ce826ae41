"""What the workers of a batch run do (`service.pipelines.batches`): the `cluster.Work`s of
pretranslation and alignment. A Dask worker imports this module, not the client's: it is what
unpickling a task needs, and it leaves out what only the client uses (reading inputs, drafting,
storing; alignment's and quality's modules are imported by the alignment work when it opens).
Each worker started for a run imports it while the TM is copied; the fewer modules, the sooner
the first task runs (`service.pipelines.cluster.Cluster.warm`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from glossaries import Glossary
from service.pipelines.annotate import Annotator
from service.pipelines.cluster import Failed, failure
from service.pipelines.drafter import ANALYSIS_FLOOR, Fill, Pretranslator
from tm import TMError, TranslationMemory
from tm import copies as tm_copies
from tm.drafting.draft import DraftSegment
from tm.retrieval.index import Index

if TYPE_CHECKING:
    from service.pipelines import alignment
    from tm.quality.lexicon import Lexicon

_indexes: dict[tuple[Path, bool], Index] = {}
_lock = threading.Lock()


def opened_copy(copy: Path, *, indexed: bool) -> TranslationMemory:
    """The copy at `copy`, read-only, with a connection of its own; the threads of one
    process share its lookup index, and so do the processes forked from it once it is loaded
    (the process pool's workers take the client's, as `tm.retrieval.workers` does)."""
    key = (copy, indexed)
    with _lock:
        index = _indexes.get(key)
    memory = tm_copies.open_copy(copy, indexed=indexed, index=index)
    with _lock:
        _indexes.setdefault(key, memory.index)
    return memory


@dataclass(frozen=True)
class Drafting:
    """The pretranslation of a run (a `cluster.Work`): each item is one document's first
    occurrences, filled from the copy at `copy`."""

    copy: Path
    threshold: float = 75
    floor: float = ANALYSIS_FLOOR
    notes: bool = True

    def open(self) -> Pretranslator:
        memory = opened_copy(self.copy, indexed=True)
        annotate = Annotator(Glossary(memory.db)).notes if self.notes else None
        return Pretranslator(memory, threshold=self.threshold, floor=self.floor, annotate=annotate)

    def run(
        self, pretranslator: Pretranslator, item: tuple[list[Fill], ...]
    ) -> list[list[DraftSegment] | Failed]:
        """Each part (a document's first occurrences, or some of them) filled, or `Failed`
        alone when it is bad input: the other documents of the task go on."""
        return [_filled(pretranslator, part) for part in item]


def _filled(pretranslator: Pretranslator, part: list[Fill]) -> list[DraftSegment] | Failed:
    try:
        return [pretranslator.fill(segment) for segment in part]
    except TMError as error:
        return failure(error)


@dataclass(frozen=True)
class Aligning:
    """The alignment of a run (a `cluster.Work`): each item is one document pair, aligned with
    the lexicon of the copy at `copy` (its learned lexicon and its glossary's terms)."""

    copy: Path

    def open(self) -> Lexicon:
        from service.pipelines.quality import full_lexicon  # pretranslation's workers need

        memory = opened_copy(self.copy, indexed=False)  # neither module: not imported with this one
        return full_lexicon(memory)

    def run(self, lexicon: Lexicon, item: alignment.DocumentPair) -> alignment.AlignedDocument:
        from service.pipelines.alignment import align_pair

        return align_pair(item, lexicon)


__all__ = ["Aligning", "Drafting", "opened_copy"]
