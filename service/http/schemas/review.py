"""Request and response bodies of the review routes: the queue of flagged pairs, and a
maintainer's reject, restore and confirm (audited)."""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator

from service.http.validation import check_text


class ReviewRequest(BaseModel):
    ids: list[int] = Field(
        min_length=1, max_length=10_000, description="Segment ids", examples=[[1234]]
    )
    note: str = Field(default="", max_length=2_000, description="Why (kept in the audit)")

    _note = field_validator("note")(check_text)


class ReviewOut(BaseModel):
    """One audited review: who changed which pair's status, when and why."""

    id: int
    segment: int
    at: str
    author: str = Field(description="The key's name (its role when the key has no name)")
    action: str = Field(description="reject, restore or confirm; correct: the texts were corrected")
    before: str
    after: str
    note: str


class ReviewedOut(BaseModel):
    action: str
    changed: list[ReviewOut]
    unchanged: list[int] = Field(description="Pairs that already had the status asked for")


class FlaggedPairOut(BaseModel):
    id: int
    quality: float | None
    reasons: list[str]
    source: str
    target: str
    document: str


class ReviewQueueOut(BaseModel):
    """The flagged pairs to review, worst first (still suggested after unflagged pairs until
    a maintainer rejects or confirms them)."""

    segments: int
    scored: int
    flagged: int
    rejected: int
    by_reason: dict[str, int]
    pairs: list[FlaggedPairOut]
