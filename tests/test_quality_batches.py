"""Pair quality of many batches in forked processes (`tm.quality.batches`): the same qualities,
in the same order, as scoring each batch here."""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

from tm.quality import base
from tm.quality.batches import aside, available, mapped
from tm.quality.pairs import assess

RELEASES = Path(__file__).resolve().parents[1] / "data" / "releases"


def _pairs() -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for french in sorted(RELEASES.glob("*.fr")):
        english = french.with_suffix(".en").read_text("utf-8").splitlines()
        pairs += list(zip(french.read_text("utf-8").splitlines(), english, strict=True))
    return pairs


def test_forked_workers_score_as_this_process_does() -> None:
    pairs = _pairs()
    batches = [pairs[start : start + 40] for start in range(0, len(pairs), 40)]
    assert len(batches) > 4
    lexicon = base.lexicon()
    here = [assess(batch, lexicon=lexicon) for batch in batches]
    work = partial(assess, lexicon=lexicon)  # inherited by the workers, never pickled
    assert list(mapped(work, iter(batches), workers=2)) == here
    assert list(mapped(work, batches[:1], workers=2)) == here[:1]
    assert list(mapped(work, [], workers=2)) == []


def test_work_aside_runs_in_a_forked_process_while_this_one_goes_on() -> None:
    """`aside` hands back the result of work done in a process forked from this one (it
    inherits the work: a closure over a lexicon here, never pickled), or here when told not
    to fork; either way the same result."""
    pairs = _pairs()
    lexicon = base.lexicon()

    def work() -> tuple[int, list[float]]:
        return os.getpid(), [quality.score for quality in assess(pairs, lexicon=lexicon)]

    with aside(work) as forked:
        here = work()
        there = forked()
    with aside(work, fork=False) as not_forked:
        assert not_forked() == here
    assert there[1] == here[1]
    assert (there[0] != os.getpid()) == (available() > 1)
