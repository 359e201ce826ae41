"""Retrieval: exact and fuzzy lookups, tie order, incremental add/delete, 101, and recall
against a brute-force scan with the same score function."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import BruteForce, fixture_pairs, variants
from hypothesis import given
from hypothesis import strategies as st

from tm import Penalty, TranslationMemory, Unit
from tm.retrieval.bounds import budget, floor, prefix, shared_one, window
from tm.retrieval.index import Index
from tm.retrieval.matching import band
from tm.retrieval.search import _edges, _longest, _tables, _within
from tm.retrieval.signatures import DEDICATED, WORDS, hashed_bit, masks


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A TM of 4,000-odd pairs, one in 7 flagged by the quality check and one in 11 rejected."""
    path = tmp_path_factory.mktemp("engine") / "tm.db"
    with TranslationMemory.open(path) as memory:
        units = [Unit(source=fr, target=en) for fr, en in fixture_pairs()]
        units += [Unit(source=fr, target=en) for fr, en in variants(4000, seed=1)]
        memory.import_units(units)
        ids = [segment.id for segment in memory.segments()]
        memory.db.conn.execute(
            "UPDATE segments SET status = 'flagged', quality_flags = 'misaligned' WHERE id % 7 = 3"
        )
        memory.review([i for i in ids if i % 11 == 5], action="reject", author="test")
    return path


@pytest.fixture(scope="module")
def brute(generated: Path) -> BruteForce:
    with TranslationMemory.open(generated) as memory:
        return BruteForce(memory)


@pytest.mark.parametrize(
    ("limit", "threshold", "count"), [(5, 70, 120), (1, 85, 40), (10, 50, 40), (3, 40, 20)]
)
def test_recall_against_brute_force(
    generated: Path, brute: BruteForce, limit: int, threshold: float, count: int
) -> None:
    queries = [fr for fr, _en in variants(count, seed=2)] + [fr for fr, _en in fixture_pairs()]
    with TranslationMemory.open(generated) as memory:
        assert memory.count() > 3000
        agree = flagged = 0
        for text in queries:
            found = memory.lookup(text, limit=limit, threshold=threshold)
            engine = [(m.score, m.id) for m in found]
            reference = brute.lookup(text, limit=limit, threshold=threshold)
            agree += engine == reference
            flagged += sum(m.flagged for m in found)
            assert engine == reference, text
        assert agree == len(queries)
        assert flagged  # flagged pairs are found too


def test_recall_after_corrections_that_keep_the_length(generated: Path, tmp_path: Path) -> None:
    """Segments corrected to other texts of as many words keep their stale postings, of the
    same length, beside their new ones (the search reads signatures on the postings' lengths
    before the current lengths): lookups near the old and the new texts find what a
    brute-force scan finds, at the analysis floor and above."""
    import shutil

    path = tmp_path / "tm.db"
    shutil.copy(generated, path)
    with TranslationMemory.open(path) as memory:
        memory.lookup("Le ministre peut conclure des accords.", limit=1)  # builds the index
        chosen = [s for s in memory.segments() if len(s.source.split()) >= 6][:150]
        queries = []
        for segment in chosen:
            words = segment.source.split()
            rotated = " ".join(words[2:] + words[:2])
            memory.update(segment.id, rotated, f"Corrected translation {segment.id}.")
            queries += [" ".join([*words[:-1], "autre"]), " ".join([*words[2:], "encore"])]
        reference = BruteForce(memory)
        for text in queries:
            for threshold in (50, 70):
                found = memory.lookup(text, limit=3, threshold=threshold)
                engine = [(m.score, m.id) for m in found]
                assert engine == reference.lookup(text, limit=3, threshold=threshold), text


@pytest.mark.parametrize(("limit", "threshold", "floor"), [(3, 75, 50), (3, 90, 60), (2, 70, 70)])
def test_floor_lookup_is_the_best_above_the_threshold_or_the_best_above_the_floor(
    generated: Path, brute: BruteForce, limit: int, threshold: float, floor: float
) -> None:
    """Pretranslation's one search gives what two brute-force searches give: the best `limit`
    at or above the threshold, else the best one at or above the floor; identical only."""
    pairs = fixture_pairs()
    halves = [  # half of one sentence, half of another: mostly below 75
        " ".join(a.split()[: len(a.split()) // 2] + b.split()[len(b.split()) // 2 :])
        for (a, _), (b, _) in zip(pairs, pairs[1:] + pairs[:1], strict=True)
    ]
    queries = [fr for fr, _en in variants(80, seed=3)] + [fr for fr, _en in pairs] + halves
    kinds = set()
    with TranslationMemory.open(generated) as memory:
        for text in queries:
            engine = [
                (m.score, m.id)
                for m in memory.lookup(text, limit=limit, threshold=threshold, floor=floor)
            ]
            best = brute.lookup(text, limit=1, threshold=floor)
            if not best or best[0][0] < threshold:
                reference, kind = best, "below" if best else "none"
            elif best[0][0] >= 100:
                reference = [m for m in brute.lookup(text, limit=limit, threshold=100)]
                reference, kind = [m for m in reference if m[0] >= 100], "identical"
            else:
                reference, kind = brute.lookup(text, limit=limit, threshold=threshold), "above"
            kinds.add(kind)
            assert engine == reference, text
    assert {"identical", "above"} | ({"below"} if floor < threshold else set()) <= kinds


def test_recall_after_corrections_deletions_and_additions(generated: Path, tmp_path: Path) -> None:
    """The index kept up to date incrementally (postings of corrected and deleted segments
    withdrawn, new ones appended after the build's length order) finds what a brute-force
    scan of the final TM finds."""
    import random
    import shutil

    path = tmp_path / "tm.db"
    shutil.copy(generated, path)
    chance = random.Random(5)
    fresh = [fr for fr, _en in variants(600, seed=9)]
    with TranslationMemory.open(path) as memory:
        memory.lookup(fresh[0], limit=1)  # builds the index
        ids = [row[0] for row in memory.db.conn.execute("SELECT id FROM segments")]
        chosen = chance.sample(ids, 400)
        for segment_id, text in zip(chosen[:200], fresh[:200], strict=True):
            memory.update(segment_id, text, f"Corrected translation {segment_id}.")
        for segment_id in chosen[200:]:
            memory.delete(segment_id)
        for number, text in enumerate(fresh[200:400]):
            memory.add(f"{text} ({number})", f"Added translation {number}.")
        memory.lookup(fresh[0], limit=1)  # catches up with the changes
        reference = BruteForce(memory)
        for text in fresh[400:]:
            engine = [(m.score, m.id) for m in memory.lookup(text, limit=5, threshold=70)]
            assert engine == reference.lookup(text, limit=5, threshold=70), text


def test_exact_and_fuzzy(memory: TranslationMemory) -> None:
    for fr, en in fixture_pairs():
        memory.add(fr, en)
    exact = memory.lookup("Le Conseil a adopté le budget pour l'exercice 2024.")
    assert exact[0].score == 100 and exact[0].band == "100"
    assert exact[0].edits == () and exact[0].penalties == ()
    fuzzy = memory.lookup("Le Conseil a adopté le budget pour l'exercice 2025.")
    assert fuzzy[0].score == 99
    assert fuzzy[0].adapted_target == "The Council adopted the budget for the 2025 financial year."
    assert memory.lookup("Rien à voir avec quoi que ce soit.") == []


def test_ties_newer_then_quality_then_id(memory: TranslationMemory) -> None:
    text = "Le Conseil a adopté le budget."
    memory.import_units(
        [
            Unit(source=text, target="A", changed="2020-01-01T00:00:00Z", quality=0.9),
            Unit(source=text, target="B", changed="2023-01-01T00:00:00Z", quality=0.1),
            Unit(source=text, target="C", changed="2023-01-01T00:00:00Z", quality=0.8),
            Unit(source=text, target="D", changed="2023-01-01T00:00:00Z", quality=0.8),
            Unit(source=text, target="E", changed="2023-01-01T00:00:00Z"),
        ]
    )
    assert [m.target for m in memory.lookup(text, limit=10)] == ["C", "D", "B", "E", "A"]
    assert [m.target for m in memory.lookup(text, limit=2)] == ["C", "D"]


def test_add_and_delete_are_visible_to_the_next_lookup(db_path: Path) -> None:
    index = Index()
    with TranslationMemory.open(db_path, index=index) as memory:
        first = memory.add("Le comité se réunit demain.", "The committee meets tomorrow.")
        assert [m.id for m in memory.lookup("Le comité se réunit demain.")] == [first.id]
        second = memory.add("Le comité se réunit lundi.", "The committee meets on Monday.")
        assert [m.id for m in memory.lookup("Le comité se réunit lundi.")] == [
            second.id,
            first.id,
        ]
        memory.delete(second.id)
        assert [m.id for m in memory.lookup("Le comité se réunit lundi.")] == [first.id]
    with TranslationMemory.open(db_path, index=index) as other:  # another connection
        third = other.add("Le comité se réunit lundi.", "The committee meets on Monday.")
        other.delete(first.id)
        assert [m.id for m in other.lookup("Le comité se réunit lundi.")] == [third.id]


def test_a_lookup_sees_what_another_open_connection_committed_since_the_last_one(
    db_path: Path,
) -> None:
    """`Index.refresh` skips its checks while the connection's `identity.version` and the
    index's watermarks stay as they were when nothing was pending: a commit of another
    connection that stays open, and a row changed by this one, must still be seen."""
    index = Index()
    text = "Le comité se réunit demain."
    with (
        TranslationMemory.open(db_path, index=index) as reader,
        TranslationMemory.open(db_path, index=index) as writer,
    ):
        first = reader.add(text, "The committee meets tomorrow.")
        assert [m.id for m in reader.lookup(text)] == [first.id]
        assert [m.id for m in reader.lookup(text)] == [first.id]  # nothing pending: remembered
        second = writer.add(text + " Lundi.", "The committee meets tomorrow. Monday.")
        assert [m.id for m in reader.lookup(text + " Lundi.")] == [second.id, first.id]
        writer.delete(second.id)
        assert [m.id for m in reader.lookup(text + " Lundi.")] == [first.id]
        reader.db.conn.execute("DELETE FROM segments WHERE id = ?", (first.id,))
        assert reader.lookup(text) == []


def test_context_match_scores_101(memory: TranslationMemory) -> None:
    sentences = ["Titre abrégé", "Le Conseil a adopté le budget.", "La séance est levée."]
    memory.import_units(
        [
            Unit(source=fr, target=f"en {i}", document="doc", position=i)
            for i, fr in enumerate(sentences)
        ]
        + [Unit(source=sentences[1], target="other", document="else", position=0)]
    )
    found = memory.lookup(sentences[1], context_prev="Titre abrégé")
    assert [(m.score, m.band, m.target) for m in found] == [
        (101, "101", "en 1"),
        (100, "100", "other"),
    ]
    assert memory.lookup(sentences[1], context_next="Autre chose.")[0].score == 100


def test_a_flagged_pair_is_suggested_after_unflagged_ones_with_its_reason(
    memory: TranslationMemory,
) -> None:
    """An exact lookup of a flagged pair's French finds it: 1 point off (a named `flagged`
    penalty saying why), after an unflagged pair of the same score however old that one is."""
    text = "Le budget est adopté."
    memory.import_units(
        [
            Unit(source=text, target="The budget is adopted.", changed="2024-01-01T00:00:00Z"),
            Unit(source="Le budget est Adopté.", target="Old.", changed="2001-01-01T00:00:00Z"),
        ]
    )
    flagged = memory.lookup(text)[0]
    memory.db.conn.execute(
        "UPDATE segments SET status = 'flagged', quality_flags = 'misaligned, numbers' "
        "WHERE id = ?",
        (flagged.id,),
    )
    found = memory.lookup(text)
    assert [(m.target, m.score, m.status) for m in found] == [
        ("Old.", 99.0, "ok"),  # case penalty
        ("The budget is adopted.", 99.0, "flagged"),
    ]
    assert found[1].penalties == (Penalty("flagged", 1.0, "misaligned, numbers"),)
    assert memory.lookup(text, limit=1)[0].target == "Old."


def test_a_rejected_pair_is_not_suggested_until_restored(db_path: Path) -> None:
    index = Index()
    text = "Le comité se réunit demain."
    with TranslationMemory.open(db_path, index=index) as memory:
        kept = memory.add(text, "The committee meets tomorrow.")
        wrong = memory.add(text + " Lundi.", "Wrong.")
        assert {m.id for m in memory.lookup(text, threshold=50)} == {kept.id, wrong.id}
        (review,) = memory.review([wrong.id], action="reject", author="marie", note="misaligned")
        assert (review.before, review.after, review.author) == ("confirmed", "rejected", "marie")
    with TranslationMemory.open(db_path, index=index) as other:  # the shared index catches up
        assert [m.id for m in other.lookup(text, threshold=50)] == [kept.id]
        assert other.lookup(text + " Lundi.", threshold=50)[0].id == kept.id
        other.review([wrong.id], action="restore", author="paul")
        assert other.get(wrong.id).status == "confirmed"
        assert {m.id for m in other.lookup(text, threshold=50)} == {kept.id, wrong.id}
        assert [(r.action, r.author) for r in other.reviews(wrong.id)] == [
            ("restore", "paul"),
            ("reject", "marie"),
        ]


@pytest.mark.parametrize(
    ("threshold", "length", "edits", "shared", "lengths"),
    [(100, 10, 0, 1, (10, 10)), (70, 10, 4, 4, (7, 14)), (50, 4, 4, 3, (2, 8))],
)
def test_bounds(
    threshold: float, length: int, edits: int, shared: int, lengths: tuple[int, int]
) -> None:
    assert budget(threshold, length) == edits
    assert prefix(threshold, length) == shared
    assert window(threshold, length) == lengths


@pytest.mark.parametrize(("value", "name"), [(101, "101"), (99.5, "95-99"), (70, "50-74")])
def test_band(value: float, name: str) -> None:
    assert band(value) == name


def test_keys_cache_is_written_then_used(db_path: Path) -> None:
    with TranslationMemory.open(db_path) as memory:
        memory.import_units([Unit(source=fr, target=en) for fr, en in fixture_pairs()])
        first = memory.lookup("Le rapport comprend 1 300 pages et 45 tableaux.")
        cached = memory.db.conn.execute("SELECT count(*) FROM segment_keys").fetchone()[0]
        assert cached == memory.count()
    with TranslationMemory.open(db_path) as again:  # a new index, built from the cache
        assert again.lookup("Le rapport comprend 1 300 pages et 45 tableaux.") == first
        gone = again.lookup("Le rapport comprend 1 300 pages et 45 tableaux.")[0].id
        again.delete(gone)
        left = again.db.conn.execute("SELECT count(*) FROM segment_keys").fetchone()[0]
        assert left == cached - 1


def test_reused_largest_id_is_reindexed(db_path: Path) -> None:
    index = Index()
    with TranslationMemory.open(db_path, index=index) as memory:
        memory.add("Le budget est adopté.", "The budget is adopted.")
        last = memory.add("Le comité se réunit lundi.", "The committee meets on Monday.")
        assert memory.lookup("Le comité se réunit lundi.")[0].id == last.id
        memory.delete(last.id)
        again = memory.add("La séance est levée.", "The meeting rose.")
        assert again.id == last.id  # SQLite gave the id again
        assert memory.lookup("Le comité se réunit lundi.") == []
        assert memory.lookup("La séance est levée.")[0].id == again.id


def test_single_best_identical_match_is_the_newest_and_respects_the_threshold(
    tmp_path: Path,
) -> None:
    with TranslationMemory.open(tmp_path / "one.db") as memory:
        memory.add("Les Alliés se sont réunis.", "Allies met.")
        memory.add("Les Alliés se sont réunis.", "The Allies met.")
        memory.db.conn.execute("UPDATE segments SET changed = '2020-01-01T00:00:00Z' WHERE id = 1")
        memory.add("Les Alliés se sont réunis hier.", "Allies met yesterday.")
        best = memory.lookup("Les Alliés se sont réunis.", limit=1)
        assert [(m.target, m.score) for m in best] == [("The Allies met.", 100.0)]
        assert memory.lookup("Les Alliés se sont réunis.", limit=1, threshold=101) == []


@given(st.lists(st.integers(0, 3000), max_size=80), st.lists(st.integers(1, 3000), max_size=80))
def test_signature_bound_is_never_below_the_words_shared(
    query: list[int], source: list[int]
) -> None:
    """The signature filter may keep a segment that shares too few words, never drop one that
    shares enough: its count is at least the multiset overlap (unknown words, 0, share none)."""
    from collections import Counter

    # Words below 64 have a bit each (the most frequent ones), the others a hashed bit.
    bits = [t if t < DEDICATED else hashed_bit(t) for t in range(3001)]
    signature = 0
    for token in source:
        signature |= 1 << bits[token]
    parts = [np.uint64((signature >> shift) & (2**64 - 1)) for shift in range(0, 64 * WORDS, 64)]
    found = masks(query, bits)
    counted = sum(
        int(np.bitwise_count(part & mask))
        for level in found
        for part, mask in zip(parts, level, strict=True)
    )
    shared = sum((Counter(t for t in query if t) & Counter(source)).values())
    assert counted >= shared
    if len(found):  # the segment side: its words whose bits the query lacks are not shared
        outside = sum(
            int(np.bitwise_count(part & ~mask)) for part, mask in zip(parts, found[0], strict=True)
        )
        assert len(source) - outside >= shared


def test_pending_counts_stop_where_the_way_to_catch_up_is_decided(tmp_path: Path) -> None:
    """Asked on every lookup: after a large import, counting every new row made each lookup
    wait (1–2 s under load for 200k rows until the index caught up)."""
    from tm.retrieval.upkeep import INLINE

    with TranslationMemory.open(tmp_path / "tm.db") as memory:
        memory.import_units([Unit(f"Phrase numéro {n}.", f"Sentence {n}.") for n in range(10)])
        memory.index.refresh(memory.db)
        memory.import_units([Unit(f"Autre phrase {n} ici.", f"Other {n}.") for n in range(5_000)])
        assert memory.index.pending(memory.db).added == INLINE + 1
        (best, *_rest) = memory.lookup("Autre phrase 4999 ici.")
        assert best.score == 100
        assert memory.index.pending(memory.db).size == 0


@given(
    st.lists(st.tuples(st.sampled_from([0, 1, 7, 0xFFFE, 0xFFFF]), st.integers(0, 0xFFFF))),
    st.sampled_from([0, 1, 7, 0xFFFE, 0xFFFF, 0x10000]),
    st.sampled_from([0, 1, 6, 0x10000]),
)
def test_a_length_window_is_cut_from_postings_as_with_64_bit_integers(
    posted: list[tuple[int, int]], low: int, wider: int
) -> None:
    """The postings of a length window, searched with 32-bit needles like the shapes (lengths
    at and past the largest a shape holds included), are those 64-bit integers find."""
    shapes = np.sort(np.array([(length << 16) | place for length, place in posted], np.uint32))
    high = low + wider
    expected = np.searchsorted(shapes.astype(np.int64), [low << 16, (high + 1) << 16])
    assert _within(shapes, _edges(low, high), low, high) == tuple(expected.tolist())


@given(
    st.floats(50, 101),
    st.integers(1, 120),
    st.data(),
)
def test_a_posting_passes_the_tables_as_it_passes_the_prefix_and_positional_filters(
    threshold: float, length: int, data: st.DataObject
) -> None:
    """A segment of `size` words met at its position `place` under the query's word at
    `mine`: in the slice of lengths read (`_longest`) and below its length's limit exactly
    when it is in the window, `place` is in its prefix for the threshold, and the words left
    on both sides from there can reach the words needed."""
    low, high = window(threshold, length)
    fraction = floor(threshold)
    mine = data.draw(st.integers(0, length - 1))
    size = data.draw(st.integers(0, high + 3))
    place = data.draw(st.integers(0, max(size - 1, 0)))
    needed = shared_one(fraction, max(size, length))
    expected = (
        low <= size <= high
        and place < size - shared_one(fraction, size) + 1
        and min(length - mine, size - place) >= needed
    )
    tables = _tables(threshold, length)
    top = _longest(tables.steps, length - mine, high)
    inside = low <= size <= top
    assert (inside and (size << 16 | place) < int(tables.limits[size])) == expected
