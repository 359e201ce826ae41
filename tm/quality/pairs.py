"""Pair quality: how much a stored French→English pair looks like a real translation.

Signals, all cheap enough to score a whole TM (≥ 10,000 pairs/s, batched; every word's
renderings and prefixes are worked out once per lexicon):

- *similarity*: the F2 score (recall weighs more, as in chrF) of the content words of a
  word-by-word English gloss of the French (`tm.quality.lexicon.Lexicon`, glossary terms merged in)
  against those of the English, compared on 5-letter prefixes;
- *coverage*: the share of English content words that some French word translates (or that
  share a 5-letter prefix with one: names, numbers, cognates), and the reverse, with the
  lexicon read both ways on short pairs (`Lexicon.reverse`: an English word's French
  renderings) — the lexical-translation features of corpus filters such as Bicleaner;
- *length ratio*: English characters per French character (about 0.9 in real pairs);
- *numbers*: the digit values on each side (`tm.text.numerals`: `1 000,5` = `1,000.5`): a
  value of the French that the English lacks or changes (`21 pays` / `22 countries`, or one of
  two `2015` made `2013`) flags the pair; one the English only adds (a year, a page reference)
  is QA's finding, not a flag;
- for short pairs such as headings, where a lexicon says little: whether either side is a
  known short segment and the other one of its translations (`tm.quality.lexicon.Segments`), final
  punctuation, initial case and word counts (`tm.quality.misalignment`).

Rules flag `untranslated`, `numbers` and `truncated` pairs (and absurd length ratios); a
logistic model over the signals (`tm.quality.misalignment`, fitted on development pairs) gives the
probability of misalignment and flags `misaligned` above `Thresholds.misaligned` — on evidence
only: when the lexicon knows too few of the pair's words to tell, the pair is `uncertain`, not
flagged. Each pair gets a score in [0, 1] and its flags. A flagged pair is stored with status
`flagged` (left out of suggestions by lookup).
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from typing import NamedTuple

import numpy as np

from tm.quality import untranslated
from tm.quality.lexicon import Lexicon, is_content
from tm.quality.misalignment import FEATURES, Floats, features, probability
from tm.segment import Status
from tm.text.numerals import differences
from tm.text.tokenise import words

FLAGS = ("untranslated", "numbers", "truncated", "misaligned")
"""Reasons a pair is flagged, most specific first."""
UNCERTAIN = "uncertain"
"""The quality level (and stored reason) of a pair the misalignment model doubts whose words
the lexicons mostly do not know (fewer than `KNOWN_AT_LEAST` of either side's content words):
not flagged, scored `UNCERTAIN_SCORE`. An out-of-domain pair is not a bad pair."""
KNOWN_AT_LEAST = 0.5
UNCERTAIN_SCORE = 0.5

_DIGIT = re.compile(r"\d")
_PREFIX = 5
_RENDERINGS = 5
# the fields of `_Words` entries, for map and filter over a pair's words
_CONTENT = operator.itemgetter(0)
_EXPLAINS = _PREFIX_OF = operator.itemgetter(1)  # French: prefixes explained; English: prefix
_GLOSS = operator.itemgetter(2)  # French: the gloss's prefixes
_OWN = operator.itemgetter(3)  # French: its own prefix
_EXPECTED_RATIO = 0.9


REVERSE_AT_MOST = 8
"""Pairs whose sides both have more content words than this are covered one way only: the
English→French way costs the most, and longer pairs say enough one way. 8 is the smallest limit
that misses no more misaligned development pairs (bench/quality.py --split dev: 97.89% at 1.9%
of clean pairs flagged) than reading every pair both ways; 6 and 7 miss more (97.32, 97.37%)."""


@dataclass(frozen=True)
class Thresholds:
    """Where flags start. Chosen on development pairs (see bench/quality.py), not test pairs."""

    misaligned: float = 0.67
    """Probability of misalignment (`Quality.misalignment`) above which a pair is flagged:
    the lowest bar that keeps clean dev pairs flagged for any reason ≤ 1.9% (a margin under
    the 2% target) in each corpus, UN and laws (a new TM's pairs are often of one kind), as
    `bench.quality --split dev --fit` prints it."""
    min_ratio: float = 0.4
    """English/French characters below which the target is cut (or misaligned); lower than
    the old 0.45: short headings vary widely (`Vérification` / `Audit`)."""
    max_ratio: float = 2.3
    truncated_ratio: float = 0.6


@dataclass(frozen=True)
class Quality:
    """The quality of one pair: a score in [0, 1], the signals behind it, and flags."""

    score: float
    similarity: float
    coverage: float
    length_ratio: float
    flags: tuple[str, ...] = ()
    misalignment: float = 0.0
    """The model's probability that the target does not translate the source (0 without a
    lexicon)."""
    uncertain: bool = False
    """The model doubts the pair, but the lexicons know too few of its words to tell: not
    flagged, for unknown words are not evidence (`UNCERTAIN`)."""

    @property
    def flagged(self) -> bool:
        return bool(self.flags)

    @property
    def level(self) -> str:
        """`flagged` (a flag, on evidence), `uncertain` (no evidence either way: the lexicons
        do not know the words) or `ok`: the `Status` names, and `UNCERTAIN`."""
        if self.flags:
            return Status.FLAGGED.value
        return UNCERTAIN if self.uncertain else Status.OK.value

    @property
    def reason(self) -> str:
        """The flags as one readable string, `uncertain` for an uncertain pair, empty when
        the pair looks fine (what the TM stores as the pair's quality reasons)."""
        return _JOINED.join(self.flags) or (UNCERTAIN if self.uncertain else "")


_JOINED = ", "  # between a flagged pair's flags in its stored reason


def flags_of(reason: str) -> list[str]:
    """The flags of a flagged pair from its stored `Quality.reason`."""
    return reason.split(_JOINED)


_French = tuple[bool, frozenset[str], tuple[str, ...], str]
_English = tuple[bool, str]


class _FrenchWords(dict[str, _French]):
    """French word → whether it is a content word, the 5-letter prefixes it can explain (its
    own and its renderings'), those of its gloss (its first two renderings, or itself) and its
    own; worked out on first use (`__missing__`), so a pair's words are looked up in C."""

    def __init__(self, table: Mapping[str, tuple[str, ...]]) -> None:
        super().__init__()
        self.table = table

    def __missing__(self, word: str) -> _French:
        renderings = self.table.get(word, ())
        prefixes = [word[:_PREFIX]]
        for rendering in renderings[:_RENDERINGS]:
            prefixes.extend(part[:_PREFIX] for part in rendering.split())
        glossed = " ".join(renderings[:2]).split() or [word]
        found = (
            is_content(word),
            frozenset(prefixes),
            tuple(part[:_PREFIX] for part in glossed if is_content(part)),
            word[:_PREFIX],
        )
        self[word] = found
        return found


class _EnglishWords(dict[str, _English]):
    """English word → content word or not, and its 5-letter prefix."""

    def __missing__(self, word: str) -> _English:
        found = (is_content(word), word[:_PREFIX])
        self[word] = found
        return found


class _Renderings(dict[str, frozenset[str]]):
    """English word → the 5-letter prefixes of its French renderings (`Lexicon.reverse`)."""

    def __init__(self, reverse: Mapping[str, tuple[str, ...]]) -> None:
        super().__init__()
        self.reverse = reverse

    def __missing__(self, word: str) -> frozenset[str]:
        renderings = self.reverse.get(word, ())[:_RENDERINGS]
        found = frozenset(part[:_PREFIX] for r in renderings for part in r.split())
        self[word] = found
        return found


class _Words:
    """Cache of what each word contributes (`_FrenchWords`, `_EnglishWords`, `_Renderings`)
    with one lexicon: kept from batch to batch while the lexicon is the same (`_words`)."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.lexicon = lexicon
        self.reverse = bool(lexicon.reverse)
        self.multiword = lexicon.multiword
        self.french = _FrenchWords(lexicon.translations)
        self.english = _EnglishWords()
        self.renderings = _Renderings(lexicon.reverse)


_last: tuple[Lexicon, _Words] | None = None


def _words(lexicon: Lexicon) -> _Words:
    """The word cache of `lexicon`: the last one made when it is the same lexicon (the batches
    of an import or a rescore are scored with one lexicon: their words are worked out once),
    a new one otherwise."""
    global _last
    last = _last
    if last is None or last[0] is not lexicon:
        last = _last = (lexicon, _Words(lexicon))
    return last[1]


def _f2(found: set[str], wanted: set[str]) -> float:
    """F-score with β = 2 (recall weighs more, as in chrF) of `found` against `wanted`."""
    matched = len(found & wanted)
    if not matched:
        return 0.0
    precision, recall = matched / len(found), matched / len(wanted)
    return 5 * precision * recall / (4 * precision + recall)


def _coverage(
    source_words: list[str], target_words: list[str], cache: _Words
) -> tuple[float, float, float, int]:
    """(similarity, forward, backward, content words) of a pair: the F2 score of the gloss's
    content-word prefixes against the English's; the share of English content words that the
    French explains and of French content words explained in the English (explained: a
    rendering either way, or the word itself, shares the first 5 letters: names, numbers,
    cognates); and the smaller number of content words of the two sides. On short pairs
    (`REVERSE_AT_MOST`) both directions of the lexicon count, as in corpus filters such as
    Bicleaner: `contrôle d'application` /
    `Enforcement` is explained by `enforcement` → `application` when no French word renders
    `enforcement`."""
    french = list(map(cache.french.__getitem__, source_words))
    english = list(map(cache.english.__getitem__, target_words))
    french_entries = list(filter(_CONTENT, french))
    english_entries = list(filter(_CONTENT, english))
    fewest = min(len(english_entries), len(french_entries))
    if not fewest:
        empty = 1.0 if not english_entries and not french_entries else 0.0
        return empty, empty, empty, fewest
    french_content = list(map(_EXPLAINS, french_entries))
    english_content = list(map(_PREFIX_OF, english_entries))
    covered: set[str] = set().union(*map(_EXPLAINS, french))
    if cache.multiword:
        glossed = cache.lexicon.gloss_words(source_words, alternatives=2)
        gloss = {word[:_PREFIX] for word in glossed if is_content(word)}
        covered.update(gloss)
    else:
        gloss = set().union(*map(_GLOSS, french))
    similarity = _f2(gloss, set(english_content))
    english_prefixes = set(map(_PREFIX_OF, english))
    hits = list(map(covered.__contains__, english_content))
    alone = list(map(english_prefixes.isdisjoint, french_content))
    explained, unexplained = sum(hits), sum(alone)
    if cache.reverse and fewest <= REVERSE_AT_MOST:
        # the English content words' French renderings explain some more (short pairs only:
        # on longer ones one way tells enough, and this is the costlier way)
        content_words = list(compress(target_words, map(_CONTENT, english)))
        if explained < len(hits):
            french_prefixes = set(map(_OWN, french))
            missed = compress(content_words, map(operator.not_, hits))
            explained += sum(
                not cache.renderings[word].isdisjoint(french_prefixes) for word in missed
            )
        if unexplained:
            backs = list(map(cache.renderings.__getitem__, content_words))
            for own in map(_OWN, compress(french_entries, alone)):
                unexplained -= any(map(operator.contains, backs, repeat(own)))
    forward = explained / len(english_content)
    backward = 1.0 - unexplained / len(french_content)
    return similarity, forward, backward, fewest


def _letters(text: str) -> int:
    return len(text) - text.count(" ")


class _Measured(NamedTuple):
    """What `assess` works out for one pair before the misalignment model (a named tuple:
    one is made for every pair scored)."""

    flags: tuple[str, ...]
    similarity: float
    forward: float
    backward: float
    ratio: float


def _known(source: str, target: str, lexicon: Lexicon) -> float:
    """The smaller of: the share of French content words the lexicon renders, and (when it
    was learned both ways) of English content words it renders back. Digits count as
    known: they are compared as numbers. Worked out only for the pairs the model doubts."""
    table, reverse = lexicon.translations, lexicon.reverse
    french = [w for w in words(source) if is_content(w)]
    share = sum(w in table or w.isdigit() for w in french) / len(french) if french else 1.0
    if reverse:
        english = [w for w in words(target) if is_content(w)]
        if english:
            share = min(share, sum(w in reverse or w.isdigit() for w in english) / len(english))
    return share


def _measure(
    pairs: Sequence[tuple[str, str]], lexicon: Lexicon, limits: Thresholds
) -> tuple[list[_Measured], Floats]:
    """The rule flags and signals of each pair, and the misalignment model's input rows."""
    cache = _words(lexicon)
    measured: list[_Measured] = []
    rows: list[tuple[float, ...]] = []
    for source, target in pairs:
        french, english = words(source), words(target)
        similar, forward, backward, fewest = _coverage(french, english, cache)
        ratio = _letters(target) / max(_letters(source), 1)
        found = (
            differences(source, target) if _DIGIT.search(source) or _DIGIT.search(target) else None
        )
        agree = None if found is None else not (found.missing or found.extra)
        flags: list[str] = []
        if not target.strip() or untranslated.flag(
            source, target, french, english, lexicon, prefix=_PREFIX
        ):
            flags.append("untranslated")
        if found is not None and (found.missing or (found.extra and found.fewer)):
            flags.append("numbers")
        if not flags:
            if ratio < limits.min_ratio or (
                ratio < limits.truncated_ratio and _ends_open(source, target)
            ):
                flags.append("truncated" if forward >= 0.5 else "misaligned")
            elif ratio > limits.max_ratio:
                flags.append("misaligned")
        measured.append(_Measured(tuple(flags), similar, forward, backward, ratio))
        rows.append(
            features(
                source,
                target,
                similarity=similar,
                forward=forward,
                backward=backward,
                content_words=fewest,
                source_words=len(french),
                target_words=len(english),
                numbers_agree=agree,
                segment=lexicon.segments.agreement(french, english),
            )
        )
    return measured, np.array(rows, dtype=np.float64).reshape(len(rows), len(FEATURES))


def inputs(pairs: Sequence[tuple[str, str]], *, lexicon: Lexicon) -> tuple[Floats, list[bool]]:
    """The misalignment model's input rows for `pairs` (see `tm.quality.misalignment`), and whether
    a rule (untranslated, numbers, length) already flags each pair: what `fit` needs."""
    measured, rows = _measure(pairs, lexicon, Thresholds())
    return rows, [bool(m.flags) for m in measured]


def assess(
    pairs: Sequence[tuple[str, str]],
    *,
    lexicon: Lexicon | None = None,
    thresholds: Thresholds | None = None,
) -> list[Quality]:
    """The quality of each (French, English) pair, in order. Pure; batch for speed.

    Rules flag untranslated pairs, French numbers the English lacks or changes and
    implausible length ratios; the misalignment model (`tm.quality.misalignment`, only with a
    lexicon) flags the rest above `thresholds.misaligned` when the lexicon knows the pair's
    words, and calls it `UNCERTAIN` when it does not (unknown words are not evidence). The
    score is the model's probability of a good pair, halved by a numbers or truncation flag, 0
    when untranslated, `UNCERTAIN_SCORE` when uncertain.
    """
    if not pairs:
        return []
    lexicon = lexicon or Lexicon({})
    limits = thresholds or Thresholds()
    measured, rows = _measure(pairs, lexicon, limits)
    chances = probability(rows).tolist() if lexicon else [0.0] * len(pairs)
    results: list[Quality] = []
    for (source, target), signals, chance in zip(pairs, measured, chances, strict=True):
        flags = signals.flags
        doubtful = not flags and chance > limits.misaligned
        uncertain = doubtful and _known(source, target, lexicon) < KNOWN_AT_LEAST
        if doubtful and not uncertain:
            flags = ("misaligned",)
        if uncertain:
            score = UNCERTAIN_SCORE
        elif lexicon:
            score = 1.0 - chance
        else:
            score = _length_factor(signals.ratio) * min(1.0, signals.similarity / 0.5)
        if "numbers" in flags or "truncated" in flags:
            score *= 0.5
        if "untranslated" in flags:
            score = 0.0
        total = signals.forward + signals.backward
        covered = 2 * signals.forward * signals.backward / total if total else 0.0
        results.append(
            Quality(
                score=round(min(1.0, max(0.0, score)), 4),
                similarity=round(signals.similarity, 4),
                coverage=round(covered, 4),
                length_ratio=round(signals.ratio, 4),
                flags=flags,  # in `FLAGS` order: `_measure` adds them so
                misalignment=round(chance, 4),
                uncertain=uncertain,
            )
        )
    return results


_LIST_END = re.compile(r"[;,]\s*(?:and|or)$")


def _ends_open(source: str, target: str) -> bool:
    """The French ends a sentence or clause and the English stops on a bare word. Not the
    statute styles: an English lead-in without the French colon (`… chefs de mission :` /
    `… head of mission means`), a list item closing on `; or` / `; and`."""
    english = target.rstrip()
    return (
        source.rstrip()[-1:] in ".;!?)" and english[-1:].isalnum() and not _LIST_END.search(english)
    )


def _length_factor(ratio: float) -> float:
    deviation = abs(math.log(max(ratio, 1e-6) / _EXPECTED_RATIO))
    return float(max(0.0, 1.0 - max(0.0, deviation - 0.35)))


def assess_one(source: str, target: str, *, lexicon: Lexicon | None = None) -> Quality:
    """The quality of one pair (see `assess`)."""
    return assess([(source, target)], lexicon=lexicon)[0]
