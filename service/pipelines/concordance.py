"""Concordance: the engine's search (`tm.retrieval.concordance`) on the French side, the
English side, or both merged (newest first), with the spans of each side, and a note when the
search stopped before its end (the phrase too common, or the time limit)."""

from __future__ import annotations

from dataclasses import dataclass

from tm import Concordance, InvalidInput, TranslationMemory
from tm.retrieval.concordance import CANDIDATES, SECONDS

SIDES = ("source", "target", "both")
_LANGUAGES = {"source": "French", "target": "English"}


@dataclass(frozen=True)
class Occurrence:
    """A stored pair containing the phrase, and where (character spans in source and target)."""

    id: int
    source: str
    target: str
    origin: str
    document: str
    changed: str
    source_spans: tuple[tuple[int, int], ...]
    target_spans: tuple[tuple[int, int], ...]
    counterpart: str
    status: str = "ok"
    """The pair's status: `flagged` when the quality check doubts it (rejected pairs are never
    found)."""


@dataclass(frozen=True)
class Stopped:
    """A side on which the search stopped before its end: why (`candidates`: more segments
    hold the phrase's words than are checked; `time`: the time limit), and how many of the
    newest segments holding them were checked."""

    side: str
    reason: str
    checked: int


@dataclass(frozen=True)
class Found:
    """The pairs found, and the sides on which the search stopped early (none: complete)."""

    occurrences: tuple[Occurrence, ...]
    stopped: tuple[Stopped, ...] = ()

    @property
    def complete(self) -> bool:
        """Whether every segment holding the phrase's words was checked."""
        return not self.stopped

    @property
    def note(self) -> str | None:
        """Why the search is incomplete, in a sentence for the user (None: it is complete)."""
        return note(self.stopped)


def search(
    memory: TranslationMemory,
    phrase: str,
    *,
    side: str = "both",
    limit: int = 20,
    candidates: int = CANDIDATES,
) -> Found:
    """Pairs whose `side` contains `phrase` (inflection- and accent-tolerant), newest first,
    and where the search stopped early (at most `candidates` segments are checked per side)."""
    if side not in SIDES:
        raise InvalidInput(f"side must be one of {', '.join(SIDES)}, not {side!r}")
    found: dict[int, Occurrence] = {}
    stopped: list[Stopped] = []
    for searched in ("source", "target") if side == "both" else (side,):
        result = memory.concordance(phrase, side=searched, limit=limit, candidates=candidates)
        if result.stopped_by is not None:
            stopped.append(Stopped(searched, str(result.stopped_by), result.checked))
        _merge(found, result, searched)
    ordered = sorted(found.values(), key=lambda o: (o.changed, o.id), reverse=True)
    return Found(occurrences=tuple(ordered[:limit]), stopped=tuple(stopped))


def _merge(found: dict[int, Occurrence], result: Concordance, searched: str) -> None:
    """Add the hits of the `searched` side to `found`, keeping the other side's spans."""
    for hit in result.hits:
        known = found.get(hit.id)
        before_source = known.source_spans if known else ()
        before_target = known.target_spans if known else ()
        found[hit.id] = Occurrence(
            id=hit.id,
            source=hit.source,
            target=hit.target,
            origin=hit.origin,
            document=hit.document,
            changed=hit.changed,
            source_spans=hit.spans if searched == "source" else before_source,
            target_spans=hit.spans if searched == "target" else before_target,
            counterpart=known.counterpart if known and known.counterpart else hit.counterpart,
            status=hit.status,
        )


def note(stopped: tuple[Stopped, ...]) -> str | None:
    """The sentence that tells the user why a search is incomplete (None: it is complete); the
    page says the same in French (`concordanceNote` in service/http/static/app.js)."""
    if not stopped:
        return None
    first = stopped[0]
    where = " on each side" if len(stopped) > 1 else f" on the {_LANGUAGES[first.side]} side"
    why = (
        f"the search reached its {SECONDS:g}-second limit"
        if any(s.reason == "time" for s in stopped)
        else "the phrase is very common"
    )
    return (
        f"{why}: only the {first.checked:,} newest segments holding its words{where} "
        "were checked; add a word to narrow it"
    )
