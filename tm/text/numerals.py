"""Numbers in a French→English pair: values written in digits (`1 000,5` = `1,000.5`,
`14 h 30` = `2:30 p.m.`) or in words (`deux cent dix`, `twenty-eight`), and whether both sides
mention the same ones.

`differences` is the one verdict per pair (pair quality's and QA's), tolerant of what
translators change (a number spelled out, a list number dropped, a 12-hour time, a decade);
`numbers_agree` says whether it found none. Where spans are needed, number by number, QA's
findings and the adaptation of a match pair placeables instead (`tm.placeables.pair`)."""

from __future__ import annotations

import re
from collections import Counter
from typing import NamedTuple

from tm.text.tokenise import words

_FRENCH = {
    **dict(
        zip(
            "un une deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze "
            "quinze seize".split(),
            [1, 1, *range(2, 17)],
            strict=True,
        )
    ),
    **{"vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60},
    **{"premier": 1, "première": 1, "deuxième": 2, "second": 2, "seconde": 2, "troisième": 3},
}
_ENGLISH = {
    **dict(
        zip(
            "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
            "fifteen sixteen seventeen eighteen nineteen".split(),
            range(1, 20),
            strict=True,
        )
    ),
    **{"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70},
    **{"eighty": 80, "ninety": 90, "first": 1, "second": 2, "third": 3},
}


def _french_ordinal(cardinal: str) -> str:
    """`cinq` → `cinquième`, `neuf` → `neuvième`, `onze` → `onzième`."""
    stem = {"cinq": "cinqu", "neuf": "neuv"}.get(cardinal, cardinal.removesuffix("e"))
    return stem + "ième"


def _english_ordinal(cardinal: str) -> str:
    """`four` → `fourth`, `twenty` → `twentieth`, `twelve` → `twelfth`."""
    special = {"five": "fifth", "eight": "eighth", "nine": "ninth", "twelve": "twelfth"}
    if cardinal in special:
        return special[cardinal]
    return cardinal[:-1] + "ieth" if cardinal.endswith("y") else cardinal + "th"


_FRENCH.update(
    {_french_ordinal(w): v for w, v in list(_FRENCH.items()) if 4 <= v <= 60 and w != "vingts"}
)
_FRENCH["unième"] = 1  # vingt et unième
_ENGLISH.update({_english_ordinal(w): v for w, v in list(_ENGLISH.items()) if 4 <= v <= 90})
_HUNDRED = {"fr": ("cent", "cents", "centième"), "en": ("hundred", "hundredth")}
_THOUSAND = {"fr": ("mille", "millième"), "en": ("thousand", "thousandth")}
_ROUGHLY = dict(
    zip(
        "dizaine douzaine quinzaine vingtaine trentaine quarantaine cinquantaine soixantaine "
        "centaine millier".split(),
        [10, 12, 15, 20, 30, 40, 50, 60, 100, 1000],
        strict=True,
    )
)
_SCALE = {
    "fr": {
        **{"million": 10**6, "millions": 10**6, "milliard": 10**9, "milliards": 10**9},
        **{"billion": 10**12, "billions": 10**12},  # the long scale
        # approximations, as press releases write them: `une trentaine` = around 30
        **{noun + plural: value for noun, value in _ROUGHLY.items() for plural in ("", "s")},
    },
    "en": {"million": 10**6, "millions": 10**6, "billion": 10**9, "billions": 10**9},
}
_JOIN = {"fr": "et", "en": "and"}


def spelled(text: str, language: str) -> set[str]:
    """The values of the numbers written in words in `text` (`fr` or `en`), as strings."""
    table = _FRENCH if language == "fr" else _ENGLISH
    hundred, thousand, join = _HUNDRED[language], _THOUSAND[language], _JOIN[language]
    scale = _SCALE[language]
    found: set[str] = set()
    total = current = 0
    running = False
    previous = ""
    for word in words(text):
        if word in table:
            value = table[word]
            if language == "fr" and value == 20 and current % 100 == 4 and previous == "quatre":
                current += 76  # quatre-vingt(s): 4 → 80
            else:
                current += value
            running = True
        elif word in hundred and running:
            current = (current or 1) * 100
        elif word in hundred:
            current, running = 100, True
        elif word in thousand:
            total, current, running = total + (current or 1) * 1000, 0, True
        elif word in scale:
            total, current, running = total + (current or 1) * scale[word], 0, True
        elif word == join and running:
            pass
        else:
            if running:
                found.add(str(total + current))
            total = current = 0
            running = False
        previous = word
    if running:
        found.add(str(total + current))
    return found


# A digit glued after a letter or a closing bracket is part of a code or a footnote mark
# (`B30`, `(Malvinas)1`), not a value; so is one glued after a word's comma or full stop
# (`the Advisory Committee,9 and`); and a number never starts inside a run of digits
# (`post2015` holds no `015`).
_NOT_GLUED = r"(?<![^\W_])(?<!\))(?<![^\W\d_][,.;])"
_FRENCH_NUMBER = re.compile(
    _NOT_GLUED + r"(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?|\d+(?:\.\d+)+|\d+(?:,\d+)?)"
)
_ENGLISH_NUMBER = re.compile(
    _NOT_GLUED
    + r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?!\d)|\d+(?:\.\d+)*)"
)
_FRENCH_CLOCK = re.compile(r"\b(\d{1,2}) ?h ?(\d{2})?\b")
_ENGLISH_CLOCK = re.compile(r"\b(\d{1,2}):(\d{2})\b(?!\s*[ap]\.\s?m)", re.IGNORECASE)
_YEAR_RANGE = re.compile(r"\b(\d\d)(\d\d)([-–])(\d\d)\b")
_REFERENCE = re.compile(r"\((\d{1,2})\)")
# `at 0300` or `0300 hours` for `à 3 h 00`
_MILITARY_TIME = re.compile(r"(?:(?<=\bat )|(?<=\bAt ))0(\d)([0-5]\d)\b|\b0(\d)([0-5]\d)(?= hours)")
_ENGLISH_TIME = re.compile(r"\b(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.\s?m\.", re.IGNORECASE)
_LIST_NUMBER = re.compile(r"^\s*(?:\(?\d{1,3}[.)]|\d{1,3}\.\d{1,2}\.?)\s+")
_ELISION = re.compile(r"\b1(?=['’][^\W\d_])")  # `1'espace`: a scanned l
_DIGITS = re.compile(r"\d+")
# `1,5 milliard`, `$1.5 billion`: digits times a scale word (tried only where a run of digits
# starts: from every digit of a long run it took quadratic time)
_SCALED = re.compile(r"(?<!\d)(\d+(?:[.,]\d+)?)\s(millions?|milliards?|billions?)\b", re.IGNORECASE)
_FRENCH_SEPARATORS = str.maketrans({" ": None, "\u00a0": None, "\u202f": None, ",": "."})
_ENGLISH_SEPARATORS = str.maketrans(dict.fromkeys(", \u00a0\u202f\u2009"))
# an English comma that is not a thousands separator (`1,5`): the digit runs alone can't tell
_DECIMAL_COMMA = re.compile(r"\d,(?!\d{3}(?!\d))\d")


def list_label(text: str) -> tuple[int, int] | None:
    """The span of the list number that opens `text` (`13.`, `4)`, `(2)`, `1.2`: a paragraph
    number), or None."""
    match = _LIST_NUMBER.match(text)
    return (match.start(), match.end()) if match else None


def numbers(text: str, *, french: bool) -> Counter[str]:
    """Digit values in `text` as canonical strings (`1 000,5` and `1,000.5` → `1000.5`).

    A list number at the very start (`13.`, `4)`) is left out: translators often drop or
    add it. (Each pattern runs only when the text has the character it needs: this is on the
    path of every pair scored.)
    """
    text = _LIST_NUMBER.sub("", text, count=1)
    if "illi" in text:
        text = _SCALED.sub(lambda m: _scaled(m, french=french), text)
    hours: list[tuple[str, str]] = []
    if french:
        text = _FRENCH_CLOCK.sub(lambda m: _keep(hours, m), text) if "h" in text else text
        if "1'" in text or "1’" in text:
            text = _ELISION.sub("l", text)
        found = [m.translate(_FRENCH_SEPARATORS) for m in _FRENCH_NUMBER.findall(text)]
    else:
        if "0" in text:
            text = _MILITARY_TIME.sub(_clock_time, text)
        if ":" in text:
            text = _ENGLISH_CLOCK.sub(lambda m: _keep(hours, m), text)
        if "-" in text or "–" in text:
            text = _YEAR_RANGE.sub(_full_years, text)
        times: list[tuple[str, str, str]] = []
        if "m." in text or "M." in text:
            times = _ENGLISH_TIME.findall(text)
            text = _ENGLISH_TIME.sub(" ", text)
        found = [m.translate(_ENGLISH_SEPARATORS) for m in _ENGLISH_NUMBER.findall(text)]
        for hour, minutes, half in times:
            found.append(hour)
            if minutes:
                found.append(minutes)
            if half.lower() == "p" and int(hour) < 12:
                found.append(str(int(hour) + 12))
    for hour, minutes in hours:
        found.append(hour)
        if minutes and minutes.strip("0"):
            found.append(minutes)
    return Counter(_canonical(value) for value in found)


def _scaled(match: re.Match[str], *, french: bool) -> str:
    """`1,5 milliard` → `1500000000` (French decimal comma; English thousands comma)."""
    digits, word = match.groups()
    factor = _SCALE["fr" if french else "en"].get(word.lower())
    if factor is None:  # `milliard` in English text: left alone
        return match.group(0)
    digits = digits.replace(",", ".") if french else digits.replace(",", "")
    whole, _, fraction = digits.partition(".")
    if len(whole) + len(fraction) > 30:  # no amount; int() refuses over 4,300 digits
        return match.group(0)
    value = int(whole) * factor + (int(fraction) * factor // 10 ** len(fraction) if fraction else 0)
    return str(value)


def _keep(hours: list[tuple[str, str]], match: re.Match[str]) -> str:
    """Note a clock time's hour and minutes in `hours`; blank it out of the text."""
    hours.append((match.group(1), match.group(2) or ""))
    return " "


def _full_years(match: re.Match[str]) -> str:
    """`1995-96` → `1995-1996` (only for consecutive years: `SOR/2013-19` is not a range)."""
    century, year, dash, short = match.groups()
    if (int(year) + 1) % 100 != int(short):
        return match.group(0)
    return f"{century}{year}{dash}{century if short != '00' else int(century) + 1}{short}"


def _clock_time(match: re.Match[str]) -> str:
    hour, minutes = match.group(1, 2) if match.group(1) else match.group(3, 4)
    return f"{hour}:{minutes}"


def _decades(missing: set[str], extra: set[str]) -> None:
    """Drop `60` from `missing` and `1960` from `extra` (`les années 60`, `the 1960s`)."""
    for value in sorted(missing):
        if len(value) == 2 and value.endswith("0"):
            for century in ("19", "20"):
                if century + value in extra:
                    missing.discard(value)
                    extra.discard(century + value)
                    break


def _canonical(value: str) -> str:
    whole, _, fraction = value.partition(".")
    whole = whole.lstrip("0") or "0"
    fraction = fraction.rstrip("0")
    return f"{whole}.{fraction}" if fraction else whole


def _is_afternoon_echo(value: str, french: Counter[str]) -> bool:
    return len(value) <= 2 and value.isdigit() and str(int(value) + 12) in french


def _unjoin(run_together: set[str], other: set[str], parts: Counter[str]) -> None:
    """Drop from `run_together` the values that are two of `parts` run together (`2014-2020`
    read as `20142020`), and those two from `other` (in place)."""
    for value in sorted(run_together):
        for cut in range(1, len(value)):
            first, second = value[:cut], value[cut:]
            if value.isdigit() and first in parts and second in parts:
                run_together.discard(value)
                other.difference_update((first, second))
                break


def numbers_agree(source: str, target: str) -> bool:
    """True when both sides mention the same numeric values (`differences` finds none)."""
    found = differences(source, target)
    return not found.missing and not found.extra


class Differences(NamedTuple):
    """How the numbers of a French→English pair differ (all empty when they agree)."""

    missing: frozenset[str]
    """Values of the French that the English lacks."""
    extra: frozenset[str]
    """Values of the English that the French lacks."""
    fewer: frozenset[str]
    """Values the English writes fewer times than the French (a repetition is tolerated on
    its own; beside an `extra` value it is one of the French values changed)."""


def differences(source: str, target: str) -> Differences:
    """The numeric values on one side only of a pair (see `Differences`).

    Accepted differences: a 12-hour English time for a 24-hour French one, a small number
    written in digits on one side and in words on the other (`4 postes` / `four posts`), a
    value repeated on one side only, and two values run together on one side (`15-64` /
    `1564`: a lost dash).
    """
    runs = _DIGITS.findall(source)
    if sorted(runs) == sorted(_DIGITS.findall(target)) and not (
        "," in target and _DECIMAL_COMMA.search(target)
    ):
        return _AGREE  # the same digits in the same groups: the common case, decided fast
    french = numbers(source, french=True)
    english = numbers(target, french=False)
    if french == english:
        return _AGREE
    missing = set(french) - set(english)
    # a reference such as "subsection (1)" is often spelled out in English only
    extra = set(english) - set(french) - set(_REFERENCE.findall(target))
    _unjoin(missing, extra, english)
    _unjoin(extra, missing, french)
    _decades(missing, extra)
    missing -= spelled(target, "en")
    if extra:
        written = spelled(source, "fr")
        extra = {v for v in extra if v not in written and not _is_afternoon_echo(v, french)}
    fewer = frozenset(v for v, count in french.items() if 0 < english[v] < count)
    return Differences(frozenset(missing), frozenset(extra), fewer)


_AGREE = Differences(frozenset(), frozenset(), frozenset())
