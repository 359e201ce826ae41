"""Finding placeables in a text with a language's rules, and rendering them in English."""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from tm.placeables import rendering
from tm.placeables.placeable import Placeable
from tm.placeables.rules import ENGLISH, FRENCH, Language

_DIGITS_RE = re.compile(r"\d+")
_SPACE = re.compile(r"\s")  # the characters str.isspace() accepts
_OPENING = "([{«\"'“‘"
# The characters that may come before a placeable's first digit: a sign, a currency symbol
# or code (EUR, USD, CAD, GBP, CHF, JPY, AUD, US$, C$), a month name.
_LEADING = frozenset("-−€£¥$ECUGJAjfmasondJFMASOND")


def _token_start(spaces: list[int], index: int, floor: int) -> int:
    """Where the token holding `index` starts (not before `floor`), from the text's space
    offsets (walking back char by char from every digit of a long token took quadratic time)."""
    before = bisect_left(spaces, index)
    return max(floor, spaces[before - 1] + 1 if before else 0)


def _starts(text: str, floor: int, digit: int, spaces: list[int]) -> list[int]:
    """Where a placeable holding the digit at `digit` may begin, earliest first.

    Every placeable holds a digit and begins at it, at the start of its token (`€3`, `−5`)
    or at the start of the token before (`novembre 2023`, `CAD 10 000`)."""
    token = _token_start(spaces, digit, floor)
    previous = token - 1
    if previous > floor:
        previous = _token_start(spaces, previous, floor)
    starts: list[int] = []
    for start in (previous, token):
        while start < digit and text[start] in _OPENING:
            start += 1
        if floor <= start < digit and text[start] in _LEADING and start not in starts:
            starts.append(start)
    starts.append(digit)
    return starts


def _resolve(text: str, start: int, language: Language) -> tuple[Placeable, str] | None:
    """The placeable beginning at `start`: the first rule that matches there and parses."""
    hit = language.master.match(text, start)
    if hit is None:
        return None
    for rule in language.rules[int((hit.lastgroup or "r0")[1:]) :]:
        match = rule.regex.match(text, start)
        if match is not None and match.end() > start:
            parsed = rule.parse(match)
            if parsed is not None:
                kind, value, english = parsed
                return Placeable(kind, match.group(), start, match.end(), value), english
    return None


def scan(text: str, language: Language) -> list[tuple[Placeable, str]]:
    """Placeables of `text` with their English renderings, left to right, non-overlapping."""
    found: list[tuple[Placeable, str]] = []
    position = 0
    digits = _DIGITS_RE.search(text)
    spaces = [space.start() for space in _SPACE.finditer(text)] if digits else []
    while digits is not None:
        position = digits.end()
        floor = found[-1][0].end if found else 0
        for start in _starts(text, floor, digits.start(), spaces):
            resolved = _resolve(text, start, language)
            if resolved is not None:
                found.append(resolved)
                position = resolved[0].end
                break
        digits = _DIGITS_RE.search(text, position)
    return found


def find_french(text: str) -> list[Placeable]:
    """Placeables in French text, left to right, non-overlapping, longest first.

    >>> [(p.kind, p.value) for p in find_french("Le 28 novembre 2023, 1 000,5 t à 12,5 %.")]
    [('date', '2023-11-28'), ('number', '1000.5'), ('percent', '12.5%')]
    """
    return [placeable for placeable, _ in scan(text, FRENCH)]


def find_english(text: str) -> list[Placeable]:
    """Placeables in English text: `1,000.5`, `2.5%`, `€3 million`, `3 million euros`,
    `28 November 2023`, `November 28, 2023`, `1 March`, `2:30 p.m.`, `14:30`, `1st`, `2023`."""
    return [placeable for placeable, _ in scan(text, ENGLISH)]


def to_english(placeable: Placeable) -> str:
    """The English rendering (institutional British style) of a placeable's value.

    `1 000,5` → `1,000.5`; `2,5 %` → `2.5%`; `3 millions d'euros` → `€3 million`;
    `28 novembre 2023` → `28 November 2023`; `14 h 30` → `2:30 p.m.`; `1er` → `1st`.
    A placeable whose text does not read back to its value is rendered from the value.
    """
    return _english(placeable.kind, placeable.text, placeable.value)


@lru_cache(maxsize=4096)
def _english(kind: str, text: str, value: str) -> str:
    for language in (FRENCH, ENGLISH):
        found = scan(text, language)
        if len(found) == 1:
            again, english = found[0]
            if again.text == text and again.value == value:
                return english
    return rendering.from_value(Placeable(kind, text, 0, len(text), value))
