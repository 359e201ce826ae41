"""Translator routes: lookup (single and batch), concordance, checks, saving and correcting
segments (the MyMemory-compatible route is in `service.http.routes.mymemory`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Query, Response

from service.http.auth import Admin, Memory, Reader, TranslatorName
from service.http.dependencies import Annotations, Language
from service.http.schemas.glossary import finding_out, hit_out
from service.http.schemas.translator import (
    BatchLookupRequest,
    BatchLookupResponse,
    CheckRequest,
    CheckResponse,
    ConcordanceResponse,
    LookupRequest,
    LookupResponse,
    OccurrenceOut,
    QualityOut,
    SegmentIn,
    SegmentOut,
    StoppedOut,
    match_out,
    segment_out,
)
from service.http.validation import Clean, Queries, RowId
from service.pipelines import concordance
from service.pipelines.lookup import Suggestions, lookup
from tm.errors import InvalidInput
from tm.lazy import module as lazy

if TYPE_CHECKING:
    from service.pipelines import check as checking
    from service.pipelines.check import Checked
else:  # loaded by the first /check (pair quality: sacrebleu)
    checking = lazy("service.pipelines.check")

router = APIRouter(tags=["translators"])


def lookup_out(found: Suggestions, language: str = "en") -> LookupResponse:
    return LookupResponse(
        query=found.query,
        matches=[
            match_out(
                s.match,
                s.findings,
                count=s.count,
                merged=s.merged,
                origin=s.origin,
                language=language,
            )
            for s in found.suggestions
        ],
        terms=[hit_out(h) for h in found.terms],
    )


@router.post("/lookup", response_model=LookupResponse)
def lookup_one(
    body: LookupRequest,
    memory: Memory,
    _role: Reader,
    annotations: Annotations,
    queries: Queries,
    language: Language,
) -> LookupResponse:
    """Prior translations of a French text, best first, with explained scores, the glossary
    terms of the query and the QA/glossary findings on each suggestion."""
    queries(body.text, body.context_prev, body.context_next)
    found = lookup(
        memory,
        annotations,
        body.text,
        limit=body.limit,
        threshold=body.threshold,
        context_prev=body.context_prev,
        context_next=body.context_next,
    )
    return lookup_out(found, language)


@router.post("/lookup/batch", response_model=BatchLookupResponse)
def lookup_batch(
    body: BatchLookupRequest,
    memory: Memory,
    _role: Reader,
    annotations: Annotations,
    queries: Queries,
    language: Language,
) -> BatchLookupResponse:
    """Several lookups in one request (up to 200 texts)."""
    queries(*body.texts)
    found = [
        lookup(memory, annotations, text, limit=body.limit, threshold=body.threshold)
        for text in body.texts
    ]
    return BatchLookupResponse(results=[lookup_out(f, language) for f in found])


@router.get("/concordance", response_model=ConcordanceResponse)
def concordance_search(
    memory: Memory,
    _role: Reader,
    queries: Queries,
    q: Annotated[str, Query(min_length=2, description="Phrase to find"), Clean],
    side: Annotated[str, Query(pattern="^(source|target|both)$")] = "both",
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> ConcordanceResponse:
    """Stored pairs containing a phrase (French side, English side or both), with spans."""
    queries(q)
    found = concordance.search(memory, q, side=side, limit=limit)
    return ConcordanceResponse(
        query=q,
        side=side,
        occurrences=[
            OccurrenceOut.model_validate(o, from_attributes=True) for o in found.occurrences
        ],
        complete=found.complete,
        note=found.note,
        stopped=[StoppedOut.model_validate(s, from_attributes=True) for s in found.stopped],
    )


def check_out(checked: Checked, language: str = "en") -> CheckResponse:
    return CheckResponse(
        quality=QualityOut.model_validate(checked.quality, from_attributes=True),
        findings=[finding_out(f, language) for f in checked.findings],
        terms=[hit_out(h) for h in checked.terms],
    )


@router.post("/check", response_model=CheckResponse)
def check_pair(
    body: CheckRequest,
    memory: Memory,
    _role: Reader,
    annotations: Annotations,
    language: Language,
) -> CheckResponse:
    """Pair quality and QA findings (placeables, untranslated, length, typography, tags,
    glossary compliance) for a French source and its English translation."""
    (checked,) = checking.check(memory, annotations, [(body.source, body.target)])
    return check_out(checked, language)


def signed(body: SegmentIn, name: str) -> str:
    """The author to record: the key's name. A body naming someone else is refused (422), so
    a translator cannot sign as another; `author` may be left out, or repeat the name."""
    if body.author and body.author != name:
        raise InvalidInput.said(
            "error/author-set-by-server", name=repr(name), sent=repr(body.author)
        )
    return name


@router.post("/segments", response_model=SegmentOut, status_code=201)
def save(body: SegmentIn, memory: Memory, name: TranslatorName) -> SegmentOut:
    """Save a confirmed translation (recorded under the key's name); the next lookup sees it."""
    segment = memory.add(
        body.source,
        body.target,
        origin=body.origin,
        document=body.document,
        author=signed(body, name),
    )
    return segment_out(segment)


@router.get("/segments/{segment_id}", response_model=SegmentOut)
def read(segment_id: RowId, memory: Memory, _role: Reader) -> SegmentOut:
    return segment_out(memory.get(segment_id))


@router.put("/segments/{segment_id}", response_model=SegmentOut)
def correct(segment_id: RowId, body: SegmentIn, memory: Memory, name: TranslatorName) -> SegmentOut:
    """Correct a stored pair's source and target (recorded under the key's name)."""
    return segment_out(
        memory.update(segment_id, body.source, body.target, author=signed(body, name))
    )


@router.delete("/segments/{segment_id}", status_code=204)
def remove(segment_id: RowId, memory: Memory, _role: Admin) -> Response:
    memory.delete(segment_id)
    return Response(status_code=204)
