"""Pair quality: how much a stored French→English pair looks like a real translation.

Four signals, all cheap enough to score a whole TM (≥ 10,000 pairs/s, batched):

- *similarity*: sentence chrF (`tm.ngrams`, equal to sacrebleu's) between a word-by-word English
  gloss of the French (`tm.lexicon.Lexicon`, glossary terms merged in) and the English, both
  lower-cased;
- *coverage*: the share of English content words that some French word translates (or that
  share a 5-letter prefix with one: names, numbers, cognates), and the reverse, harmonic mean —
  the lexical-translation feature of corpus filters such as Bicleaner;
- *length ratio*: English characters per French character (about 0.9 in real pairs);
- *numbers*: the digit values on each side (`1 000,5` = `1,000.5`, `14 h 30` = `2:30 p.m.`).

Each pair gets a score in [0, 1] and flags with reasons: `untranslated`, `numbers`,
`truncated`, `misaligned`. A flagged pair is stored with status `flagged` (left out of
suggestions by lookup).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from tm.language import ENGLISH_WORDS, FRENCH_WORDS
from tm.lexicon import Lexicon, words
from tm.ngrams import chrf
from tm.normalise import normalise
from tm.numerals import spelled

FLAGS = ("untranslated", "numbers", "truncated", "misaligned")
"""Reasons a pair is flagged, most specific first."""

_STOP = frozenset(
    "the of and to in a an is are be by or for on that this with as at any it its from which "
    "shall under le la les l de du des d un une et en au aux à a est sont par pour sur que qui "
    "ou dans ce cette se s".split()
)
_FRENCH_NUMBER = re.compile(
    r"(?<![^\W\d_])(?:\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:,\d+)?|\d+(?:\.\d+)+|\d+(?:,\d+)?)"
)
_ENGLISH_NUMBER = re.compile(
    r"(?<![^\W\d_])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?!\d)"
    r"|\d+(?:\.\d+)*)"
)
_FRENCH_CLOCK = re.compile(r"\b(\d{1,2}) ?h ?(\d{2})?\b")
_ENGLISH_CLOCK = re.compile(r"\b(\d{1,2}):(\d{2})\b(?!\s*[ap]\.\s?m)", re.IGNORECASE)
_YEAR_RANGE = re.compile(r"\b(\d\d)(\d\d)([-–])(\d\d)\b")
_REFERENCE = re.compile(r"\((\d{1,2})\)")
_ENGLISH_TIME = re.compile(r"\b(\d{1,2})(?:[:.](\d{2}))?\s*([ap])\.\s?m\.", re.IGNORECASE)
_DIGIT = re.compile(r"\d")
_PREFIX = 5
_EXPECTED_RATIO = 0.9


@dataclass(frozen=True)
class Thresholds:
    """Where flags start. Tuned on development pairs (see bench/quality.py), not test pairs."""

    misaligned: tuple[tuple[int, float], ...] = ((3, 0.25), (6, 0.30), (12, 0.35))
    """(content words at least, evidence below which the pair is probably misaligned): the
    mean of similarity and coverage is steadier on longer pairs, so the bar rises with length.
    Below the first size lexical evidence is too thin to flag."""
    min_ratio: float = 0.45
    max_ratio: float = 2.3
    truncated_ratio: float = 0.6

    def misaligned_below(self, content_words: int) -> float:
        """The evidence bar for a pair with this many content words (0: never flagged)."""
        return max((bar for size, bar in self.misaligned if content_words >= size), default=0.0)


@dataclass(frozen=True)
class Quality:
    """The quality of one pair: a score in [0, 1], the signals behind it, and flags."""

    score: float
    similarity: float
    coverage: float
    length_ratio: float
    flags: tuple[str, ...] = ()

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    @property
    def reason(self) -> str:
        """The flags as one readable string (empty when the pair looks fine)."""
        return ", ".join(self.flags)


_LIST_NUMBER = re.compile(r"^\s*(?:\(?\d{1,3}[.)]|\d{1,3}\.\d{1,2}\.?)\s+")


def numbers(text: str, *, french: bool) -> Counter[str]:
    """Digit values in `text` as canonical strings (`1 000,5` and `1,000.5` → `1000.5`).

    A list number at the very start (`13.`, `4)`) is left out: translators often drop or
    add it.
    """
    text = _LIST_NUMBER.sub("", text, count=1)
    clock = _FRENCH_CLOCK if french else _ENGLISH_CLOCK
    hours = [(hour, minutes) for hour, minutes in clock.findall(text)]
    text = clock.sub(" ", text)
    if french:
        found = [
            re.sub(r"[ \u00a0\u202f]", "", m).replace(",", ".")
            for m in _FRENCH_NUMBER.findall(text)
        ]
    else:
        text = _YEAR_RANGE.sub(_full_years, text)
        times = _ENGLISH_TIME.findall(text)
        text = _ENGLISH_TIME.sub(" ", text)
        found = [re.sub(r"[, \u00a0\u202f\u2009]", "", m) for m in _ENGLISH_NUMBER.findall(text)]
        for hour, minutes, half in times:
            found.append(hour)
            if minutes:
                found.append(minutes)
            if half.lower() == "p" and int(hour) < 12:
                found.append(str(int(hour) + 12))
    for hour, minutes in hours:
        found.append(hour)
        if minutes.strip("0"):
            found.append(minutes)
    return Counter(_canonical(value) for value in found)


def _full_years(match: re.Match[str]) -> str:
    """`1995-96` → `1995-1996` (only for consecutive years: `SOR/2013-19` is not a range)."""
    century, year, dash, short = match.groups()
    if (int(year) + 1) % 100 != int(short):
        return match.group(0)
    return f"{century}{year}{dash}{century if short != '00' else int(century) + 1}{short}"


def _canonical(value: str) -> str:
    whole, _, fraction = value.partition(".")
    whole = whole.lstrip("0") or "0"
    fraction = fraction.rstrip("0")
    return f"{whole}.{fraction}" if fraction else whole


def _is_afternoon_echo(value: str, french: Counter[str]) -> bool:
    return value.isdigit() and str(int(value) + 12) in french


def numbers_agree(source: str, target: str) -> bool:
    """True when both sides mention the same numeric values.

    Accepted differences: a 12-hour English time for a 24-hour French one, and a small number
    written in digits on one side and in words on the other (`4 postes` / `four posts`).
    """
    french = numbers(source, french=True)
    english = numbers(target, french=False)
    if french == english:
        return True
    missing = set(french) - set(english)
    # English may say a value fewer times (a pronoun), not more; a reference such as
    # "subsection (1)" is often spelled out in English only
    extra = {v for v, n in english.items() if n > french[v]} - set(_REFERENCE.findall(target))
    if missing - spelled(target, "en"):
        return False
    written = spelled(source, "fr")
    return all(v in written or _is_afternoon_echo(v, french) for v in extra)


def _content(tokens: list[str]) -> list[str]:
    return [t for t in tokens if t not in _STOP and not (len(t) == 1 and t.isalpha())]


class _Renderings:
    """Per-batch cache: each French word's gloss and the 5-letter prefixes it can cover."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.table = lexicon.translations
        self.multiword = any(" " in key for key in self.table)
        self.glosses: dict[str, str] = {}
        self.prefixes: dict[str, frozenset[str]] = {}

    def gloss(self, french: list[str]) -> str:
        if self.multiword:
            return " ".join(self.lexicon.gloss_words(french, alternatives=2))
        glosses = self.glosses
        out = []
        for word in french:
            found = glosses.get(word)
            if found is None:
                found = " ".join(self.table.get(word, (word,))[:2]) or word
                glosses[word] = found
            out.append(found)
        return " ".join(out)

    def covered(self, word: str) -> frozenset[str]:
        found = self.prefixes.get(word)
        if found is None:
            found = frozenset(
                [word[:_PREFIX]]
                + [
                    part[:_PREFIX]
                    for rendering in self.table.get(word, ())[:3]
                    for part in rendering.split()
                ]
            )
            self.prefixes[word] = found
        return found


def coverage(
    source_words: list[str], target_words: list[str], renderings: _Renderings, gloss: str = ""
) -> tuple[float, float, int]:
    """Harmonic mean of the English content words explained by the French and the reverse;
    the first of the two alone; the smaller number of content words of the two sides."""
    english = _content(target_words)
    french = _content(source_words)
    fewest = min(len(english), len(french))
    if not fewest:
        empty = 1.0 if not english and not french else 0.0
        return empty, empty, fewest
    covered: set[str] = set()
    for word in source_words:
        covered.update(renderings.covered(word))
    if renderings.multiword:
        covered.update(part[:_PREFIX] for part in gloss.split())
    english_prefixes = {w[:_PREFIX] for w in target_words}
    forward = sum(w[:_PREFIX] in covered for w in english) / len(english)
    backward = sum(not renderings.covered(w).isdisjoint(english_prefixes) for w in french) / len(
        french
    )
    total = forward + backward
    return (2 * forward * backward / total if total else 0.0), forward, fewest


def _letters(text: str) -> int:
    return len(text) - text.count(" ")


def _looks_french(target_words: list[str]) -> bool:
    """`tm.language.guess` on already split words: more French than English function words."""
    french = sum(w in FRENCH_WORDS for w in target_words)
    english = sum(w in ENGLISH_WORDS for w in target_words)
    return french + english >= 3 and french > english


def _same(source: str, target: str) -> bool:
    """Equal but for case, spacing and typography (accents count: `Définitions` ≠ `Definitions`)."""
    return normalise(source).casefold() == normalise(target).casefold()


def _not_cognate(word: str, lexicon: Lexicon) -> bool:
    """No English rendering of `word` shares its first letters (`point` → `item`)."""
    return all(r[:_PREFIX] != word[:_PREFIX] for r in lexicon.get(word))


def _untranslated(
    source: str, target: str, source_words: list[str], target_words: list[str], lexicon: Lexicon
) -> bool:
    if abs(len(source) - len(target)) <= 2 and _same(source, target):
        changing = [
            w for w in source_words if not w.isdigit() and w in lexicon and w not in lexicon.get(w)
        ]
        # short identical pairs are usually names, Latin or codes ("Idem", "Article 20"); a
        # French word with diacritics that the lexicon translates is a giveaway ("Définitions")
        letters = sum(not w.isdigit() for w in source_words)
        if lexicon:
            if letters >= 3:
                return bool(changing)
            if letters == 2:
                return len(changing) == 2 or any(
                    not w.isascii() or _not_cognate(w, lexicon) for w in changing
                )
            return any(not w.isascii() or _not_cognate(w, lexicon) for w in changing)
        return letters >= 3 or _looks_french(target_words)
    return _looks_french(target_words)


def assess(
    pairs: Sequence[tuple[str, str]],
    *,
    lexicon: Lexicon | None = None,
    thresholds: Thresholds | None = None,
    char_order: int = 6,
) -> list[Quality]:
    """The quality of each (French, English) pair, in order. Pure; batch for speed."""
    lexicon = lexicon or Lexicon({})
    limits = thresholds or Thresholds()
    renderings = _Renderings(lexicon)
    source_words = [words(source) for source, _ in pairs]
    target_words = [words(target) for _, target in pairs]
    glosses = [renderings.gloss(w) for w in source_words]
    similarity = (
        chrf(glosses, [" ".join(w) for w in target_words], char_order=char_order, batch=256) / 100
    )
    results: list[Quality] = []
    for index, (source, target) in enumerate(pairs):
        covered, forward, fewest = coverage(
            source_words[index], target_words[index], renderings, glosses[index]
        )
        results.append(
            _judge(
                source,
                target,
                source_words[index],
                target_words[index],
                float(similarity[index]),
                covered,
                forward,
                fewest,
                lexicon,
                limits,
            )
        )
    return results


def _judge(
    source: str,
    target: str,
    source_words: list[str],
    target_words: list[str],
    similarity: float,
    covered: float,
    forward: float,
    fewest: int,
    lexicon: Lexicon,
    limits: Thresholds,
) -> Quality:
    ratio = _letters(target) / max(_letters(source), 1)
    flags: list[str] = []
    if not target.strip() or _untranslated(source, target, source_words, target_words, lexicon):
        flags.append("untranslated")
    if (_DIGIT.search(source) or _DIGIT.search(target)) and not numbers_agree(source, target):
        flags.append("numbers")
    if not flags:
        if ratio < limits.min_ratio or (
            ratio < limits.truncated_ratio and _ends_open(source, target)
        ):
            flags.append("truncated" if forward >= 0.5 else "misaligned")
        elif ratio > limits.max_ratio or (
            bool(lexicon) and (similarity + covered) / 2 < limits.misaligned_below(fewest)
        ):
            flags.append("misaligned")
    evidence = (similarity + covered) / 2
    score = min(1.0, evidence / 0.5) * _length_factor(ratio)
    if "numbers" in flags:
        score *= 0.5
    if "untranslated" in flags:
        score = 0.0
    return Quality(
        score=round(min(1.0, max(0.0, score)), 4),
        similarity=round(similarity, 4),
        coverage=round(covered, 4),
        length_ratio=round(ratio, 4),
        flags=tuple(flag for flag in FLAGS if flag in flags),
    )


def _ends_open(source: str, target: str) -> bool:
    """The French ends a sentence or clause and the English stops on a bare word."""
    return source.rstrip()[-1:] in ".;:!?)" and target.rstrip()[-1:].isalnum()


def _length_factor(ratio: float) -> float:
    deviation = abs(math.log(max(ratio, 1e-6) / _EXPECTED_RATIO))
    return float(max(0.0, 1.0 - max(0.0, deviation - 0.35)))


def assess_one(source: str, target: str, *, lexicon: Lexicon | None = None) -> Quality:
    """The quality of one pair (see `assess`)."""
    return assess([(source, target)], lexicon=lexicon)[0]
