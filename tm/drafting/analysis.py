"""The analysis report of a pretranslated batch, as Trados and memoQ users read it.

Each segment falls in one category: `101` (context match), `100`, `95-99`, `85-94`,
`75-84`, `50-74`, `none` (no match), or `repetitions`: a source already seen earlier in the
batch (the first occurrence is counted in its match band, every later one as a repetition,
unless it is itself a context match, which takes precedence, as in Trados Studio). A segment
of an XLIFF input whose target already held a translation, left as it was, is `existing`; one
marked `translate="no"` is `locked`. With `--overwrite`, existing translations are looked up
like the others (in their band) and those given a new target are counted as `replaced`. Words are
counted on the French source: letters and digits, hyphenated compounds as one word, elided
articles (`l'`, `d'`) as their own word, inline tags not counted.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tm import messages
from tm.drafting.draft import Draft, DraftSegment
from tm.formats import spreadsheet
from tm.text.inline import plain
from tm.text.tokenise import COUNTED_WORD

CATEGORIES = (
    "101",
    "100",
    "95-99",
    "85-94",
    "75-84",
    "50-74",
    "none",
    "repetitions",
    "existing",
    "locked",
)
LABELS = {c: messages.say(f"category/{c}") for c in CATEGORIES}
"""Each category's English label (the catalogue's `category/…`, `tm.messages`)."""


def labels(language: str = "en") -> dict[str, str]:
    """Each category's label in `language`, in report order."""
    return {c: messages.say(f"category/{c}", language) for c in CATEGORIES}


def count_words(text: str) -> int:
    """Words of a French segment (see the module docstring for the rule)."""
    return len(COUNTED_WORD.findall(plain(text)))


@dataclass(frozen=True)
class Count:
    segments: int = 0
    words: int = 0

    def __add__(self, other: Count) -> Count:
        return Count(self.segments + other.segments, self.words + other.words)


@dataclass(frozen=True)
class FileAnalysis:
    """Counts per category for one file (or the whole batch when `name` is `batch`)."""

    name: str
    counts: dict[str, Count] = field(default_factory=dict)
    replaced: int = 0
    """Existing translations given a new target (with `--overwrite`)."""

    def count(self, category: str) -> Count:
        return self.counts.get(category, Count())

    @property
    def total(self) -> Count:
        return sum((self.count(c) for c in CATEGORIES), Count())


@dataclass(frozen=True)
class Analysis:
    """Per-file counts, the batch total, and the files that could not be pretranslated."""

    files: tuple[FileAnalysis, ...]
    batch: FileAnalysis
    failed: tuple[tuple[str, str], ...] = ()


def category(segment: DraftSegment) -> str:
    """The analysis category of one segment."""
    if segment.band == "101":
        return "101"
    return "repetitions" if segment.repetition else segment.band


def analyse_file(draft: Draft) -> FileAnalysis:
    """Counts per category for one draft."""
    counts: dict[str, Count] = {}
    keyed = [(category(s), s.source) for s in draft.segments]
    keyed += [("existing", kept.source) for kept in draft.kept]
    keyed += [("locked", kept.source) for kept in draft.locked]
    for key, source in keyed:
        counts[key] = counts.get(key, Count()) + Count(1, count_words(source))
    return FileAnalysis(
        draft.name, {c: counts.get(c, Count()) for c in CATEGORIES}, replaced=draft.replaced
    )


def analyse(drafts: Iterable[Draft], *, failed: Iterable[tuple[str, str]] = ()) -> Analysis:
    """The report of a batch; repetitions must already be marked on the segments."""
    return combine((analyse_file(draft) for draft in drafts), failed=failed)


def combine(
    analyses: Iterable[FileAnalysis], *, failed: Iterable[tuple[str, str]] = ()
) -> Analysis:
    """The report of a batch from its files' counts (`analyse_file`, or counts kept from an
    earlier run)."""
    files = tuple(analyses)
    batch = {c: sum((f.count(c) for f in files), Count()) for c in CATEGORIES}
    replaced = sum(f.replaced for f in files)
    return Analysis(files, FileAnalysis("batch", batch, replaced), tuple(failed))


def _as_dict(analysis: FileAnalysis) -> dict[str, Any]:
    total = analysis.total
    return {
        "name": analysis.name,
        "categories": {
            c: {
                "segments": analysis.count(c).segments,
                "words": analysis.count(c).words,
                "words_percent": _percent(analysis.count(c).words, total.words),
            }
            for c in CATEGORIES
        },
        "total": {"segments": total.segments, "words": total.words},
        "replaced": analysis.replaced,
    }


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def to_json(analysis: Analysis, *, language: str = "en") -> dict[str, Any]:
    """The report as a JSON-ready dict: `categories` (labels), `order` (the categories in
    report order, 101 first: a JSON object's integer-like keys lose their order in
    JavaScript), `files`, `batch`, `failed`; labels in `language` (`tm.messages`)."""
    return {
        "categories": labels(language),
        "order": list(CATEGORIES),
        "files": [_as_dict(f) for f in analysis.files],
        "batch": _as_dict(analysis.batch),
        "failed": [{"file": name, "error": message} for name, message in analysis.failed],
    }


def to_csv(analysis: Analysis) -> str:
    """One row per file and category (and the batch total), `words_percent` of the file; file
    names escaped for spreadsheets (`tm.formats.spreadsheet`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["file", "category", "segments", "words", "words_percent"])
    for item in (*analysis.files, analysis.batch):
        total, name = item.total, spreadsheet.escape(item.name)
        for c in CATEGORIES:
            count = item.count(c)
            writer.writerow(
                [name, c, count.segments, count.words, _percent(count.words, total.words)]
            )
        writer.writerow([name, "total", total.segments, total.words, 100.0])
    return buffer.getvalue()
