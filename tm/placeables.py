"""Placeables: numbers, percentages, amounts, dates, times, ordinals and years found in French
and English text as typed spans with a language-independent value, and localised FR→EN.

`find_french` / `find_english` scan left to right; at each position the longest construct wins
(a date before its day number, an amount before its number), spans never overlap. `value` is
equal across the two languages for the same quantity, so `same_value` can check a (French
source, English target) pair and the matcher can substitute a query's values into a target.

Decisions (pinned in tests/test_placeables.py):

- French numbers group thousands with a space, NBSP (U+00A0), narrow NBSP (U+202F) or thin
  space; a group joins only if it is exactly three digits and the first group has one to three
  (`5 2023` and `les 11 et 12` are two numbers). English groups with commas. A plain integer
  (`article 5`) is a number; `millions`/`milliards`/`billions` after a number scale it
  (French `billion` is 10¹²).
- Digits attached to letters, slashes, dots or a letter-hyphen are codes, not placeables:
  `A400M`, `G7`, `F-35`, `COVID-19`, `S/RES/2334`, `3.2.1`, `2023/24`, `10km`.
- A standalone 4-digit integer from 1900 to 2100 is a `year`; inside a date it is part of the
  date; `same_value` treats number and year as one kind.
- Dates: day month [year], `1er mars`, month year (value `2023-11`), `28/11/2023` (day first,
  in English too: British style), ISO `2023-11-28`. A weekday and `le` stay outside the span.
  Impossible dates (`31 février`) are not dates (the day is then a plain number).
- Times: `14 h 30`, `14h`, `14:30`, `à 14 heures` (`heures` only after `à`: otherwise it is a
  duration). English: `2:30 p.m.`, `2.30 pm`, `2pm`, `14:30`, `12 noon`, `12 midnight`.
  Rendering is 12-hour with a.m./p.m.; 12:00 renders `12 noon` and 00:00 `12 midnight`
  (unambiguous, and both parse back).
- Ordinals: `1er`, `1re`, `2e`, `2ᵉ`, `2ème`, `2nd`, `2nde` (French); `1st`, `22nd` (English).
  Roman numerals (`XXIe siècle`) are not recognised: they are words to the matcher.
- Amounts: the currency is an ISO code (EUR, USD, CAD, GBP, CHF, JPY, AUD); bare `dollars`
  and `$` are USD. English renders €/$/£/¥ as a prefix (`€3 million`), other codes as
  `CAD 10,000`; magnitude words are kept (`3 millions d'euros` → `€3 million`), `k` is
  multiplied out (`5 k€` → `€5,000`).
- Rendering keeps the decimals as written (`12,50 €` → `€12.50`); an unseparated 4-digit
  integer stays unseparated (`2500` → `2500`: it is often an identifier), others get commas.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

KINDS = ("number", "percent", "amount", "date", "time", "ordinal", "year")


@dataclass(frozen=True)
class Placeable:
    """A typed span of text with a canonical value, e.g. `number` `1 000,5` → `1000.5`.

    Values: number `1000.5`; percent `12.5%`; amount `3000000 EUR`; date `2023-11-28`,
    `--11-28` (no year) or `2023-11` (no day); time `14:30`; ordinal `1`; year `2023`.
    """

    kind: str
    text: str
    start: int
    end: int
    value: str


# One kind, value and English rendering, computed from a rule's match.
_Parsed = tuple[str, str, str]


@dataclass(frozen=True)
class _Rule:
    kind: str
    regex: re.Pattern[str]
    parse: Callable[[re.Match[str]], _Parsed | None]


@dataclass(frozen=True)
class _Language:
    master: re.Pattern[str]
    rules: tuple[_Rule, ...]


# ---------------------------------------------------------------- vocabulary

_MONTHS_EN = (
    "January February March April May June July August September October November December"
).split()
_MONTH_NUMBER_FR = {
    name: number
    for number, names in enumerate(
        (
            "janvier janv.",
            "février fevrier févr. fevr.",
            "mars",
            "avril avr.",
            "mai",
            "juin",
            "juillet juil.",
            "août aout",
            "septembre sept.",
            "octobre oct.",
            "novembre nov.",
            "décembre decembre déc. dec.",
        ),
        start=1,
    )
    for name in names.split()
}
_MONTH_NUMBER_EN = {name.casefold(): number for number, name in enumerate(_MONTHS_EN, start=1)}
_MONTH_NUMBER_EN.update(
    {
        f"{name}.": number
        for number, name in enumerate(
            "jan feb mar apr - jun jul aug sep oct nov dec".split(), start=1
        )
        if name != "-"
    }
)
_MONTH_NUMBER_EN["sept."] = 9

_MAGNITUDE = {
    # French words and abbreviations (billion is 10^12 in French)
    "million": 6,
    "millions": 6,
    "milliard": 9,
    "milliards": 9,
    "billion": 12,
    "billions": 12,
    "k": 3,
    "K": 3,
    "M": 6,
    "Md": 9,
    "Mds": 9,
    "Mrd": 9,
    "Mrds": 9,
    "G": 9,
}
_MAGNITUDE_EN = {"thousand": 3, "million": 6, "billion": 9, "trillion": 12}
_MAGNITUDE_EN.update({"k": 3, "m": 6, "bn": 9, "tn": 12})
_MAGNITUDE_WORD_EN = {6: "million", 9: "billion", 12: "trillion"}

# Ordered: the first rule whose marker occurs in the (casefolded, unspaced) currency text wins.
_CURRENCY_RULES = (
    (("chf", "franc"), "CHF"),
    (("cad", "canad", "c$", "ca$", "$ca"), "CAD"),
    (("aud", "austral", "a$"), "AUD"),
    (("gbp", "£", "livre", "pound", "sterling"), "GBP"),
    (("jpy", "¥", "yen"), "JPY"),
    (("eur", "€"), "EUR"),
    (("usd", "$", "dollar"), "USD"),
)
_SYMBOL_EN = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}

# ---------------------------------------------------------------- regex pieces

_SP = "[ \u00a0\u202f\u2009]"
_START = r"(?<![\w/.,])(?<![^\W\d_][-‑–−])"  # not glued to a word, code or letter-hyphen
_END = r"(?![\w/]|[.,]\d)"
_NUM_FR = rf"(?P<sign>[-−])?(?P<int>\d{{1,3}}(?:{_SP}\d{{3}})+(?!\d)|\d+)(?:,(?P<frac>\d+))?"
_NUM_EN = r"(?P<sign>[-−])?(?P<int>\d{1,3}(?:,\d{3})+(?!\d)|\d+)(?:\.(?P<frac>\d+))?"
_ISO = "(?:EUR|USD|CAD|GBP|CHF|JPY|AUD)(?![A-Za-z])"


def _alternation(names: list[str]) -> str:
    return "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))


def _cased(names: list[str]) -> list[str]:
    return [form for name in names for form in (name, name.capitalize(), name.upper())]


_MONTH_FR = (
    rf"(?P<month>(?:{_alternation(_cased([n for n in _MONTH_NUMBER_FR if not n.endswith('.')]))})"
    rf"(?!\w)|{_alternation(_cased([n for n in _MONTH_NUMBER_FR if n.endswith('.')]))})"
)
_MONTH_EN = (
    rf"(?P<month>(?:{_alternation([m for m in _MONTHS_EN] + [m.upper() for m in _MONTHS_EN])})"
    rf"(?!\w)|{_alternation([n.capitalize() for n in _MONTH_NUMBER_EN if n.endswith('.')])})"
)
_DAY = r"(?P<day>[12]\d|3[01]|0?[1-9])"
_YEAR = r"(?P<year>[12]\d{3})(?!\d)"
_CUR_SYMBOL_FR = rf"(?:€|£|¥|\$(?:{_SP}?(?:CAN|CA|US)(?![A-Za-z]))?)"
_CUR_WORD_FR = (
    rf"(?:euros?|dollars?(?:{_SP}(?:américains|canadiens|australiens|US|des{_SP}États-Unis))?"
    rf"|livres?{_SP}sterling|francs?{_SP}suisses?|yens?)(?!\w)"
)
_CUR_EN = (
    rf"(?:(?:US|Canadian|Swiss|Australian){_SP})?(?:dollars?|euros?|francs|yen"
    rf"|pounds{_SP}sterling)(?!\w)|{_ISO}"
)


# ---------------------------------------------------------------- values and renderings


def _canon(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return "0" if text == "-0" else text


def _number(match: re.Match[str]) -> tuple[Decimal, str]:
    """The value of the sign/int/frac groups and their English rendering."""
    written = match["int"]
    digits = re.sub(r"\D", "", written)
    frac = match["frac"] or ""
    sign = "-" if match["sign"] else ""
    value = Decimal(f"{sign}{digits}.{frac}" if frac else f"{sign}{digits}")
    grouped = len(digits) > 4 or not written.isdigit()
    body = f"{int(digits):,}" if grouped else digits
    return value, f"{sign}{body}.{frac}" if frac else f"{sign}{body}"


def _scaled(
    value: Decimal, english: str, magnitude: str | None, table: dict[str, int]
) -> tuple[Decimal, str]:
    """Apply a magnitude word or abbreviation; keep million/billion/trillion as words."""
    if not magnitude:
        return value, english
    exponent = table.get(magnitude) or table.get(magnitude.casefold(), 0)
    scaled = value.scaleb(exponent)
    if exponent in _MAGNITUDE_WORD_EN:
        return scaled, f"{english} {_MAGNITUDE_WORD_EN[exponent]}"
    return scaled, format(scaled.normalize(), ",f")


def _currency(text: str) -> str:
    folded = re.sub(_SP, "", text).casefold()
    for markers, code in _CURRENCY_RULES:
        if any(marker in folded for marker in markers):
            return code
    return "EUR"


def _money(code: str, amount: str) -> str:
    symbol = _SYMBOL_EN.get(code)
    return f"{symbol}{amount}" if symbol else f"{code} {amount}"


def _ordinal_suffix(number: int) -> str:
    if number % 100 in (11, 12, 13):
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")


def _english_time(hour: int, minute: int) -> str:
    if minute == 0 and hour in (0, 12):
        return "12 noon" if hour == 12 else "12 midnight"
    suffix = "a.m." if hour < 12 else "p.m."
    clock = hour % 12 or 12
    return f"{clock} {suffix}" if minute == 0 else f"{clock}:{minute:02d} {suffix}"


def _english_date(year: int | None, month: int, day: int | None) -> _Parsed | None:
    if day is not None:
        try:
            date(year or 2000, month, day)  # 2000 is a leap year: 29 February alone is valid
        except ValueError:
            return None
    name = _MONTHS_EN[month - 1]
    if day is None:
        return "date", f"{year:04d}-{month:02d}", f"{name} {year}"
    if year is None:
        return "date", f"--{month:02d}-{day:02d}", f"{day} {name}"
    return "date", f"{year:04d}-{month:02d}-{day:02d}", f"{day} {name} {year}"


# ---------------------------------------------------------------- parsers (one per rule shape)


def _number_parser(table: dict[str, int]) -> Callable[[re.Match[str]], _Parsed | None]:
    def parse(match: re.Match[str]) -> _Parsed:
        value, english = _number(match)
        magnitude = match.groupdict().get("mag")
        if (
            not magnitude
            and not match["sign"]
            and not match["frac"]
            and match["int"].isdigit()
            and len(match["int"]) == 4
            and 1900 <= int(match["int"]) <= 2100
        ):
            return "year", match["int"], match["int"]
        value, english = _scaled(value, english, magnitude, table)
        return "number", _canon(value), english

    return parse


def _parse_percent(match: re.Match[str]) -> _Parsed:
    value, english = _number(match)
    return "percent", f"{_canon(value)}%", f"{english}%"


def _amount_parser(table: dict[str, int]) -> Callable[[re.Match[str]], _Parsed | None]:
    def parse(match: re.Match[str]) -> _Parsed:
        value, english = _number(match)
        value, english = _scaled(value, english, match["mag"], table)
        code = _currency(match["cur"])
        return "amount", f"{_canon(value)} {code}", _money(code, english)

    return parse


def _parse_ordinal(match: re.Match[str]) -> _Parsed:
    number = int(match["n"])
    return "ordinal", str(number), f"{number}{_ordinal_suffix(number)}"


def _parse_time(match: re.Match[str]) -> _Parsed:
    groups = match.groupdict()
    if groups.get("special"):
        hour, minute = (12, 0) if groups["special"] == "noon" else (0, 0)
    else:
        hour, minute = int(match["hour"]), int(groups.get("min") or 0)
        meridiem = groups.get("ap")
        if meridiem:
            hour = hour % 12 + (12 if meridiem[0] in "pP" else 0)
    return "time", f"{hour:02d}:{minute:02d}", _english_time(hour, minute)


def _date_parser(months: dict[str, int]) -> Callable[[re.Match[str]], _Parsed | None]:
    def parse(match: re.Match[str]) -> _Parsed | None:
        groups = match.groupdict()
        month_text = groups.get("month")
        month = months[month_text.casefold()] if month_text else int(match["mon"])
        if not 1 <= month <= 12:
            return None
        day_text = groups.get("day")
        day = int(day_text[:2].rstrip("eᵉr")) if day_text else None
        year = int(groups["year"]) if groups.get("year") else None
        return _english_date(year, month, day)

    return parse


# ---------------------------------------------------------------- rules


def _language(rules: list[tuple[str, str, Callable[[re.Match[str]], _Parsed | None]]]) -> _Language:
    compiled = tuple(_Rule(kind, re.compile(pattern), parse) for kind, pattern, parse in rules)
    anonymous = [re.sub(r"\(\?P<\w+>", "(?:", pattern) for _, pattern, _ in rules]
    master = "|".join(f"(?P<r{index}>{pattern})" for index, pattern in enumerate(anonymous))
    return _Language(re.compile(master), compiled)


_ISO_DATE = rf"{_START}(?P<year>[12]\d{{3}})-(?P<mon>\d\d)-(?P<day>\d\d){_END}"
_SLASH_DATE = rf"{_START}{_DAY}[/.](?P<mon>1[0-2]|0?[1-9])[/.]{_YEAR}{_END}"
_date_fr = _date_parser(_MONTH_NUMBER_FR)
_date_en = _date_parser(_MONTH_NUMBER_EN)
_amount_fr = _amount_parser(_MAGNITUDE)
_amount_en = _amount_parser(_MAGNITUDE_EN)
_CLOCK = rf"{_START}(?P<hour>[01]?\d|2[0-3]):(?P<min>[0-5]\d){_END}"

_FRENCH = _language(
    [
        ("date", _ISO_DATE, _date_fr),
        ("date", _SLASH_DATE, _date_fr),
        (
            "date",
            rf"{_START}(?P<day>1er|1ᵉʳ|[12]\d|3[01]|0?[1-9])(?!\d){_SP}{_MONTH_FR}"
            rf"(?:{_SP}{_YEAR})?",
            _date_fr,
        ),
        ("date", rf"(?<!\w){_MONTH_FR}{_SP}{_YEAR}", _date_fr),
        (
            "amount",
            rf"{_START}(?P<cur>{_ISO}){_SP}{_NUM_FR}(?:{_SP}(?P<mag>millions?|milliards?)(?!\w)|{_END})",
            _amount_fr,
        ),
        (
            "amount",
            rf"{_START}{_NUM_FR}{_SP}(?P<mag>millions?|milliards?|billions?)"
            rf"(?P<cur>{_SP}?(?:{_CUR_SYMBOL_FR}|{_ISO})|{_SP}(?:d['’]|de{_SP}){_CUR_WORD_FR})",
            _amount_fr,
        ),
        (
            "amount",
            rf"{_START}{_NUM_FR}{_SP}?(?:(?P<mag>Mds|Mrds|Mrd|Md|M|k|K|G){_SP}?)?"
            rf"(?P<cur>{_CUR_SYMBOL_FR}|{_ISO})",
            _amount_fr,
        ),
        ("amount", rf"{_START}{_NUM_FR}{_SP}(?P<mag>)(?P<cur>{_CUR_WORD_FR})", _amount_fr),
        ("percent", rf"{_START}{_NUM_FR}{_SP}?(?:%|pour{_SP}cent(?!\w))", _parse_percent),
        (
            "time",
            rf"{_START}(?P<hour>[01]?\d|2[0-3]){_SP}?h(?:{_SP}?(?P<min>[0-5]\d)(?!\d)|(?!\w))",
            _parse_time,
        ),
        (
            "time",
            rf"(?<=[àÀ][ \u00a0])(?P<hour>[01]?\d|2[0-3]){_SP}heures?"
            rf"(?:{_SP}(?P<min>[0-5]\d)(?!\d)|(?!\w))",
            _parse_time,
        ),
        ("time", _CLOCK, _parse_time),
        (
            "ordinal",
            rf"{_START}(?P<n>\d+)(?:ères?|ers?|res?|èmes?|ᵉʳˢ?|ʳᵉˢ?|ᵉˢ?|es?|nde?s?)(?!\w)",
            _parse_ordinal,
        ),
        (
            "number",
            rf"{_START}{_NUM_FR}(?:{_SP}(?P<mag>millions?|milliards?|billions?)(?!\w)|{_END})",
            _number_parser(_MAGNITUDE),
        ),
    ]
)

_ENGLISH = _language(
    [
        ("date", _ISO_DATE, _date_en),
        ("date", _SLASH_DATE, _date_en),
        (
            "date",
            rf"{_START}{_DAY}(?:st|nd|rd|th)?(?!\w){_SP}(?:of{_SP})?{_MONTH_EN}"
            rf"(?:,?{_SP}{_YEAR})?",
            _date_en,
        ),
        (
            "date",
            rf"(?<!\w){_MONTH_EN}{_SP}{_DAY}(?:st|nd|rd|th)?(?!\w)(?:,?{_SP}{_YEAR})?",
            _date_en,
        ),
        ("date", rf"(?<!\w){_MONTH_EN}{_SP}{_YEAR}", _date_en),
        (
            "amount",
            rf"{_START}(?P<cur>US\$|CA?N?\$|A\$|€|£|¥|\$|{_ISO}){_SP}?{_NUM_EN}"
            rf"(?:{_SP}?(?P<mag>thousand|million|billion|trillion|bn|tn|m|k)(?!\w)|{_END})",
            _amount_en,
        ),
        (
            "amount",
            rf"{_START}{_NUM_EN}(?:{_SP}(?P<mag>thousand|million|billion|trillion))?{_SP}"
            rf"(?P<cur>{_CUR_EN})",
            _amount_en,
        ),
        ("percent", rf"{_START}{_NUM_EN}{_SP}?(?:%|per{_SP}?cent(?!\w))", _parse_percent),
        ("time", rf"{_START}12{_SP}(?P<special>noon|midnight)(?!\w)", _parse_time),
        (
            "time",
            rf"{_START}(?P<hour>1[0-2]|0?[1-9])(?:[:.](?P<min>[0-5]\d))?{_SP}?"
            r"(?P<ap>[aApP]\.[mM]\.?|[aApP][mM](?!\w))",
            _parse_time,
        ),
        ("time", _CLOCK, _parse_time),
        ("ordinal", rf"{_START}(?P<n>\d+)(?:st|nd|rd|th)(?!\w)", _parse_ordinal),
        (
            "number",
            rf"{_START}{_NUM_EN}(?:{_SP}(?P<mag>thousand|million|billion|trillion)(?!\w)|{_END})",
            _number_parser(_MAGNITUDE_EN),
        ),
    ]
)


# ---------------------------------------------------------------- public functions


def _scan(text: str, language: _Language) -> list[tuple[Placeable, str]]:
    found: list[tuple[Placeable, str]] = []
    position = 0
    while (hit := language.master.search(text, position)) is not None:
        start = hit.start()
        first = int((hit.lastgroup or "r0")[1:])
        for rule in language.rules[first:]:
            match = rule.regex.match(text, start)
            parsed = rule.parse(match) if match is not None else None
            if match is not None and parsed is not None and match.end() > start:
                kind, value, english = parsed
                found.append((Placeable(kind, match.group(), start, match.end(), value), english))
                position = match.end()
                break
        else:
            position = start + 1
    return found


def find_french(text: str) -> list[Placeable]:
    """Placeables in French text, left to right, non-overlapping, longest first.

    >>> [(p.kind, p.value) for p in find_french("Le 28 novembre 2023, 1 000,5 t à 12,5 %.")]
    [('date', '2023-11-28'), ('number', '1000.5'), ('percent', '12.5%')]
    """
    return [placeable for placeable, _ in _scan(text, _FRENCH)]


def find_english(text: str) -> list[Placeable]:
    """Placeables in English text (`1,000.5`, `2.5%`, `€3 million`, `November 28, 2023`, …)."""
    return [placeable for placeable, _ in _scan(text, _ENGLISH)]


def to_english(placeable: Placeable) -> str:
    """The English rendering (institutional British style) of a placeable's value.

    `1 000,5` → `1,000.5`; `2,5 %` → `2.5%`; `3 millions d'euros` → `€3 million`;
    `28 novembre 2023` → `28 November 2023`; `14 h 30` → `2:30 p.m.`; `1er` → `1st`.
    """
    for language in (_FRENCH, _ENGLISH):
        found = _scan(placeable.text, language)
        if len(found) == 1:
            (again, english), *_ = found
            if again.text == placeable.text and again.value == placeable.value:
                return english
    return _from_value(placeable)


def _from_value(placeable: Placeable) -> str:
    """Render from the value alone (a placeable built by hand, or text that does not parse)."""
    kind, value = placeable.kind, placeable.value
    try:
        if kind in ("number", "percent", "amount"):
            number, _, code = value.rstrip("%").partition(" ")
            amount = format(Decimal(number), ",f")
            if kind == "percent":
                return f"{amount}%"
            return _money(code, amount) if kind == "amount" else amount
        if kind == "date":
            parts = value.lstrip("-").split("-")
            if value.startswith("--"):
                parsed = _english_date(None, int(parts[0]), int(parts[1]))
            else:
                day = int(parts[2]) if len(parts) > 2 else None
                parsed = _english_date(int(parts[0]), int(parts[1]), day)
            return parsed[2] if parsed else placeable.text
        if kind == "time":
            hour, minute = value.split(":")
            return _english_time(int(hour), int(minute))
        if kind == "ordinal":
            return f"{int(value)}{_ordinal_suffix(int(value))}"
    except (ArithmeticError, ValueError, IndexError):
        return placeable.text
    return value


_NUMERIC = frozenset({"number", "year"})


def same_value(a: Placeable, b: Placeable) -> bool:
    """Whether two placeables (any languages) stand for the same value; number ≡ year."""
    if a.kind != b.kind and not (a.kind in _NUMERIC and b.kind in _NUMERIC):
        return False
    if a.value == b.value:
        return True
    if a.kind in _NUMERIC or a.kind == "percent":
        try:
            return Decimal(a.value.rstrip("%")) == Decimal(b.value.rstrip("%"))
        except ArithmeticError:
            return False
    return False


def mask(text: str, placeables: list[Placeable]) -> str:
    """`text` with each placeable replaced by a typed token, e.g. `le ⟦date⟧ à ⟦time⟧`."""
    parts: list[str] = []
    last = 0
    for placeable in sorted(placeables, key=lambda p: p.start):
        if placeable.start < last:
            continue
        parts.append(text[last : placeable.start])
        parts.append(f"⟦{placeable.kind}⟧")
        last = placeable.end
    parts.append(text[last:])
    return "".join(parts)
