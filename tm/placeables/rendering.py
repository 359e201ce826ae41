"""Canonical values and English (institutional British) renderings of placeable quantities."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from tm.placeables.placeable import Placeable

MONTHS = (
    "January February March April May June July August September October November December"
).split()
MAGNITUDE_WORDS = {6: "million", 9: "billion", 12: "trillion"}
_SUFFIXES = {1: "st", 2: "nd", 3: "rd"}
_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}

# One placeable found by a rule: kind, canonical value, English rendering.
Parsed = tuple[str, str, str]


def canonical(number: Decimal) -> str:
    """`Decimal('1000.50')` → `1000.5`; never an exponent, never `-0`."""
    text = format(number.normalize(), "f")
    return "0" if text == "-0" else text


def number(sign: str, digits: str, fraction: str, *, grouped: bool) -> tuple[Decimal, str]:
    """The value and English rendering of a number given as sign, integer digits, decimals.

    Decimals are kept as written (`12,50` → `12.50`); commas group thousands when `grouped`.
    """
    value = Decimal(f"{sign}{digits}.{fraction}" if fraction else f"{sign}{digits}")
    body = _thousands(digits.lstrip("0") or "0") if grouped else digits
    return value, f"{sign}{body}.{fraction}" if fraction else f"{sign}{body}"


def _thousands(digits: str) -> str:
    """`1234567` → `1,234,567` (on the digits as text: `int()` refuses over 4,300 digits)."""
    head = len(digits) % 3 or 3
    return ",".join([digits[:head], *(digits[i : i + 3] for i in range(head, len(digits), 3))])


def scaled(value: Decimal, english: str, exponent: int) -> tuple[Decimal, str]:
    """Apply a power of ten: million/billion/trillion stay words, thousands are multiplied out."""
    if not exponent:
        return value, english
    result = value.scaleb(exponent)
    if exponent in MAGNITUDE_WORDS:
        return result, f"{english} {MAGNITUDE_WORDS[exponent]}"
    return result, format(result.normalize(), ",f")


def money(code: str, amount: str) -> str:
    """`€3 million`, `$2.5 billion`, `£40`, but `CAD 10,000`, `CHF 3 million`."""
    symbol = _SYMBOLS.get(code)
    return f"{symbol}{amount}" if symbol else f"{code} {amount}"


def ordinal(value: int) -> str:
    """`1st`, `2nd`, `3rd`, `11th`, `21st`, `112th`."""
    if value % 100 in (11, 12, 13):
        return f"{value}th"
    return f"{value}{_SUFFIXES.get(value % 10, 'th')}"


def time(hour: int, minute: int) -> str:
    """12-hour clock: `2:30 p.m.`, `9 a.m.`; `12 noon` and `12 midnight` for 12:00 and 00:00."""
    if minute == 0 and hour in (0, 12):
        return "12 noon" if hour == 12 else "12 midnight"
    suffix = "a.m." if hour < 12 else "p.m."
    clock = hour % 12 or 12
    return f"{clock} {suffix}" if minute == 0 else f"{clock}:{minute:02d} {suffix}"


def calendar_date(year: int | None, month: int, day: int | None) -> Parsed | None:
    """`28 November 2023`, `1 March`, `November 2023`; None for an impossible date."""
    if not 1 <= month <= 12:
        return None
    if day is not None:
        try:
            date(year or 2000, month, day)  # 2000 is a leap year: 29 February alone is valid
        except ValueError:
            return None
    name = MONTHS[month - 1]
    if day is None:
        return "date", f"{year:04d}-{month:02d}", f"{name} {year}"
    if year is None:
        return "date", f"--{month:02d}-{day:02d}", f"{day} {name}"
    return "date", f"{year:04d}-{month:02d}-{day:02d}", f"{day} {name} {year}"


def from_value(placeable: Placeable) -> str:
    """Render from the value alone (a placeable built by hand, or text that does not parse)."""
    kind, value = placeable.kind, placeable.value
    try:
        if kind in ("number", "percent", "amount"):
            digits, _, code = value.rstrip("%").partition(" ")
            amount = format(Decimal(digits), ",f")
            if kind == "percent":
                return f"{amount}%"
            return money(code, amount) if kind == "amount" else amount
        if kind == "date":
            parts = [int(part) for part in value.lstrip("-").split("-")]
            if value.startswith("--"):
                parsed = calendar_date(None, parts[0], parts[1])
            else:
                parsed = calendar_date(parts[0], parts[1], parts[2] if len(parts) > 2 else None)
            return parsed[2] if parsed else placeable.text
        if kind == "time":
            hour, minute = value.split(":")
            return time(int(hour), int(minute))
        if kind == "ordinal":
            return ordinal(int(value))
    except (InvalidOperation, ValueError, IndexError):
        return placeable.text
    return value
