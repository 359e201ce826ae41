"""Placeables: numbers, percentages, amounts, dates, times, ordinals and years found in French
and English text as typed spans with a language-independent value, and localised FR→EN.

`find_french` / `find_english` scan left to right; at each position the longest construct wins
(a date before its day number, an amount before its number), spans never overlap. `value` is
equal across the two languages for the same quantity, so `same_value` can check a (French
source, English target) pair and the matcher can substitute a query's values into a target.

Decisions (pinned in tests/test_placeables.py):

- French numbers group thousands with a space, NBSP (U+00A0), narrow NBSP (U+202F) or thin
  space; a group joins only if it is exactly three digits and the first group has one to three
  (`5 2023` and `les 11 et 12` are two numbers). English groups with commas. A plain integer
  (`article 5`) is a number; `millions`/`milliards`/`billions` after a number scale it
  (French `billion` is 10¹²).
- Digits attached to letters, slashes, dots or a letter-hyphen are codes, not placeables:
  `A400M`, `G7`, `F-35`, `COVID-19`, `S/RES/2334`, `3.2.1`, `2023/24`, `10km`.
- A standalone 4-digit integer from 1900 to 2100 is a `year`; inside a date it is part of the
  date; `same_value` treats number and year as one kind. English `the 1990s` is the year
  `1990` with the `s` outside the span (it agrees with `les années 1990`).
- Dates: day month [year], `1er mars`, month year (value `2023-11`), `28/11/2023` (day first,
  in English too: British style), ISO `2023-11-28`. A weekday and `le` stay outside the span.
  Impossible dates (`31 février`) are not dates (the day is then a plain number).
- Times: `14 h 30`, `14h`, `14:30`, `à 14 heures` (`heures` only after à, vers, après,
  avant, dès: otherwise it is a duration). English: `2:30 p.m.`, `2.30 pm`, `2pm`, `14:30`,
  `12 noon`, `12 midnight`.
  Rendering is 12-hour with a.m./p.m.; 12:00 renders `12 noon` and 00:00 `12 midnight`
  (unambiguous, and both parse back).
- Ordinals: `1er`, `1re`, `2e`, `2ᵉ`, `2ème`, `2nd`, `2nde` (French); `1st`, `22nd` (English).
  Roman numerals (`XXIe siècle`) are not recognised: they are words to the matcher.
- Amounts: the currency is an ISO code (EUR, USD, CAD, GBP, CHF, JPY, AUD); bare `dollars`
  and `$` are USD. English renders €/$/£/¥ as a prefix (`€3 million`), other codes as
  `CAD 10,000`; magnitude words are kept (`3 millions d'euros` → `€3 million`), `k` is
  multiplied out (`5 k€` → `€5,000`).
- English also reads space-grouped thousands (`5 000`, as some translators leave them), so
  `same_value` compares by value; flagging the typography is another check's job.
- Not supported: French `1.000.000` (dot thousands), `midi`/`minuit`, `XXIe`, spelled-out
  numbers (`trois millions`, `second meeting`), ranges as one placeable
  (`du 1er au 3 mars`: ordinal + date).
- Rendering keeps the decimals as written (`12,50 €` → `€12.50`); an unseparated 4-digit
  integer stays unseparated (`2500` → `2500`: it is often an identifier), others get commas.
"""

from tm.placeables.placeable import (
    KINDS,
    Pairing,
    Placeable,
    mask,
    pair,
    same_value,
    substitute,
)
from tm.placeables.scanner import find_english, find_french, to_english

__all__ = [
    "KINDS",
    "Pairing",
    "Placeable",
    "find_english",
    "find_french",
    "mask",
    "pair",
    "same_value",
    "substitute",
    "to_english",
]
