"""Numbers written in words, French and English."""

from __future__ import annotations

import pytest

from tm.text.numerals import spelled

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
