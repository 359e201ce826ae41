"""Concordance: the engine's search (`tm.retrieval.concordance`) on the French side, the
English side, or both merged (newest first), with the spans of each side."""

from __future__ import annotations

from dataclasses import dataclass

from tm import InvalidInput, TranslationMemory

SIDES = ("source", "target", "both")


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


def search(
    memory: TranslationMemory, phrase: str, *, side: str = "both", limit: int = 20
) -> list[Occurrence]:
    """Pairs whose `side` contains `phrase` (inflection- and accent-tolerant), newest first."""
    if side not in SIDES:
        raise InvalidInput(f"side must be one of {', '.join(SIDES)}, not {side!r}")
    found: dict[int, Occurrence] = {}
    for searched in ("source", "target") if side == "both" else (side,):
        for hit in memory.concordance(phrase, side=searched, limit=limit):
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
    ordered = sorted(found.values(), key=lambda o: (o.changed, o.id), reverse=True)
    return ordered[:limit]
