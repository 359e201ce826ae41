"""What tells one TM's saved lookup index from another's, and what it has not seen yet: the TM's
own id (a random value kept in `settings`, made when first asked for), the source hash of a
segment, and the watermarks of the segments' changes."""

from __future__ import annotations

import sqlite3
import uuid

from tm.errors import Busy, DiskFull
from tm.store import settings
from tm.store.database import Database
from tm.store.quality import EPOCH

SETTING = "engine.tm_id"


def tm_id(db: Database, *, create: bool = False) -> str:
    """This TM's id ("" when it has none yet); with `create`, one is made and stored if it has
    none (if the database cannot be written now, "" again)."""
    found = settings.get(db, SETTING)
    if found is not None or not create:
        return "" if found is None else str(found)
    timeout = db.conn.execute("PRAGMA busy_timeout").fetchone()[0]
    db.conn.execute("PRAGMA busy_timeout = 200")  # never wait behind a long import for this
    try:
        settings.put(db, SETTING, uuid.uuid4().hex)
    except (sqlite3.OperationalError, Busy, DiskFull):  # busy, full or read-only: later
        return ""
    finally:
        db.conn.execute(f"PRAGMA busy_timeout = {int(timeout)}")
    return tm_id(db)


def source_hash(db: Database, segment_id: int) -> str:
    """The hash of a segment's normalised source ("" when there is no such segment)."""
    row = db.conn.execute("SELECT source_hash FROM segments WHERE id = ?", (segment_id,))
    found = row.fetchone()
    return "" if found is None else str(found[0])


def version(db: Database) -> tuple[int, int]:
    """What changes whenever this connection may see other rows than when last asked: SQLite's
    `data_version` (moved by any commit of another connection, in any process) and the rows
    this connection changed itself (`total_changes`). Asked before each lookup, it costs a
    fraction of `watermarks` and reads no table."""
    (data_version,) = db.conn.execute("PRAGMA data_version").fetchone()
    return int(data_version), db.conn.total_changes


def watermarks(db: Database) -> tuple[int, int, int]:
    """The last deletion-log entry (`tm.store.deletions`), the largest segment id and the
    quality epoch (`tm.store.quality.epoch`), in one query: what a lookup index checks before
    each search."""
    row = db.conn.execute(
        "SELECT (SELECT coalesce(max(seq), 0) FROM segment_deletions), "
        "(SELECT coalesce(max(id), 0) FROM segments), "
        "(SELECT value FROM settings WHERE key = ?)",
        (EPOCH,),
    ).fetchone()
    return int(row[0]), int(row[1]), int(row[2] or 0)
