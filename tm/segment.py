"""The domain values passed between stages: a translation unit to store and a stored segment."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

# Characters XML 1.0 cannot hold (so no TMX or XLIFF could carry them): C0 controls but tab,
# newline and return; lone surrogates; U+FFFE and U+FFFF.
_NOT_XML = r"\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff"
_UNSTORABLE = re.compile(f"[{_NOT_XML}]")
FORBIDDEN = re.compile(rf"[{_NOT_XML}\x7f]")
"""What text given to the TM (typed, sent to the service, read from a file) may not hold:
the characters no TMX could export, and DEL."""


MAX_SEGMENT_CHARS = 20_000
"""The longest source or target a pair may have, at every entry point (the API's bodies, an
import's units, a document's segments): the cost of matching and scoring a pair grows with
its length, and no real sentence comes near it."""


def too_long(source: str, target: str = "") -> str | None:
    """Why a pair is over `MAX_SEGMENT_CHARS` (which side, how long), or None."""
    for side, text in (("source", source), ("target", target)):
        if len(text) > MAX_SEGMENT_CHARS:
            return f"{side} of {len(text):,} characters: over the {MAX_SEGMENT_CHARS:,} allowed"
    return None


def unstorable(text: str) -> str | None:
    """Why `text` cannot be stored (a character no TMX could export), or None."""
    bad = _UNSTORABLE.search(text)
    if bad is None:
        return None
    return f"character U+{ord(bad.group()):04X} at {bad.start()} cannot be exported to TMX/XLIFF"


class Status(StrEnum):
    """A stored pair's state (stored as its value)."""

    OK = "ok"
    FLAGGED = "flagged"
    """Doubted by the automatic quality check, or a low-confidence alignment: still suggested,
    after unflagged pairs of the same score, with a `flagged` penalty and a warning giving the
    reason (`quality_flags`); `tm quality report` lists them for review."""
    CONFIRMED = "confirmed"
    """Saved or corrected by a translator, or confirmed by a maintainer's review: never
    flagged by the automatic check."""
    REJECTED = "rejected"
    """Marked wrong by a maintainer (audited, `tm.store.reviews`): kept, never suggested, never
    flagged or unflagged by the automatic check, until restored."""


@dataclass(frozen=True)
class Unit:
    """A French→English pair as read from a file or typed by a translator, before storage.

    `source_tags`/`target_tags` map an inline placeholder number to the original markup
    (see `tm.text.inline`); `properties` keeps any other metadata (TMX props and notes).
    """

    source: str
    target: str
    origin: str = ""
    document: str = ""
    position: int | None = None
    created: str | None = None
    changed: str | None = None
    author: str = ""
    source_tags: dict[str, Any] = field(default_factory=dict)
    target_tags: dict[str, Any] = field(default_factory=dict)
    properties: dict[str, Any] = field(default_factory=dict)
    quality: float | None = None
    status: str = Status.OK
    """A `Status` value (a TMX import keeps the `x-status` it reads)."""


@dataclass(frozen=True)
class Segment:
    """A stored pair: a `Unit` plus its id and stored state."""

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
    """A `Status` value."""
    source_tags: dict[str, Any] = field(default_factory=dict)
    target_tags: dict[str, Any] = field(default_factory=dict)
    properties: dict[str, Any] = field(default_factory=dict)
    flags: str = ""
    """Why the quality check doubts the pair (`tm.quality.pairs` flags, comma-separated;
    '' when it does not)."""

    def unit(self) -> Unit:
        """The pair as a `Unit`, for export and re-import."""
        return Unit(
            source=self.source,
            target=self.target,
            origin=self.origin,
            document=self.document,
            position=self.position,
            created=self.created,
            changed=self.changed,
            author=self.author,
            source_tags=self.source_tags,
            target_tags=self.target_tags,
            properties=self.properties,
            quality=self.quality,
            status=self.status,
        )


@dataclass(frozen=True)
class Review:
    """A maintainer's review of a stored pair, as audited: `action` is `reject`, `restore` or
    `confirm` (or `correct`: its texts were corrected, which changed its status); `before` and
    `after` are the pair's statuses (`Status` values)."""

    id: int
    segment: int
    at: str
    author: str
    action: str
    before: str
    after: str
    note: str = ""
