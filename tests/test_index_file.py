"""The lookup index saved beside its TM (`tm.db.index`): read back instead of rebuilt, with the
same results; kept in step with other connections' changes; a corrupt, foreign or outdated file
rebuilt with a message; two processes opening a TM without an index; catching up with a large
import in the background while lookups go on."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import BruteForce, fixture_pairs, variants

from tm import TranslationMemory, Unit
from tm.retrieval import indexfile, upkeep, verification
from tm.retrieval.index import Index
from tm.store import quality as quality_store
from tm.store.database import writing

QUERIES = [fr for fr, _en in variants(60, seed=21)] + [fr for fr, _en in fixture_pairs()]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A TM of 3,000 pairs, without a saved index."""
    path = tmp_path_factory.mktemp("saved") / "tm.db"
    with TranslationMemory.open(path) as memory:
        units = [Unit(source=fr, target=en) for fr, en in fixture_pairs()]
        units += [
            Unit(source=fr, target=f"{en} ({n})")
            for n, (fr, en) in enumerate(variants(3000, seed=4))
        ]
        memory.import_units(units)
        memory.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.fixture
def copied(generated: Path, tmp_path: Path) -> Path:
    path = tmp_path / "tm.db"
    shutil.copy(generated, path)
    return path


class Recorder:
    """A progress listener: what the index reported doing."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def __call__(self, what: str, done: int, total: int) -> None:
        if what:
            self.seen.append(what)


def opened(path: Path) -> tuple[TranslationMemory, Recorder]:
    memory = TranslationMemory.open(path)
    memory.index.progress = recorder = Recorder()
    return memory, recorder


def results(memory: TranslationMemory, queries: list[str]) -> list[list[tuple[float, int]]]:
    return [[(m.score, m.id) for m in memory.lookup(q, limit=5, threshold=60)] for q in queries]


def test_the_saved_index_is_read_back_and_finds_what_brute_force_finds(copied: Path) -> None:
    first, built = opened(copied)
    with first:
        found = results(first, QUERIES)
        reference = BruteForce(first)
    assert "indexing the TM" in built.seen
    assert indexfile.path_for(copied).exists()
    second, loaded = opened(copied)
    with second:
        assert results(second, QUERIES) == found
        assert loaded.seen == []  # read, not built
        assert second.index.live == second.count()
    assert found == [reference.lookup(q, limit=5, threshold=60) for q in QUERIES]
    assert sum(bool(f) for f in found) > len(QUERIES) // 2


def test_changes_by_other_connections_are_caught_up_and_saved(
    copied: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(upkeep, "SAVE_AFTER", 200)
    with TranslationMemory.open(copied) as first:
        first.lookup(QUERIES[0])  # built and saved
    saved = indexfile.load(indexfile.path_for(copied))[0]
    fresh = [fr for fr, _en in variants(300, seed=22)]
    with TranslationMemory.open(copied) as reader, TranslationMemory.open(copied) as writer:
        reader.lookup(QUERIES[0])  # read from the file
        ids = [row[0] for row in writer.db.conn.execute("SELECT id FROM segments LIMIT 150")]
        for segment_id, text in zip(ids[:50], fresh, strict=False):
            writer.update(segment_id, text, f"Corrected {segment_id}.")
        for segment_id in ids[50:100]:
            writer.delete(segment_id)
        for number, text in enumerate(fresh[50:200]):
            writer.add(f"{text} ({number})", f"Added {number}.")
        found = results(reader, fresh[200:])  # caught up, then saved again (≥ 200 changes)
        reference = BruteForce(writer)
        assert found == [reference.lookup(q, limit=5, threshold=60) for q in fresh[200:]]
    resaved = indexfile.load(indexfile.path_for(copied))[0]
    assert resaved.max_id > saved.max_id and resaved.deletion_seq > saved.deletion_seq
    later, seen = opened(copied)
    with later:
        assert results(later, fresh[200:]) == found
        assert seen.seen == []


def test_its_header_alone_says_whether_a_saved_index_has_seen_all_its_tm(copied: Path) -> None:
    path = indexfile.path_for(copied)
    with TranslationMemory.open(copied) as memory:
        memory.lookup(QUERIES[0])  # built and saved
        assert upkeep.current(path, memory.db)
        assert indexfile.header(path) == indexfile.load(path)[0]
        memory.add("Une phrase ajoutée après la sauvegarde.", "A sentence added after it.")
        assert not upkeep.current(path, memory.db)
        memory.index.refresh(memory.db)
        upkeep.store(memory.index, memory.db)
        assert upkeep.current(path, memory.db)
        assert not upkeep.current(path.with_name("elsewhere.index"), memory.db)
        path.write_bytes(b"not an index" + path.read_bytes()[12:])
        assert not upkeep.current(path, memory.db)


def test_a_pair_restored_after_the_index_was_made_is_suggested(db_path: Path) -> None:
    text = "Le comité se réunira demain à Genève pour examiner le budget."
    with TranslationMemory.open(db_path) as memory:
        memory.import_units([Unit(source=text, target="x", status="rejected")])
        memory.add("Le budget est adopté.", "The budget is adopted.")
        assert memory.lookup(text) == []  # the index is made without the rejected pair
        rejected = memory.db.conn.execute("SELECT id FROM segments WHERE target = 'x'").fetchone()
        memory.review([rejected[0]], action="restore")
        assert [m.id for m in memory.lookup(text)] == [rejected[0]]
        memory.review([rejected[0]], action="reject")
        assert memory.lookup(text) == []


def test_qualities_after_a_quality_pass_order_ties(db_path: Path) -> None:
    text = "Le Conseil a adopté le budget."
    with TranslationMemory.open(db_path) as memory:
        memory.import_units(
            [Unit(source=text, target=t, changed="2023-01-01T00:00:00Z") for t in "ABC"]
        )
        assert [m.target for m in memory.lookup(text, limit=1)] == ["A"]  # lowest id
        ids = {m.target: m.id for m in memory.lookup(text)}
        with writing(memory.db):  # a quality pass, as a rescore stores it
            quality_store.record_many(
                memory.db,
                [
                    (ids["A"], 0.2, "", False),
                    (ids["B"], 0.3, "", False),
                    (ids["C"], 0.9, "", False),
                ],
            )
            quality_store.count_pass(memory.db)
        assert [m.target for m in memory.lookup(text, limit=1)] == ["C"]
    with TranslationMemory.open(db_path) as again:  # the saved index has the new qualities
        assert [m.target for m in again.lookup(text, limit=1)] == ["C"]


def _body_byte(path: Path) -> int:
    """An offset inside the arrays of the index file at `path`."""
    return path.stat().st_size - 100


def _corrupt(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[_body_byte(path)] ^= 0xFF
    path.write_bytes(bytes(data))


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _header_flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(indexfile.MAGIC) + 20] ^= 0x01
    path.write_bytes(bytes(data))


def _not_an_index(path: Path) -> None:
    path.write_text("hello", encoding="utf-8")


@pytest.mark.parametrize("ahead", [False, True], ids=["at-load", "checked-ahead"])
@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_corrupt, "corrupt (checksum mismatch)"),
        (_truncate, "corrupt"),
        (_header_flip, "corrupt"),
        (_not_an_index, "is not a tm index file"),
    ],
)
def test_a_damaged_index_file_is_rebuilt_with_a_message(
    copied: Path, caplog: pytest.LogCaptureFixture, damage: object, message: str, ahead: bool
) -> None:
    """A damaged file is rebuilt, never used, whether the load finds the damage or the check
    a command starts ahead does (`tm lookup`, `tm serve`)."""
    with TranslationMemory.open(copied) as first:
        expected = results(first, QUERIES[:20])
    path = indexfile.path_for(copied)
    damage(path)  # type: ignore[operator]
    with pytest.raises(indexfile.Unusable):
        indexfile.load(path)
    if ahead:
        verification.ahead(path)
    caplog.set_level(logging.WARNING, logger="tm.index")
    again, seen = opened(copied)
    with again:
        assert results(again, QUERIES[:20]) == expected
    assert "indexing the TM" in seen.seen
    assert any(message in r.getMessage() and "rebuilding" in r.getMessage() for r in caplog.records)
    indexfile.load(path)  # saved again, whole


def test_a_check_made_ahead_is_used_for_the_file_it_read_only(copied: Path) -> None:
    """A check started ahead stands for the load's own only while the file at its path is the
    one it read: an index saved over it since is checked anew (and a damaged one refused)."""
    with TranslationMemory.open(copied) as first:
        expected = results(first, QUERIES[:20])
    path = indexfile.path_for(copied)
    verification.ahead(path)
    taken = verification.checked(path)
    assert taken.body_sound
    verification.ahead(path)
    assert verification.checked(path) is not taken  # taken once: the next load checks again
    verification.ahead(path)
    replaced = path.with_name("replaced")
    shutil.copy(path, replaced)
    _corrupt(replaced)
    replaced.replace(path)  # as a save does: another file under the same name
    with pytest.raises(indexfile.Unusable, match="checksum mismatch"):
        indexfile.load(path)
    with TranslationMemory.open(copied) as again:
        assert results(again, QUERIES[:20]) == expected


def test_an_index_file_of_another_version_is_rebuilt(
    copied: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    with TranslationMemory.open(copied) as first:
        expected = results(first, QUERIES[:20])
    path = indexfile.path_for(copied)
    header, snapshot = indexfile.load(path)
    monkeypatch.setattr(indexfile, "version", lambda: "an older one")
    indexfile.save(snapshot, header, path)
    monkeypatch.undo()
    caplog.set_level(logging.WARNING, logger="tm.index")
    again, seen = opened(copied)
    with again:
        assert results(again, QUERIES[:20]) == expected
    assert "indexing the TM" in seen.seen
    assert any("another version" in r.getMessage() for r in caplog.records)


def test_the_index_file_of_another_tm_is_rebuilt(
    copied: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    other = tmp_path / "other.db"
    with TranslationMemory.open(other) as memory:
        memory.add("Le budget est adopté.", "The budget is adopted.")
        memory.lookup("Le budget est adopté.")
    with TranslationMemory.open(copied) as first:
        expected = results(first, QUERIES[:20])
    shutil.copy(indexfile.path_for(other), indexfile.path_for(copied))
    caplog.set_level(logging.WARNING, logger="tm.index")
    with TranslationMemory.open(copied) as again:
        assert results(again, QUERIES[:20]) == expected
    assert any("belongs to another TM" in r.getMessage() for r in caplog.records)


def test_an_index_newer_than_its_restored_database_is_rebuilt(
    copied: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A database put back from a backup, with the index saved after the backup was taken."""
    with TranslationMemory.open(copied) as memory:
        memory.lookup(QUERIES[0])
        memory.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    backup = tmp_path / "backup.db"
    shutil.copy(copied, backup)
    with TranslationMemory.open(copied) as memory:
        for segment_id in range(1, 40):
            memory.delete(segment_id)
        memory.lookup(QUERIES[0])
        upkeep.store(memory.index, memory.db)  # the deletions are few: saved explicitly
        memory.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(backup, copied)
    caplog.set_level(logging.WARNING, logger="tm.index")
    with TranslationMemory.open(copied) as restored:
        reference = BruteForce(restored)
        assert results(restored, QUERIES[:20]) == [
            reference.lookup(q, limit=5, threshold=60) for q in QUERIES[:20]
        ]
    assert any("history" in r.getMessage() for r in caplog.records)


OPEN_AND_LOOK_UP = """
import json, sys, time
from tm import TranslationMemory
start = float(sys.argv[2])
while time.time() < start:
    time.sleep(0.001)
seen = []
with TranslationMemory.open(sys.argv[1]) as memory:
    memory.index.progress = lambda what, done, total: seen.append(what)
    found = [(m.score, m.id) for m in memory.lookup(sys.argv[3], limit=5, threshold=60)]
print(json.dumps({"built": "indexing the TM" in seen, "found": found}))
"""


def test_two_processes_opening_a_tm_without_an_index(copied: Path) -> None:
    """One builds and saves it; the other waits for it and reads it; neither fails."""
    start = time.time() + 1.5
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN_AND_LOOK_UP, str(copied), str(start), QUERIES[3]],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0, 0], outputs
    answers = [json.loads(out.strip().splitlines()[-1]) for out, _err in outputs]
    assert sorted(answer["built"] for answer in answers) == [False, True]
    assert answers[0]["found"] == answers[1]["found"] != []
    indexfile.load(indexfile.path_for(copied))


def test_many_changes_are_caught_up_in_the_background(
    copied: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With `background`, lookups go on with the index as it was while a large import is
    caught up; then they see it."""
    monkeypatch.setattr(upkeep, "INLINE", 50)
    new = [
        (f"{fr} (révisé {n})", f"{en} (revised {n})")
        for n, (fr, en) in enumerate(variants(400, seed=23))
    ]
    with TranslationMemory.open(copied) as memory:
        memory.lookup(QUERIES[0])  # built and saved
    index = Index(copied, background=True)
    with TranslationMemory.open(copied, index=index) as memory:
        memory.lookup(QUERIES[0])  # read from the file
        before = index.live
        with TranslationMemory.open(copied) as writer:
            writer.import_units([Unit(source=fr, target=en) for fr, en in new])
        query = new[0][0].replace("(révisé 0)", "(révisé zéro)")  # fuzzy: from the index
        with upkeep.locked(index):  # the background catch-up waits for this lock
            found = memory.lookup(query, limit=5, threshold=60)
            assert new[0][1] not in [m.target for m in found]  # answered as it was
            assert index.live == before
            assert index.worker is not None and index.worker.is_alive()
        index.worker.join(timeout=60)
        assert index.live == before + len(new)
        assert new[0][1] in [m.target for m in memory.lookup(query, limit=5, threshold=60)]


@pytest.mark.parametrize(
    ("tokens", "width"),
    [([1, 2, 0xD7FF, 0xD800, 63_000], 2), ([1, 0xD800, 63_488, 70_000, 1_200_000], 4)],
)
def test_word_codes_are_16_bit_while_they_fit_and_decode_to_the_same_words(
    tokens: list[int], width: int
) -> None:
    import numpy as np

    from tm.retrieval.snapshot import character, codes_of, decode, token_of

    codes = codes_of(np.array(tokens, dtype=np.int32))
    assert codes.itemsize == width
    assert decode(codes) == "".join(map(character, tokens))
    fitting = [t for t in tokens if t < 1_100_000]  # beyond, words share characters
    assert [token_of(c) for c in decode(codes_of(np.array(fitting, dtype=np.int32)))] == fitting


def test_a_save_killed_midway_leaves_nothing_behind_once_saved_again(copied: Path) -> None:
    path = indexfile.path_for(copied)
    stale = path.with_name(f"{path.name}.k1ll3d.tmp")
    stale.write_bytes(b"half an index")
    with TranslationMemory.open(copied) as memory:
        memory.lookup(QUERIES[0])  # built and saved
    assert not stale.exists()
    indexfile.load(path)
