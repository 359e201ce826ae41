"""The `settings` table: named values kept beside the segments (the word lexicon, the
sentencepiece model, the fingerprint of the keys cache)."""

from __future__ import annotations

from tm.store.database import Database, writing


def get(db: Database, key: str) -> bytes | str | None:
    """The value stored under `key` (as stored: bytes or text), or None."""
    row = db.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    if row is None:
        return None
    value: bytes | str = row[0]
    return value


def put(db: Database, key: str, value: bytes | str) -> None:
    """Store `value` under `key`, replacing any previous one (in the caller's transaction, or
    one of its own)."""
    with writing(db):
        db.conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )


def stamp(db: Database, key: str) -> tuple[int, bytes] | None:
    """The size and the last 4 bytes of the value under `key` (None when there is none): what
    tells a cached copy from a changed value without reading all of it."""
    row = db.conn.execute(
        "SELECT length(value), substr(value, -4) FROM settings WHERE key = ?", (key,)
    ).fetchone()
    return None if row is None else (int(row[0]), bytes(row[1]))
