"""Lookups shared among forked workers: the same results as in one process, in order."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import fixture_pairs, variants

from service.pipelines.pretranslation import pretranslate
from tm import TranslationMemory
from tm.errors import InvalidInput
from tm.retrieval.workers import MIN_ITEMS, available, fork_imap

pytestmark = pytest.mark.skipif(available() < 2, reason="needs fork and two CPUs")


def suggestions(memory: TranslationMemory, query: str) -> tuple[int, list[tuple[int, float]]]:
    """The process that looked `query` up, and what it found."""
    return os.getpid(), [(m.id, m.score) for m in memory.lookup(query, limit=3, threshold=60)]


@pytest.fixture
def stocked(memory: TranslationMemory) -> TranslationMemory:
    for fr, en in fixture_pairs():
        memory.add(fr, en)
    return memory


def test_workers_find_what_one_process_finds_in_order(stocked: TranslationMemory) -> None:
    queries = [fr for fr, _en in variants(MIN_ITEMS + 50, seed=7)]
    alone = list(fork_imap(stocked, suggestions, queries, workers=1))
    shared = list(fork_imap(stocked, suggestions, queries, workers=2))
    assert [found for _pid, found in shared] == [found for _pid, found in alone]
    assert sum(bool(found) for _pid, found in alone) > len(queries) // 2
    assert {pid for pid, _found in alone} == {os.getpid()}
    assert os.getpid() not in {pid for pid, _found in shared}  # really in the workers


def test_workers_see_segments_added_after_the_index_was_built(
    stocked: TranslationMemory,
) -> None:
    queries = [fr for fr, _en in variants(MIN_ITEMS, seed=8)]
    list(fork_imap(stocked, suggestions, queries, workers=2))  # index built, workers gone
    added = stocked.add("Le Comité de rédaction siégera demain à Genève.", "The drafting …")
    found = list(
        fork_imap(
            stocked,
            suggestions,
            [*queries, "Le Comité de rédaction siégera demain à Genève."],
            workers=2,
        )
    )
    assert found[-1][1][0] == (added.id, 100.0)


def test_pretranslation_with_workers_writes_the_same_drafts(
    stocked: TranslationMemory, tmp_path: Path
) -> None:
    lines = [fr for fr, _en in variants(MIN_ITEMS + 100, seed=9)]
    release = tmp_path / "release.fr.txt"
    release.write_text("\n".join(lines) + "\n", "utf-8")
    ticks: list[int] = []
    one = pretranslate(stocked, [release], out=tmp_path / "one", workers=1)
    two = pretranslate(stocked, [release], out=tmp_path / "two", workers=2, progress=ticks.append)
    assert one.analysis == two.analysis
    assert one.analysis.batch.count("repetitions").segments > 0
    assert sum(ticks) == one.analysis.batch.total.segments
    for name in ("release.fr.txt.xlf", "analysis.csv"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def refuse_the_last(memory: TranslationMemory, query: str) -> int:
    if query == "la dernière":
        raise InvalidInput("refused in a worker", file="batch.txt", line=7)
    return len(memory.lookup(query))


def test_an_error_in_a_worker_reaches_the_caller(stocked: TranslationMemory) -> None:
    queries = [fr for fr, _en in variants(MIN_ITEMS, seed=10)] + ["la dernière"]
    with pytest.raises(InvalidInput) as raised:
        list(fork_imap(stocked, refuse_the_last, queries, workers=2))
    assert (raised.value.file, raised.value.line) == ("batch.txt", 7)
