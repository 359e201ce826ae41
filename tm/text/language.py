"""Language codes, and what the function words of a text say about its language.

One guess for the whole product: French and English function words counted over lower-cased
words (`function_words`, `looks_french` for a segment), and, for a whole side of a file,
`Reading`: those counts with the words of other languages and of program code, so that a side
reads as French, English, neither (German, code, numbers only) or cannot tell (too little
text). A French document quoting English passages still reads as French: the counts are over
the whole side, never line by line. `wrong_sides` says why a French side and an English side
cannot be taken as such, and `check_sides` refuses them: the direction checks of bitext
import, alignment and glossary import.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from tm.errors import InvalidInput
from tm.text.tokenise import LANGUAGE_WORD

FRENCH, ENGLISH, NEITHER = "fr", "en", "neither"

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
_OTHER = frozenset(
    (
        # German, Spanish, Italian, Dutch and Portuguese function words that are not French or
        # English words ("die", "per", "non", "il"… are left out)
        "der das und ist nicht von zu dem ein eine einen einem einer eines auf für sich auch "
        "sie wir ich wird werden wurde sind haben bei nach oder aber wie noch nur über zum zur "
        "vom los las del por para una sus como más pero muy también está están gli della "
        "delle degli nella nel sono alla alle questo questa anche è het een dat niet zijn voor "
        "ook maar wordt worden não são pelo pela uma "
        # program code and markup
        "def elif null var const lambda len str bool dict args kwargs async await println "
        "printf func enum typedef namespace div span href src nbsp px isinstance init"
    ).split()
)
_IDENTIFIER = re.compile(r"\b[A-Za-z]+_\w+|\b[a-z]+[A-Z]\w*|[A-Za-z_]\w*\.[A-Za-z_]\w*\(|\w+\(\)")
"""Program identifiers: snake_case, camelCase, `object.method(`, `call()`."""

MIN_EVIDENCE = 3
"""Function words needed before a text is said to be French or English (or neither)."""
OTHER_SHARE = 1 / 3
"""A text whose words of other languages and code outnumber this share of its French and
English function words reads as neither. Measured: real French and English text (the 60 law
documents, UN, Tatoeba, FLORES) at most 0.02 (0.09 in Tatoeba's French, its `mit`/`dos`…
stray names); German (Text+Berg) 5 to 8; this project's Python modules 0.5 to 1.5, its
JavaScript 3 to 4."""
SIDE_MARGIN = 2.0
"""A side meant to be French is refused as English only with more than twice as many English
function words as French ones (and the other way round): a French document quoting English at
length is not refused. Swapped sides are far beyond it: the 60 law documents' sides have 6 to
500 times as many function words of their own language."""
SIDE_WORDS = 200_000
"""The words of a side read to tell its language (a corpus's first 200,000 words tell it)."""


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


@dataclass(frozen=True)
class Reading:
    """What the words of a text (a segment, or a whole side of a file) say about its language:
    its words, its French and English function words, the words of other languages and of
    program code among them, and whether it has any other character (numbers, symbols)."""

    words: int = 0
    french: int = 0
    english: int = 0
    other: int = 0
    marks: bool = False

    def __add__(self, more: Reading) -> Reading:
        return Reading(
            self.words + more.words,
            self.french + more.french,
            self.english + more.english,
            self.other + more.other,
            self.marks or more.marks,
        )

    @property
    def language(self) -> str | None:
        """`fr`, `en`, `neither` (no words but numbers or symbols; or mostly other languages'
        words or code), or None when it cannot tell (little text, as many of each)."""
        return self.leaning(1.0)

    def leaning(self, margin: float) -> str | None:
        """As `language`, but French (English) only with more than `margin` times as many
        French (English) function words as English (French) ones: None between."""
        if self.words == 0:
            return NEITHER if self.marks else None
        if self.other >= MIN_EVIDENCE and self.other > OTHER_SHARE * (self.french + self.english):
            return NEITHER
        if self.french + self.english < MIN_EVIDENCE:
            return None
        if self.french > margin * self.english:
            return FRENCH
        if self.english > margin * self.french:
            return ENGLISH
        return None

    def describe(self) -> str:
        """The counts, for a message: `812 English and 3 French function words in 2,100 words`."""
        if self.words == 0:
            return "no words: numbers or symbols only"
        counts = (
            f"{self.english:,} English and {self.french:,} French function words"
            if self.english >= self.french
            else f"{self.french:,} French and {self.english:,} English function words"
        )
        other = f", {self.other:,} words of other languages or code" if self.other else ""
        return f"{counts}{other} in {self.words:,} words"


def reading(text: str) -> Reading:
    """What the words of `text` say about its language."""
    words = [word.lower() for word in LANGUAGE_WORD.findall(text)]
    french, english = function_words(words)
    other = sum(map(_OTHER.__contains__, words)) + len(_IDENTIFIER.findall(text))
    return Reading(len(words), french, english, other, not words and bool(text.strip()))


def side(texts: Iterable[str], *, limit: int = SIDE_WORDS) -> Reading:
    """What a whole side says (its texts read in turn until `limit` words were read)."""
    total = Reading()
    for text in texts:
        total += reading(text)
        if total.words >= limit:
            break
    return total


def guess(text: str) -> str | None:
    """`fr`, `en`, or None when the function words do not tell (short or mixed text, or
    neither language)."""
    found = reading(text).language
    return found if found in (FRENCH, ENGLISH) else None


def wrong_sides(
    french: Reading, english: Reading, *, french_name: str, english_name: str, swap: str
) -> str | None:
    """Why a side meant to be French (`french`, called `french_name` in the message) and one
    meant to be English cannot be taken as such, or None when they can (or cannot tell: each
    side's leaning by `SIDE_MARGIN`). `swap` says how to give them the other way round
    (`rename them or pass --swap`)."""
    theirs, ours = french.leaning(SIDE_MARGIN), english.leaning(SIDE_MARGIN)
    if theirs == NEITHER:
        return f"{french_name} is neither French nor English ({french.describe()})"
    if ours == NEITHER:
        return f"{english_name} is neither French nor English ({english.describe()})"
    if theirs == ENGLISH and ours == FRENCH:
        return (
            f"{french_name} looks English ({french.describe()}) and {english_name} looks French "
            f"({english.describe()}): the sides are swapped; {swap}"
        )
    if theirs == ENGLISH:
        also = (
            f"; so does {english_name}: which file is the French?"
            if ours == ENGLISH
            else f"; if the sides are the other way round, {swap}"
        )
        return f"{french_name} looks English, not French ({french.describe()}){also}"
    if ours == FRENCH:
        also = (
            f"; so does {french_name}: which file is the English?"
            if theirs == FRENCH
            else f"; if the sides are the other way round, {swap}"
        )
        return f"{english_name} looks French, not English ({english.describe()}){also}"
    return None


SWAP = "use --swap (HTTP: the form field swap=true)"
"""How to have tm read two sides the other way round, on either edge."""


def check_sides(
    french: Reading,
    english: Reading,
    names: tuple[str, str],
    *,
    swap: bool,
    remedy: str,
    file: str | None = None,
) -> None:
    """`InvalidInput` (about `file`, when given) saying why the side meant to be French and
    the one meant to be English cannot be taken as such (`wrong_sides`); `names` are theirs as
    given, which `swap` exchanges (the English one read as the French). `remedy` says how to
    give them the other way round (`rename them (x.fr ↔ x.en)`)."""
    if swap:
        french, english, names = english, french, (names[1], names[0])
    how = "leave out --swap (HTTP: swap=false)" if swap else f"{remedy}, or {SWAP}"
    message = wrong_sides(french, english, french_name=names[0], english_name=names[1], swap=how)
    if message is not None:
        if swap:
            message += f" (with --swap, {names[0]} is the French side)"
        raise InvalidInput(message, file=file)
