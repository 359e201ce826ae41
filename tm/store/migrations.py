"""A set of schema migrations, kept as sqlite-utils `Migrations` keep them (the same
`_sqlite_migrations` table), but asked whether any is pending with one query: sqlite-utils,
which imports numpy, click and pluggy (a quarter of a second before a command can start), is
imported only when a migration is to be applied."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import sqlite3

    import sqlite_utils

Step = Callable[["sqlite_utils.Database"], None]

TABLE = "_sqlite_migrations"
"""Where sqlite-utils records the migrations applied: one row per (migration_set, name)."""


class Connected(Protocol):
    """A database connection as `tm.store.database.Database` or sqlite-utils' hold one."""

    @property
    def conn(self) -> sqlite3.Connection: ...


class Migrations:
    """The migrations of one set (`tm`, `glossaries`, `service`), in the order registered.

    >>> migrations = Migrations("tm")
    >>> @migrations()
    ... def m001_segments(db: sqlite_utils.Database) -> None: ...
    >>> if migrations.pending(db):
    ...     migrations.apply(db)
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.steps: list[Step] = []

    def __call__(self) -> Callable[[Step], Step]:
        def register(step: Step) -> Step:
            self.steps.append(step)
            return step

        return register

    def pending(self, db: Connected) -> list[str]:
        """The names of the migrations not applied yet to `db`, in order (a read: it never
        writes, so it never waits behind a writer)."""
        conn = db.conn
        exists = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [TABLE]
        ).fetchone()
        applied = set()
        if exists:
            rows = conn.execute(f"SELECT name FROM {TABLE} WHERE migration_set = ?", [self.name])
            applied = {name for (name,) in rows}
        return [step.__name__ for step in self.steps if step.__name__ not in applied]

    def apply(self, db: Connected, *, stop_before: str | Iterable[str] | None = None) -> None:
        """Apply the pending migrations (sqlite-utils `Migrations.apply`, same `stop_before`)."""
        import sqlite_utils

        migrations = sqlite_utils.Migrations(self.name)
        for step in self.steps:
            migrations()(step)
        migrations.apply(sqlite_utils.Database(db.conn), stop_before=stop_before)
