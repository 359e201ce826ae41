"""Evaluation: a draft scored against the published English (`tm.quality.evaluation`: BLEU,
chrF++ and TER, per segment and per match band), and the TM's leave-one-out leverage over
its stored documents.

The published English may be a document (text a paragraph a line, Markdown, HTML, DOCX) that
does not follow the draft segment by segment. The draft's segments are then paired with it,
in this order of preference: one to one when the counts agree; paragraph by paragraph when
the draft keeps its paragraphs (tm's XLIFF drafts: a `group` per paragraph) and the counts of
paragraphs agree; else the reference is split into sentences and aligned with the draft by
tm's own aligner (`alignments.align`, the draft's English as the gloss of each segment). The
result says which (`Evaluation.pairing`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path

from alignments import align, split
from service.pipelines import EVALUATION_MAX_BYTES, confined
from service.pipelines.quality import LeaveOneOut, leave_one_out, stored_documents
from tm import TranslationMemory, messages
from tm.errors import InvalidInput, TooLarge
from tm.formats.documents import DOCX, HTML, MARKDOWN, paragraphs_from_bytes
from tm.quality.evaluation import DraftSegment, Evaluation, parse
from tm.quality.evaluation import evaluate as score
from tm.segment import too_long

MAX_BYTES = EVALUATION_MAX_BYTES
"""The largest draft or reference read for an evaluation (a long report's text is under
1 MB); a larger one is refused whole, never read in part."""
MAX_SEGMENTS = 10_000
"""The most segments (or paragraphs) a draft or reference may hold."""
PRELOAD = ("service.pipelines.evaluation",)
"""What the fork server of confined evaluations imports once (`prepare`)."""


def prepare() -> None:
    """Start the fork server of confined evaluations now (the service does, at start-up), so
    the first evaluation does not wait for it."""
    confined.start(PRELOAD)


def evaluate(
    hypothesis: bytes,
    reference: bytes,
    *,
    hypothesis_name: str = "hyp",
    reference_name: str = "ref",
    confine: bool = False,
) -> Evaluation:
    """Scores of a draft (text a segment a line, TSV, or XLIFF with its match bands) against
    the published English (the same, or a document: DOCX, HTML, Markdown), paired as the
    module says; `InvalidInput` when either cannot be read or holds nothing, `TooLarge`
    (before any scoring) when either is over `MAX_BYTES` or `MAX_SEGMENTS`, or holds a segment
    over `MAX_SEGMENT_CHARS`. With `confine`, the work runs in a child process with a memory
    and a time limit (`service.pipelines.confined`: what the service does)."""
    for data, name in ((hypothesis, hypothesis_name), (reference, reference_name)):
        if len(data) > MAX_BYTES:
            raise TooLarge(f"the file is over {MAX_BYTES:,} bytes", file=name)
    if confine:
        return confined.run(
            _evaluate, hypothesis, reference, hypothesis_name, reference_name, preload=PRELOAD
        )
    return _evaluate(hypothesis, reference, hypothesis_name, reference_name)


def _evaluate(
    hypothesis: bytes, reference: bytes, hypothesis_name: str, reference_name: str
) -> Evaluation:
    draft = parse(hypothesis, name=hypothesis_name)
    published = _reference(reference, reference_name)
    for segments, name in ((draft, hypothesis_name), (published, reference_name)):
        if not segments:
            raise InvalidInput.at("error/no-text", file=name)
        _bounded([s if isinstance(s, str) else s.text for s in segments], name)
    if len(draft) == len(published):
        return replace(
            score(draft, published), pairing=messages.say("pairing/in-order", count=len(draft))
        )
    paragraphs = _paragraphs(draft)
    if paragraphs is not None and len(paragraphs) == len(published):
        return replace(
            score(paragraphs, published),
            pairing=messages.say("pairing/paragraphs", count=len(paragraphs), segments=len(draft)),
        )
    sentences = [s for paragraph in published for s in split(paragraph, language="en")]
    if len(draft) == len(sentences):
        return replace(
            score(draft, sentences),
            pairing=messages.say("pairing/sentences", count=len(sentences)),
        )
    return _aligned(draft, sentences)


def _bounded(texts: list[str], name: str) -> None:
    """`TooLarge` for more than `MAX_SEGMENTS` texts or one over `MAX_SEGMENT_CHARS`."""
    if len(texts) > MAX_SEGMENTS:
        raise TooLarge(f"{len(texts):,} segments: at most {MAX_SEGMENTS:,} a file", file=name)
    for number, text in enumerate(texts, start=1):
        if why := too_long(text):
            raise TooLarge(f"segment {number}: {why.replace('source', 'text')}", file=name)


def _reference(data: bytes, name: str) -> list[str]:
    """The published English: a document's paragraphs, or a segment file's segments."""
    if Path(name).suffix.lower() in (*DOCX, *HTML, *MARKDOWN):
        return paragraphs_from_bytes(data, name=name)
    return [segment.text for segment in parse(data, name=name)]


def _paragraphs(draft: list[DraftSegment]) -> list[DraftSegment] | None:
    """The draft's segments joined per paragraph, when every segment says its paragraph."""
    if not draft or not all(segment.paragraph for segment in draft):
        return None
    joined: dict[str, list[DraftSegment]] = {}
    for segment in draft:
        joined.setdefault(segment.paragraph, []).append(segment)
    return [
        DraftSegment(
            text=" ".join(s.text for s in group if s.text),
            band=_worst([s.band for s in group]),
            id=paragraph,
        )
        for paragraph, group in joined.items()
    ]


def _worst(bands: Sequence[str]) -> str:
    """The band of a group of segments: its lowest (a paragraph is as good as its worst)."""
    order = ["101", "100", "95-99", "85-94", "75-84", "50-74", "none"]
    known = [band for band in bands if band in order]
    return max(known, key=order.index) if known else (bands[0] if bands else "")


def _aligned(draft: list[DraftSegment], sentences: list[str]) -> Evaluation:
    """The draft aligned with the reference's sentences (tm's aligner, the draft's English as
    each segment's gloss), each bead one scored pair; a side left alone scores against ""."""
    texts = [segment.text for segment in draft]
    beads = align(texts, sentences, glosses=texts)
    hypotheses: list[DraftSegment] = []
    references: list[str] = []
    for bead in beads:
        members = [draft[i] for i in bead.french]
        hypotheses.append(
            DraftSegment(
                text=" ".join(m.text for m in members if m.text),
                band=_worst([m.band for m in members]) if members else "",
            )
        )
        references.append(" ".join(sentences[j] for j in bead.english))
    kinds: dict[str, int] = {}
    for bead in beads:
        kinds[bead.kind] = kinds.get(bead.kind, 0) + 1
    shown = ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
    return replace(
        score(hypotheses, references),
        pairing=messages.say(
            "pairing/aligned",
            count=len(draft),
            sentences=len(sentences),
            pairs=len(beads),
            kinds=shown,
        ),
    )


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
