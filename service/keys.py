"""API keys: created and revoked by an admin, stored hashed, each with one role."""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tm.errors import InvalidInput, NotFound
from tm.store.database import Database, writing
from tm.store.migrations import Migrations
from tm.store.segments import now as timestamp

if TYPE_CHECKING:
    import sqlite_utils

migrations = Migrations("service")

ROLES = ("translator", "maintainer", "admin")
"""Each role can do what the roles before it can: read and save translations; edit the
glossary; import, delete and manage keys."""


@migrations()
def m001_api_keys(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE api_keys (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            role TEXT NOT NULL,
            hash TEXT NOT NULL UNIQUE,
            created TEXT NOT NULL,
            revoked TEXT
        )
        """
    )


@dataclass(frozen=True)
class Key:
    """A key's record (never the key itself, which is shown once at creation)."""

    id: int
    name: str
    role: str
    created: str
    revoked: str | None


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def ensure_schema(db: Database) -> None:
    if migrations.pending(db):  # no write otherwise: never queue behind an import
        with writing(db):
            migrations.apply(db)


def create(db: Database, *, role: str, name: str, now: str | None = None) -> tuple[str, Key]:
    """A new key for `role`, created `now` (the current time by default); returns the secret
    (show it once) and its record."""
    now = now or timestamp()
    if role not in ROLES:
        raise InvalidInput(f"unknown role {role!r}: choose one of {', '.join(ROLES)}")
    secret = "tm_" + secrets.token_urlsafe(24)
    ensure_schema(db)
    with writing(db):
        cursor = db.conn.execute(
            "INSERT INTO api_keys (name, role, hash, created) VALUES (?, ?, ?, ?)",
            (name, role, _hash(secret), now),
        )
    return secret, Key(
        id=int(cursor.lastrowid or 0), name=name, role=role, created=now, revoked=None
    )


def revoke(db: Database, key_id: int, *, now: str | None = None) -> None:
    """Revoke a key, `now` (the current time by default)."""
    now = now or timestamp()
    ensure_schema(db)
    with writing(db):
        done = db.conn.execute(
            "UPDATE api_keys SET revoked = ? WHERE id = ? AND revoked IS NULL", (now, key_id)
        ).rowcount
    if not done:
        raise NotFound(f"no active key {key_id}")


def listing(db: Database) -> list[Key]:
    ensure_schema(db)
    rows = db.conn.execute(
        "SELECT id, name, role, created, revoked FROM api_keys ORDER BY id"
    ).fetchall()
    return [Key(*row) for row in rows]


def identify(db: Database, secret: str) -> Key | None:
    """The record of an active key (its name and role), or None if unknown or revoked."""
    try:
        found = db.conn.execute(
            "SELECT id, name, role, created, revoked FROM api_keys "
            "WHERE hash = ? AND revoked IS NULL",
            (_hash(secret),),
        ).fetchone()
    except sqlite3.OperationalError as error:
        if "no such table" not in str(error):
            raise
        return None  # no key was ever made
    return Key(*found) if found else None


def ever_made(db: Database) -> bool:
    """Whether a key was ever made, revoked or not (asked on every open read: one query):
    once keys have existed, reads need one."""
    try:
        found = db.conn.execute("SELECT 1 FROM api_keys LIMIT 1")
    except sqlite3.OperationalError:  # no such table: no key was ever made
        return False
    return found.fetchone() is not None


def allows(role: str | None, needed: str) -> bool:
    """Whether `role` includes the rights of `needed`."""
    return role is not None and ROLES.index(role) >= ROLES.index(needed)
