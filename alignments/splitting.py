"""Sentence splitting for French and English with SRX-style rules (break / no-break exceptions).

A candidate break follows sentence-final punctuation (`.`, `!`, `?`, `…`), any closing quotes or
brackets after it (`.»`, `. »`, `.”`, `.)`), and whitespace. The rules in `RULES` are then tried
in order, as in SRX: the first whose `before` pattern matches the text up to the candidate and
whose `after` pattern matches the text from it decides (break or not); no match means break.
Line breaks inside the text are always breaks (a paragraph per line).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from tm.errors import InvalidInput

LANGUAGES = ("fr", "en")

# Abbreviations never ending a sentence (a title, a reference, a Latin form before what follows).
_FRENCH_NONFINAL = (
    "M|MM|Mme|Mmes|Mlle|Mlles|Me|Mes|Mgr|Dr|Pr|Prof|St|Ste|art|Art|arts|al|sous-al|ch|chap|"
    "n|no|nos|N|No|Nos|p|pp|ex|cf|Cf|av|apr|env|vol|éd|fig|t|tome|sq|suiv|éq|"
    "janv|févr|avr|juil|sept|oct|nov|déc|ann|dir|coll|resp|réf|vs|c\\.-à-d|c-à-d|p\\.ex"
)
_ENGLISH_NONFINAL = (
    "Mr|Mrs|Ms|Messrs|Mmes|Dr|Prof|Sr|Jr|St|Mt|Rev|Hon|Sen|Rep|Gov|Gen|Col|Lt|Capt|Sgt|Maj|"
    "Adm|Cmdr|Supt|Insp|Fr|art|Art|arts|s|ss|sec|Sec|para|paras|subs|ch|Ch|chap|p|pp|vol|Vol|"
    "fig|Fig|cf|Cf|vs|viz|e\\.g|i\\.e|E\\.g|I\\.e|approx|dept|Dept|est|ed|eds|Jan|Feb|Apr|Aug|"
    "Sept|Sep|Oct|Nov|Dec|al|op|cit|ibid|Ibid|nos?|Nos?|U\\.S|U\\.K|U\\.N|S\\.C|R\\.S\\.C|"
    "Ph\\.D|B\\.A|M\\.A|Mass|Conn|Ont|Que|Alta|Sask|Man|Nfld|Ariz|Calif"
)
# Abbreviations that end a sentence when an upper-case word follows, not otherwise.
_FINAL = "etc|Inc|Ltd|Co|Corp|Ltée|Cie|a\\.m|p\\.m|J\\.-C|av\\. J\\.-C|apr\\. J\\.-C|cie"

_UPPER = "A-ZÀ-ÖØ-ÞŒ"
_LOWER = "a-zß-öø-ÿœ"
_OPEN = "«\"“‘'(\\[—–-"


@dataclass(frozen=True)
class Rule:
    """One SRX rule: break (or not) where `before` matches up to the candidate and `after`
    matches from it. `languages` limits the rule to some languages ("" = all)."""

    name: str
    before: str
    after: str
    breaks: bool
    languages: str = ""


RULES: tuple[Rule, ...] = (
    Rule(
        "final abbreviation before a capital",
        rf"\b(?:{_FINAL})\.\Z",
        rf"\s+[{_OPEN}]*[{_UPPER}]",
        True,
    ),
    Rule("final abbreviation otherwise", rf"\b(?:{_FINAL})\.\Z", r"", False),
    Rule("French abbreviation", rf"(?<![\w.])(?:{_FRENCH_NONFINAL})\.\Z", r"", False, "fr"),
    Rule("English abbreviation", rf"(?<![\w.])(?:{_ENGLISH_NONFINAL})\.\Z", r"", False, "en"),
    Rule("initial (J. Stoltenberg)", rf"(?<![\w.])[{_UPPER}]\.\Z", rf"\s+[{_UPPER}]", False),
    Rule("dotted acronym", rf"(?<![\w])(?:[{_UPPER}]\.){{2,}}\Z", rf"\s+[{_UPPER}]", False),
    Rule(
        "list marker or heading number",
        r"\A\s*(?:\d{1,3}(?:\.\d{1,3})*|[a-zA-Z]|[IVXLC]{1,6})[.)]\Z",
        r"",
        False,
    ),
    Rule("lower case follows", r"", rf"\s+(?:[«\"“(\[]\s*)?[{_LOWER}]", False),
    Rule("default", r"", r"", True),
)

# Tried where a run of punctuation starts. (`(?:\.\.\.|[.!?…])+` split a run of dots in
# exponentially many ways before failing: 30 dots then a letter froze the splitter.)
_CANDIDATE = re.compile(r"(?<![.!?…])[.!?…]+(?:[\"”’»)\]]|[ \u00a0\u202f][»”])*(?=\s|\Z)")
_WINDOW = 40


@cache
def _compiled(language: str) -> tuple[tuple[re.Pattern[str], re.Pattern[str], bool], ...]:
    return tuple(
        (re.compile(rule.before), re.compile(rule.after), rule.breaks)
        for rule in RULES
        if not rule.languages or language in rule.languages.split(",")
    )


def _language(language: str) -> str:
    code = language.lower().split("-")[0].split("_")[0]
    if code not in LANGUAGES:
        raise InvalidInput(f"no sentence splitter for language {language!r} (fr or en)")
    return code


def _breaks(text: str, end: int, language: str) -> bool:
    head = text[max(0, end - _WINDOW) : end]
    for before, after, breaks in _compiled(language):
        if before.search(head) and after.match(text, end):
            return breaks
    return True


def spans(text: str, *, language: str) -> list[tuple[int, int]]:
    """Character spans of the sentences of `text`, leading/trailing whitespace excluded."""
    code = _language(language)
    out: list[tuple[int, int]] = []

    def add(start: int, stop: int) -> None:
        while start < stop and text[start].isspace():
            start += 1
        while stop > start and text[stop - 1].isspace():
            stop -= 1
        if start < stop:
            out.append((start, stop))

    line_start = 0
    for line in text.splitlines(keepends=True):
        line_end = line_start + len(line)
        start = line_start
        for match in _CANDIDATE.finditer(text, line_start, line_end):
            if _breaks(text, match.end(), code):
                add(start, match.end())
                start = match.end()
        add(start, line_end)
        line_start = line_end
    return out


def split(text: str, *, language: str) -> list[str]:
    """The sentences of `text` (French `fr` or English `en`), in order, stripped."""
    return [text[start:stop] for start, stop in spans(text, language=language)]
