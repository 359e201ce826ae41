"""A French→English word lexicon and word-by-word glosses.

A `Lexicon` maps French words (and a glossary's multi-word terms, matched longest first) to
English renderings, and English words back to French ones; `Lexicon.gloss` renders French text
in English word by word (unknown words, names and numbers pass through), which alignment
(`alignments.similarity`) and pair quality (`tm.quality.pairs`) compare with the English word
by word. Its `Segments` are short segments seen whole as pairs (headings). Learning one:
`tm.quality.learning`; keeping one in a TM: `tm.store.lexicons`.
"""

from __future__ import annotations

import codecs
import json
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from tm.text.tokenise import words

SEGMENT_WORDS = 6
"""The most words a side of a known segment (`Segments`) has."""
_FORMAT = 3  # serialisation with segments and reverse; a plain mapping is the words-only format
_FORMATS = (2, 3)  # 2: before the reverse table
_LEAD = f'{{"format": {_FORMAT}, "translations": {{'  # how `to_bytes` begins, words first
_NEXT = '}, "french": {'  # and how its words end
_STEP = 1 << 16  # compressed bytes decompressed at a time by `words_from_bytes`


_STOP = frozenset(
    "the of and to in a an is are be by or for on that this with as at any it its from which "
    "shall under le la les l de du des d un une et en au aux à a est sont par pour sur que qui "
    "ou dans ce cette se s".split()
)


def is_content(word: str) -> bool:
    """Whether a lower-cased word carries meaning: not a French or English function word,
    not a lone letter."""
    return word not in _STOP and not (len(word) == 1 and word.isalpha())


def _spelled_alike(key: str, translations: Sequence[str]) -> bool:
    """Whether `key` is one of `translations` but for hyphens and spaces (`re appointment`,
    from `Re-appointment`, is `reappointment`)."""
    if key in translations:
        return True
    joined = key.replace(" ", "")
    return any(joined == other.replace(" ", "") for other in translations)


@dataclass(frozen=True)
class Segments:
    """Short segments (≤ `SEGMENT_WORDS` words: headings, titles) seen whole as pairs: the words
    of one side (`words`, space-joined) → those of the other side, most frequent first."""

    french: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    english: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.french or self.english)

    def agreement(self, french_words: Sequence[str], english_words: Sequence[str]) -> float:
        """1 when a side is a known segment and the other side one of its translations, -1
        when a side is known but the other is none of its translations, 0 when neither side is
        known. Takes `words` of each side."""
        if len(french_words) > SEGMENT_WORDS and len(english_words) > SEGMENT_WORDS:
            return 0.0
        french, english = " ".join(french_words), " ".join(english_words)
        forward, backward = self.french.get(french), self.english.get(english)
        if forward is None and backward is None:
            return 0.0
        if (forward is not None and _spelled_alike(english, forward)) or (
            backward is not None and _spelled_alike(french, backward)
        ):
            return 1.0
        return -1.0


@dataclass(frozen=True)
class Lexicon:
    """French words (or space-joined multi-word terms) → English renderings, best first; and
    the known short segments (`Segments`)."""

    translations: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    segments: Segments = field(default_factory=Segments)
    reverse: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """English words → French renderings, best first (learned the other way round; empty
    when not learned): what explains an English word that no French word renders."""

    def __post_init__(self) -> None:
        longest = max((len(key.split()) for key in self.translations), default=1)
        object.__setattr__(self, "_longest", longest)

    def __len__(self) -> int:
        return len(self.translations)

    @property
    def multiword(self) -> bool:
        """Whether some entry is a multi-word term (a glossary's)."""
        longest: int = getattr(self, "_longest", 1)
        return longest > 1

    @property
    def empty(self) -> bool:
        """Whether this lexicon knows nothing at all: no word either way, no segment."""
        return not (self.translations or self.reverse or self.segments)

    def __contains__(self, french: object) -> bool:
        return french in self.translations

    def get(self, french: str) -> tuple[str, ...]:
        """The English renderings of a lower-cased French word or term, best first."""
        return self.translations.get(french, ())

    def gloss_words(self, french_words: Sequence[str], *, alternatives: int = 1) -> list[str]:
        """Gloss a list of lower-cased French words: known words and terms (longest first)
        become their first `alternatives` renderings; others are kept as they are."""
        longest: int = getattr(self, "_longest", 1)
        out: list[str] = []
        index = 0
        while index < len(french_words):
            for size in range(min(longest, len(french_words) - index), 0, -1):
                key = " ".join(french_words[index : index + size])
                found = self.translations.get(key)
                if found:
                    for rendering in found[:alternatives]:
                        out.extend(rendering.split())
                    index += size
                    break
            else:
                out.append(french_words[index])
                index += 1
        return out

    def segment(self, french_words: Sequence[str]) -> list[str]:
        """The words of the usual translation of a short French line known whole (a heading:
        `titre abrégé` → `short`, `title`), or none."""
        found = self.segments.french.get(" ".join(french_words))
        return found[0].split() if found else []

    def gloss(self, french_text: str, *, alternatives: int = 1) -> str:
        """A word-by-word English rendering of `french_text` (lower case)."""
        return " ".join(self.gloss_words(words(french_text), alternatives=alternatives))

    def merged(self, first: Mapping[str, Sequence[str]]) -> Lexicon:
        """This lexicon with `first` (e.g. a glossary's terms) taking precedence."""
        combined: dict[str, tuple[str, ...]] = dict(self.translations)
        for french, english in first.items():
            key = " ".join(words(french))
            rendered = tuple(" ".join(words(e)) for e in english if words(e))
            if key and rendered:
                extra = tuple(e for e in combined.get(key, ()) if e not in rendered)
                combined[key] = rendered + extra
        return Lexicon(combined, self.segments, self.reverse)

    def over(self, base: Lexicon) -> Lexicon:
        """This lexicon (a TM's own) over `base` (the one that ships with tm,
        `tm.quality.base`): where both know a word, heading or English word, this one's
        renderings come first and the base's others follow; what only one knows is kept as it
        is. The one merge rule: the TM's own lexicon takes precedence where it knows a word,
        and the base still speaks for every word the TM has not seen."""
        if base.empty:
            return self
        if self.empty:
            return base
        segments = Segments(
            _over(self.segments.french, base.segments.french),
            _over(self.segments.english, base.segments.english),
        )
        return Lexicon(
            _over(self.translations, base.translations),
            segments,
            _over(self.reverse, base.reverse),
        )

    def to_bytes(self) -> bytes:
        """A compact serialisation (zlib-compressed JSON)."""
        data: Mapping[str, object] = _lists(self.translations)
        if self.segments or self.reverse:
            data = {
                "format": _FORMAT,
                "translations": data,
                "french": _lists(self.segments.french),
                "english": _lists(self.segments.english),
                "reverse": _lists(self.reverse),
            }
        return zlib.compress(json.dumps(data, ensure_ascii=False).encode("utf-8"))

    @classmethod
    def from_bytes(cls, data: bytes) -> Lexicon:
        """The inverse of `to_bytes` (also reads lexicons stored before segments existed)."""
        loaded = json.loads(zlib.decompress(data).decode("utf-8"))
        if loaded.get("format") not in _FORMATS:  # a French word's value is a list, never 2
            return cls(_tuples(loaded))
        segments = Segments(_tuples(loaded["french"]), _tuples(loaded["english"]))
        return cls(_tuples(loaded["translations"]), segments, _tuples(loaded.get("reverse", {})))

    @classmethod
    def words_from_bytes(cls, data: bytes) -> Lexicon:
        """The French→English words alone of `to_bytes`'s `data` (no known segments, no
        English→French table), read without the rest: they come first in the compressed JSON,
        so only as much is decompressed and parsed as they take (a tenth of the base
        lexicon). Data of another layout is read whole."""
        stream, text = zlib.decompressobj(), codecs.getincrementaldecoder("utf-8")()
        buffer, searched = "", 0
        for start in range(0, len(data), _STEP):
            buffer += text.decode(stream.decompress(data[start : start + _STEP]))
            if len(buffer) < len(_LEAD):
                continue
            if not buffer.startswith(_LEAD):
                break
            # A quote inside a JSON string is escaped: this text is the next key, not a word.
            end = buffer.find(_NEXT, max(searched - len(_NEXT), 0))
            if end >= 0:
                table = json.loads(buffer[len(_LEAD) - 1 : end + 1])
                return cls(_tuples(table))
            searched = len(buffer)
        return cls(cls.from_bytes(data).translations)

    def with_segments(self, segments: Segments) -> Lexicon:
        """This lexicon with `segments` as its known segments."""
        return replace(self, segments=segments)


def _over(
    first: Mapping[str, tuple[str, ...]], then: Mapping[str, tuple[str, ...]]
) -> dict[str, tuple[str, ...]]:
    """`first`'s entries, each followed by `then`'s other renderings of the same key, and
    `then`'s keys that `first` lacks."""
    combined = dict(then)
    for key, renderings in first.items():
        others = then.get(key)
        combined[key] = (
            renderings + tuple(r for r in others if r not in renderings) if others else renderings
        )
    return combined


def _lists(table: Mapping[str, Sequence[str]]) -> dict[str, list[str]]:
    return {key: list(value) for key, value in table.items()}


def _tuples(table: Mapping[str, Sequence[str]]) -> dict[str, tuple[str, ...]]:
    return {key: tuple(value) for key, value in table.items()}
