"""Review routes: the queue of pairs the quality check flagged (`GET /quality/report`, as
`tm quality report`), and a maintainer's reject, restore and confirm (as `tm quality reject`…),
audited under the key's name."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Query

from service.http.auth import MaintainerName, Memory, Reader
from service.http.schemas.review import (
    FlaggedPairOut,
    ReviewedOut,
    ReviewOut,
    ReviewQueueOut,
    ReviewRequest,
)
from service.http.validation import RowId
from service.pipelines import review as reviewing
from tm.lazy import module as lazy

if TYPE_CHECKING:
    from service.pipelines import quality
else:  # loaded by the first review-queue request (it brings sacrebleu)
    quality = lazy("service.pipelines.quality")

router = APIRouter(tags=["review"])


@router.get("/quality/report", response_model=ReviewQueueOut)
def report(
    memory: Memory, _role: Reader, limit: Annotated[int, Query(ge=0, le=10_000)] = 50
) -> ReviewQueueOut:
    """The review queue: flagged pairs, worst first (0: all), with counts per reason."""
    found = quality.flagged(memory, limit=limit)
    return ReviewQueueOut(
        segments=found.segments,
        scored=found.scored,
        flagged=found.flagged,
        rejected=found.rejected,
        by_reason=found.by_reason,
        pairs=[FlaggedPairOut.model_validate(p, from_attributes=True) for p in found.pairs],
    )


def _reviewed(done: reviewing.Reviewed) -> ReviewedOut:
    return ReviewedOut(
        action=done.action,
        changed=[ReviewOut.model_validate(r, from_attributes=True) for r in done.changed],
        unchanged=done.unchanged,
    )


def _act(action: str, body: ReviewRequest, memory: Memory, author: str) -> ReviewedOut:
    done = reviewing.review(memory, body.ids, action=action, author=author, note=body.note)
    return _reviewed(done)


@router.post("/segments/reject", response_model=ReviewedOut)
def reject(body: ReviewRequest, memory: Memory, author: MaintainerName) -> ReviewedOut:
    """Reject pairs: kept in the TM (and its exports) but never suggested. Audited."""
    return _act("reject", body, memory, author)


@router.post("/segments/restore", response_model=ReviewedOut)
def restore(body: ReviewRequest, memory: Memory, author: MaintainerName) -> ReviewedOut:
    """Restore rejected pairs: each gets back the status it had before. Audited."""
    return _act("restore", body, memory, author)


@router.post("/segments/confirm", response_model=ReviewedOut)
def confirm(body: ReviewRequest, memory: Memory, author: MaintainerName) -> ReviewedOut:
    """Confirm flagged pairs: right after all, never flagged again. Audited."""
    return _act("confirm", body, memory, author)


@router.get("/segments/{segment_id}/reviews", response_model=list[ReviewOut])
def reviews(
    segment_id: RowId,
    memory: Memory,
    _role: Reader,
    limit: Annotated[int, Query(ge=1, le=10_000)] = 100,
) -> list[ReviewOut]:
    """Who rejected, restored or confirmed the pair, when and why, newest first."""
    found = reviewing.history(memory, segment_id, limit=limit)
    return [ReviewOut.model_validate(r, from_attributes=True) for r in found]
