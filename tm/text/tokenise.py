"""Tokenisers, one per purpose and named for it. Each purpose cuts text its own way on
purpose: changing one changes the figures of the stage that uses it.

- `MATCHING_TOKEN`: inline tags, words (inner `-` and `'`, a final `'`), punctuation marks;
  retrieval's keys and scores.
- `WORD`, `words`: runs of letters and digits; the lexicon, pair quality, alignment, numbers
  written in words, concordance.
- `LANGUAGE_WORD`: runs of letters; telling French from English by their function words.
- `QA_WORD`: letters joined by inner apostrophes (`aujourd'hui` whole); QA's copied and
  untranslated text.
- `COUNTED_WORD`: words joined by inner hyphens (`peut-être` one); analysis word counts.
- `FRENCH_TERM_TOKEN`: an elided word with its apostrophe (`l'`), a word, a mark; glossary
  terms in French.
- `ENGLISH_TERM_TOKEN`: a word or a mark; glossary terms in English (compliance).
"""

from __future__ import annotations

import re

MATCHING_TOKEN = re.compile(r"(</?t\d+/?>)|(\w+(?:[-']\w+)*'?)|([^\w\s])")
"""Retrieval's tokens of normalised text, as groups: an inline tag placeholder; a word (letters
and digits, inner hyphens and apostrophes kept, a final apostrophe too: the scorer splits an
elided `l'`/`d'` off the word it is glued to); or any other single non-space character."""

WORD = re.compile(r"\w+")
"""Runs of letters and digits (apostrophes and hyphens split)."""

LANGUAGE_WORD = re.compile(r"[^\W\d_]+")
"""Runs of letters (digits, apostrophes and hyphens split)."""

QA_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
"""Runs of letters joined by inner apostrophes (`aujourd'hui`, `l'homme` one word)."""

COUNTED_WORD = re.compile(r"\w+(?:-\w+)*")
"""Words as analysis counts them: letters and digits joined by inner hyphens."""

FRENCH_TERM_TOKEN = re.compile(r"\w+'(?=\w)|\w+|[^\w\s]")
"""An elided word with its apostrophe before a word (`l'`, `d'`, `qu'`, `jusqu'`), a word, or
one other character (apostrophes unified to `'` beforehand)."""

ENGLISH_TERM_TOKEN = re.compile(r"\w+|[^\w\s]")
"""A word or one other character."""


def words(text: str) -> list[str]:
    """Lower-cased `WORD`s of `text` (`L'homme-orchestre, 1 000.` → `l`, `homme`,
    `orchestre`, `1`, `000`)."""
    return WORD.findall(text.lower())
