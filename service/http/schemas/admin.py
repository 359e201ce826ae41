"""Response bodies of the administrator routes (jobs, pretranslation)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class JobOut(BaseModel):
    """A background job: `state` is queued, running, done or failed; `done` of `total` units."""

    id: str
    kind: str
    state: str
    done: int
    total: int | None
    result: dict[str, Any]
    error: str
    note: str = Field("", description="Why a queued job waits (behind another writer), or empty")
    created: str
    finished: str
    url: str = Field(description="Where to poll this job")


class DraftOut(BaseModel):
    """One pretranslated file: the draft's name and content, or why the input failed."""

    input: str
    output: str | None
    content: str | None
    error: str


class PretranslationOut(BaseModel):
    threshold: float
    format: str
    drafts: list[DraftOut]
    analysis: dict[str, Any] = Field(description="Match bands and word counts per file and total")
    analysis_csv: str


class ScoresOut(BaseModel):
    """Corpus scores of a set of segments (sacrebleu)."""

    segments: int
    bleu: float
    chrf: float
    ter: float


class SegmentScoreOut(BaseModel):
    index: int
    hypothesis: str
    reference: str
    bleu: float
    chrf: float
    ter: float
    band: str


class EvaluationOut(BaseModel):
    """BLEU, chrF++ and TER of a draft against the published English, with signatures."""

    total: ScoresOut
    signatures: dict[str, str]
    bands: dict[str, ScoresOut]
    segments: list[SegmentScoreOut]
    pairing: str = Field(
        default="",
        description="How the draft was paired with the reference: one to one, paragraph by "
        "paragraph, or by tm's aligner",
    )
