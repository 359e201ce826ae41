"""Translator routes: lookup (single and batch), concordance, checks, saving and correcting
segments (the MyMemory-compatible route is in `service.http.routes.mymemory`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response

from glossaries import Glossary
from service.http.auth import Admin, Memory, Reader, Translator
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
    match_out,
    segment_out,
)
from service.http.validation import Clean
from service.pipelines import concordance, terminology
from service.pipelines.quality import full_lexicon
from tm import Match, TranslationMemory
from tm.quality.pairs import assess_one

router = APIRouter(tags=["translators"])


async def shared_recognisers(request: Request) -> terminology.Recognisers:
    recognisers: terminology.Recognisers = request.app.state.recognisers
    return recognisers


Recognisers = Annotated[terminology.Recognisers, Depends(shared_recognisers)]


def explained(
    memory: TranslationMemory, text: str, found: list[Match], recognisers: terminology.Recognisers
) -> LookupResponse:
    """Matches with the glossary terms of the query and the findings on each suggestion."""
    targets = [m.adapted_target or m.target for m in found]
    hits, findings = terminology.annotate(
        Glossary(memory.db), text, targets, recognisers=recognisers
    )
    return LookupResponse(
        query=text,
        matches=[match_out(m, f) for m, f in zip(found, findings, strict=True)],
        terms=[hit_out(h) for h in hits],
    )


@router.post("/lookup", response_model=LookupResponse)
def lookup(
    body: LookupRequest, memory: Memory, _role: Reader, recognisers: Recognisers
) -> LookupResponse:
    """Prior translations of a French text, best first, with explained scores, the glossary
    terms of the query and the QA/glossary findings on each suggestion."""
    found = memory.lookup(
        body.text,
        limit=body.limit,
        threshold=body.threshold,
        context_prev=body.context_prev,
        context_next=body.context_next,
    )
    return explained(memory, body.text, found, recognisers)


@router.post("/lookup/batch", response_model=BatchLookupResponse)
def lookup_batch(
    body: BatchLookupRequest, memory: Memory, _role: Reader, recognisers: Recognisers
) -> BatchLookupResponse:
    """Several lookups in one request (up to 200 texts)."""
    results = [
        explained(
            memory,
            text,
            memory.lookup(text, limit=body.limit, threshold=body.threshold),
            recognisers,
        )
        for text in body.texts
    ]
    return BatchLookupResponse(results=results)


@router.get("/concordance", response_model=ConcordanceResponse)
def concordance_search(
    memory: Memory,
    _role: Reader,
    q: Annotated[str, Query(min_length=2, max_length=2000, description="Phrase to find"), Clean],
    side: Annotated[str, Query(pattern="^(source|target|both)$")] = "both",
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> ConcordanceResponse:
    """Stored pairs containing a phrase (French side, English side or both), with spans."""
    found = concordance.search(memory, q, side=side, limit=limit)
    return ConcordanceResponse(
        query=q,
        side=side,
        occurrences=[OccurrenceOut.model_validate(o, from_attributes=True) for o in found],
    )


@router.post("/check", response_model=CheckResponse)
def check(
    body: CheckRequest, memory: Memory, _role: Reader, recognisers: Recognisers
) -> CheckResponse:
    """Pair quality and QA findings (placeables, untranslated, length, typography, tags,
    glossary compliance) for a French source and its English translation."""
    hits, (findings,) = terminology.annotate(
        Glossary(memory.db),
        body.source,
        [body.target],
        recognisers=recognisers,
        deprecated_source=True,
    )
    score = assess_one(body.source, body.target, lexicon=full_lexicon(memory))
    return CheckResponse(
        quality=QualityOut(
            score=score.score,
            similarity=score.similarity,
            coverage=score.coverage,
            length_ratio=score.length_ratio,
            misalignment=score.misalignment,
            flags=list(score.flags),
            flagged=score.flagged,
        ),
        findings=[finding_out(f) for f in findings],
        terms=[hit_out(h) for h in hits],
    )


@router.post("/segments", response_model=SegmentOut, status_code=201)
def save(body: SegmentIn, memory: Memory, role: Translator) -> SegmentOut:
    """Save a confirmed translation; the next lookup sees it."""
    segment = memory.add(
        body.source,
        body.target,
        origin=body.origin,
        document=body.document,
        author=body.author or role,
    )
    return segment_out(segment)


@router.get("/segments/{segment_id}", response_model=SegmentOut)
def read(segment_id: int, memory: Memory, _role: Reader) -> SegmentOut:
    return segment_out(memory.get(segment_id))


@router.put("/segments/{segment_id}", response_model=SegmentOut)
def correct(segment_id: int, body: SegmentIn, memory: Memory, role: Translator) -> SegmentOut:
    """Correct a stored pair's source and target."""
    return segment_out(
        memory.update(segment_id, body.source, body.target, author=body.author or role)
    )


@router.delete("/segments/{segment_id}", status_code=204)
def remove(segment_id: int, memory: Memory, _role: Admin) -> Response:
    memory.delete(segment_id)
    return Response(status_code=204)
