"""Language codes and a quick French/English guess for files that carry no codes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from tm.text.tokenise import LANGUAGE_WORD

_FRENCH = frozenset(
    (
        "le la les des du de et est une un que qui dans pour sur par au aux pas ne sont ont "
        "avec cette ces il elle nous vous leur été être"
    ).split()
)
_ENGLISH = frozenset(
    (
        "the of and to in is that for on with are be by this it as was have has not which "
        "from an at were their will"
    ).split()
)


def primary(code: str) -> str:
    """The primary subtag, lower case: `fr-FR` → `fr`, `EN_us` → `en`."""
    return re.split(r"[-_]", code.strip(), maxsplit=1)[0].lower()


@lru_cache(maxsize=256)
def is_french(code: str) -> bool:
    return primary(code) in {"fr", "fra", "fre"}


@lru_cache(maxsize=256)
def is_english(code: str) -> bool:
    return primary(code) in {"en", "eng"}


def function_words(words: Sequence[str]) -> tuple[int, int]:
    """How many of the lower-cased `words` are French function words, and English ones."""
    return sum(map(_FRENCH.__contains__, words)), sum(map(_ENGLISH.__contains__, words))


def looks_french(words: Sequence[str], *, margin: float = 1.0) -> bool:
    """Whether lower-cased `words` read as French: three function words at least (of either
    language), and more than `margin` times as many French ones as English ones.

    The language guess and pair quality take a plain majority (`margin` 1). QA, which tells a
    translator that the English they wrote is French, wants twice as many (`margin` 2): an
    English sentence may quote a French name (`the Conseil de la fédération`).
    """
    french, english = function_words(words)
    return french + english >= 3 and french > margin * english


def guess(text: str) -> str | None:
    """`fr`, `en`, or None when the function words do not tell (short or mixed text)."""
    words = [w.lower() for w in LANGUAGE_WORD.findall(text)]
    french, english = function_words(words)
    if french + english < 3 or french == english:
        return None
    return "fr" if french > english else "en"
