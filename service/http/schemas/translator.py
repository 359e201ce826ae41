"""Request and response bodies of the HTTP API (separate in and out models)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from service.http.schemas.glossary import FindingOut, TermHitOut, finding_out
from service.http.validation import check_text
from service.pipelines.lookup import THRESHOLD
from tm import Match, Penalty, Segment, messages
from tm.quality.findings import Finding
from tm.segment import MAX_SEGMENT_CHARS

QUERY = "at most TM_MAX_QUERY_CHARS characters (2,000 by default): longer is a 422"


class LookupRequest(BaseModel):
    text: str = Field(min_length=1, description=QUERY, examples=["Les Alliés se sont réunis."])
    limit: int = Field(default=5, ge=1, le=50)
    threshold: float = Field(default=THRESHOLD, ge=0, le=100)
    context_prev: str | None = Field(default=None, description=QUERY)
    context_next: str | None = Field(default=None, description=QUERY)

    _text = field_validator("text")(check_text)

    @field_validator("context_prev", "context_next")
    @classmethod
    def _context(cls, value: str | None) -> str | None:
        return None if value is None else check_text(value)


class BatchLookupRequest(BaseModel):
    texts: list[str] = Field(min_length=1, max_length=200, description=f"each {QUERY}")
    limit: int = Field(default=5, ge=1, le=50)
    threshold: float = Field(default=THRESHOLD, ge=0, le=100)

    @field_validator("texts")
    @classmethod
    def _texts(cls, values: list[str]) -> list[str]:
        for value in values:
            if not value:
                raise ValueError("each text must have at least 1 character")
            check_text(value)
        return values


class PenaltyOut(BaseModel):
    code: str
    points: float
    detail: str
    label: str = Field(default="", description="What the code means, in the answer's language")


class EditOut(BaseModel):
    """What differs between the query and the TM source, as token spans and their text."""

    op: str
    query_start: int
    query_end: int
    source_start: int
    source_end: int
    query_text: str
    source_text: str


class AdaptationOut(BaseModel):
    start: int = Field(description="Where the substituted text starts in adapted_target")
    end: int
    original: str = Field(description="The TM target's text it replaced")


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
    edits: list[EditOut] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    findings: list[FindingOut] = Field(
        default_factory=list, description="QA and glossary findings on the adapted target"
    )
    status: str = Field(
        default="ok",
        description="The pair's status: ok, confirmed, or flagged (doubted by the quality "
        "check: a `flagged` penalty says why, and it ranks after unflagged pairs of its score)",
    )
    adaptations: list[AdaptationOut] = Field(
        default_factory=list,
        description="Each span of adapted_target substituted from the query (dates, numbers…) "
        "with the original it replaced",
    )
    count: int = Field(
        default=1, description="Identical suggestions (same target and adapted target) merged"
    )
    merged: list[int] = Field(default_factory=list, description="The ids of the merged others")


class LookupResponse(BaseModel):
    query: str
    matches: list[MatchOut]
    terms: list[TermHitOut] = Field(
        default_factory=list, description="Glossary terms recognised in the query"
    )


class BatchLookupResponse(BaseModel):
    results: list[LookupResponse]


class SegmentIn(BaseModel):
    source: str = Field(min_length=1, max_length=MAX_SEGMENT_CHARS)
    target: str = Field(min_length=1, max_length=MAX_SEGMENT_CHARS)
    origin: str = Field(default="", max_length=200)
    document: str = Field(default="", max_length=500)
    author: str = Field(
        default="",
        max_length=200,
        description="Recorded from the API key's name; leave it out (another name is a 422)",
    )

    _texts = field_validator("source", "target", "origin", "document", "author")(check_text)


class SegmentOut(BaseModel):
    id: int
    source: str
    target: str
    origin: str
    document: str
    position: int | None
    created: str
    changed: str
    author: str
    quality: float | None
    status: str
    flags: str = Field(
        default="", description="Why the quality check doubts the pair ('' when it does not)"
    )


class MyMemoryData(BaseModel):
    """MyMemory's field names, kept as its connectors expect them."""

    translatedText: str
    match: float


class MyMemoryMatch(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    id: str
    segment: str
    translation: str
    source: str
    target: str
    quality: str
    reference: str | None
    usage_count: int = Field(alias="usage-count")
    subject: str
    created_by: str = Field(alias="created-by")
    last_updated_by: str = Field(alias="last-updated-by")
    create_date: str = Field(alias="create-date")
    last_update_date: str = Field(alias="last-update-date")
    match: float


class MyMemoryResponse(BaseModel):
    responseData: MyMemoryData
    responseStatus: int
    responseDetails: str
    quotaFinished: bool
    mtLangSupported: bool | None
    responderId: str | None
    exception_code: int | None
    matches: list[MyMemoryMatch]


class Health(BaseModel):
    status: str
    segments: int


class Caller(BaseModel):
    """Who the presented API key is: its role and name (both null when no key is presented)."""

    role: str | None = Field(description="translator, maintainer or admin; null without a key")
    name: str | None = Field(description="The key's name, as given at its creation")


def penalty_out(penalty: Penalty, language: str = "en") -> PenaltyOut:
    label = penalty.text(language)
    # a detail in words (why a pair is doubted) in `language`; values and edits as they are
    words = penalty.code in ("flagged", "spacing")
    detail = messages.word(penalty.detail, language) if words else penalty.detail
    return PenaltyOut(code=penalty.code, points=penalty.points, detail=detail, label=label)


def match_out(
    match: Match,
    findings: Sequence[Finding] = (),
    *,
    count: int = 1,
    merged: Sequence[int] = (),
    origin: str = "",
    language: str = "en",
) -> MatchOut:
    """The response form of a match, with the findings on its suggestion (and, for a merged
    suggestion, how many, the others' ids and the newest origin); messages in `language`."""
    return MatchOut(
        id=match.id,
        source=match.source,
        target=match.target,
        adapted_target=match.adapted_target,
        score=match.score,
        band=match.band,
        origin=origin or match.origin,
        document=match.document,
        created=match.created,
        changed=match.changed,
        quality=match.quality,
        penalties=[penalty_out(p, language) for p in match.penalties],
        edits=[EditOut.model_validate(e, from_attributes=True) for e in match.edits],
        notes=[messages.recognised(note, language, "note") for note in match.notes],
        findings=[finding_out(f, language) for f in findings],
        status=match.status,
        adaptations=[
            AdaptationOut.model_validate(a, from_attributes=True) for a in match.adaptations
        ],
        count=count,
        merged=list(merged),
    )


def segment_out(segment: Segment) -> SegmentOut:
    return SegmentOut(
        id=segment.id,
        source=segment.source,
        target=segment.target,
        origin=segment.origin,
        document=segment.document,
        position=segment.position,
        created=segment.created,
        changed=segment.changed,
        author=segment.author,
        quality=segment.quality,
        status=segment.status,
        flags=segment.flags,
    )


class OccurrenceOut(BaseModel):
    """A pair containing the phrase; spans are character offsets in source and target, and
    `counterpart` the other side's matching words when the engine could recover them."""

    id: int
    source: str
    target: str
    origin: str
    document: str
    changed: str
    source_spans: list[tuple[int, int]]
    target_spans: list[tuple[int, int]]
    counterpart: str
    status: str = Field(default="ok", description="flagged when the quality check doubts the pair")


class StoppedOut(BaseModel):
    """A side on which the search stopped before its end."""

    side: Literal["source", "target"]
    reason: Literal["candidates", "time"] = Field(
        description="candidates: more segments hold the phrase's words than a search checks "
        "(the newest are checked); time: the search reached its time limit"
    )
    checked: int = Field(description="the newest segments holding the phrase's words checked")


class ConcordanceResponse(BaseModel):
    """The pairs found, newest first; `complete` is false when the search stopped before
    checking every segment holding the phrase's words (older ones may hold it too)."""

    query: str
    side: str
    occurrences: list[OccurrenceOut]
    complete: bool = Field(
        description="whether every segment holding the phrase's words was checked"
    )
    note: str | None = Field(
        default=None,
        description="when not complete, why, in a sentence",
        examples=[
            "the phrase is very common: only the 2,000 newest segments holding its words on "
            "the French side were checked; add a word to narrow it"
        ],
    )
    stopped: list[StoppedOut] = Field(
        default_factory=list, description="the sides on which the search stopped early"
    )


class CheckRequest(BaseModel):
    source: str = Field(
        min_length=1, max_length=MAX_SEGMENT_CHARS, examples=["Les Alliés se sont réunis."]
    )
    target: str = Field(min_length=1, max_length=MAX_SEGMENT_CHARS, examples=["The Allies met."])

    _texts = field_validator("source", "target")(check_text)


class QualityOut(BaseModel):
    """Pair quality in [0, 1] and why a pair would be flagged (see `tm.quality.pairs`)."""

    score: float
    similarity: float
    coverage: float
    length_ratio: float
    misalignment: float = 0.0
    flags: list[str]
    flagged: bool
    uncertain: bool = False
    level: str = "ok"
    """`flagged` (on evidence), `uncertain` (the lexicons do not know the words) or `ok`."""


class CheckResponse(BaseModel):
    quality: QualityOut
    findings: list[FindingOut]
    terms: list[TermHitOut]
