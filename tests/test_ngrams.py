"""The vectorised chrF agrees with sacrebleu's sentence chrF, pair by pair."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sacrebleu.metrics import CHRF

from tm.quality.ngrams import chrf

PAIRS = [
    ("The Council met in Brussels.", "The Council met in Brussels."),
    ("The Council met in Brussels.", "The Allies met in Brussels on Tuesday."),
    ("le conseil s'est réuni", "The Council met"),
    ("", ""),
    ("a", ""),
    ("", "a"),
    ("ab c", "abc"),
    ("x", "y"),
    ("aaaa aaaa", "aa"),
    ("Le 28 novembre 2023, 1 000,5 t à 12,5 %.", "On 28 November 2023, 1,000.5 t at 12.5%."),
    ("Œuvre — « citation » ’", "Œuvre “quote” '"),
    ("日本語のテキスト", "日本語"),
    ("emoji 🙂 text", "emoji 🙂"),
    # the cases of the aligner's former copy (alignments/overlap.py)
    ("the council met today in brussels", "The North Atlantic Council met today in Brussels."),
    ("the budget amounts to 1 000 million", "The budget amounts to 1,000 million euros."),
    ("nothing in common", "xyz"),
    ("", "The reference."),
    ("A hypothesis.", ""),
    ("l' otan restera unie", "NATO will remain united and strong."),
    ("été à l'école", "été à l'école ce matin"),
]


@pytest.mark.parametrize("order", [6, 4, 1])
def test_agrees_with_sacrebleu_on_table(order: int) -> None:
    metric = CHRF(char_order=order)
    expected = [metric.sentence_score(h, [r]).score for h, r in PAIRS]
    got = chrf([h for h, _ in PAIRS], [r for _, r in PAIRS], char_order=order, batch=4)
    assert got.tolist() == pytest.approx(expected, abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.text(max_size=30), st.text(max_size=30)), max_size=8))
def test_agrees_with_sacrebleu_on_any_text(pairs: list[tuple[str, str]]) -> None:
    metric = CHRF()
    expected = [metric.sentence_score(h, [r]).score for h, r in pairs]
    got = chrf([h for h, _ in pairs], [r for _, r in pairs])
    assert got.tolist() == pytest.approx(expected, abs=1e-9)


def test_lengths_must_agree() -> None:
    with pytest.raises(ValueError):
        chrf(["a"], [])
