"""Text normalisation for matching: store text as given, compare a normalised form.

NFC; one apostrophe; NBSP and narrow NBSP as spaces; « » “ ” as plain quotes; collapsed
whitespace. `fold` drops case and accents (œ/æ kept) for retrieval and comparisons.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_REPLACEMENTS = (
    ("\u2019", "'"),
    ("\u2018", "'"),
    ("\u02bc", "'"),
    ("\u00b4", "'"),
    ("\u00a0", " "),
    ("\u202f", " "),
    ("\u2007", " "),
    ("\u2009", " "),
    ("\u00ab", '"'),
    ("\u00bb", '"'),
    ("\u201c", '"'),
    ("\u201d", '"'),
    ("\u201e", '"'),
    ("\u2011", "-"),
)


def normalise(text: str) -> str:
    """The matching form of `text`: typographic variants unified, whitespace collapsed."""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if not text.isascii():
        for old, new in _REPLACEMENTS:
            if old in text:
                text = text.replace(old, new)
    return " ".join(text.split())


def fold(text: str) -> str:
    """`text` without case and accents: case-folded (`casefold`), then combining marks dropped
    (œ and æ are letters, kept). The one accent and case fold: retrieval keys, concordance,
    glossary recognition, QA and consistency all fold with it."""
    folded = text.casefold()
    if folded.isascii():
        return folded
    decomposed = unicodedata.normalize("NFD", folded)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped)


fold_word = lru_cache(maxsize=200_000)(fold)
"""`fold` remembering the words it folded last: retrieval folds every word of every segment,
and most are words it folded before."""


def same(first: str, second: str, *, accents: bool = True) -> bool:
    """Whether two texts are equal but for spacing, typography and case (and accents too
    unless `accents`: `Définitions` is `Definitions` only then)."""
    if accents:
        return normalise(first).casefold() == normalise(second).casefold()
    return fold(normalise(first)) == fold(normalise(second))
