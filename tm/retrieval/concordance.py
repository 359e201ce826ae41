"""Concordance: segments containing a phrase, inflection- and accent-tolerant, newest first.

A phrase matches a run of words whose stems (Snowball, on case- and accent-folded words) equal
the phrase's stems, with up to two function words between two of them: `ministre des
finances` finds `Ministres des Finances`, `dissuasion et défense` finds `dissuasion et de
défense` (after the exact phrase). Candidates come from the store's full-text index, bounded in
number and time (never a scan of the TM; the answer says when a bound stopped the search),
then every candidate is checked word by word; texts are shown without tm's inline-code
placeholders and the spans are character offsets in them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import Stemmer

from tm.errors import InvalidInput
from tm.store import segments as store
from tm.store.database import Database
from tm.store.segments import Stop
from tm.text.inline import plain
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


@dataclass(frozen=True)
class Concordance:
    """What a search found, and whether it went to its end: a phrase held by more than
    `candidates` segments, or a search cut by the time limit, leaves older segments unchecked."""

    hits: tuple[Hit, ...]
    stopped_by: Stop | None = None
    """Why it stopped early: `Stop.CANDIDATES` (the phrase's words are very common) or
    `Stop.TIME`; None when it went to its end."""
    checked: int = 0
    """Candidate segments checked word by word (the newest holding the phrase's words)."""

    @property
    def complete(self) -> bool:
        """Whether every segment holding the phrase's words was checked."""
        return self.stopped_by is None


@lru_cache(maxsize=2)
def _stemmer(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(language)


def _words(text: str) -> list[tuple[str, int, int]]:
    """(folded word, start, end) for each word of `text` as stored."""
    spaced = text.translate(_SPACE_LIKE)
    return [(fold_word(m.group()), m.start(), m.end()) for m in WORD.finditer(spaced)]


FUNCTION_WORDS = frozenset(
    "a au aux d de des du en et l la le les ou un une sur par pour dans qu que "
    "the of an and or to in on for by with at from as".split()
)
"""Folded French and English function words: a phrase tolerates them between its words
(`dissuasion et défense` finds `dissuasion et de défense`) and is not searched by them."""

MAX_GAP = 2
"""Function words tolerated between two words of the phrase."""

CANDIDATES = 2000
"""Segments checked at most per search (the newest holding the phrase's words)."""

SECONDS = 2.0
"""The full-text search's time limit."""


def search(
    db: Database,
    expression: str,
    *,
    side: str = "source",
    limit: int = 20,
    candidates: int = CANDIDATES,
) -> Concordance:
    """Segments whose `side` contains `expression`: the exact phrase first, then the phrase
    with function words between its words; newest first within each. Candidates come from the
    full-text index (`tm.store.segments.matching_text`: the stems of the phrase's content words
    as prefixes, or a phrase of function words as consecutive prefixes), at most `candidates`
    of them and within `SECONDS`; every one is checked word by word. The answer says whether
    every segment holding the phrase's words was checked."""
    if side not in SIDES:
        raise InvalidInput(f"side must be one of {', '.join(SIDES)}, not {side!r}")
    stemmer = _stemmer("french" if side == "source" else "english")
    phrase = [word for word, _s, _e in _words(normalise(expression))]
    if not phrase:
        raise InvalidInput("the expression has no word to search for")
    stems = stemmer.stemWords(phrase)
    # What the index is asked for: the part a word shares with its stem (Snowball may change
    # the end of a word: "secretary" → "secretari"), as a prefix.
    prefixes = [_shared(word, stem) for word, stem in zip(phrase, stems, strict=True)]
    content = [p for word, p in zip(phrase, prefixes, strict=True) if word not in FUNCTION_WORDS]
    rows, stopped_by = store.matching_text(
        db,
        side,
        list(dict.fromkeys(content)) or prefixes,
        prefixes=True,
        phrase=not content,
        limit=candidates,
        seconds=SECONDS,
    )
    return Concordance(
        hits=_checked(rows, side, stems, stemmer)[:limit], stopped_by=stopped_by, checked=len(rows)
    )


def _checked(
    rows: list[store.ConcordanceRow], side: str, stems: list[str], stemmer: Stemmer.Stemmer
) -> tuple[Hit, ...]:
    """The candidates that hold the phrase on `side`, as hits: the exact phrase first, then
    newest first, then by id."""
    ranked: list[tuple[bool, Hit]] = []
    for segment_id, source, target, changed, origin, document, status in rows:
        source, target = plain(source), plain(target)
        text = source if side == "source" else target
        spans, exact = _find(text, stems, stemmer)
        if not spans:
            continue
        hit = Hit(
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
        ranked.append((exact, hit))
    ranked.sort(key=lambda item: item[1].id)  # stable sorts: exact first, then newest, then id
    ranked.sort(key=lambda item: item[1].changed, reverse=True)
    ranked.sort(key=lambda item: not item[0])
    return tuple(hit for _exact, hit in ranked)


def _shared(word: str, stem: str) -> str:
    """The start `word` and its `stem` share (the whole word when they share nothing)."""
    size = 0
    while size < min(len(word), len(stem)) and word[size] == stem[size]:
        size += 1
    return word[:size] or word


def _find(
    text: str, stems: list[str], stemmer: Stemmer.Stemmer
) -> tuple[tuple[tuple[int, int], ...], bool]:
    """The spans of the phrase in `text` (up to `MAX_GAP` function words between two of its
    words), and whether one of them is the exact phrase (exact spans come first)."""
    words = _words(text)
    if len(words) < len(stems):
        return (), False
    theirs = stemmer.stemWords([w for w, _s, _e in words])
    exact: list[tuple[int, int]] = []
    loose: list[tuple[int, int]] = []
    for start in range(len(words) - len(stems) + 1):
        end, gaps = _match_at(start, theirs, [w for w, _s, _e in words], stems)
        if end < 0:
            continue
        (loose if gaps else exact).append((words[start][1], words[end][2]))
    return tuple(exact + loose), bool(exact)


def _match_at(
    start: int, theirs: list[str], folded: list[str], stems: list[str]
) -> tuple[int, int]:
    """Where the phrase starting at word `start` ends (-1: it does not), and how many
    function words it skipped."""
    if theirs[start] != stems[0]:
        return -1, 0
    position, gaps = start, 0
    for stem in stems[1:]:
        skipped = 0
        position += 1
        while (
            position < len(theirs)
            and theirs[position] != stem
            and folded[position] in FUNCTION_WORDS
            and skipped < MAX_GAP
        ):
            position += 1
            skipped += 1
        if position >= len(theirs) or theirs[position] != stem:
            return -1, 0
        gaps += skipped
    return position, gaps


def _counterpart(text: str, spans: tuple[tuple[int, int], ...], other: str) -> str:
    """The other side when the phrase is (nearly) the whole segment: then the pair is its
    translation. Otherwise unknown (word alignment is not modelled here): empty."""
    covered = sum(end - start for start, end in spans[:1])
    return other if covered >= 0.8 * len(text.strip()) else ""
