"""Language codes and a quick French/English guess for files that carry no codes."""

from __future__ import annotations

import re
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


def guess(text: str) -> str | None:
    """`fr`, `en`, or None when the function words do not tell (short or mixed text)."""
    words = [w.lower() for w in LANGUAGE_WORD.findall(text)]
    french = sum(w in _FRENCH for w in words)
    english = sum(w in _ENGLISH for w in words)
    if french + english < 3 or french == english:
        return None
    return "fr" if french > english else "en"


FRENCH_WORDS = _FRENCH
"""Function words that tell French text from English (lower case)."""
ENGLISH_WORDS = _ENGLISH
