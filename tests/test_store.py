"""The store through `TranslationMemory`: add, get, delete, count, stats, transactions."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from tm import InvalidInput, NotFound, TranslationMemory, Unit
from tm.store.database import connect, writing


def test_add_get_delete_count(memory: TranslationMemory) -> None:
    segment = memory.add(
        "Les Alliés se sont réunis.",
        "Allies met.",
        origin="demo",
        document="d1",
        position=3,
        author="anne",
    )
    assert memory.count() == 1
    again = memory.get(segment.id)
    assert (
        again.source,
        again.target,
        again.origin,
        again.document,
        again.position,
        again.author,
    ) == ("Les Alliés se sont réunis.", "Allies met.", "demo", "d1", 3, "anne")
    assert again.created.endswith("Z")
    memory.delete(segment.id)
    assert memory.count() == 0
    with pytest.raises(NotFound):
        memory.get(segment.id)
    with pytest.raises(NotFound):
        memory.delete(segment.id)


def test_identical_pair_is_stored_once(memory: TranslationMemory) -> None:
    first = memory.add("Bonjour.", "Hello.")
    second = memory.add("Bonjour.", "Hello.")
    assert first.id == second.id
    assert memory.import_units([Unit("Bonjour.", "Hello."), Unit("Bonjour.", "Hi.")]) == (1, 1)
    assert memory.count() == 2


def test_many_units_are_stored_in_order_once_and_found_by_concordance(
    memory: TranslationMemory,
) -> None:
    """More units than one insert holds, with repeats across inserts: ids in the order given,
    each identical pair once, every stored pair in the concordance index."""
    units = [
        Unit(f"Article {n % 4500} modifié.", f"Section {n % 4500} amended.") for n in range(5000)
    ]
    assert memory.import_units(units) == (4500, 500)
    stored = list(memory.segments())
    assert [segment.source for segment in sorted(stored, key=lambda s: s.id)] == [
        unit.source for unit in units[:4500]
    ]
    indexed = memory.db.execute("SELECT count(*) FROM segments_text WHERE segments_text MATCH ?",
                                ["modifie"]).fetchone()  # fmt: skip
    assert indexed == (4500,)


@pytest.mark.parametrize(("source", "target"), [("", "Hello."), ("Bonjour.", "  ")])
def test_empty_side_is_refused(memory: TranslationMemory, source: str, target: str) -> None:
    with pytest.raises(InvalidInput):
        memory.add(source, target)
    assert memory.count() == 0


def test_database_uses_wal_and_busy_timeout(db_path: Path) -> None:
    db = connect(db_path)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_failed_transaction_leaves_nothing(memory: TranslationMemory) -> None:
    def units() -> list[Unit]:
        raise InvalidInput("broken half way")

    with pytest.raises(InvalidInput), writing(memory.db):
        memory.db.conn.execute(
            "INSERT INTO segments (source, target, source_norm, source_hash, pair_hash,"
            " created, changed) VALUES ('a', 'b', 'a', 'h', 'p', 'now', 'now')"
        )
        units()
    assert memory.count() == 0


def test_concurrent_writers_never_see_locked(db_path: Path) -> None:
    TranslationMemory.open(db_path).close()
    failures: list[BaseException] = []

    def write(worker: int) -> None:
        try:
            with TranslationMemory.open(db_path) as own:
                for number in range(30):
                    own.add(f"Phrase {worker} {number}.", f"Sentence {worker} {number}.")
        except (sqlite3.OperationalError, InvalidInput) as error:
            failures.append(error)

    threads = [threading.Thread(target=write, args=(worker,)) for worker in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    with TranslationMemory.open(db_path) as check:
        assert check.count() == 120


def test_stats_counts_documents_and_origins(memory: TranslationMemory) -> None:
    memory.add("Un.", "One.", origin="a", document="d1")
    memory.add("Deux.", "Two.", origin="a", document="d2")
    memory.add("Trois.", "Three.", origin="b", document="d2")
    figures = memory.stats()
    assert (figures.segments, figures.documents, figures.origins) == (3, 2, {"a": 2, "b": 1})
    assert figures.size_bytes > 0


def test_a_database_made_before_the_length_column_went_opens(tmp_path: Path) -> None:
    """Migration m007 drops `segments.length` from an older database, its pairs kept."""
    import sqlite_utils

    from tm.store.database import migrations

    path = tmp_path / "old.db"
    old = sqlite_utils.Database(path)
    migrations.apply(old, stop_before="m007_drop_length")
    old.execute(
        "INSERT INTO segments (source, target, source_norm, source_hash, pair_hash, length, "
        "created, changed) VALUES ('Bonjour.', 'Hello.', 'Bonjour.', 'a', 'b', 2, 'c', 'c')"
    )
    old.conn.commit()
    old.conn.close()
    with TranslationMemory.open(path) as memory:
        columns = {row[1] for row in memory.db.execute("PRAGMA table_info(segments)")}
        assert "length" not in columns
        (segment,) = memory.segments()
        assert (segment.source, segment.target) == ("Bonjour.", "Hello.")
        memory.add("Au revoir.", "Goodbye.")
        assert memory.count() == 2


def test_a_nested_write_that_fails_is_undone_alone(tmp_path: Path) -> None:
    """A write inside another's transaction joins it through a savepoint: when it fails, its
    own changes are undone and the outer transaction's are kept."""
    from tm.store import settings

    db = connect(tmp_path / "tm.db")
    with writing(db):
        settings.put(db, "outer", "kept")
        with pytest.raises(ValueError), writing(db):
            settings.put(db, "inner", "undone")
            raise ValueError("the inner write fails")
        settings.put(db, "after", "kept too")
    assert (settings.get(db, "outer"), settings.get(db, "after")) == ("kept", "kept too")
    assert settings.get(db, "inner") is None


def test_pending_migrations_are_read_from_where_sqlite_utils_records_them(tmp_path: Path) -> None:
    """The store tells which migrations are pending with one query of its own; sqlite-utils,
    which applies them, must agree at every step."""
    import sqlite_utils

    from tm.store.database import migrations

    reference = sqlite_utils.Migrations("tm")
    for step in migrations.steps:
        reference()(step)
    old = sqlite_utils.Database(tmp_path / "old.db")
    names = [step.__name__ for step in migrations.steps]
    assert migrations.pending(old) == names == [m.name for m in reference.pending(old)]
    migrations.apply(old, stop_before="m007_drop_length")
    later = names[names.index("m007_drop_length") :]
    assert migrations.pending(old) == later == [m.name for m in reference.pending(old)]
    old.conn.close()
    assert migrations.pending(connect(tmp_path / "old.db")) == []


def _schema(memory: TranslationMemory) -> list[tuple[str, str, str]]:
    return memory.db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()


def test_an_import_into_an_empty_tm_leaves_its_indexes_and_triggers(
    memory: TranslationMemory, tmp_path: Path
) -> None:
    """An import drops the segments' own indexes and the concordance trigger while it inserts
    (`indexes_deferred`, `text_index_deferred`): they are back after it, and after an import
    that fails half way (its first 5,000 units inserted when the reading fails)."""
    before = _schema(memory)
    french, english = tmp_path / "bad.fr", tmp_path / "bad.en"
    french.write_text("".join(f"Article {n} modifié.\n" for n in range(5000)) + "Mauvais\x01.\n")
    english.write_text("".join(f"Section {n} amended.\n" for n in range(5001)))
    with pytest.raises(InvalidInput):
        memory.import_files([french], score=False)
    assert (memory.count(), _schema(memory)) == (0, before)
    french.write_text("Article 1 modifié.\nArticle 2 modifié.\n")
    english.write_text("Section 1 amended.\nSection 2 amended.\n")
    assert memory.import_files([french], score=False).imported == 2
    assert _schema(memory) == before
    memory.add("Article 3 abrogé.", "Section 3 repealed.")  # indexed by the trigger again
    found = memory.db.execute("SELECT rowid FROM segments_text WHERE segments_text MATCH ?",
                              ["modifie OR abroge"]).fetchall()  # fmt: skip
    assert len(found) == 3
