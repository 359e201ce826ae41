"""Request and response bodies of the HTTP API."""

from __future__ import annotations

from pydantic import BaseModel, Field, field_validator

from service.text import check_text


class LookupRequest(BaseModel):
    text: str = Field(min_length=1, max_length=2000, examples=["Les Alliés se sont réunis."])
    limit: int = Field(default=5, ge=1, le=50)
    threshold: float = Field(default=70, ge=0, le=100)
    context_prev: str | None = Field(default=None, max_length=2000)
    context_next: str | None = Field(default=None, max_length=2000)

    _text = field_validator("text")(check_text)

    @field_validator("context_prev", "context_next")
    @classmethod
    def _context(cls, value: str | None) -> str | None:
        return None if value is None else check_text(value)


class PenaltyOut(BaseModel):
    code: str
    points: float
    detail: str


class EditOut(BaseModel):
    op: str
    query_start: int
    query_end: int
    source_start: int
    source_end: int
    query_text: str
    source_text: str


class MatchOut(BaseModel):
    id: int
    source: str
    target: str
    adapted_target: str
    score: float
    band: str
    origin: str
    document: str
    created: str
    changed: str
    quality: float | None
    penalties: list[PenaltyOut]
    edits: list[EditOut]
    notes: list[str]


class LookupResponse(BaseModel):
    query: str
    matches: list[MatchOut]


class Health(BaseModel):
    status: str
    segments: int


class ErrorOut(BaseModel):
    detail: str
