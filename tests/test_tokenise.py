"""Each tokeniser cuts one sentence its own way (tm.text.tokenise): pinned side by side."""

from __future__ import annotations

import re

import pytest

from tm.text import tokenise

TEXT = "L'aujourd'hui <t1>peut-être</t1> jusqu'à 1 000,5 t."

CUTS = [
    (
        tokenise.WORD,
        ["L", "aujourd", "hui", "t1", "peut", "être", "t1", "jusqu", "à", "1", "000", "5", "t"],
    ),
    (
        tokenise.LANGUAGE_WORD,
        ["L", "aujourd", "hui", "t", "peut", "être", "t", "jusqu", "à", "t"],
    ),
    (tokenise.QA_WORD, ["L'aujourd'hui", "t", "peut", "être", "t", "jusqu'à", "t"]),
    (
        tokenise.COUNTED_WORD,
        ["L", "aujourd", "hui", "t1", "peut-être", "t1", "jusqu", "à", "1", "000", "5", "t"],
    ),
    (
        tokenise.FRENCH_TERM_TOKEN,
        [
            "L'",
            "aujourd'",
            "hui",
            "<",
            "t1",
            ">",
            "peut",
            "-",
            "être",
            "<",
            "/",
            "t1",
            ">",
            "jusqu'",
            "à",
            "1",
            "000",
            ",",
            "5",
            "t",
            ".",
        ],
    ),
    (
        tokenise.ENGLISH_TERM_TOKEN,
        [
            "L",
            "'",
            "aujourd",
            "'",
            "hui",
            "<",
            "t1",
            ">",
            "peut",
            "-",
            "être",
            "<",
            "/",
            "t1",
            ">",
            "jusqu",
            "'",
            "à",
            "1",
            "000",
            ",",
            "5",
            "t",
            ".",
        ],
    ),
]


@pytest.mark.parametrize(("pattern", "expected"), CUTS)
def test_each_tokeniser_cuts_its_way(pattern: re.Pattern[str], expected: list[str]) -> None:
    assert pattern.findall(TEXT) == expected


def test_matching_tokens_keep_tags_words_and_marks_apart() -> None:
    found = [
        next(group for group in m.groups() if group) for m in tokenise.MATCHING_TOKEN.finditer(TEXT)
    ]
    assert found == [
        "L'aujourd'hui",
        "<t1>",
        "peut-être",
        "</t1>",
        "jusqu'à",
        "1",
        "000",
        ",",
        "5",
        "t",
        ".",
    ]


def test_words_are_lower_cased() -> None:
    assert tokenise.words("L'homme-orchestre, 1 000.") == ["l", "homme", "orchestre", "1", "000"]
