"""A pretranslated document: each French segment with the target the TM filled in and why.

These are the values the pretranslation pipeline hands to the draft writers (XLIFF 1.2/2.1,
TMX, text) and to the analysis report.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tm.retrieval.matching import Match

TRANSLATED = "translated"
"""XLIFF 1.2 state of a 100/101 match."""
NEEDS_REVIEW = "needs-review-translation"
"""XLIFF 1.2 state of a fuzzy match."""
NEEDS_TRANSLATION = "needs-translation"
"""XLIFF 1.2 state of a segment without a match above the threshold."""


@dataclass(frozen=True)
class DraftSegment:
    """One French segment of a draft.

    `band` is the analysis band of the best match found (even below the fill threshold);
    `target` is empty unless a match reached the threshold. `repetition` is true for a
    segment whose source already occurred earlier in the batch (its target is propagated
    from the first occurrence). `alternatives` are the matches offered as `alt-trans`.
    """

    id: str
    paragraph: int
    source: str
    target: str = ""
    state: str = NEEDS_TRANSLATION
    score: float | None = None
    band: str = "none"
    repetition: bool = False
    match: Match | None = None
    alternatives: tuple[Match, ...] = ()
    notes: tuple[str, ...] = ()
    source_tags: dict[str, Any] = field(default_factory=dict)

    @property
    def qualifier(self) -> str:
        """XLIFF 1.2 `state-qualifier`: `exact-match`, `fuzzy-match` or empty."""
        if self.state == TRANSLATED:
            return "exact-match"
        return "fuzzy-match" if self.state == NEEDS_REVIEW else ""


@dataclass(frozen=True)
class Kept:
    """A segment of the input that pretranslation leaves as it is: its target already holds a
    translation, or it is marked `translate="no"`."""

    id: str
    source: str


@dataclass(frozen=True)
class Draft:
    """The pretranslated segments of one input file, in document order.

    `existing` are the input's segments whose target already held a translation (not in
    `segments`, unless pretranslation overwrites: then those that got a new target are
    `replaced`); `locked` those marked `translate="no"`, never filled.
    """

    name: str
    segments: tuple[DraftSegment, ...]
    source_language: str = "fr"
    target_language: str = "en"
    existing: tuple[Kept, ...] = ()
    locked: tuple[Kept, ...] = ()

    @property
    def kept(self) -> tuple[Kept, ...]:
        """The existing translations left as they were."""
        replaced = {segment.id for segment in self.segments if segment.target}
        return tuple(kept for kept in self.existing if kept.id not in replaced)

    @property
    def replaced(self) -> int:
        """How many existing translations got a new target (only when overwriting)."""
        return len(self.existing) - len(self.kept)


def state_for(score: float | None, *, threshold: float) -> str:
    """The XLIFF 1.2 state a best-match score gives a segment."""
    if score is None or score < threshold:
        return NEEDS_TRANSLATION
    return TRANSLATED if score >= 100 else NEEDS_REVIEW
