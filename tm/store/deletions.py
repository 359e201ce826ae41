"""The deletion log (`segment_deletions`, written by triggers): the ids of segments deleted,
whose source changed, or rejected or restored by a maintainer, in order, so that every
process's lookup index can catch up."""

from __future__ import annotations

from tm.store.database import Database


def last(db: Database) -> int:
    """The sequence number of the latest entry (0 when the log is empty)."""
    return int(db.conn.execute("SELECT coalesce(max(seq), 0) FROM segment_deletions").fetchone()[0])


def since(db: Database, seq: int) -> list[int]:
    """The ids logged after entry `seq`, in order."""
    rows = db.conn.execute("SELECT id FROM segment_deletions WHERE seq > ?", (seq,))
    return [row[0] for row in rows]


def logged(db: Database, seq: int) -> int | None:
    """The id logged at entry `seq` (None when there is no such entry)."""
    row = db.conn.execute("SELECT id FROM segment_deletions WHERE seq = ?", (seq,)).fetchone()
    return None if row is None else int(row[0])


def count_since(db: Database, seq: int, *, limit: int | None = None) -> int:
    """How many entries follow entry `seq` (counting stops at `limit`)."""
    params: tuple[int, ...]
    if limit is None:
        sql, params = "SELECT count(*) FROM segment_deletions WHERE seq > ?", (seq,)
    else:
        sql = "SELECT count(*) FROM (SELECT 1 FROM segment_deletions WHERE seq > ? LIMIT ?)"
        params = (seq, limit)
    return int(db.conn.execute(sql, params).fetchone()[0])
