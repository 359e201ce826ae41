"""Pair quality as stored: each segment's `quality`, `quality_flags` and status, written by the
quality check and read back by its report."""

from __future__ import annotations

from collections.abc import Iterable

from tm.segment import Status
from tm.store import settings
from tm.store.database import Database

EPOCH = "engine.quality_epoch"
"""Counts the quality passes (`rescored`), so that a lookup index knows to read the qualities
again (the order of ties)."""


def record(db: Database, segment_id: int, score: float, reason: str, status: Status) -> None:
    """Store one pair's quality, the reasons it was flagged ('' when none) and its status."""
    db.conn.execute(
        "UPDATE segments SET quality = ?, quality_flags = ?, status = ? WHERE id = ?",
        (score, reason, status, segment_id),
    )


def record_many(db: Database, results: Iterable[tuple[int, float, str, bool]]) -> None:
    """Store (id, quality, reasons, flagged) for many pairs (the caller holds the transaction):
    a flagged pair becomes `flagged` unless a translator confirmed it or a maintainer rejected
    it; an unflagged one that was flagged becomes `ok` again; other statuses stay (`status`,
    the same rule in Python)."""
    db.conn.executemany(
        "UPDATE segments SET quality = ?, quality_flags = ?, status = CASE "
        f"WHEN status IN ('{Status.CONFIRMED}', '{Status.REJECTED}') THEN status "
        f"WHEN ? THEN '{Status.FLAGGED}' "
        f"WHEN status = '{Status.FLAGGED}' THEN '{Status.OK}' ELSE status END WHERE id = ?",
        ((score, reason, flagged, id_) for id_, score, reason, flagged in results),
    )


def count_pass(db: Database) -> None:
    """Count one more quality pass (`EPOCH`): a rescore and an import that store their
    pairs' quality batch by batch (`record_many`, `tm.store.segments.add_many`) do."""
    settings.put(db, EPOCH, str(epoch(db) + 1))


def status(previous: str, *, flagged: bool) -> str:
    """The status `record_many` gives a pair of status `previous` (the rule of its CASE, for a
    pair scored as it is stored: `tm.store.segments.add_many`)."""
    if previous in (Status.CONFIRMED, Status.REJECTED):
        return previous
    if flagged:
        return Status.FLAGGED
    return Status.OK if previous == Status.FLAGGED else previous


def epoch(db: Database) -> int:
    """How many quality passes the TM has seen (`rescored`)."""
    found = settings.get(db, EPOCH)
    return 0 if found is None else int(found)


def qualities(db: Database) -> list[tuple[int, float | None]]:
    """(id, quality) of every suggestible (not flagged) pair."""
    rows = db.conn.execute(f"SELECT id, quality FROM segments WHERE status != '{Status.FLAGGED}'")
    return rows.fetchall()


def flag_counts(db: Database) -> dict[str, int]:
    """Flagged pairs per reason string (`quality_flags`), most frequent first."""
    rows = db.conn.execute(
        f"SELECT quality_flags, count(*) FROM segments WHERE status = '{Status.FLAGGED}' "
        "GROUP BY quality_flags ORDER BY count(*) DESC"
    )
    return dict(rows.fetchall())


def rejected(db: Database) -> int:
    """How many pairs a maintainer rejected."""
    found = db.conn.execute(
        "SELECT count(*) FROM segments WHERE status = ?", (Status.REJECTED,)
    ).fetchone()
    return int(found[0])


def scored(db: Database) -> int:
    """How many pairs have a quality score."""
    found = db.conn.execute("SELECT count(*) FROM segments WHERE quality IS NOT NULL").fetchone()
    return int(found[0])


def flagged(db: Database, *, limit: int = 0) -> list[tuple[int, float | None, str, str, str, str]]:
    """The flagged pairs, worst first (all, or the first `limit`): id, quality, reasons,
    source, target, document."""
    rows = db.conn.execute(
        "SELECT id, quality, quality_flags, source, target, document FROM segments "
        f"WHERE status = '{Status.FLAGGED}' ORDER BY quality, id" + (" LIMIT ?" if limit else ""),
        (limit,) if limit else (),
    )
    return rows.fetchall()
