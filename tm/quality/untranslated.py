"""Untranslated pairs: the English is the French left as it was, or is French.

Two verdicts on the same pieces (`tm.text.normalise.same`, `tm.text.language.looks_french`):

- `review` is QA's (`tm.quality.qa`): without a lexicon, what a reviser would report. A copy,
  accents aside, of a French text of two words or more (or of one, when the English reads as
  French); otherwise English that is French by twice as many function words.
- `flag` is pair quality's (`tm.quality.pairs`), run on whole TMs whose headings, names and
  Latin are often the same in both languages (`Idem`, `Article 20`): a copy, accents counting
  (`Définitions` / `Definitions` is a translation), is untranslated when the lexicon
  translates its words into something else; without a lexicon, from three words on. English
  that is French by a plain majority of function words is untranslated too.

They differ on purpose, and each is pinned by its figures: QA by tests/test_qa.py, pair
quality by bench/quality.py (its untranslated recall and clean pairs flagged).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tm.quality.lexicon import Lexicon
from tm.text.language import guess, looks_french
from tm.text.normalise import fold_word, same
from tm.text.tokenise import QA_WORD

COPY = "copy"
FRENCH = "french"
REVIEW_MARGIN = 2.0
"""French function words per English one for QA to call English French (see `looks_french`)."""

_APOSTROPHE = re.compile("['’]")
# Latin both languages write alike (the "Idem" heading of Canadian statutes)
_LATIN = frozenset("idem ibid ibidem quorum etc via per bis ter".split())


def review(
    source: str, target: str, lexicon: Lexicon | Callable[[], Lexicon] | None = None
) -> str | None:
    """QA's verdict: `COPY` (the English is the French), `FRENCH` (the English is French), or
    None. With a `lexicon`, a copy is untranslated only on evidence: a word that the lexicon
    translates into something else (`ministre`, not `introduction` or `Prévention`), two of
    them in a name (`Côte d'Ivoire` and `Amina Smaila (Nigéria)` are kept in English,
    `Nouvelle-Zélande` is not). A function that gives the `lexicon` is called only for a
    copy."""
    letters = QA_WORD.findall(source)
    if (
        letters
        and same(source, target, accents=False)
        and (len(letters) >= 2 or guess(target) == "fr")
        and (
            lexicon is None
            or _evidence(letters, lexicon if isinstance(lexicon, Lexicon) else lexicon())
        )
    ):
        return COPY
    if looks_french([w.lower() for w in QA_WORD.findall(target)], margin=REVIEW_MARGIN):
        return FRENCH
    return None


def flag(
    source: str,
    target: str,
    source_words: list[str],
    target_words: list[str],
    lexicon: Lexicon,
    *,
    prefix: int,
) -> bool:
    """Pair quality's verdict on a pair whose `words` (`tm.text.tokenise.words`) are given;
    `prefix`: the letters a word shares with a rendering that is its cognate."""
    if abs(len(source) - len(target)) <= 2 and same(source, target):
        table = lexicon.translations
        changing = [
            w
            for w in source_words
            if w in table and w not in table[w] and not w.isdigit() and w not in _LATIN
        ]
        if lexicon and _name(QA_WORD.findall(source)) and sum(len(w) >= 3 for w in changing) < 2:
            return False  # a name, kept in English (`Côte d'Ivoire`, `Amina Smaila (Nigéria)`)
        # short identical pairs are usually names, Latin or codes ("Idem", "Article 20"); a
        # French word with diacritics that the lexicon translates is a giveaway ("Définitions"),
        # so is one whose renderings are no cognates of it
        letters = sum(not w.isdigit() for w in source_words)
        if lexicon:
            if letters >= 3:
                return bool(changing)
            giveaway = any(not w.isascii() or _not_cognate(w, lexicon, prefix) for w in changing)
            return giveaway or (letters == 2 and len(changing) == 2)
        return letters >= 3 or looks_french(target_words)
    return looks_french(target_words)


def _evidence(letters: list[str], lexicon: Lexicon) -> bool:
    """Whether a copy of French made of `letters` is untranslated by `lexicon`'s account (an
    empty lexicon knows no better than a reviser: it is)."""
    return lexicon.empty or _translated_away(letters, lexicon)


def _translated_away(letters: list[str], lexicon: Lexicon) -> bool:
    """Whether words of three letters or more among `letters` (`QA_WORD` tokens) have
    renderings, none of them the word itself accents aside: one is enough, two in a name
    (`_name`: `Côte d'Ivoire` is English too, `Nouvelle-Zélande` is not)."""
    changing = 0
    for token in letters:
        for word in _APOSTROPHE.split(token.lower()):
            if len(word) >= 3 and word in lexicon and word not in _LATIN:
                key = fold_word(word)
                changing += all(fold_word(r) != key for r in lexicon.get(word))
    return changing >= (2 if _name(letters) else 1)


def _name(letters: list[str]) -> bool:
    """Whether `QA_WORD` tokens, split at their apostrophes, are a name: two words of three
    letters or more at least, all capitalised, none in capitals (`Côte d'Ivoire`, `Amina
    Smaila (Nigéria)`; not `DISPOSITIONS GÉNÉRALES`)."""
    long = [w for token in letters for w in _APOSTROPHE.split(token) if len(w) >= 3]
    return len(long) >= 2 and all(w[0].isupper() and not w.isupper() for w in long)


def _not_cognate(word: str, lexicon: Lexicon, prefix: int) -> bool:
    """No English rendering of `word` shares its first `prefix` letters (`point` → `item`)."""
    return all(r[:prefix] != word[:prefix] for r in lexicon.get(word))
