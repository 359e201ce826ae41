"""The recognition rules: one regular expression and one parser per placeable shape, per
language, in priority order (a date before its day number, an amount before its number)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

from tm.placeables import rendering
from tm.placeables.rendering import Parsed

Parser = Callable[[re.Match[str]], Parsed | None]


@dataclass(frozen=True)
class Rule:
    """One placeable shape: its pattern and the parser of its matches (None: not valid)."""

    kind: str
    pattern: str
    parse: Parser

    @cached_property
    def regex(self) -> re.Pattern[str]:
        """The pattern compiled on first use: compiling every rule costs a tenth of a second
        at start-up, and text without digits never needs them (`tm.placeables.scanner`)."""
        return re.compile(self.pattern)


@dataclass(frozen=True)
class Language:
    """A language's rules, and one regex of them all (named `r0`, `r1`, … in rule order),
    compiled on first use as each rule's."""

    rules: tuple[Rule, ...]

    @cached_property
    def master(self) -> re.Pattern[str]:
        anonymous = [re.sub(r"\(\?P<\w+>", "(?:", rule.pattern) for rule in self.rules]
        master = "|".join(f"(?P<r{index}>{pattern})" for index, pattern in enumerate(anonymous))
        return re.compile(master)


def _language(rules: list[tuple[str, str, Parser]]) -> Language:
    return Language(tuple(Rule(kind, pattern, parse) for kind, pattern, parse in rules))


# ---------------------------------------------------------------- vocabulary

_MONTHS_FR = {
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
_MONTHS_EN = {name.casefold(): number for number, name in enumerate(rendering.MONTHS, start=1)}
_MONTHS_EN.update(
    (f"{name}.", number)
    for number, name in enumerate("jan feb mar apr - jun jul aug sep oct nov dec".split(), 1)
    if name != "-"
)
_MONTHS_EN["sept."] = 9

# Powers of ten; French `billion` is 10¹², `milliard` 10⁹.
_MAGNITUDES_FR = {"million": 6, "millions": 6, "milliard": 9, "milliards": 9}
_MAGNITUDES_FR |= {"billion": 12, "billions": 12, "k": 3, "K": 3, "M": 6, "G": 9}
_MAGNITUDES_FR |= {"Md": 9, "Mds": 9, "Mrd": 9, "Mrds": 9}
_MAGNITUDES_EN = {"thousand": 3, "million": 6, "billion": 9, "trillion": 12}
_MAGNITUDES_EN |= {"k": 3, "m": 6, "bn": 9, "tn": 12}

# Ordered: the first code one of whose markers occurs in the currency text wins.
_CURRENCIES = (
    (("chf", "franc"), "CHF"),
    (("cad", "canad", "c$", "ca$", "$ca"), "CAD"),
    (("aud", "austral", "a$"), "AUD"),
    (("gbp", "£", "livre", "pound", "sterling"), "GBP"),
    (("jpy", "¥", "yen"), "JPY"),
    (("eur", "€"), "EUR"),
    (("usd", "$", "dollar"), "USD"),
)

# ---------------------------------------------------------------- pattern pieces

SP = "[ \u00a0\u202f\u2009]"  # one space, no-break space, narrow no-break space or thin space
_START = r"(?<![\w/.,])(?<![^\W\d_][-‑–−])"  # not glued to a word, a code, a letter-hyphen
_END = r"(?![\w/]|[.,]\d)"
# Atomic groups: a number never gives digits back, which keeps failing rules cheap.
_NUM_FR = rf"(?>(?P<sign>[-−])?(?P<int>\d{{1,3}}(?:{SP}\d{{3}})+(?!\d)|\d+)(?:,(?P<frac>\d+))?)"
_NUM_EN = (
    rf"(?>(?P<sign>[-−])?(?P<int>\d{{1,3}}(?:,\d{{3}})+(?!\d)|\d{{1,3}}(?:{SP}\d{{3}})+(?!\d)|\d+)"
    r"(?:\.(?P<frac>\d+))?)"
)
_ISO = "(?:EUR|USD|CAD|GBP|CHF|JPY|AUD)(?![A-Za-z])"


def _alternation(names: list[str]) -> str:
    return "|".join(re.escape(name) for name in sorted(names, key=len, reverse=True))


def _month(names: list[str], initials: str) -> str:
    words = _alternation([name for name in names if not name.endswith(".")])
    abbreviations = _alternation([name for name in names if name.endswith(".")])
    return rf"(?=[{initials}])(?P<month>(?:{words})(?!\w)|{abbreviations})"


_MONTH_FR = _month(
    [form for name in _MONTHS_FR for form in (name, name.capitalize(), name.upper())],
    "jfmasondJFMASOND",
)
_MONTH_EN = _month(
    [name.capitalize() for name in _MONTHS_EN] + [name.upper() for name in rendering.MONTHS],
    "JFMASOND",
)
_DAY = r"(?P<day>[12]\d|3[01]|0?[1-9])"
_YEAR = r"(?P<year>[12]\d{3})(?!\d)"
_CURRENCY_SYMBOL_FR = rf"(?:€|£|¥|\$(?:{SP}?(?:CAN|CA|US)(?![A-Za-z]))?)"
_CURRENCY_WORD_FR = (
    rf"(?:euros?|dollars?(?:{SP}(?:américains|canadiens|australiens|US|des{SP}États-Unis))?"
    rf"|livres?{SP}sterling|francs?{SP}suisses?|yens?)(?!\w)"
)
_CURRENCY_EN = (
    rf"(?:(?:US|Canadian|Swiss|Australian){SP})?(?:dollars?|euros?|francs|yen"
    rf"|pounds{SP}sterling)(?!\w)|{_ISO}"
)
_ISO_DATE = rf"{_START}(?P<year>[12]\d{{3}})-(?P<mon>\d\d)-(?P<day>\d\d){_END}"
_SLASH_DATE = rf"{_START}{_DAY}[/.](?P<mon>1[0-2]|0?[1-9])[/.]{_YEAR}{_END}"
_CLOCK_WORDS = "(?:{})".format(
    "|".join(
        rf"(?<={word}[ \u00a0])"
        for word in ("à", "À", "vers", "Vers", "après", "Après", "avant", "Avant", "dès", "Dès")
    )
)
_CLOCK = rf"{_START}(?P<hour>[01]?\d|2[0-3]):(?P<min>[0-5]\d){_END}"

# ---------------------------------------------------------------- parsers

_NON_DIGIT = re.compile(r"\D")
_SPACES = re.compile(SP)


def _number(match: re.Match[str]) -> tuple[Decimal, str]:
    written = match["int"]
    plain = written.isdigit()
    digits = written if plain else _NON_DIGIT.sub("", written)
    sign = "-" if match["sign"] else ""
    return rendering.number(sign, digits, match["frac"] or "", grouped=len(digits) > 4 or not plain)


def _exponent(magnitude: str | None, table: dict[str, int]) -> int:
    if not magnitude:
        return 0
    return table.get(magnitude) or table.get(magnitude.casefold(), 0)


def _number_parser(table: dict[str, int]) -> Parser:
    def parse(match: re.Match[str]) -> Parsed:
        written = match["int"]
        magnitude = match["mag"]
        if (
            len(written) == 4
            and written.isdigit()
            and 1900 <= int(written) <= 2100
            and not (magnitude or match["sign"] or match["frac"])
        ):
            return "year", written, written
        value, english = rendering.scaled(*_number(match), _exponent(magnitude, table))
        return "number", rendering.canonical(value), english

    return parse


def _amount_parser(table: dict[str, int]) -> Parser:
    def parse(match: re.Match[str]) -> Parsed:
        value, english = rendering.scaled(*_number(match), _exponent(match["mag"], table))
        folded = _SPACES.sub("", match["cur"]).casefold()
        code = next((c for markers, c in _CURRENCIES if any(m in folded for m in markers)), "EUR")
        return "amount", f"{rendering.canonical(value)} {code}", rendering.money(code, english)

    return parse


def _percent(match: re.Match[str]) -> Parsed:
    value, english = _number(match)
    return "percent", f"{rendering.canonical(value)}%", f"{english}%"


def _ordinal(match: re.Match[str]) -> Parsed | None:
    if len(match["n"]) > 9:  # not an ordinal (and int() refuses over 4,300 digits)
        return None
    value = int(match["n"])
    return "ordinal", str(value), rendering.ordinal(value)


def _decade(match: re.Match[str]) -> Parsed:
    return "year", match["n"], match["n"]


def _time(match: re.Match[str]) -> Parsed:
    groups = match.groupdict()
    if groups.get("special"):
        hour, minute = (12, 0) if groups["special"] == "noon" else (0, 0)
    else:
        hour, minute = int(groups["hour"]), int(groups.get("min") or 0)
        meridiem = groups.get("ap")
        if meridiem:
            hour = hour % 12 + (12 if meridiem[0] in "pP" else 0)
    return "time", f"{hour:02d}:{minute:02d}", rendering.time(hour, minute)


def _date_parser(months: dict[str, int]) -> Parser:
    def parse(match: re.Match[str]) -> Parsed | None:
        groups = match.groupdict()
        name = groups.get("month")
        month = months[name.casefold()] if name else int(groups["mon"])
        day = groups.get("day")
        year = groups.get("year")
        return rendering.calendar_date(
            int(year) if year else None, month, int(day[:2].rstrip("eᵉr")) if day else None
        )

    return parse


# ---------------------------------------------------------------- the two languages

_date_fr = _date_parser(_MONTHS_FR)
_date_en = _date_parser(_MONTHS_EN)
_amount_fr = _amount_parser(_MAGNITUDES_FR)
_amount_en = _amount_parser(_MAGNITUDES_EN)
_WORDS_FR = "millions?|milliards?|billions?"
_WORDS_EN = "thousand|million|billion|trillion"

FRENCH = _language(
    [
        ("date", _ISO_DATE, _date_fr),
        ("date", _SLASH_DATE, _date_fr),
        (
            "date",
            rf"{_START}(?P<day>1er|1ᵉʳ|[12]\d|3[01]|0?[1-9])(?!\d){SP}{_MONTH_FR}(?:{SP}{_YEAR})?",
            _date_fr,
        ),
        ("date", rf"(?<!\w){_MONTH_FR}{SP}{_YEAR}", _date_fr),
        (
            "amount",
            rf"{_START}(?P<cur>{_ISO}){SP}{_NUM_FR}(?:{SP}(?P<mag>millions?|milliards?)(?!\w)|{_END})",
            _amount_fr,
        ),
        (
            "amount",
            rf"{_START}{_NUM_FR}{SP}(?P<mag>{_WORDS_FR})(?P<cur>{SP}?(?:{_CURRENCY_SYMBOL_FR}|{_ISO})"
            rf"|{SP}(?:d['’]|de{SP}){_CURRENCY_WORD_FR})",
            _amount_fr,
        ),
        (
            "amount",
            rf"{_START}{_NUM_FR}{SP}?(?:(?P<mag>Mds|Mrds|Mrd|Md|M|k|K|G){SP}?)?"
            rf"(?P<cur>{_CURRENCY_SYMBOL_FR}|{_ISO})",
            _amount_fr,
        ),
        ("amount", rf"{_START}{_NUM_FR}{SP}(?P<mag>)(?P<cur>{_CURRENCY_WORD_FR})", _amount_fr),
        ("percent", rf"{_START}{_NUM_FR}{SP}?(?:%|pour{SP}cent(?!\w))", _percent),
        (
            "time",
            rf"{_START}(?P<hour>[01]?\d|2[0-3]){SP}?h(?:{SP}?(?P<min>[0-5]\d)(?!\d)|(?!\w))",
            _time,
        ),
        (
            "time",  # `heures` only after `à`, `vers`…: `pendant 2 heures` is a duration
            rf"{_CLOCK_WORDS}(?P<hour>[01]?\d|2[0-3]){SP}heures?"
            rf"(?:{SP}(?P<min>[0-5]\d)(?!\d)|(?!\w))",
            _time,
        ),
        ("time", _CLOCK, _time),
        (
            "ordinal",
            rf"{_START}(?P<n>\d+)(?:ères?|ers?|res?|èmes?|ᵉʳˢ?|ʳᵉˢ?|ᵉˢ?|es?|nde?s?)(?!\w)",
            _ordinal,
        ),
        (
            "number",
            rf"{_START}{_NUM_FR}(?:{SP}(?P<mag>{_WORDS_FR})(?!\w)|{_END})",
            _number_parser(_MAGNITUDES_FR),
        ),
    ]
)

ENGLISH = _language(
    [
        ("date", _ISO_DATE, _date_en),
        ("date", _SLASH_DATE, _date_en),
        (
            "date",
            rf"{_START}{_DAY}(?:st|nd|rd|th)?(?!\w){SP}(?:of{SP})?{_MONTH_EN}(?:,?{SP}{_YEAR})?",
            _date_en,
        ),
        (
            "date",
            rf"(?<!\w){_MONTH_EN}{SP}{_DAY}(?:st|nd|rd|th)?(?!\w)(?:,?{SP}{_YEAR})?",
            _date_en,
        ),
        ("date", rf"(?<!\w){_MONTH_EN}{SP}{_YEAR}", _date_en),
        (
            "amount",
            rf"{_START}(?P<cur>US\$|CA?N?\$|A\$|€|£|¥|\$|{_ISO}){SP}?{_NUM_EN}"
            rf"(?:(?:{SP}|-)?(?P<mag>{_WORDS_EN}|bn|tn|m|k)(?!\w)|{_END})",
            _amount_en,
        ),
        (
            "amount",
            rf"{_START}{_NUM_EN}(?:{SP}(?P<mag>{_WORDS_EN}))?{SP}(?P<cur>{_CURRENCY_EN})",
            _amount_en,
        ),
        ("percent", rf"{_START}{_NUM_EN}{SP}?(?:%|per{SP}?cent(?!\w))", _percent),
        ("time", rf"{_START}12{SP}(?P<special>noon|midnight)(?!\w)", _time),
        (
            "time",
            rf"{_START}(?P<hour>1[0-2]|0?[1-9])(?:[:.](?P<min>[0-5]\d))?{SP}?"
            r"(?P<ap>[aApP]\.[mM]\.?|[aApP][mM](?!\w))",
            _time,
        ),
        ("time", _CLOCK, _time),
        ("ordinal", rf"{_START}(?P<n>\d+)(?:st|nd|rd|th)(?!\w)", _ordinal),
        # A decade (`the 1990s`): the year is the digits, the `s` stays outside the span.
        ("year", rf"{_START}(?P<n>1[89]\d0|20\d0)(?='?s(?!\w))", _decade),
        (
            "number",
            rf"{_START}{_NUM_EN}(?:{SP}(?P<mag>{_WORDS_EN})(?!\w)|{_END})",
            _number_parser(_MAGNITUDES_EN),
        ),
    ]
)
