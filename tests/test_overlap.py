"""The vectorised chrF agrees with sacrebleu's sentence chrF."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sacrebleu.metrics import CHRF

from alignments.overlap import chrf
from tm.errors import InvalidInput

PAIRS = [
    ("the council met today in brussels", "The North Atlantic Council met today in Brussels."),
    ("the budget amounts to 1 000 million", "The budget amounts to 1,000 million euros."),
    ("identical text", "identical text"),
    ("nothing in common", "xyz"),
    ("", "The reference."),
    ("A hypothesis.", ""),
    ("a", "a"),
    ("l' otan restera unie", "NATO will remain united and strong."),
    ("été à l'école", "été à l'école ce matin"),
]


def _reference(hypothesis: str, reference: str) -> float:
    return float(CHRF().sentence_score(hypothesis, [reference]).score)


def test_matches_sacrebleu_table() -> None:
    got = chrf([h for h, _ in PAIRS], [r for _, r in PAIRS])
    expected = [_reference(h, r) for h, r in PAIRS]
    assert got.tolist() == pytest.approx(expected, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=30), st.text(max_size=30)), min_size=1, max_size=6))
def test_matches_sacrebleu_random(pairs: list[tuple[str, str]]) -> None:
    got = chrf([h for h, _ in pairs], [r for _, r in pairs])
    assert got.tolist() == pytest.approx([_reference(h, r) for h, r in pairs], abs=1e-9)


def test_length_mismatch() -> None:
    with pytest.raises(InvalidInput, match="as many"):
        chrf(["a"], [])
    assert chrf([], []).shape == (0,)
