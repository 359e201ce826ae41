"""Text normalisation for matching: store text as given, compare a normalised form.

NFC; one apostrophe; NBSP and narrow NBSP as spaces; « » “ ” as plain quotes; collapsed
whitespace. `fold` additionally drops case and accents (œ/æ kept) for retrieval.
"""

from __future__ import annotations

import unicodedata

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
    """`normalise`, then lower case and accents removed (œ and æ are letters, kept)."""
    lowered = normalise(text).casefold()
    decomposed = unicodedata.normalize("NFD", lowered)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped)
