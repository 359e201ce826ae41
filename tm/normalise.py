"""Text normalisation for matching: store text as given, compare a normalised form.

NFC; one apostrophe; NBSP and narrow NBSP as spaces; « » “ ” as plain quotes; collapsed
whitespace. `fold` additionally drops case and accents (œ/æ kept) for retrieval.
"""

from __future__ import annotations

import re
import unicodedata

_TRANSLATE = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u00b4": "'",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2007": " ",
        "\u2009": " ",
        "\u00ab": '"',
        "\u00bb": '"',
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2011": "-",
    }
)
_SPACES = re.compile(r"\s+")

# Words (letters/digits with inner apostrophes or hyphens), inline tag placeholders, or any
# other single non-space character (punctuation is a token).
TOKEN = re.compile(r"</?t\d+/?>|\w+(?:[-'’]\w+)*'?|[^\w\s]", re.UNICODE)


def normalise(text: str) -> str:
    """The matching form of `text`: typographic variants unified, whitespace collapsed."""
    text = unicodedata.normalize("NFC", text).translate(_TRANSLATE)
    return _SPACES.sub(" ", text).strip()


def fold(text: str) -> str:
    """`normalise`, then lower case and accents removed (œ and æ are letters, kept)."""
    lowered = normalise(text).casefold()
    decomposed = unicodedata.normalize("NFD", lowered)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return unicodedata.normalize("NFC", stripped)


def tokens(text: str) -> list[str]:
    """Word and punctuation tokens of already-normalised text; elisions split (`l'` + `OTAN`)."""
    out: list[str] = []
    for token in TOKEN.findall(text):
        head, apostrophe, rest = token.partition("'")
        if apostrophe and rest and len(head) <= 2 and head.isalpha():
            out.extend((head + "'", rest))
        else:
            out.append(token)
    return out
