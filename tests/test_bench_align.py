"""The alignment benchmark's context measures: identical lines counted as interchangeable,
and the ceiling of an aligner that cannot tell identical lines apart."""

from __future__ import annotations

import pytest

from alignments import Bead, score
from bench.align import _ceiling, _error, _interchangeable, _regions, _runs, errors

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


def test_regions_are_the_stretches_between_shared_boundaries() -> None:
    gold = [Bead((0,), (0,)), Bead((), (1,)), Bead((1,), (2,)), Bead((2,), (3,))]
    # the orphan English line 1 glued to French 1: one stretch, gold 1..3 against test 1..2
    test = [Bead((0,), (0,)), Bead((1,), (1, 2)), Bead((2,), (3,))]
    assert list(_regions(gold, test)) == [(1, 3, 1, 2)]
    assert list(_regions(gold, gold)) == []


def test_error_kinds() -> None:
    orphan = [Bead((), (1,)), Bead((1,), (2,))]
    assert _error(orphan, [Bead((1,), (1, 2))], False) == "English orphan glued to a neighbour"
    assert _error(orphan, [Bead((1,), (1,)), Bead((), (2,))], False) == (
        "English orphan placed wrong"
    )
    assert _error(orphan, [Bead((1,), (1, 2))], True) == "identical lines"
    merged = [Bead((1, 2), (1,))]
    assert _error(merged, [Bead((1,), (1,)), Bead((2,), ())], False) == "French line left alone"
    assert _error(merged, [Bead((1,), ()), Bead((2,), (1,))], False) == "French line left alone"
    shifted = [Bead((1, 2), (1,)), Bead((3,), (2,))]
    split = [Bead((1,), (1,)), Bead((2, 3), (2,))]
    assert _error(shifted, split, False) == "other"
    spread = [Bead((1,), (1,)), Bead((2, 3), (2, 3))]
    assert _error([*merged, Bead((3,), (2, 3))], spread, False) == "merged English line split"


def test_errors_reports_what_mending_each_kind_would_gain(
    capsys: pytest.CaptureFixture[str],
) -> None:
    fr = ["Un", "Deux", "Trois"]
    en = ["One", "Orphan", "Two", "Three"]
    gold = [Bead((0,), (0,)), Bead((), (1,)), Bead((1,), (2,)), Bead((2,), (3,))]
    test = [Bead((0,), (0,)), Bead((1,), (1, 2)), Bead((2,), (3,))]
    errors([(fr, en, gold)], [test])
    out = capsys.readouterr().out
    glued = next(line for line in out.splitlines() if "glued" in line)
    other = next(line for line in out.splitlines() if "| other" in line)
    # mending the one glued stretch makes the alignment perfect; nothing else is wrong
    before = score([gold], [test]).f1
    assert f"+{1.0 - before:.4f}" in glued and "| 1 |" in glued
    assert "+0.0000" in other and "| 0 |" in other
