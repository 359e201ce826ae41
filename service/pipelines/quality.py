"""Quality work that needs more than the core: the glossary merged into the lexicon, a lexicon
learned when the TM has none, consistency over the stored TM, and leave-one-out evaluation."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial

from glossaries import Glossary
from tm import TranslationMemory
from tm.errors import NotFound
from tm.memory import RescoreReport
from tm.quality import batches, consistency, learning
from tm.quality.evaluation import DraftSegment, Evaluation, Scores, corpus, evaluate
from tm.quality.lexicon import Lexicon
from tm.store import corpus as tm_corpus
from tm.store import quality as quality_store

Progress = Callable[[int], None]
LEARN_SAMPLE = 50_000
SHORT_CHARACTERS = 120  # longer text has more than `tm.quality.lexicon.SEGMENT_WORDS` words
LEARN_ITERATIONS = 5
LEARN_STEPS = 1 + learning.steps(iterations=LEARN_ITERATIONS, reverse=True)
"""How many times `learned_lexicon` tells its `progress` of a step done."""


def learned_lexicon(
    memory: TranslationMemory, *, progress: Progress | None = None, workers: int = 1
) -> Lexicon:
    """A lexicon learned from the TM's pairs (all but rejected ones: `tm.store.corpus`, so
    that relearning a TM again learns the same lexicon): words both ways from a sample of
    `LEARN_SAMPLE`, the same for the same pairs (`tm.store.corpus.sample`; 5 IBM-1
    iterations, 5 renderings a word), known short segments from all of them (each seen in two
    pairs at least, so that no pair vouches for itself). `progress` is told of each of its
    `LEARN_STEPS` steps; `workers` other than 1 learns the two directions at once
    (`tm.quality.learning.learn`)."""
    short = list(tm_corpus.short(memory.db, SHORT_CHARACTERS))  # read here: see batches
    # the segments are learned in a process of their own while this one reads and counts
    # the words, which no other process helps with (2 s of CPU on the laws TM)
    segments = partial(learning.learn_segments, short, min_count=2)
    with batches.aside(segments, fork=workers != 1) as learned_segments:
        rows = tm_corpus.sample(memory.db, LEARN_SAMPLE)
        if progress is not None:
            progress(1)
        learned = learning.learn(
            rows,
            iterations=LEARN_ITERATIONS,
            top=5,
            reverse=True,
            progress=progress,
            workers=workers,
        )
        return learned.with_segments(learned_segments())


def full_lexicon(
    memory: TranslationMemory,
    *,
    learn_if_missing: bool = False,
    relearn: bool = False,
    learning_steps: Progress | None = None,
    workers: int = 1,
) -> Lexicon:
    """The lexicon the TM checks and aligns with: the glossary's preferred/admitted terms over
    the TM's lexicon (`TranslationMemory.lexicon`: its own, learned from the TM itself, see
    `learned_lexicon`, over the base lexicon that ships with tm). The TM's own is learned and
    saved when missing and `learn_if_missing`, or with `relearn`. With `learn_if_missing`, a
    lexicon stored before lexicons had their English→French side (`Lexicon.reverse`, which
    the misalignment model's weights assume) is learned again too. `learning_steps` is told of the
    steps of a lexicon being learned (`learned_lexicon`, `workers` as there)."""
    learned = None if relearn else memory.stored_lexicon()
    if learned is not None and learn_if_missing and learned.translations and not learned.reverse:
        learned = None  # outdated
    if learned is None and (learn_if_missing or relearn) and memory.count():
        memory.save_lexicon(learned_lexicon(memory, progress=learning_steps, workers=workers))
    terms = Glossary.open(memory.db).lexicon()
    return memory.lexicon().merged(terms)


def rescore(
    memory: TranslationMemory,
    *,
    only_missing: bool = False,
    learn: bool = True,
    relearn: bool = False,
    progress: Progress | None = None,
    workers: int = 1,
    learning_steps: Progress | None = None,
) -> RescoreReport:
    """Score the TM's pairs (all, or those never scored) with its lexicon and glossary
    (`full_lexicon`: learned first when missing and `learn`, or again with `relearn`), flag
    the weak ones and unflag the others (`TranslationMemory.rescore`; `workers` as there, and
    for learning: `learned_lexicon`).
    `learning_steps` is told of the steps of a lexicon being learned, `progress` of pairs
    scored."""
    words = full_lexicon(
        memory,
        learn_if_missing=learn,
        relearn=relearn,
        learning_steps=learning_steps,
        workers=workers,
    )
    return memory.rescore(
        lexicon=words, only_missing=only_missing, progress=progress, workers=workers
    )


@dataclass(frozen=True)
class FlaggedPair:
    """A pair the quality check flagged, and why (`tm.quality.pairs` flags)."""

    id: int
    quality: float | None
    reasons: list[str]
    source: str
    target: str
    document: str


@dataclass(frozen=True)
class FlagReport:
    """The review queue: the TM's pairs, how many are scored and how many a maintainer
    rejected, the flagged ones per reason (most frequent first) and the worst flagged pairs
    (each still suggested, after unflagged ones, until reviewed: `service.pipelines.review`)."""

    segments: int
    scored: int
    by_reason: dict[str, int]
    pairs: list[FlaggedPair]
    rejected: int = 0

    @property
    def flagged(self) -> int:
        return sum(self.by_reason.values())


def flagged(memory: TranslationMemory, *, limit: int = 50) -> FlagReport:
    """What the quality check flagged, with the `limit` worst flagged pairs (0: all)."""
    rows = quality_store.flagged(memory.db, limit=limit)
    pairs = [FlaggedPair(i, q, r.split(", ") if r else [], s, t, d) for i, q, r, s, t, d in rows]
    return FlagReport(
        memory.count(),
        quality_store.scored(memory.db),
        quality_store.flag_counts(memory.db),
        pairs,
        quality_store.rejected(memory.db),
    )


def consistency_groups(
    memory: TranslationMemory, *, progress: Progress | None = None
) -> list[consistency.Group]:
    """Every inconsistency group of the TM, newest first (see `tm.quality.consistency`)."""

    def rows() -> Iterable[tuple[int, str, str]]:
        for number, row in enumerate(tm_corpus.pairs(memory.db), start=1):
            if progress is not None and number % 10_000 == 0:
                progress(10_000)
            yield row

    same_source, same_target = consistency.candidates(rows())
    groups: list[consistency.Group] = []
    for kind, candidates in ((consistency.SOURCE, same_source), (consistency.TARGET, same_target)):
        for ids in candidates:
            entries = [consistency.Entry(*row) for row in tm_corpus.entries(memory.db, ids)]
            group = consistency.judge(kind, entries)
            if group is not None:
                groups.append(group)
    return consistency.report(groups)


@dataclass(frozen=True)
class DocumentScore:
    document: str
    scores: Scores
    exact: int
    fuzzy: int
    none: int


@dataclass(frozen=True)
class LeaveOneOut:
    """Corpus scores over all documents, per band, and per document."""

    evaluation: Evaluation
    documents: list[DocumentScore]


def leave_one_out(
    memory: TranslationMemory,
    documents: Sequence[tuple[str, Sequence[tuple[str, str]]]],
    *,
    threshold: float = 50,
    progress: Progress | None = None,
) -> LeaveOneOut:
    """For each (name, pairs) document: pretranslate its French from the TM without the
    document (best match's adapted target, or nothing), score against its own English."""
    hypotheses: list[DraftSegment] = []
    references: list[str] = []
    per_document: list[DocumentScore] = []
    for name, pairs in documents:
        drafted: list[DraftSegment] = []
        for source, _target in pairs:
            found = memory.lookup(source, limit=1, threshold=threshold, exclude_document=name)
            best = found[0] if found else None
            drafted.append(
                DraftSegment(
                    text=(best.adapted_target or best.target) if best else "",
                    band=best.band if best else "none",
                )
            )
        english = [target for _source, target in pairs]
        hypotheses += drafted
        references += english
        bands = [d.band for d in drafted]
        per_document.append(
            DocumentScore(
                document=name,
                scores=corpus([d.text for d in drafted], english),
                exact=sum(b in ("100", "101") for b in bands),
                fuzzy=sum(b not in ("100", "101", "none") for b in bands),
                none=bands.count("none"),
            )
        )
        if progress is not None:
            progress(1)
    return LeaveOneOut(
        evaluation=evaluate(hypotheses, references, per_segment=False), documents=per_document
    )


def stored_documents(
    memory: TranslationMemory, names: Sequence[str] | None = None
) -> list[tuple[str, list[tuple[str, str]]]]:
    """The TM's documents (all, or those named) as (name, [(source, target)…]) in order;
    `NotFound` names the documents the TM lacks."""
    stored = tm_corpus.documents(memory.db)
    chosen = list(dict.fromkeys(names)) if names else stored
    unknown = sorted(set(chosen) - set(stored))
    if unknown:
        shown = ", ".join(stored[:5]) + (", …" if len(stored) > 5 else "")
        raise NotFound(
            f"no document {', '.join(unknown)} in the TM"
            + (f" (it has {len(stored)}: {shown})" if stored else " (it has none)")
        )
    return [(name, tm_corpus.document(memory.db, name)) for name in chosen]
