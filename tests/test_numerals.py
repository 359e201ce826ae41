"""Numbers written in words, French and English."""

from __future__ import annotations

import pytest

from tm.text.numerals import differences, list_label, spelled

CASES = [
    ("deux cent dix jours", "fr", {"210"}),
    ("soixante-cinq jours", "fr", {"65"}),
    ("soixante et onze", "fr", {"71"}),
    ("quatre-vingt-dix-neuf", "fr", {"99"}),
    ("quatre-vingts", "fr", {"80"}),
    ("mille deux cents", "fr", {"1200"}),
    ("un délai de trente jours", "fr", {"1", "30"}),
    ("sans nombre", "fr", set()),
    ("twenty-eight days", "en", {"28"}),
    ("two hundred and ten", "en", {"210"}),
    ("one thousand five hundred", "en", {"1500"}),
    ("le vingt-cinquième jour", "fr", {"25"}),
    ("la quatre-vingt-dixième session", "fr", {"90"}),
    ("la cinquième et la neuvième", "fr", {"5", "9"}),
    ("the twenty-first day", "en", {"21"}),
    ("the twelfth and the fortieth", "en", {"12", "40"}),
    ("deux milliards de dollars", "fr", {"2000000000"}),
    ("three million people", "en", {"3000000"}),
    ("une trentaine de pays", "fr", {"30"}),
    ("deux centaines de participants", "fr", {"200"}),
    ("quelques milliers de soldats", "fr", {"1000"}),
]


@pytest.mark.parametrize(("text", "language", "values"), CASES)
def test_spelled(text: str, language: str, values: set[str]) -> None:
    assert spelled(text, language) == values


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("12. Le Conseil", (0, 4)),
        ("(3) Les frais", (0, 4)),
        ("4) Le", (0, 3)),
        ("Article 20", None),
    ],
)
def test_list_label(text: str, span: tuple[int, int] | None) -> None:
    assert list_label(text) == span


@pytest.mark.parametrize(
    ("source", "target", "missing", "extra", "fewer"),
    [
        ("21 pays", "22 countries", {"21"}, {"22"}, set()),
        ("ratifiés en 1996", "ratified the same year", {"1996"}, set(), set()),
        ("la première mission", "the first mission in 2014", set(), {"2014"}, set()),
        ("en 2015, puis en 2015", "in 2015, then in 2013", set(), {"2013"}, {"2015"}),
        ("4 postes", "four posts", set(), set(), set()),
    ],
)
def test_differences(
    source: str, target: str, missing: set[str], extra: set[str], fewer: set[str]
) -> None:
    found = differences(source, target)
    assert (set(found.missing), set(found.extra), set(found.fewer)) == (missing, extra, fewer)
