"""Term recognition in French text: a token trie over inflection-folded keys.

Each token (word, elided article `l'`/`d'`/`qu'`, or punctuation mark) is reduced to a key:
lower case, French plural and feminine endings folded (`ministres` → `ministr`, `Alliées` →
`allie`, `généraux` → `general`, `étrangères` → `etranger`), accents dropped. Terms become key
sequences in a trie; the text is scanned left to right taking the longest term at each token
(whole tokens only), and spans point into the original text. A candidate must also pass checks
the folded keys cannot make (`_Entry.fits`): a lower-case word keeps the term's accents
(`ingredient` ≠ `ingrédient`; capitalised `Etat` = `État`), an acronym term is never matched by
a lower-case word (`pas` ≠ `PAS`), a term word ending in a plain `e` keeps it (`Act` ≠ `acte`);
otherwise a shorter term is tried. When one form belongs to several terms, the one whose case
agrees best wins (`ministre des affaires étrangères` is the deprecated lower-case variant), then
preferred before admitted before deprecated, then glossary order; the others are reported as
`alternatives`.

The endings are a light rule set rather than a Snowball stemmer: on the laws benchmark it
keeps recall and makes fewer false conflations (`bench/glossary.py` measures both).
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from glossaries.terms import FORBIDDEN, STATUSES, Concept
from tm.text.normalise import fold
from tm.text.tokenise import FRENCH_TERM_TOKEN

_TRANSLATE = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "\u00b4": "'",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2011": "-",
        "\u2010": "-",
    }
)
_FEMININE = (
    ("trice", "teur"),
    ("euse", "eur"),
    ("ère", "er"),
    ("elle", "el"),
    ("enne", "en"),
    ("onne", "on"),
    ("ette", "et"),
    ("ive", "if"),
    ("ée", "é"),
    ("e", ""),
)


def prepare(text: str) -> tuple[str, list[int] | None]:
    """NFC text with apostrophes and spaces unified, and (when NFC changed the length) the
    offset in `text` of every character of the result."""
    if unicodedata.is_normalized("NFC", text):
        return text.translate(_TRANSLATE), None
    pieces: list[str] = []
    offsets: list[int] = []
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or not unicodedata.combining(text[index]):
            piece = unicodedata.normalize("NFC", text[start:index])
            pieces.append(piece)
            offsets.extend([start] * len(piece))
            start = index
    offsets.append(len(text))
    return "".join(pieces).translate(_TRANSLATE), offsets


@lru_cache(maxsize=200_000)
def inflection_key(token: str) -> str:
    """One French token lower-cased with plural and feminine endings folded, accents kept."""
    word = token.casefold()
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("eaux"):
        word = word[:-1]
    elif word.endswith("aux") and len(word) > 4:
        word = word[:-3] + "al"
    elif (word[-1] == "s" and not word.endswith("ss")) or word.endswith(("eux", "oux")):
        word = word[:-1]
    for suffix, replacement in _FEMININE:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            word = word[: len(word) - len(suffix)] + replacement
            if not replacement and word[-1] == "s" and word[-2:] in ("is", "os", "us", "as"):
                word = word[:-1]  # française → français → françai, as français
            break
    if word.endswith("eur"):
        word = word[:-1]
    return word


def word_key(token: str) -> str:
    """The matching key of one French token: `inflection_key` without accents."""
    return fold(inflection_key(token))


def term_key(text: str) -> tuple[str, ...]:
    """The key sequence of a French term or phrase."""
    return tuple(word_key(token) for token in FRENCH_TERM_TOKEN.findall(prepare(text)[0]))


@dataclass(frozen=True)
class TermHit:
    """A glossary term found in French text.

    `start`/`end` are character offsets into the original text; `fr` is the glossary term
    matched and `status` its status (a deprecated French term is reported as such); `en` is
    the concept's preferred English term, `admitted` its other usable English terms,
    `forbidden` its deprecated/superseded English terms, `preferred_fr` the preferred French
    term; `alternatives` are other concepts with the same form and `accepted` every English
    term that renders this span correctly (this concept's and the alternatives').
    """

    start: int
    end: int
    text: str
    fr: str
    en: str
    status: str
    concept: str
    admitted: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    preferred_fr: str = ""
    alternatives: tuple[str, ...] = ()
    accepted: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "fr": self.fr,
            "en": self.en,
            "status": self.status,
            "concept": self.concept,
            "admitted": list(self.admitted),
            "forbidden": list(self.forbidden),
            "preferred_fr": self.preferred_fr,
            "alternatives": list(self.alternatives),
            "accepted": list(self.accepted),
        }


@dataclass(frozen=True)
class _Entry:
    fr: str
    exact: str
    shape: tuple[bool, ...]
    rank: int
    hit: TermHit
    accented: tuple[str, ...]
    acronyms: tuple[bool, ...]
    final_e: tuple[bool, ...]

    def fits(self, tokens: list[str]) -> bool:
        """Checks the trie's folded keys cannot make: a lower-case word must have the term's
        accents (`ingredient` is not `ingrédient`, `Etat` is `État`), and an acronym of the
        term must not be written in lower case (`pas` is not `PAS`), and a term word ending in
        a plain `e` keeps it (`Act` is not `acte`, `retrait` is not `retraite`)."""
        for token, accented, acronym, final_e in zip(
            tokens, self.accented, self.acronyms, self.final_e, strict=True
        ):
            if token.islower() and (acronym or inflection_key(token) != accented):
                return False
            if final_e and not token.casefold().endswith(("e", "es")):
                return False
        return True


def _shape(tokens: Iterable[str]) -> tuple[bool, ...]:
    return tuple(token[:1].isupper() for token in tokens)


class Recogniser:
    """A compiled, read-only recogniser; `find` is pure and thread-safe."""

    def __init__(
        self, concepts: Iterable[Concept], *, key: Callable[[str], str] = word_key
    ) -> None:
        self.root: dict[str, Any] = {}
        self.word_key = key
        self.size = 0
        self._keys: dict[str, str] = {}
        order = 0
        for concept in concepts:
            english = concept.in_language("en")
            usable = tuple(t.text for t in english if t.status not in FORBIDDEN)
            forbidden = tuple(t.text for t in english if t.status in FORBIDDEN)
            preferred_fr = concept.preferred("fr")
            for term in concept.in_language("fr"):
                tokens = FRENCH_TERM_TOKEN.findall(prepare(term.text)[0])
                if not tokens:
                    continue
                hit = TermHit(
                    0,
                    0,
                    "",
                    term.text,
                    usable[0] if usable else "",
                    term.status,
                    concept.id,
                    usable[1:],
                    forbidden,
                    preferred_fr.text if preferred_fr else "",
                    (),
                    usable,
                )
                node = self.root
                for token in tokens:
                    node = node.setdefault(self._key(token), {})
                rank = STATUSES.index(term.status) * 1_000_000 + order
                node.setdefault("", []).append(
                    _Entry(
                        term.text,
                        " ".join(tokens),
                        _shape(tokens),
                        rank,
                        hit,
                        tuple(inflection_key(token) for token in tokens),
                        tuple(len(t) > 1 and t.isupper() and t.isalpha() for t in tokens),
                        tuple(len(t) > 3 and t.casefold().endswith("e") for t in tokens),
                    )
                )
                order += 1
                self.size += 1
        self._rank(self.root)

    def _rank(self, node: dict[str, Any]) -> None:
        """Among terms sharing a form and a status, prefer the concept whose English is the
        most common rendering of that form (`ministre` → `minister` over `Minister of
        Finance`), then glossary order."""
        for token, child in node.items():
            if token:
                self._rank(child)
                continue
            votes = Counter(entry.hit.en.casefold() for entry in child)
            ordered = sorted(
                child,
                key=lambda e: (e.rank // 1_000_000, -votes[e.hit.en.casefold()], e.rank),
            )
            node[""] = [replace(entry, rank=index) for index, entry in enumerate(ordered)]

    def _key(self, token: str) -> str:
        key = self._keys.get(token)
        if key is None:
            key = self.word_key(token)
            if len(self._keys) < 500_000:
                self._keys[token] = key
        return key

    def find(self, text: str) -> list[TermHit]:
        """Every glossary term in `text`, left to right, longest match first, no overlaps."""
        if not self.root:  # an empty glossary: nothing to tokenise for
            return []
        prepared, offsets = prepare(text)
        matches = list(FRENCH_TERM_TOKEN.finditer(prepared))
        keys = [self._key(m.group()) for m in matches]
        hits: list[TermHit] = []
        root = self.root
        count = len(keys)
        i = 0
        while i < count:
            node = root.get(keys[i])
            if node is None:
                i += 1
                continue
            ends: list[tuple[int, list[_Entry]]] = []
            j = i
            while True:
                entries = node.get("")
                if entries is not None:
                    ends.append((j, entries))
                j += 1
                if j == count:
                    break
                node = node.get(keys[j])
                if node is None:
                    break
            hit = None
            for last, entries in reversed(ends):
                tokens = [m.group() for m in matches[i : last + 1]]
                verdicts: dict[str, bool] = {}
                fitting = []
                for entry in entries:
                    verdict = verdicts.get(entry.exact)
                    if verdict is None:
                        verdict = verdicts[entry.exact] = entry.fits(tokens)
                    if verdict:
                        fitting.append(entry)
                if fitting:
                    start, end = matches[i].start(), matches[last].end()
                    if offsets is not None:
                        start, end = offsets[start], offsets[end]
                    hit = _choose(fitting, tokens, start, end, text[start:end])
                    break
            if hit is None:
                i += 1
                continue
            hits.append(hit)
            i = last + 1
        return hits


def _choose(entries: list[_Entry], tokens: list[str], start: int, end: int, text: str) -> TermHit:
    """The entry whose case agrees best with the text, then by status and order."""
    exact = " ".join(tokens)
    shape = _shape(tokens)

    def score(entry: _Entry) -> tuple[int, int, int]:
        agree = sum(a == b for a, b in zip(entry.shape, shape, strict=False))
        return (-(entry.exact == exact), -agree, entry.rank)

    ordered = sorted(entries, key=score) if len(entries) > 1 else entries
    best = ordered[0].hit
    others = [e.hit for e in ordered[1:] if e.hit.concept != best.concept]
    accepted = list(best.accepted)
    for other in others:
        # A form deprecated in another concept does not make that concept's English right.
        if other.status not in FORBIDDEN or best.status in FORBIDDEN:
            accepted += [text for text in other.accepted if text not in accepted]
    return TermHit(
        start,
        end,
        text,
        best.fr,
        best.en,
        best.status,
        best.concept,
        best.admitted,
        best.forbidden,
        best.preferred_fr,
        tuple(dict.fromkeys(o.concept for o in others)),
        tuple(accepted),
    )


def build(concepts: Iterable[Concept], *, key: Callable[[str], str] = word_key) -> Recogniser:
    """A recogniser for the French terms of `concepts` (every status, deprecated included).

    `key` reduces a token to its matching key (default `word_key`; the benchmark compares a
    Snowball stemmer)."""
    return Recogniser(concepts, key=key)
