"""Suggestions for a French text: exact matches by hash, fuzzy matches from the index, each
scored and explained (`tm.retrieval.scoring`), placeables adapted in the target
(`tm.retrieval.adaptation`), and context matches (101) when the neighbouring segment matches too.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache

from tm import messages
from tm.retrieval import adaptation, ranking
from tm.retrieval.adaptation import Adaptation
from tm.retrieval.index import Index
from tm.retrieval.scoring import Analysis, Edit, Penalty, Scored, analyse, score
from tm.retrieval.search import Final, search
from tm.segment import Segment, Status
from tm.store import segments as store
from tm.store.database import Database
from tm.text.normalise import normalise

__all__ = [
    "BANDS",
    "FLAGGED_POINTS",
    "Edit",
    "Match",
    "Penalty",
    "band",
    "judge",
    "lookup",
    "lookup_for_draft",
]


@dataclass(frozen=True)
class Match:
    """A prior translation suggested for a query, with the reason for its score.

    `edits` are token spans of what the query has that the TM source lacks and vice versa;
    `penalties` the points taken off; `notes` anything the translator should know (e.g. a
    placeable that could not be substituted in the target). `status` is the pair's
    (`tm.Status`: a `flagged` pair carries a `flagged` penalty whose detail is why).
    """

    id: int
    source: str
    target: str
    score: float
    adapted_target: str = ""
    band: str = ""
    origin: str = ""
    document: str = ""
    created: str = ""
    changed: str = ""
    quality: float | None = None
    penalties: tuple[Penalty, ...] = field(default_factory=tuple)
    edits: tuple[Edit, ...] = field(default_factory=tuple)
    notes: tuple[str, ...] = field(default_factory=tuple)
    status: str = Status.OK
    adaptations: tuple[Adaptation, ...] = field(default_factory=tuple)
    """Where `adapted_target` differs from `target`: each substituted span and what it was."""

    @property
    def flagged(self) -> bool:
        """Whether the quality check doubts the pair (it ranks after unflagged pairs of the
        same score)."""
        return self.status == Status.FLAGGED


BANDS = ((101, "101"), (100, "100"), (95, "95-99"), (85, "85-94"), (75, "75-84"), (50, "50-74"))


FLAGGED_POINTS = 1.0
"""The points a flagged pair's score loses (its `flagged` penalty), as each other penalty: an
identical flagged pair is a 99, not an exact match to take without review."""


def judge(query: Analysis, segment: Segment, *, source: Analysis | None = None) -> Scored | None:
    """The explained score of a stored pair for `query` (`tm.retrieval.scoring.score`, with
    `source` the pair's source analysed, when the caller has it), less the `flagged` penalty
    when the quality check doubts the pair; None for a rejected pair, never suggested."""
    if segment.status == Status.REJECTED:
        return None
    scored = score(query, source or analyse(segment.source))
    if segment.status != Status.FLAGGED:
        return scored
    why = segment.flags or "low alignment confidence or flagged on import"
    penalty = Penalty("flagged", FLAGGED_POINTS, why)
    return replace(
        scored,
        score=max(0.0, round(scored.score - FLAGGED_POINTS, 2)),
        penalties=(*scored.penalties, penalty),
    )


def band(score: float) -> str:
    """The analysis band of a score: `101`, `100`, `95-99`, `85-94`, `75-84`, `50-74`, `none`."""
    return next((name for floor, name in BANDS if score >= floor), "none")


def lookup(
    db: Database,
    index: Index,
    text: str,
    *,
    limit: int = 5,
    threshold: float = 70,
    context_prev: str | None = None,
    context_next: str | None = None,
    exclude_document: str | None = None,
) -> list[Match]:
    """The best `limit` matches scoring at least `threshold`, best first.

    `exclude_document` leaves out one document's segments (leave-one-out evaluation). Ties:
    newer first, then higher quality, then lower id (`tm.retrieval.ranking`). With
    `context_prev`/`context_next` (the query's neighbouring segments), an identical match whose
    neighbour in its document is identical too scores 101.
    """
    return _lookup(
        db,
        index,
        text,
        limit=limit,
        lowest=threshold,
        wide=threshold,
        identical_first=limit == 1,
        context=(context_prev, context_next),
        exclude_document=exclude_document,
    )


def lookup_for_draft(
    db: Database,
    index: Index,
    text: str,
    *,
    limit: int = 5,
    threshold: float = 70,
    floor: float,
    context_prev: str | None = None,
    context_next: str | None = None,
    exclude_document: str | None = None,
) -> list[Match]:
    """What a draft and its analysis report need, in one search: the best `limit` matches
    scoring at least `threshold`; when none reaches it, the best one at or above `floor` alone
    (its band); and when the text is in the TM identically, its identical matches only (an
    exact match needs no alternatives). Otherwise as `lookup`.
    """
    return _lookup(
        db,
        index,
        text,
        limit=limit,
        lowest=min(floor, threshold),
        wide=threshold,
        identical_first=True,
        context=(context_prev, context_next),
        exclude_document=exclude_document,
    )


class _Finaliser:
    """The search's `Finalise` for one query: judges the segments it is asked about (`judge`:
    rejected ones and an excluded document's left out), and keeps what it found."""

    def __init__(self, db: Database, query: Analysis, exclude_document: str | None) -> None:
        self.db, self.query, self.exclude_document = db, query, exclude_document
        self.found: dict[int, tuple[Segment, Scored]] = {}

    def __call__(self, ids: list[int]) -> dict[int, Final | None]:
        scores: dict[int, Final | None] = {}
        for segment in store.get_many(self.db, ids):
            if self.exclude_document is not None and segment.document == self.exclude_document:
                continue
            scored = judge(self.query, segment, source=_analysed(segment.source))
            if scored is None:
                continue
            self.found[segment.id] = (segment, scored)
            scores[segment.id] = Final(scored.score, segment.status == Status.FLAGGED)
        return scores


def _lookup(
    db: Database,
    index: Index,
    text: str,
    *,
    limit: int,
    lowest: float,
    wide: float,
    identical_first: bool,
    context: tuple[str | None, str | None],
    exclude_document: str | None,
) -> list[Match]:
    """The best `limit` matches ≥ `lowest` (`search`'s `wide`: ≥ `wide` when any reaches it);
    with `identical_first`, the identical matches alone when one qualifies."""
    index.refresh(db)
    query = _analysed(text)
    exact = [
        segment_id
        for segment_id, document in store.same_source(db, query.norm)
        if exclude_document is None or document != exclude_document
    ]
    finalise = _Finaliser(db, query, exclude_document)
    seeded = finalise(exact) if identical_first and exact else {}
    if any(final is not None and final.score >= 100 for final in seeded.values()):
        # Only an identical text scores 100, and identical texts are exactly the hash hits:
        # when one match is asked and one of them qualifies, nothing else can beat it.
        ranked = [
            (final.score, i)
            for i, final in seeded.items()
            if final is not None and final.score >= lowest
        ]
    else:
        ranked = search(
            index,
            query.index_keys(),
            threshold=lowest,
            limit=limit,
            finalise=finalise,
            seeds=exact,
            wide=wide,
        )
    contextual: set[int] = set()
    if exact and (context[0] or context[1]):
        contextual = _in_context(db, exact, *context)
        finalise([i for i in contextual if i not in finalise.found])
        chosen = {segment_id for _score, segment_id in ranked}
        ranked += [(100.0, i) for i in contextual if i not in chosen and i in finalise.found]
    matches = [
        _match(finalise.found[segment_id], context=segment_id in contextual)
        for _score, segment_id in ranked
        if segment_id in finalise.found
    ]
    matches.sort(key=_rank)
    return matches[:limit]


def _analysed(text: str) -> Analysis:
    """`analyse`, remembering recent sentences: a batch looks up the same sentences and meets
    the same TM sources again and again (analyses are immutable values). Long texts are not
    kept: the memory stays bounded (about 1,000 analyses of at most 1,000 characters)."""
    return _remembered(text) if len(text) <= _REMEMBERED_CHARS else analyse(text)


_REMEMBERED_CHARS = 1000
_remembered = lru_cache(maxsize=1024)(analyse)


def _rank(match: Match) -> ranking.Key:
    recency = ranking.recency(match.changed)
    return ranking.key(match.score, recency, match.quality, match.id, flagged=match.flagged)


def _in_context(
    db: Database, ids: list[int], previous: str | None, following: str | None
) -> set[int]:
    """Ids whose previous (or next) segment in the same document has the given source."""
    return store.with_neighbour(
        db,
        ids,
        previous=normalise(previous) if previous else None,
        following=normalise(following or "") or None,
    )


def _match(item: tuple[Segment, Scored], *, context: bool) -> Match:
    segment, scored = item
    value = scored.score
    notes: list[str] = []
    if context and value == 100:
        value = 101.0
        notes.append(messages.say("note/context"))
    adapted, adapt_notes, marks = adaptation.adapted(segment.target, scored)
    notes.extend(adapt_notes)
    return Match(
        id=segment.id,
        source=segment.source,
        target=segment.target,
        score=value,
        adapted_target=adapted,
        band=band(value),
        origin=segment.origin,
        document=segment.document,
        created=segment.created,
        changed=segment.changed,
        quality=segment.quality,
        penalties=scored.penalties,
        edits=scored.edits,
        notes=tuple(notes),
        status=segment.status,
        adaptations=tuple(marks),
    )
