"""Concordance: phrase search tolerant of inflection, case and accents, with spans."""

from __future__ import annotations

import pytest
from conftest import fixture_pairs

from tm import InvalidInput, TranslationMemory, Unit

# (expression, side, sources or targets expected, in order)
SEARCHES = [
    ("ministre des finances", "source", ["Le ministre des Finances a présenté le rapport"]),
    (
        "MINISTRES",
        "source",
        [
            "Le ministre peut conclure",
            "Le ministre doit déposer",
            "Les ministres se sont réunis",
            "Le ministre des Finances",
        ],
    ),
    ("reglement", "source", ["Le présent règlement entre en vigueur"]),
    ("security council", "target", ["The Security Council will meet urgently"]),
    ("budgets adoptés", "source", []),
]


@pytest.fixture
def filled(memory: TranslationMemory) -> TranslationMemory:
    pairs = fixture_pairs()
    memory.import_units(
        [
            Unit(source=fr, target=en, changed=f"2023-01-{1 + i % 28:02d}T00:00:00Z")
            for i, (fr, en) in enumerate(pairs)
        ]
    )
    return memory


@pytest.mark.parametrize(("expression", "side", "expected"), SEARCHES)
def test_concordance(
    filled: TranslationMemory, expression: str, side: str, expected: list[str]
) -> None:
    hits = filled.concordance(expression, side=side)
    texts = [hit.source if side == "source" else hit.target for hit in hits]
    assert len(texts) == len(expected)
    for text, start in zip(texts, expected, strict=True):
        assert text.startswith(start)


def test_spans_newest_first_and_counterpart(filled: TranslationMemory) -> None:
    filled.add("Ministre des Finances", "Minister of Finance")
    hits = filled.concordance("ministre des finances")
    assert hits[0].source == "Ministre des Finances"
    assert hits[0].counterpart == "Minister of Finance"
    assert hits[0].spans == ((0, 21),)
    second = hits[1]
    start, end = second.spans[0]
    assert second.source[start:end] == "ministre des Finances"
    assert second.counterpart == ""


@pytest.mark.parametrize(("expression", "side"), [("", "source"), ("!", "source"), ("x", "left")])
def test_bad_concordance(memory: TranslationMemory, expression: str, side: str) -> None:
    with pytest.raises(InvalidInput):
        memory.concordance(expression, side=side)
