"""The explained CAT-style fuzzy score of a TM source against a query (pure functions).

`score = 100 × (1 − d / max(len_q, len_s))` where `d` is the Levenshtein distance over the
*word keys* of the two texts: words folded (case and accents dropped) and placeables (numbers,
dates, amounts…) replaced by a typed token such as `⟨number⟩`. Punctuation and inline tags are
tokens too, but a difference there costs a named penalty, not a word edit; so do case, accents,
spacing and each placeable whose value differs (−1 each). 100 means identical normalised text.

Every result says why: the edit operations (token spans) and the penalties with their points.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import NamedTuple

from rapidfuzz.distance import Levenshtein

from tm import messages
from tm.placeables import Placeable, find_french
from tm.retrieval import units
from tm.text.normalise import fold_word, normalise
from tm.text.tokenise import MATCHING_TOKEN

WORD, PUNCTUATION, TAG, PLACEABLE = "word", "punctuation", "tag", "placeable"


class Token(NamedTuple):
    """One token of a normalised text: its text, span, class and comparison key (a named
    tuple: made by the thousand per lookup, where a frozen dataclass costs five times more)."""

    text: str
    start: int
    end: int
    kind: str
    key: str
    value: str = ""
    placeable_kind: str = ""


@dataclass(frozen=True)
class Analysis:
    """A text as the engine sees it: normalised form and tokens."""

    norm: str
    tokens: tuple[Token, ...]

    @cached_property
    def positions(self) -> tuple[int, ...]:
        """Where the words and placeables are among the tokens (what the distance counts)."""
        return tuple(i for i, t in enumerate(self.tokens) if t.kind in (WORD, PLACEABLE))

    @cached_property
    def dated(self) -> bool:
        """Whether the text holds a date or a year (`tm.retrieval.units` then has work)."""
        return any(t.placeable_kind in ("date", "year") for t in self.tokens)

    @property
    def keys(self) -> list[str]:
        """The keys the distance is computed on (words and placeables)."""
        return [t.key for t in self.tokens if t.kind in (WORD, PLACEABLE)]

    def index_keys(self) -> Keys:
        """The same as `index_keys(self.norm)`, from the tokens already made."""
        return Keys(
            self.keys,
            tuple(t.text for t in self.tokens if t.kind == PLACEABLE),
            tuple(t.text for t in self.tokens if t.kind == PUNCTUATION),
            tuple(t.text for t in self.tokens if t.kind == TAG),
        )


@dataclass(frozen=True)
class Edit:
    """One edit between the TM source and the query, as token spans of each.

    `op` is `insert` (the query has tokens the TM source lacks), `delete` (the TM source has
    tokens the query lacks) or `replace`. Spans are token indices, end exclusive.
    """

    op: str
    query_start: int
    query_end: int
    source_start: int
    source_end: int
    query_text: str
    source_text: str


@dataclass(frozen=True)
class Penalty:
    """Points taken off a score, and why: `label` says what the code means (in English, from
    the catalogue, `tm.messages`: `text` gives it in another language)."""

    code: str
    points: float
    detail: str = ""
    label: str = ""

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", self.text())

    def text(self, language: str = "en") -> str:
        """What the code means, in `language` (the code itself when not catalogued)."""
        return messages.rendered(f"penalty/{self.code}", {}, language, self.code)


@dataclass(frozen=True)
class PlaceableChange:
    """A placeable of the TM source whose value the query changes (same position, same kind)."""

    source: Token
    query: Token


@dataclass(frozen=True)
class Scored:
    """A score with its explanation."""

    score: float
    base: float
    edits: tuple[Edit, ...]
    penalties: tuple[Penalty, ...]
    changes: tuple[PlaceableChange, ...]  # the ones the target may take (`units.hold`)
    held: tuple[str, ...] = ()  # why other changes may not: a date expression of another form


@lru_cache(maxsize=1)
def analysis_version() -> str:
    """A fingerprint of the code that turns text into keys (this module, normalisation, the
    tokenisers and placeables): keys cached with another fingerprint are stale."""
    from pathlib import Path

    from tm import placeables
    from tm.text import normalise, tokenise

    digest = hashlib.blake2b(digest_size=8)
    for module in (normalise, tokenise, placeables):
        digest.update(Path(module.__file__ or "").read_bytes())
    digest.update(Path(__file__).read_bytes())
    return digest.hexdigest()


_DIGIT = re.compile(r"\d")
_KEY_KIND = {"year": "number"}  # a year and a number can replace each other


_DIGITS = re.compile(r"\d[\d\s,.:/%-]*")
_BEFORE, _AFTER = 12, 24  # every placeable has a digit, at most this far from its ends


def _placeables(norm: str) -> list[Placeable]:
    """Placeables of normalised French text, found in windows around the digits only
    (every kind has a digit; scanning whole sentences costs ten times more)."""
    if not _DIGIT.search(norm):
        return []
    windows: list[list[int]] = []
    for run in _DIGITS.finditer(norm):
        start = norm.rfind(" ", 0, max(run.start() - _BEFORE, 0)) + 1
        end = norm.find(" ", min(run.end() + _AFTER, len(norm)))
        end = len(norm) if end < 0 else end
        if windows and start <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], end)
        else:
            windows.append([start, end])
    found: list[Placeable] = []
    for start, end in windows:
        for placeable in find_french(norm[start:end]):
            found.append(
                Placeable(
                    placeable.kind,
                    placeable.text,
                    placeable.start + start,
                    placeable.end + start,
                    placeable.value,
                )
            )
    return found


def analyse(text: str, *, normalised: bool = False) -> Analysis:
    """Tokenise `text` (normalised first unless `normalised`) into keyed tokens."""
    norm = text if normalised else normalise(text)
    raw: list[Token] = []
    for found in MATCHING_TOKEN.finditer(norm):
        tag, word, other = found.groups()
        start = found.start()
        if tag:
            raw.append(Token(tag, start, found.end(), TAG, tag))
        elif word:
            head, apostrophe, rest = word.partition("'")
            if apostrophe and rest and len(head) <= 2 and head.isalpha():
                cut = start + len(head) + 1
                raw.append(Token(word[: len(head) + 1], start, cut, WORD, fold_word(head + "'")))
                raw.append(Token(rest, cut, found.end(), WORD, fold_word(rest)))
            else:
                raw.append(Token(word, start, found.end(), WORD, fold_word(word)))
        else:
            raw.append(Token(other, start, found.end(), PUNCTUATION, other))
    spans = _placeables(norm)
    if not spans:
        return Analysis(norm, tuple(raw))
    merged: list[Token] = []
    index = 0
    for placeable in spans:
        start, end = placeable.start, placeable.end
        while index < len(raw) and raw[index].end <= start:
            merged.append(raw[index])
            index += 1
        covered = start
        while index < len(raw) and raw[index].start < end:
            covered = max(covered, raw[index].end)
            index += 1
        kind = placeable.kind
        merged.append(
            Token(
                norm[start:end],
                start,
                end,
                PLACEABLE,
                f"⟨{_KEY_KIND.get(kind, kind)}⟩",
                placeable.value,
                placeable_kind=kind,
            )
        )
    merged.extend(raw[index:])
    return Analysis(norm, tuple(merged))


def base_score(distance: int, query_length: int, source_length: int) -> float:
    """`100 × (1 − d / max(len))`, rounded to 2 decimals; 100 when both are empty."""
    longest = max(query_length, source_length)
    if longest == 0:
        return 100.0
    return round(100 * (1 - distance / longest), 2)


def score(query: Analysis, source: Analysis) -> Scored:
    """The explained score of `source` (a TM source) for `query`."""
    q_places, s_places = query.positions, source.positions
    q_words = [query.tokens[i] for i in q_places]
    s_words = [source.tokens[i] for i in s_places]
    dated = query.dated or source.dated
    q_keys = [t.key for t in q_words]
    s_keys = [t.key for t in s_words]
    distance = Levenshtein.distance(q_keys, s_keys)
    base = base_score(distance, len(q_keys), len(s_keys))
    penalties: list[Penalty] = []
    changes: list[tuple[int, int, PlaceableChange]] = []
    cased: list[str] = []
    accented: list[str] = []
    unmatched: list[int] = []  # the query's dates (positions) that no source token matches
    dropped: list[int] = []  # and the TM source's that no query token matches
    for block in Levenshtein.opcodes(s_keys, q_keys):
        if block.tag != "equal":
            if not dated:
                continue
            unmatched.extend(_dates(query, q_places[block.dest_start : block.dest_end]))
            dropped.extend(_dates(source, s_places[block.src_start : block.src_end]))
            continue
        for offset in range(block.src_end - block.src_start):
            s_token = s_words[block.src_start + offset]
            q_token = q_words[block.dest_start + offset]
            if s_token.kind == PLACEABLE:
                if s_token.value != q_token.value or s_token.text != q_token.text:
                    change = PlaceableChange(source=s_token, query=q_token)
                    where = s_places[block.src_start + offset], q_places[block.dest_start + offset]
                    changes.append((*where, change))
            elif s_token.text != q_token.text:
                pair = f"{s_token.text} → {q_token.text}"
                (cased if s_token.text.lower() == q_token.text.lower() else accented).append(pair)
    penalties.extend(
        Penalty("placeable", 1, f"{c.source.placeable_kind} {c.source.text} → {c.query.text}")
        for _s, _q, c in changes
    )
    if cased:
        penalties.append(Penalty("case", 1, ", ".join(cased)))
    if accented:
        penalties.append(Penalty("accents", 1, ", ".join(accented)))
    penalties.extend(_marks(query, source))
    if not penalties and distance == 0 and query.norm != source.norm:
        penalties.append(Penalty("spacing", 1, "spacing differs"))
    final = max(0.0, round(base - sum(p.points for p in penalties), 2))
    kept, held = units.hold(
        changes, source.tokens, query.tokens, lacking=unmatched, dropped=dropped
    )
    return Scored(
        score=final,
        base=base,
        edits=edits(query, source),
        penalties=tuple(penalties),
        changes=tuple(kept),
        held=tuple(held),
    )


def _marks(query: Analysis, source: Analysis) -> list[Penalty]:
    """A penalty for punctuation that differs, and one for inline tags that differ."""
    found: list[Penalty] = []
    for kind in (PUNCTUATION, TAG):
        q_marks = [t.text for t in query.tokens if t.kind == kind]
        s_marks = [t.text for t in source.tokens if t.kind == kind]
        if q_marks != s_marks:
            detail = f"{' '.join(s_marks) or '∅'} → {' '.join(q_marks) or '∅'}"
            found.append(Penalty(kind if kind == PUNCTUATION else "tags", 1, detail))
    return found


def _dates(analysis: Analysis, positions: Sequence[int]) -> list[int]:
    """The positions of dates and years, and of any member of a date expression (the `13` of
    `du 13 au 14 janvier`): a query's date the TM source lacks is noted, and so is the
    source's."""
    if not positions:
        return []
    within = units.expressions(analysis.tokens)
    return [
        i for i in positions if analysis.tokens[i].placeable_kind in ("date", "year") or i in within
    ]


def edits(query: Analysis, source: Analysis) -> tuple[Edit, ...]:
    """What differs between the two token sequences (punctuation and tags included)."""
    q_tokens, s_tokens = query.tokens, source.tokens
    q_keys = [t.key for t in q_tokens]
    s_keys = [t.key for t in s_tokens]
    found: list[Edit] = []
    for block in Levenshtein.opcodes(s_keys, q_keys):
        if block.tag == "equal":
            continue
        found.append(
            Edit(
                op=block.tag,
                query_start=block.dest_start,
                query_end=block.dest_end,
                source_start=block.src_start,
                source_end=block.src_end,
                query_text=_span(query, block.dest_start, block.dest_end),
                source_text=_span(source, block.src_start, block.src_end),
            )
        )
    return tuple(found)


def _span(analysis: Analysis, start: int, end: int) -> str:
    if start >= end:
        return ""
    return analysis.norm[analysis.tokens[start].start : analysis.tokens[end - 1].end]


def word_keys(norm: str) -> list[str]:
    """`analyse(norm, normalised=True).keys`, fast (no token objects): what the index stores."""
    return index_keys(norm).words


@dataclass(frozen=True)
class Keys:
    """What the index keeps of a text: word keys, and what the penalties are computed on."""

    words: list[str]
    placeables: tuple[str, ...] = ()
    punctuation: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


def index_keys(norm: str) -> Keys:
    """`word_keys(norm)`, the texts of its placeables, its punctuation and its tags, in order
    (exactly the lists `score` compares)."""
    spans = _placeables(norm)
    if spans:
        return _merged_keys(norm, spans)
    out: list[str] = []
    punctuation: list[str] = []
    tags: list[str] = []
    for tag, word, other in MATCHING_TOKEN.findall(norm):
        if tag:
            tags.append(tag)
            continue
        if not word:
            punctuation.append(other)
            continue
        head, apostrophe, rest = word.partition("'")
        if apostrophe and rest and len(head) <= 2 and head.isalpha():
            out.append(fold_word(head + "'"))
            out.append(fold_word(rest))
        else:
            out.append(fold_word(word))
    return Keys(out, (), tuple(punctuation), tuple(tags))


def _merged_keys(norm: str, spans: list[Placeable]) -> Keys:
    """`index_keys` when there are placeables: as `analyse` merges them, without objects."""
    raw: list[tuple[int, int, str, str]] = []  # start, end, key or text, kind
    for found in MATCHING_TOKEN.finditer(norm):
        tag, word, other = found.groups()
        start, end = found.span()
        if tag:
            raw.append((start, end, tag, TAG))
            continue
        if not word:
            raw.append((start, end, other, PUNCTUATION))
            continue
        head, apostrophe, rest = word.partition("'")
        if apostrophe and rest and len(head) <= 2 and head.isalpha():
            cut = start + len(head) + 1
            raw.append((start, cut, fold_word(head + "'"), WORD))
            raw.append((cut, end, fold_word(rest), WORD))
        else:
            raw.append((start, end, fold_word(word), WORD))
    kept: list[tuple[str, str]] = []
    index = 0
    for placeable in spans:
        while index < len(raw) and raw[index][1] <= placeable.start:
            kept.append((raw[index][2], raw[index][3]))
            index += 1
        while index < len(raw) and raw[index][0] < placeable.end:
            index += 1
        kept.append((f"⟨{_KEY_KIND.get(placeable.kind, placeable.kind)}⟩", WORD))
    kept.extend((text, kind) for _s, _e, text, kind in raw[index:])
    return Keys(
        [text for text, kind in kept if kind == WORD],
        tuple(p.text for p in spans),
        tuple(text for text, kind in kept if kind == PUNCTUATION),
        tuple(text for text, kind in kept if kind == TAG),
    )
