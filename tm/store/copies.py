"""Read-only copies of a TM database: one moment of it written to another file (SQLite's
online backup API: a consistent picture even while others write), and opened so that nothing
can be written to it (`immutable`: no locks, no journal, safe on a shared read-only folder)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from urllib.parse import quote

import sqlite_utils

from tm.errors import InvalidInput


def backup(db: sqlite_utils.Database, path: Path) -> None:
    """Write the database of `db` as it is now to `path` (replaced), in one step, as a
    rollback-journal database (no `-wal`/`-shm` files beside it: readers of a read-only
    folder need none)."""
    path.unlink(missing_ok=True)
    target = sqlite3.connect(str(path), isolation_level=None)
    try:
        db.conn.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")
    finally:
        target.close()


def open_readonly(path: Path) -> sqlite_utils.Database:
    """A connection to the database at `path` that never writes it nor waits for a lock
    (`InvalidInput` if it is missing or not a SQLite database). The file must not change while
    it is open: a copy made by `backup`."""
    if not path.is_file():
        raise InvalidInput("no such file", file=str(path))
    uri = f"file:{quote(str(path.resolve()))}?mode=ro&immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as error:
        raise InvalidInput(f"not a usable TM database ({error})", file=str(path)) from error
    return sqlite_utils.Database(conn)


def data_version(db: sqlite_utils.Database) -> int:
    """SQLite's `data_version` of this connection: it changes when another connection commits
    a change to the database (this connection's own writes leave it as it is)."""
    return int(db.conn.execute("PRAGMA data_version").fetchone()[0])
