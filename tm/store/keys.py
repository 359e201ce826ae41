"""The word-key cache (`segment_keys` table): each segment's index keys, packed as text, so
that opening a large TM reads its keys instead of re-analysing every sentence. The cache is
valid for one analysis fingerprint (`tm.retrieval.scoring.analysis_version`), kept in `settings`."""

from __future__ import annotations

import sqlite3

from tm.errors import Busy, DiskFull
from tm.retrieval.scoring import Keys
from tm.store import settings
from tm.store.database import Database, writing
from tm.store.segments import SUGGESTED

SETTING = "engine.keys_version"


def pack(keys: Keys) -> str:
    """The keys as one string (unit and record separators)."""
    return "\x1e".join(
        "\x1f".join(part) for part in (keys.words, keys.placeables, keys.punctuation, keys.tags)
    )


def unpack(packed: str) -> Keys:
    """The inverse of `pack`."""
    words, placeables, punctuation, tags = (
        part.split("\x1f") if part else [] for part in packed.split("\x1e")
    )
    return Keys(words, tuple(placeables), tuple(punctuation), tuple(tags))


def version(db: Database) -> str:
    """The fingerprint the stored keys were made with (empty when none)."""
    found = settings.get(db, SETTING)
    return "" if found is None else str(found)


def rows(
    db: Database, *, after: int, limit: int, cached: bool
) -> list[tuple[int, str, str, float | None, str | None]]:
    """Up to `limit` suggestible (not rejected) segments with an id above `after`, by id: id,
    normalised source, change date, quality, and (with `cached`) their packed keys from the
    cache (None when not cached)."""
    return db.conn.execute(
        "SELECT s.id, s.source_norm, s.changed, s.quality, k.keys FROM segments s "
        "LEFT JOIN segment_keys k ON k.id = s.id AND ? "
        f"WHERE s.{SUGGESTED} AND s.id > ? ORDER BY s.id LIMIT ?",
        (cached, after, limit),
    ).fetchall()


def save(db: Database, computed: list[tuple[int, str]], version: str, *, replace: bool) -> bool:
    """Write the keys cache (replacing all of it with `replace`); a busy or read-only
    database just keeps it for next time. Returns whether it was written."""
    timeout = db.conn.execute("PRAGMA busy_timeout").fetchone()[0]
    db.conn.execute("PRAGMA busy_timeout = 200")
    try:
        with writing(db):
            if replace:
                db.conn.execute("DELETE FROM segment_keys")
            db.conn.executemany("INSERT OR REPLACE INTO segment_keys VALUES (?, ?)", computed)
            settings.put(db, SETTING, version)
    except (sqlite3.OperationalError, Busy, DiskFull):  # busy, full or read-only: later
        return False
    finally:
        db.conn.execute(f"PRAGMA busy_timeout = {int(timeout)}")
    return True
