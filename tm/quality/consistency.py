"""TM consistency: one French source translated in clashing ways, one English target used for
clearly different sources.

Never pairwise over the TM: `candidates` streams (id, source, target) once and groups by a
hash of the folded (case, accents, typography) text with digits masked (`article 5` and
`article 6` share a key), keeping only small integers per row. Only the groups that hold more
than one distinct folded text on the other side are then read in full and judged by `judge`:
sentence BLEU (sacrebleu, `13a`, effective order) between the targets (or chrF between the
sources), after masking digits, so that `5`/`6` differences the source explains are not
reported.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sacrebleu.metrics.bleu import BLEU
from sacrebleu.metrics.chrf import CHRF

from tm.text.normalise import fold, normalise

_DIGITS = re.compile(r"\d+(?:[ \u00a0\u202f.,]\d+)*")

SOURCE = "same-source"
TARGET = "same-target"


@dataclass(frozen=True)
class Entry:
    """One stored pair, as the consistency report shows it."""

    id: int
    source: str
    target: str
    changed: str = ""
    document: str = ""


@dataclass(frozen=True)
class Group:
    """Pairs that share a source (kind `same-source`) or a target (`same-target`) but disagree
    on the other side; `agreement` is the lowest similarity (0–100) of the others to the newest."""

    kind: str
    entries: tuple[Entry, ...]
    agreement: float

    @property
    def newest(self) -> str:
        return self.entries[0].changed


def masked(text: str) -> str:
    """Folded text with every number replaced by `#` (the grouping form)."""
    return _DIGITS.sub("#", fold(normalise(text)))


def candidates(rows: Iterable[tuple[int, str, str]]) -> tuple[list[list[int]], list[list[int]]]:
    """Ids grouped by masked source with ≥ 2 distinct masked targets, and by masked target with
    ≥ 2 distinct masked sources. One pass; memory is a few integers per row."""
    by_source: dict[int, dict[int, list[int]]] = defaultdict(dict)
    by_target: dict[int, dict[int, list[int]]] = defaultdict(dict)
    for segment_id, source, target in rows:
        source_key, target_key = hash(masked(source)), hash(masked(target))
        by_source[source_key].setdefault(target_key, []).append(segment_id)
        by_target[target_key].setdefault(source_key, []).append(segment_id)
    return _spread(by_source), _spread(by_target)


def _spread(groups: dict[int, dict[int, list[int]]]) -> list[list[int]]:
    return [
        [i for ids in variants.values() for i in ids]
        for variants in groups.values()
        if len(variants) > 1
    ]


def judge(
    kind: str,
    entries: Sequence[Entry],
    *,
    min_target_bleu: float = 50.0,
    max_source_chrf: float = 60.0,
) -> Group | None:
    """A `Group` when the entries really disagree, else None.

    `same-source`: some target scores below `min_target_bleu` sentence BLEU against the newest
    target. `same-target`: some source scores below `max_source_chrf` chrF against the newest
    source (near-identical sources are normal: the same English for `ministre`/`ministres`).
    """
    ordered = sorted(entries, key=lambda e: (e.changed, e.id), reverse=True)
    if len(ordered) < 2:
        return None
    newest = ordered[0]
    if kind == SOURCE:
        bleu = BLEU(effective_order=True, tokenize="13a")
        reference = masked(newest.target)
        scores = [bleu.sentence_score(masked(e.target), [reference]).score for e in ordered[1:]]
        worst = min(scores)
        return Group(kind, tuple(ordered), round(worst, 2)) if worst < min_target_bleu else None
    chrf = CHRF()
    reference = masked(newest.source)
    scores = [chrf.sentence_score(masked(e.source), [reference]).score for e in ordered[1:]]
    worst = min(scores)
    return Group(kind, tuple(ordered), round(worst, 2)) if worst < max_source_chrf else None


def report(groups: Iterable[Group]) -> list[Group]:
    """Groups newest first, then the most disagreeing first."""
    return sorted(groups, key=lambda g: (g.newest, -g.agreement), reverse=True)
