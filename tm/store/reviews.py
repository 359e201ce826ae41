"""A maintainer's reviews of stored pairs, each audited in `segment_reviews` in the same
transaction: `reject` (the pair is kept but never suggested), `restore` (a rejected pair gets
back the status it had) and `confirm` (a doubted pair is right: never flagged again). A
correction of a pair's texts that changes its status (a rejected or doubted pair corrected is
confirmed) is audited too, as `correct` (`corrected`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from tm.errors import InvalidInput, NotFound
from tm.segment import Review, Status
from tm.store.database import Database, writing
from tm.store.segments import now

REJECT, RESTORE, CONFIRM = "reject", "restore", "confirm"
ACTIONS = (REJECT, RESTORE, CONFIRM)
CORRECT = "correct"
"""The audit trail's action for a correction of the texts (not a review one asks for)."""
MAX_IDS = 10_000
"""The most pairs one review may name."""
_COLUMNS = "id, segment, at, author, action, before, after, note"


def review(
    db: Database, ids: Iterable[int], *, action: str, author: str, note: str = ""
) -> list[Review]:
    """Apply `action` to the pairs `ids` in one transaction and audit each change; a pair
    already in the status the action gives is left alone (no review recorded). An unknown id
    is `NotFound` and nothing changes. Returns the reviews recorded, in the order of `ids`."""
    if action not in ACTIONS:
        raise InvalidInput(f"action must be one of {', '.join(ACTIONS)}, not {action!r}")
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        raise InvalidInput("name at least one pair")
    if len(wanted) > MAX_IDS:
        raise InvalidInput(f"at most {MAX_IDS:,} pairs a review, not {len(wanted):,}")
    stamp = now()
    recorded: list[Review] = []
    with writing(db):
        states = _states(db, wanted)
        missing = [i for i in wanted if i not in states]
        if missing:
            raise NotFound(f"no segment {', '.join(map(str, missing[:10]))}")
        for segment_id in wanted:
            before, flags = states[segment_id]
            after = _after(db, segment_id, action, before, flags)
            if after == before:
                continue
            db.conn.execute("UPDATE segments SET status = ? WHERE id = ?", (after, segment_id))
            recorded.append(
                _audit(db, Review(0, segment_id, stamp, author, action, before, after, note))
            )
    return recorded


def corrected(db: Database, segment_id: int, before: str, author: str) -> None:
    """Audit a correction of pair `segment_id`'s texts (inside the writer's transaction) when it
    changed the pair's status from `before`: a rejected pair corrected is suggested again, and
    the trail says who did it."""
    after = db.conn.execute("SELECT status FROM segments WHERE id = ?", (segment_id,)).fetchone()
    if after is not None and after[0] != before:
        note = "texts corrected"
        _audit(db, Review(0, segment_id, now(), author, CORRECT, before, str(after[0]), note))


def _audit(db: Database, review: Review) -> Review:
    """Record `review` in the audit trail; returns it with its id."""
    cursor = db.conn.execute(
        "INSERT INTO segment_reviews (segment, at, author, action, before, after, note) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            review.segment,
            review.at,
            review.author,
            review.action,
            review.before,
            review.after,
            review.note,
        ),
    )
    return replace(review, id=int(cursor.lastrowid or 0))


def _states(db: Database, ids: list[int]) -> dict[int, tuple[str, str]]:
    """Status and quality flags of each of `ids` that exists."""
    found: dict[int, tuple[str, str]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        rows = db.conn.execute(
            f"SELECT id, status, quality_flags FROM segments WHERE id IN ({marks})", chunk
        )
        found.update((row[0], (row[1], row[2])) for row in rows)
    return found


def _after(db: Database, segment_id: int, action: str, before: str, flags: str) -> str:
    """The status `action` gives a pair now `before` (with quality `flags`)."""
    if action == REJECT:
        return Status.REJECTED
    if action == CONFIRM:
        return Status.CONFIRMED
    if before != Status.REJECTED:
        return before  # restore: only a rejected pair changes
    row = db.conn.execute(
        "SELECT before FROM segment_reviews WHERE segment = ? AND after = ? "
        "ORDER BY id DESC LIMIT 1",
        (segment_id, Status.REJECTED),
    ).fetchone()
    if row is not None and row[0] != Status.REJECTED:
        return str(row[0])
    # Rejected without a review here (an imported TMX said so): as the quality check left it.
    return Status.FLAGGED if flags else Status.OK


def history(db: Database, segment_id: int | None = None, *, limit: int = 100) -> list[Review]:
    """The reviews of one pair (or of all), newest first."""
    where, params = ("WHERE segment = ? ", [segment_id]) if segment_id is not None else ("", [])
    rows = db.conn.execute(
        f"SELECT {_COLUMNS} FROM segment_reviews {where}ORDER BY id DESC LIMIT ?",
        (*params, limit),
    )
    return [Review(*row) for row in rows]
