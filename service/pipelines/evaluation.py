"""Evaluation: a draft scored against the published English (`tm.quality.evaluation`: BLEU,
chrF++ and TER, per segment and per match band), and the TM's leave-one-out leverage over
its stored documents."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from service.pipelines.quality import LeaveOneOut, leave_one_out, stored_documents
from tm import TranslationMemory
from tm.quality.evaluation import Evaluation, parse
from tm.quality.evaluation import evaluate as score

MAX_BYTES = 20 * 1024 * 1024
"""The largest draft or reference read for an evaluation."""


def evaluate(
    hypothesis: bytes,
    reference: bytes,
    *,
    hypothesis_name: str = "hyp",
    reference_name: str = "ref",
) -> Evaluation:
    """Scores of a draft (text a segment a line, TSV, or XLIFF with its match bands) against
    the reference; `InvalidInput` when either cannot be read or their segments disagree."""
    return score(parse(hypothesis, name=hypothesis_name), parse(reference, name=reference_name))


def evaluate_leave_one_out(
    memory: TranslationMemory,
    documents: Sequence[str] | None = None,
    *,
    progress: Callable[[int], None] | None = None,
    total: Callable[[int], None] | None = None,
) -> LeaveOneOut:
    """Each stored document (all, or those named) pretranslated from the rest of the TM and
    scored against its own English. `total` is told the number of documents first,
    `progress` of each done."""
    chosen = stored_documents(memory, documents)
    if total is not None:
        total(len(chosen))
    return leave_one_out(memory, chosen, progress=progress)
