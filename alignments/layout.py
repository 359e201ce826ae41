"""The layout of a document's lines, and what a bead pays when its two sides disagree on it.

A line is *heading-like* when it is short (at most `HEADING_WORDS` words), starts with a
capital and does not end with punctuation ("Act prevails", "Short title"); a *sentence* when it
ends with punctuation after more than `SENTENCE_WORDS` words. Inside one line a heading may run
into a sentence ("Lawful act Nothing in this Act …", two lines merged): a *break* is a
capitalised word after a plain one (not a function word, so "la Commission" and "of Her
Majesty" are no breaks), or a capitalised function word ("… Majesty The Commission"). In a
line in title case ("Financial Administration Act") breaks cannot be told from names.

The positional evidence: a bead that groups a heading-like line with the lines after it,
facing one line, is a true group only if that line breaks where the heading's translation
would end (the heading's share of the group's length); otherwise the heading is more likely a
line whose counterpart was dropped, glued to a section that shares its words ("Act prevails"
and its section, facing "Les dispositions de la présente loi l'emportent …"). A confirmed
break earns the group a credit. The last lines of a bead's two sides should likewise agree on
ending with a heading (a merged "… of the Bank. Liability limited") or with a full sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

HEADING_WORDS = 10
SENTENCE_WORDS = 6
MOST_BREAKS = 12  # breaks kept per line (a heading sits near the start of a merged line)
TOLERANCE = 0.12  # how far a break may be from where it is expected: a share of the line
SLACK = 12.0  # characters, added to the tolerance

_CLOSING = re.compile(r"[.;:,!?…)\]»\"”’'—–-]\s*$")
_PIECE = re.compile(r"[.;:!?]\s+(?=\S)")  # where a line's last sentence (or heading) starts
# tried only where a word starts (from every character of a long word it took quadratic time)
_BEFORE_CAPITAL = re.compile(r"(?<!\S)(\S+)\s+(?=([A-ZÀ-ÖØ-ÞŒ]\S*))")
# a list item ending with one of these continues on the next line
_CONTINUING = frozenset("and or et ou of the de la le les des du to à a an un une in en".split())
# function words: after one, a capitalised word is a name ("la Commission", "of Her Majesty");
# capitalised, one starts a sentence ("… Majesty The Commission")
_FUNCTION = frozenset(
    """a after all an and any are as at au aux avant avec before between by ce cette d dans de
    des despite du each elle en entre est every except for from her his if il in is it its l la
    le les lorsque malgré no notwithstanding nul of on or ou par pour sa sauf ses si since son
    sous subject sur that the these this to toute tout un une under unless where with à""".split()
)


def _shape(text: str) -> tuple[bool, bool, bool]:
    """(heading, sentence, open ending) of a stripped line."""
    words = text.split()
    if not words:
        return False, False, False
    opened = not _CLOSING.search(text) and words[-1].lower() not in _CONTINUING
    last = len(_PIECE.split(text)[-1].split())  # words of the last sentence or heading
    short = len(words) <= HEADING_WORDS and text[0].isupper()
    return opened and short, not opened and last > SENTENCE_WORDS, opened and last <= HEADING_WORDS


def heading(text: str) -> bool:
    """Short, capitalised and without final punctuation: a heading or a marginal note (a line
    ending with a word that continues on the next line, "… or", is no heading)."""
    return _shape(text.strip())[0]


def sentence(text: str) -> bool:
    """Ends with punctuation after more than `SENTENCE_WORDS` words (since the last stop)."""
    return _shape(text.strip())[1]


def open_ending(text: str) -> bool:
    """Ends with a heading-like piece: a heading, or a sentence followed by a heading."""
    return _shape(text.strip())[2]


def title_case(text: str) -> bool:
    """Most of at least two words that are not function words are capitalised ("Short Title",
    "Financial Administration Act"): breaks in such a line cannot be told from names."""
    capitals = total = 0
    for word in text.split():
        if word[:1].isalpha() and word.lower().strip("'’") not in _FUNCTION:
            total += 1
            capitals += word[0].isupper()
    return total >= 2 and capitals > 0.6 * total


def breaks(text: str) -> list[int]:
    """Character offsets inside the line where a heading may end and a sentence begin."""
    text = text.strip()
    found = []
    for match in _BEFORE_CAPITAL.finditer(text):
        before, word = match.group(1), match.group(2)
        if not before[-1:].isalnum():
            continue
        if before.lower().strip("'’") in _FUNCTION:
            continue
        starts = word.lower().strip("'’") in _FUNCTION
        if starts or not before[:1].isupper() or match.start() == 0:
            found.append(match.end())
            if len(found) == MOST_BREAKS:
                break
    return found


@dataclass(frozen=True)
class Lines:
    """The layout of one side, one entry a line (and a last, empty one)."""

    heading: np.ndarray
    sentence: np.ndarray
    plain: np.ndarray  # not in title case: its breaks can be told from names
    open_ending: np.ndarray
    length: np.ndarray  # characters
    breaks: np.ndarray  # [line, k]: offset of the k-th break (inf when fewer)
    break_lists: list[list[int]]  # the same, as lists
    headings_before: list[int]  # [line]: how many heading-like lines come before it
    heading_lines: list[int]  # the heading-like lines, in order
    before: np.ndarray  # [line]: characters of the lines before it

    def any_heading(self, start: int, stop: int) -> bool:
        """Whether a line in start..stop − 1 is heading-like."""
        return self.headings_before[max(stop, 0)] > self.headings_before[max(start, 0)]

    def headings_between(self, start: int, stop: int) -> list[int]:
        """The heading-like lines in start..stop − 1."""
        first, last = self.headings_before[max(start, 0)], self.headings_before[max(stop, 0)]
        return self.heading_lines[first:last]


def lines(texts: Sequence[str]) -> Lines:
    """The layout of a side's lines."""
    stripped = [text.strip() for text in texts]
    found = [breaks(text) for text in stripped] + [[]]
    table = np.full((len(found), MOST_BREAKS), np.inf)
    for row, offsets in enumerate(found):
        table[row, : len(offsets)] = offsets
    shapes = np.array([_shape(text) for text in stripped] + [(False, False, False)], dtype=bool)
    length = np.array([len(text) for text in stripped] + [0], dtype=np.float64)
    return Lines(
        heading=shapes[:, 0].copy(),
        sentence=shapes[:, 1].copy(),
        plain=np.array([bool(text) and not title_case(text) for text in stripped] + [False]),
        open_ending=shapes[:, 2].copy(),
        length=length,
        breaks=table,
        break_lists=found,
        headings_before=[0, *np.cumsum(shapes[:, 0]).tolist()],
        heading_lines=np.flatnonzero(shapes[:, 0]).tolist(),
        before=np.concatenate([[0.0], length.cumsum()]),
    )


def _near(breaks: np.ndarray, expected: np.ndarray, length: np.ndarray) -> np.ndarray:
    """Whether a break lies near each expected offset (`breaks`: one row, or one row each)."""
    distance = np.abs(np.atleast_2d(breaks) - expected[:, np.newaxis]).min(axis=1)
    near: np.ndarray = distance <= TOLERANCE * length + SLACK
    return near


def _near_one(offsets: list[int], expected: float, length: float) -> bool:
    """Whether one of a line's break offsets lies near the expected one."""
    allowed = TOLERANCE * length + SLACK
    return any(abs(offset - expected) <= allowed for offset in offsets)


def endings(french: Lines, english: Lines, i: int | np.ndarray, columns: np.ndarray) -> np.ndarray:
    """1 where the bead's last lines (French row i − 1, English column − 1; `i` one row, or
    one a column) disagree: one ends with a heading, the other with a full sentence."""
    last = np.maximum(columns - 1, 0)
    disagree: np.ndarray = (french.open_ending[i - 1] & english.sentence[last]) | (
        french.sentence[i - 1] & english.open_ending[last]
    )
    return disagree.astype(np.float64)


def headings(
    french: Lines, english: Lines, i: int, a: int, b: int, columns: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """For beads (a, b), a + b > 2, ending at row i and each column: (unconfirmed, confirmed),
    each 0 or 1, or None when both are 0 everywhere. Unconfirmed: a heading-like line (not the
    group's last) faces one line (not in title case) with no break where the heading should
    end, or a group whose first line is a sentence, or a group without any heading-like
    line; confirmed: every such heading facing one line has its break."""
    # the lines looked at: all but each group's last
    if not (a > 1 and french.any_heading(i - a, i - 1)) and not (
        b > 1 and english.any_heading(int(columns[0]) - b, int(columns[-1]) - 1)
    ):
        return None
    if a == 1:
        found = _one_french(french, english, i - 1, b, columns)
    elif b == 1:
        found = _one_english(french, english, i, a, columns)
    else:
        found = _groups(french, english, i, a, b, columns)
    if found is None:
        return None
    unconfirmed, confirmed = found
    return unconfirmed.astype(np.float64), (confirmed & ~unconfirmed).astype(np.float64)


def _one_french(
    french: Lines, english: Lines, row: int, b: int, columns: np.ndarray
) -> tuple[np.ndarray, np.ndarray] | None:
    """French row `row` alone facing the b English lines before each column."""
    low, high = int(columns[0]), int(columns[-1])
    found = english.headings_between(low - b, high - 1)
    if not found or not french.plain[row]:
        return None
    unconfirmed = np.zeros(len(columns), dtype=bool)
    confirmed = np.zeros(len(columns), dtype=bool)
    length, offsets, before = float(french.length[row]), french.break_lists[row], english.before
    for line in found:
        for k in range(b - 1):  # the heading as the k-th English line of a bead ending at end
            end = line + b - k
            if low <= end <= high and end >= b:
                start = before[end - b]
                expected = (before[line + 1] - start) / (before[end] - start + 1.0) * length
                confirmed[end - low] = True
                if not _near_one(offsets, expected, length):
                    unconfirmed[end - low] = True
    return unconfirmed, confirmed


def _one_english(
    french: Lines, english: Lines, i: int, a: int, columns: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The a French rows before `i` facing the English line before each column."""
    single = np.maximum(columns - 1, 0)
    unconfirmed = np.zeros(len(columns), dtype=bool)
    total = french.length[i - a : i].sum() + 1.0
    at = 0.0
    for row in range(i - a, i - 1):
        at += french.length[row]
        if french.heading[row]:
            expected = at / total * english.length[single]
            unconfirmed |= ~_near(english.breaks[single], expected, english.length[single])
    plain = english.plain[single]
    return unconfirmed & plain, plain.copy()


def _groups(
    french: Lines, english: Lines, i: int, a: int, b: int, columns: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Groups on both sides: their first lines (a heading facing a sentence without a break
    where it should end), and headings inside one group only."""
    low, high = int(columns[0]), int(columns[-1])
    before = english.before
    french_total = french.length[i - a : i].sum() + 1.0
    unconfirmed = np.zeros(len(columns), dtype=bool)
    if french.heading[i - a]:
        first = np.maximum(columns - b, 0)
        english_total = before[columns] - before[first] + 1.0
        expected = french.length[i - a] / french_total * english_total
        near = _near(english.breaks[first], expected, english.length[first])
        unconfirmed = english.sentence[first] & ~near
    found = english.headings_between(low - b, high)
    french_sentence = bool(french.sentence[i - a])
    french_none = not french.any_heading(i - a, i)
    french_inside = french.any_heading(i - a + 1, i - 1)
    english_any = np.zeros(len(columns), dtype=bool)
    length, offsets = float(french.length[i - a]), french.break_lists[i - a]
    for line in found:
        for k in range(b):  # the heading as the k-th English line of a bead ending at end
            end = line + b - k
            if not (low <= end <= high and end >= b):
                continue
            english_any[end - low] = True
            if k == 0 and french_sentence and not french.heading[i - a]:
                total = before[end] - before[end - b] + 1.0
                expected = english.length[line] / total * french_total
                if not _near_one(offsets, expected, length):
                    unconfirmed[end - low] = True
            elif 0 < k < b - 1 and french_none:
                # a heading inside the English group only
                unconfirmed[end - low] = True
    if french_inside:
        unconfirmed |= ~english_any
    return unconfirmed, np.zeros(len(columns), dtype=bool)
