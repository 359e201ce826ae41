"""Opening a TM database: pragmas, migrations, and the writer transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tm.errors import Busy, DiskFull, InvalidInput
from tm.store.migrations import Migrations

if TYPE_CHECKING:
    import sqlite_utils

migrations = Migrations("tm")

BUSY_TIMEOUT_MS = 10_000


@migrations()
def m001_segments(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE segments (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            target TEXT NOT NULL,
            source_norm TEXT NOT NULL,
            source_hash TEXT NOT NULL,
            pair_hash TEXT NOT NULL UNIQUE,
            length INTEGER NOT NULL,
            origin TEXT NOT NULL DEFAULT '',
            document TEXT NOT NULL DEFAULT '',
            position INTEGER,
            created TEXT NOT NULL,
            changed TEXT NOT NULL,
            author TEXT NOT NULL DEFAULT '',
            quality REAL,
            status TEXT NOT NULL DEFAULT 'ok',
            source_tags TEXT NOT NULL DEFAULT '{}',
            target_tags TEXT NOT NULL DEFAULT '{}',
            properties TEXT NOT NULL DEFAULT '{}'
        )
        """
    )
    db.execute("CREATE INDEX segments_source_hash ON segments(source_hash)")
    db.execute("CREATE INDEX segments_document ON segments(document, position)")
    db.execute("CREATE INDEX segments_length ON segments(length)")
    db.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value BLOB NOT NULL)")


class Database:
    """A connection to a TM database: what the store uses of sqlite-utils' `Database` (`conn`,
    `execute`), without importing sqlite-utils, which only applies migrations (`tm.store.
    migrations`): opening a TM for its counts, a key or the glossary costs no more than SQLite.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        # As sqlite-utils' Database sets it: a REPLACE fires the delete triggers too.
        conn.execute("PRAGMA recursive_triggers = ON")

    def execute(
        self, sql: str, parameters: Sequence[Any] | dict[str, Any] | None = None
    ) -> sqlite3.Cursor:
        if parameters is None:
            return self.conn.execute(sql)
        return self.conn.execute(sql, parameters)


def connect(
    path: str | Path, *, migrate: bool = True, busy_timeout_ms: int = BUSY_TIMEOUT_MS
) -> Database:
    """A connection for one user at a time: WAL, busy timeout (how long a writer waits for
    another, such as an import, before `Busy`), foreign keys, schema up to date.

    It is never shared, but it may be handed from thread to thread (FastAPI runs a request's
    dependencies and its route in different worker threads), hence `check_same_thread=False`.
    """
    try:
        conn = sqlite3.connect(
            str(path),
            timeout=busy_timeout_ms / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        if str(path) != ":memory:":
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.DatabaseError as error:
        raise InvalidInput(f"not a usable TM database ({error})", file=str(path)) from error
    db = Database(conn)
    if migrate and migrations.pending(db):  # no write otherwise: never queue behind an import
        with writing(db):
            migrations.apply(db)
    return db


@contextmanager
def large_cache(db: Database, *, megabytes: int = 64) -> Iterator[None]:
    """A bigger page cache for the duration of a bulk write (index pages stay in memory)."""
    previous = db.conn.execute("PRAGMA cache_size").fetchone()[0]
    db.conn.execute(f"PRAGMA cache_size = {-1024 * megabytes}")
    try:
        yield
    finally:
        db.conn.execute(f"PRAGMA cache_size = {int(previous)}")


@contextmanager
def writing(db: Database) -> Iterator[Database]:
    """One writer transaction, `BEGIN IMMEDIATE` so writers queue instead of failing.

    Nested use joins the outer transaction through a savepoint, rolled back alone on error.
    """
    if db.conn.in_transaction:
        with _savepoint(db):
            yield db
        return
    try:
        db.conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        raise translated(error, db) from error
    try:
        yield db
        db.conn.execute("COMMIT")
    except BaseException as error:
        # SQLite has already rolled back after some errors (a full disk): a second ROLLBACK
        # would raise "cannot rollback" and hide the reason.
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK")
        if isinstance(error, sqlite3.OperationalError):
            raise translated(error, db) from error
        raise


@contextmanager
def _savepoint(db: Database) -> Iterator[None]:
    # One name for all: SQLite's ROLLBACK TO and RELEASE take the innermost of that name.
    db.conn.execute("SAVEPOINT nested")
    try:
        yield
    except BaseException:
        if db.conn.in_transaction:
            db.conn.execute("ROLLBACK TO SAVEPOINT nested")
            db.conn.execute("RELEASE SAVEPOINT nested")
        raise
    db.conn.execute("RELEASE SAVEPOINT nested")


def translated(error: sqlite3.OperationalError, db: Database) -> Exception:
    """What a writer tells its caller for SQLite's operational `error`: `Busy` when another
    writer held the database past the connection's busy timeout (nothing written: try again
    later), `DiskFull` when the disk or the database's size limit is full, else `error`."""
    code = getattr(error, "sqlite_errorcode", None)
    message = str(error)
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in message:
        waited = db.conn.execute("PRAGMA busy_timeout").fetchone()[0] / 1000
        return Busy(
            f"the TM is busy with another write (an import) for over {waited:g} s: nothing "
            "was written, try again shortly"
        )
    if code == sqlite3.SQLITE_FULL or "disk is full" in message:
        return DiskFull(f"disk is full: nothing was written to the TM ({message})")
    return error


@migrations()
def m002_engine_deletions(db: sqlite_utils.Database) -> None:
    """A log of deleted segment ids, so every process's in-memory index can catch up."""
    db.execute("CREATE TABLE segment_deletions (seq INTEGER PRIMARY KEY, id INTEGER NOT NULL)")
    db.execute(
        "CREATE TRIGGER segments_deleted AFTER DELETE ON segments "
        "BEGIN INSERT INTO segment_deletions (id) VALUES (old.id); END"
    )


@migrations()
def m003_engine_keys(db: sqlite_utils.Database) -> None:
    """A cache of each segment's word keys, so opening a large TM does not re-analyse it."""
    db.execute("CREATE TABLE segment_keys (id INTEGER PRIMARY KEY, keys TEXT NOT NULL)")
    db.execute(
        "CREATE TRIGGER segment_keys_deleted AFTER DELETE ON segments "
        "BEGIN DELETE FROM segment_keys WHERE id = old.id; END"
    )
    db.execute(
        "CREATE TRIGGER segment_keys_changed AFTER UPDATE OF source_norm ON segments "
        "BEGIN DELETE FROM segment_keys WHERE id = old.id; END"
    )


@migrations()
def m004_quality_flags(db: sqlite_utils.Database) -> None:
    """Why a pair was flagged by pair quality (comma-separated reasons, '' when fine)."""
    db.execute("ALTER TABLE segments ADD COLUMN quality_flags TEXT NOT NULL DEFAULT ''")


@migrations()
def m005_engine_reindex_updates(db: sqlite_utils.Database) -> None:
    """A corrected source is logged like a deletion, so every index drops and re-adds it."""
    db.execute(
        "CREATE TRIGGER segments_updated AFTER UPDATE OF source_norm ON segments "
        "BEGIN INSERT INTO segment_deletions (id) VALUES (old.id); END"
    )


@migrations()
def m006_drop_length_index(db: sqlite_utils.Database) -> None:
    """Nothing queries segments by length since the in-memory index took over retrieval; the
    index only slowed imports."""
    db.execute("DROP INDEX IF EXISTS segments_length")


@migrations()
def m007_drop_length(db: sqlite_utils.Database) -> None:
    """`segments.length` (words of the normalised source) was written by every insert and read
    by nothing since the in-memory index took over retrieval."""
    db.execute("ALTER TABLE segments DROP COLUMN length")


@migrations()
def m008_reviews(db: sqlite_utils.Database) -> None:
    """A maintainer's reviews of pairs (reject, restore, confirm), audited: who, when, the
    status before and after, and a note. A pair rejected or restored is logged like a deletion,
    so every index drops or re-adds it (rejected pairs are not indexed)."""
    db.execute(
        """
        CREATE TABLE segment_reviews (
            id INTEGER PRIMARY KEY,
            segment INTEGER NOT NULL,
            at TEXT NOT NULL,
            author TEXT NOT NULL DEFAULT '',
            action TEXT NOT NULL,
            before TEXT NOT NULL,
            after TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT ''
        )
        """
    )
    db.execute("CREATE INDEX segment_reviews_segment ON segment_reviews(segment, id)")
    db.execute(
        "CREATE TRIGGER segments_rejected AFTER UPDATE OF status ON segments "
        "WHEN (old.status = 'rejected') != (new.status = 'rejected') "
        "BEGIN INSERT INTO segment_deletions (id) VALUES (old.id); END"
    )


@migrations()
def m009_concordance_index(db: sqlite_utils.Database) -> None:
    """A full-text index (FTS5, case and accents folded) over both sides, for concordance: an
    external-content index kept in step with `segments` by triggers, whoever writes."""
    db.execute(
        "CREATE VIRTUAL TABLE segments_text USING fts5(source, target, content='segments', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
    )
    db.execute("INSERT INTO segments_text (segments_text) VALUES ('rebuild')")
    db.execute(
        "CREATE TRIGGER segments_text_added AFTER INSERT ON segments BEGIN "
        "INSERT INTO segments_text (rowid, source, target) VALUES (new.id, new.source, new.target);"
        " END"
    )
    db.execute(
        "CREATE TRIGGER segments_text_deleted AFTER DELETE ON segments BEGIN "
        "INSERT INTO segments_text (segments_text, rowid, source, target) "
        "VALUES ('delete', old.id, old.source, old.target); END"
    )
    db.execute(
        "CREATE TRIGGER segments_text_changed AFTER UPDATE OF source, target ON segments BEGIN "
        "INSERT INTO segments_text (segments_text, rowid, source, target) "
        "VALUES ('delete', old.id, old.source, old.target); "
        "INSERT INTO segments_text (rowid, source, target) VALUES (new.id, new.source, new.target);"
        " END"
    )
