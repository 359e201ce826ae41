"""The alignment benchmark's context measures: identical lines counted as interchangeable,
and the ceiling of an aligner that cannot tell identical lines apart."""

from __future__ import annotations

from alignments import Bead, score
from bench.align import _ceiling, _interchangeable, _runs

FR = ["Titre abrégé", "[Abrogé]", "[Abrogé]", "[Abrogé]", "Définitions"]
EN = ["Short title", "[Repealed]", "[Repealed] [Repealed]", "Definitions"]
GOLD = [
    Bead((0,), (0,)),
    Bead((1,), (1,)),
    Bead((2, 3), (2,)),
    Bead((4,), (3,)),
]


def test_runs_of_identical_lines_include_merged_twins() -> None:
    assert _runs(FR, EN, GOLD) == [(1, 3)]


def test_a_bead_pairing_a_twin_takes_the_gold_beads_place() -> None:
    fr = ["[Abrogé]", "[Abrogé]", "Fin"]
    en = ["[Repealed]", "[Repealed]", "End"]
    gold = [Bead((0,), (0,)), Bead((1,), (1,)), Bead((2,), (2,))]
    # the twins crossed over: same texts, wrong places
    test = [Bead((0,), (1,)), Bead((1,), (0,)), Bead((2,), (2,))]
    assert score([gold], [test]).f1 < 0.5
    relabelled = _interchangeable(fr, en, gold, test)
    assert score([gold], [relabelled]).f1 == 1.0


def test_a_bead_pairing_different_texts_stays_wrong() -> None:
    test = [Bead((0,), (0,)), Bead((1, 2), (1,)), Bead((3,), (2,)), Bead((4,), (3,))]
    relabelled = _interchangeable(FR, EN, GOLD, test)
    assert relabelled == test
    assert score([GOLD], [relabelled]).f1 < 1.0


def test_the_ceiling_is_perfect_without_deletions_among_twins() -> None:
    assert _ceiling([(FR, EN, GOLD)], draws=3) == 1.0


def test_the_ceiling_loses_where_a_deletion_could_be_any_twin() -> None:
    fr = ["[Abrogé]", "[Abrogé]", "[Abrogé]"]
    en = ["[Repealed]", "[Repealed]", "[Repealed]", "[Repealed]"]
    gold = [Bead((0,), (0,)), Bead((1,), (1,)), Bead((), (2,)), Bead((2,), (3,))]
    ceiling = _ceiling([(fr, en, gold)], draws=40)
    assert 0.2 < ceiling < 1.0
