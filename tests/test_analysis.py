"""The analysis report: categories, Trados-style repetitions, word counts, JSON and CSV."""

from __future__ import annotations

import csv
import io

import pytest

from tm.analysis import CATEGORIES, Count, analyse, category, count_words, to_csv, to_json
from tm.draft import Draft, DraftSegment

WORDS = [
    ("Les ministres se sont réunis.", 5),
    ("l'OTAN et l’Ukraine", 5),
    ("Le porte-parole a parlé.", 4),
    ("Réunion <t1>importante</t1> du 12 décembre 2023", 6),
    ("", 0),
    ("« ! »", 0),
]


@pytest.mark.parametrize(("text", "expected"), WORDS)
def test_count_words(text: str, expected: int) -> None:
    assert count_words(text) == expected


CATEGORY = [
    (DraftSegment(id="1", paragraph=1, source="a", band="101"), "101"),
    (DraftSegment(id="1", paragraph=1, source="a", band="101", repetition=True), "101"),
    (DraftSegment(id="1", paragraph=1, source="a", band="100", repetition=True), "repetitions"),
    (DraftSegment(id="1", paragraph=1, source="a", band="none", repetition=True), "repetitions"),
    (DraftSegment(id="1", paragraph=1, source="a", band="85-94"), "85-94"),
    (DraftSegment(id="1", paragraph=1, source="a"), "none"),
]


@pytest.mark.parametrize(("segment", "expected"), CATEGORY)
def test_category(segment: DraftSegment, expected: str) -> None:
    assert category(segment) == expected


def _draft(name: str, *bands: tuple[str, str, bool]) -> Draft:
    return Draft(
        name,
        tuple(
            DraftSegment(id=str(n), paragraph=1, source=text, band=band, repetition=repeated)
            for n, (text, band, repeated) in enumerate(bands, start=1)
        ),
    )


def test_batch_sums_files_and_counts_repetitions_after_the_first() -> None:
    first = _draft("a.txt", ("Un deux trois.", "100", False), ("Quatre cinq.", "none", False))
    second = _draft("b.txt", ("Un deux trois.", "100", True), ("Six.", "75-84", False))
    report = analyse([first, second], failed=[("c.docx", "not a DOCX file")])
    assert report.files[0].count("100") == Count(1, 3)
    assert report.files[1].count("repetitions") == Count(1, 3)
    assert report.batch.count("100") == Count(1, 3)
    assert report.batch.count("repetitions") == Count(1, 3)
    assert report.batch.total == Count(4, 9)
    data = to_json(report)
    assert list(data["batch"]["categories"]) == list(CATEGORIES)
    assert data["batch"]["categories"]["none"] == {"segments": 1, "words": 2, "words_percent": 22.2}
    assert data["failed"] == [{"file": "c.docx", "error": "not a DOCX file"}]
    rows = list(csv.DictReader(io.StringIO(to_csv(report))))
    assert len(rows) == 3 * (len(CATEGORIES) + 1)
    total = next(r for r in rows if r["file"] == "batch" and r["category"] == "total")
    assert (total["segments"], total["words"]) == ("4", "9")
