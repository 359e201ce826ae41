"""The `Placeable` value and the operations on found placeables: compare, mask, pair, substitute."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

KINDS = ("number", "percent", "amount", "date", "time", "ordinal", "year")
_NUMERIC = frozenset({"number", "year"})


@dataclass(frozen=True)
class Placeable:
    """A typed span of text with a canonical value, e.g. `number` `1 000,5` → `1000.5`.

    `text == source[start:end]`. Values, equal across French and English for the same
    quantity: number `1000.5`; percent `12.5%`; amount `3000000 EUR`; date `2023-11-28`,
    `--11-28` (no year) or `2023-11` (no day); time `14:30`; ordinal `1`; year `2023`.
    """

    kind: str
    text: str
    start: int
    end: int
    value: str


@dataclass(frozen=True)
class Pairing:
    """Source and target placeables matched by value (`pair`), in source order."""

    pairs: tuple[tuple[Placeable, Placeable], ...]
    missing: tuple[Placeable, ...]  # source placeables with no equal target placeable
    extra: tuple[Placeable, ...]  # target placeables with no equal source placeable


def same_value(a: Placeable, b: Placeable) -> bool:
    """Whether two placeables (any languages) stand for the same value; number ≡ year."""
    if a.kind != b.kind and not (a.kind in _NUMERIC and b.kind in _NUMERIC):
        return False
    if a.value == b.value:
        return True
    if a.kind in _NUMERIC or a.kind == "percent":
        try:
            return Decimal(a.value.rstrip("%")) == Decimal(b.value.rstrip("%"))
        except InvalidOperation:
            return False
    return False


def pair(source: list[Placeable], target: list[Placeable]) -> Pairing:
    """Match each source placeable to the first unused target placeable of the same value.

    `1 000,5 … 28 novembre` / `28 November … 1,000.5` → two pairs, nothing missing or extra.
    """
    unused = list(target)
    pairs: list[tuple[Placeable, Placeable]] = []
    missing: list[Placeable] = []
    for placeable in source:
        match = next((other for other in unused if same_value(placeable, other)), None)
        if match is None:
            missing.append(placeable)
        else:
            unused.remove(match)
            pairs.append((placeable, match))
    return Pairing(tuple(pairs), tuple(missing), tuple(unused))


def mask(text: str, placeables: list[Placeable]) -> str:
    """`text` with each placeable replaced by a typed token, e.g. `le ⟦date⟧ à ⟦time⟧`."""
    return substitute(text, [(placeable, f"⟦{placeable.kind}⟧") for placeable in placeables])


def substitute(text: str, replacements: list[tuple[Placeable, str]]) -> str:
    """`text` with each placeable's span replaced by its string; overlapping spans are skipped.

    The matcher's use: `substitute(target, [(target_placeable, to_english(query_placeable))])`.
    """
    parts: list[str] = []
    last = 0
    for placeable, replacement in sorted(replacements, key=lambda item: item[0].start):
        if placeable.start < last or placeable.end > len(text):
            continue
        parts.append(text[last : placeable.start])
        parts.append(replacement)
        last = placeable.end
    parts.append(text[last:])
    return "".join(parts)
