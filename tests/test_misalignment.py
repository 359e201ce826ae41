"""The misalignment model: its inputs, probabilities, and the Newton fit that made its weights."""

from __future__ import annotations

import numpy as np
import pytest

from tm.quality.misalignment import BIAS, FEATURES, WEIGHTS, features, fit, probability


def _row(source: str, target: str, **overrides: float) -> tuple[float, ...]:
    signals: dict[str, float] = dict(
        similarity=0.5, forward=0.5, backward=0.5, content_words=2, source_words=3, target_words=3
    )
    signals.update(overrides)
    return features(
        source,
        target,
        similarity=signals["similarity"],
        forward=signals["forward"],
        backward=signals["backward"],
        content_words=int(signals["content_words"]),
        source_words=int(signals["source_words"]),
        target_words=int(signals["target_words"]),
        numbers_agree=None,
        segment=signals.get("segment", 0.0),
    )


def test_one_weight_per_feature() -> None:
    assert len(WEIGHTS) == len(FEATURES) == len(_row("Titre abrégé", "Short title"))
    assert isinstance(BIAS, float)


PUNCTUATION = [
    # (source, target, final punctuation agrees, initial case agrees)
    ("Titre abrégé", "Short title", 1.0, 1.0),
    ("Titre abrégé", "the Minister may designate;", -1.0, -1.0),
    ("le ministre peut désigner;", "the Minister may designate;", 1.0, 1.0),
    ("toute cage, tout cageot ou tout nichoir;", "cages, crates and nesting boxes; and", 1.0, 1.0),
    ("« Le ministre est chargé. »", "“The Minister is responsible.”", 1.0, 1.0),
    ("2015", "2015", 1.0, 0.0),
]


@pytest.mark.parametrize(("source", "target", "ending", "case"), PUNCTUATION)
def test_punctuation_and_case(source: str, target: str, ending: float, case: float) -> None:
    row = _row(source, target)
    assert row[FEATURES.index("final punctuation agrees")] == ending
    assert row[FEATURES.index("initial case agrees")] == case


def test_more_evidence_less_misalignment() -> None:
    rows = np.array(
        [
            _row("Titre abrégé", "Short title", similarity=1.0, forward=1.0, backward=1.0),
            _row("Titre abrégé", "Short title", similarity=0.0, forward=0.0, backward=0.0),
        ]
    )
    good, bad = probability(rows)
    assert 0 <= good < bad <= 1


def test_a_known_segment_vouches_for_or_against() -> None:
    vouched, unknown, against = probability(
        np.array(
            [
                _row("Titre abrégé", "Short title", forward=0.0, backward=0.0, segment=1.0),
                _row("Titre abrégé", "Short title", forward=0.0, backward=0.0),
                _row("Titre abrégé", "Short title", forward=0.0, backward=0.0, segment=-1.0),
            ]
        )
    )
    assert 0 <= vouched < unknown < against <= 1


def test_probability_of_nothing() -> None:
    assert probability(np.zeros((0, len(FEATURES)))).shape == (0,)


def test_fit_recovers_known_weights() -> None:
    generator = np.random.default_rng(5)
    rows = generator.normal(size=(20_000, 2))
    chance = 1 / (1 + np.exp(-(rows @ np.array([2.0, -3.0]) + 0.5)))
    labels = generator.random(20_000) < chance
    weights, bias = fit(rows, labels, penalty=0.0)
    assert weights == pytest.approx((2.0, -3.0), abs=0.15)
    assert bias == pytest.approx(0.5, abs=0.1)
