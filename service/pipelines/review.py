"""A maintainer's review of stored pairs, through either edge: `reject` (a wrong pair is kept
but never suggested), `restore` (a rejected pair back as it was) and `confirm` (a flagged pair
is right after all: never flagged again), each audited with who and why
(`TranslationMemory.review`). The queue to review is `service.pipelines.quality.flagged`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tm import Review, TranslationMemory


@dataclass(frozen=True)
class Reviewed:
    """What one review did: the changes recorded, and the pairs that already were so."""

    action: str
    changed: list[Review]
    unchanged: list[int]


def review(
    memory: TranslationMemory, ids: Sequence[int], *, action: str, author: str, note: str = ""
) -> Reviewed:
    """Apply `action` (`reject`, `restore` or `confirm`) to the pairs `ids`, all or none (an
    unknown id changes nothing), audited under `author` with `note`."""
    changed = memory.review(ids, action=action, author=author, note=note)
    done = {item.segment for item in changed}
    return Reviewed(action, changed, [i for i in dict.fromkeys(ids) if i not in done])


def history(
    memory: TranslationMemory, segment_id: int | None = None, *, limit: int = 100
) -> list[Review]:
    """The reviews of one pair (all pairs' when None), newest first."""
    if segment_id is not None:
        memory.get(segment_id)  # NotFound for an unknown pair
    return memory.reviews(segment_id, limit=limit)
