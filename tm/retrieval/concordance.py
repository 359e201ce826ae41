"""Concordance: segments containing a phrase, inflection- and accent-tolerant, newest first.

A phrase matches a run of consecutive words whose stems (Snowball, on case- and accent-folded
words) equal the phrase's stems: `ministre des finances` finds `Ministres des Finances`.
Candidates come from one scan of the store on the phrase's longest stem (accented letters as
wildcards, `tm.store.segments.containing`), then every candidate is checked word by word; the
spans are character offsets in the stored text of the searched side.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sqlite_utils
import Stemmer

from tm.errors import InvalidInput
from tm.store import segments as store
from tm.text.normalise import fold_word, normalise
from tm.text.tokenise import WORD

SIDES = ("source", "target")
_SPACE_LIKE = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2019": "'"})


@dataclass(frozen=True)
class Hit:
    """One segment containing the phrase: where (character spans of the searched side), and
    the other side's counterpart when the pair makes it recoverable."""

    id: int
    source: str
    target: str
    side: str
    spans: tuple[tuple[int, int], ...]
    counterpart: str
    changed: str
    origin: str
    document: str
    status: str = "ok"
    """The pair's `tm.Status` (a `flagged` pair is shown, a rejected one never)."""


@lru_cache(maxsize=2)
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(language)


def _words(text: str) -> list[tuple[str, int, int]]:
    """(folded word, start, end) for each word of `text` as stored."""
    spaced = text.translate(_SPACE_LIKE)
    return [(fold_word(m.group()), m.start(), m.end()) for m in WORD.finditer(spaced)]


def search(
    db: sqlite_utils.Database, expression: str, *, side: str = "source", limit: int = 20
) -> list[Hit]:
    """Segments whose `side` contains `expression`, most recently changed first."""
    if side not in SIDES:
        raise InvalidInput(f"side must be one of {', '.join(SIDES)}, not {side!r}")
    stemmer = _stemmer("french" if side == "source" else "english")
    phrase = [word for word, _s, _e in _words(normalise(expression))]
    if not phrase:
        raise InvalidInput("the expression has no word to search for")
    stems = stemmer.stemWords(phrase)
    longest = max(stems, key=len)
    hits: list[Hit] = []
    for segment_id, source, target, changed, origin, document, status in store.containing(
        db, side, longest
    ):
        text = source if side == "source" else target
        spans = _find(text, stems, stemmer)
        if not spans:
            continue
        hits.append(
            Hit(
                id=segment_id,
                source=source,
                target=target,
                side=side,
                spans=spans,
                counterpart=_counterpart(text, spans, target if side == "source" else source),
                changed=changed,
                origin=origin,
                document=document,
                status=status,
            )
        )
        if len(hits) >= limit:
            break
    return hits


def _find(text: str, stems: list[str], stemmer: Stemmer.Stemmer) -> tuple[tuple[int, int], ...]:
    words = _words(text)
    if len(words) < len(stems):
        return ()
    theirs = stemmer.stemWords([w for w, _s, _e in words])
    size = len(stems)
    return tuple(
        (words[i][1], words[i + size - 1][2])
        for i in range(len(words) - size + 1)
        if theirs[i : i + size] == stems
    )


def _counterpart(text: str, spans: tuple[tuple[int, int], ...], other: str) -> str:
    """The other side when the phrase is (nearly) the whole segment: then the pair is its
    translation. Otherwise unknown (word alignment is not modelled here): empty."""
    covered = sum(end - start for start, end in spans[:1])
    return other if covered >= 0.8 * len(text.strip()) else ""
