"""The analysis report: categories, Trados-style repetitions, word counts, JSON and CSV."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tm.drafting.analysis import CATEGORIES, Count, analyse, category, count_words, to_csv, to_json
from tm.drafting.draft import Draft, DraftSegment

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


SEGMENTS = st.lists(
    st.builds(
        DraftSegment,
        id=st.just("1"),
        paragraph=st.just(1),
        source=st.text(max_size=30),
        band=st.sampled_from(["101", "100", "95-99", "85-94", "75-84", "50-74", "none"]),
        repetition=st.booleans(),
    ),
    max_size=20,
)


@given(st.lists(SEGMENTS, max_size=4))
def test_categories_add_up_to_the_totals(files: list[list[DraftSegment]]) -> None:
    drafts = [Draft(f"{n}.txt", tuple(segments)) for n, segments in enumerate(files)]
    report = analyse(drafts)
    assert report.batch.total.segments == sum(len(segments) for segments in files)
    assert report.batch.total.words == sum(count_words(s.source) for f in files for s in f)
    for name in CATEGORIES:
        assert report.batch.count(name) == sum((f.count(name) for f in report.files), Count())
