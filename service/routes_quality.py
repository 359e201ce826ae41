"""HTTP routes for quality: `POST /check` (QA findings and pair quality for one pair)."""

# No `from __future__ import annotations`: FastAPI reads the route's annotations at runtime,
# and they name the app's `open_memory` dependency, local to `router`.
from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field, field_validator

from service import checking
from service.quality import full_lexicon
from service.text import check_text
from tm import TranslationMemory
from tm.quality import assess_one


class CheckRequest(BaseModel):
    source: str = Field(min_length=1, max_length=5000, examples=["Le 28 novembre, 1 000,5 t."])
    target: str = Field(max_length=5000, examples=["On 28 November, 1,000 t."])

    _source = field_validator("source")(check_text)
    _target = field_validator("target")(check_text)


class QualityOut(BaseModel):
    score: float
    similarity: float
    coverage: float
    length_ratio: float
    flags: list[str]
    flagged: bool


class FindingOut(BaseModel):
    code: str
    severity: str
    message: str
    source_span: list[int] | None
    target_span: list[int] | None
    suggestion: str


class CheckResponse(BaseModel):
    quality: QualityOut
    findings: list[FindingOut]


def router(open_memory: Callable[..., Iterator[TranslationMemory]]) -> APIRouter:
    """The quality routes, using the app's per-request `open_memory` dependency."""
    routes = APIRouter()

    @routes.post("/check", response_model=CheckResponse)
    def check(
        body: CheckRequest,
        memory: Annotated[TranslationMemory, Depends(open_memory)],
    ) -> CheckResponse:
        """Pair quality and QA findings (placeables, untranslated, length, typography, tags,
        glossary) for one French source and its English translation."""
        score = assess_one(body.source, body.target, lexicon=full_lexicon(memory))
        findings = checking.gather(body.source, body.target, checking.checkers(memory.db))
        return CheckResponse(
            quality=QualityOut(
                score=score.score,
                similarity=score.similarity,
                coverage=score.coverage,
                length_ratio=score.length_ratio,
                flags=list(score.flags),
                flagged=score.flagged,
            ),
            findings=[FindingOut(**f.to_dict()) for f in findings],
        )

    return routes
