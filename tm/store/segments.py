"""The segments table: add, get, delete, count, iterate. Every write inside `writing()`."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from enum import StrEnum
from itertools import compress
from typing import Any

from tm.errors import Conflict, NotFound
from tm.segment import Segment, Status, Unit
from tm.store.database import Database
from tm.text.normalise import normalise

COLUMNS = (
    "source",
    "target",
    "source_norm",
    "source_hash",
    "pair_hash",
    "origin",
    "document",
    "position",
    "created",
    "changed",
    "author",
    "quality",
    "status",
    "source_tags",
    "target_tags",
    "properties",
)
_INSERTED = (*COLUMNS, "quality_flags")
"""What an insert writes: `COLUMNS`, and the quality reasons of a pair scored as it is stored."""
_INSERT = (
    f"INSERT OR IGNORE INTO segments ({', '.join(_INSERTED)}) "
    f"VALUES ({', '.join('?' for _ in _INSERTED)})"
)
_SELECT = (
    "SELECT id, source, target, origin, document, position, created, changed, author, "
    "quality, status, source_tags, target_tags, properties, quality_flags FROM segments"
)
SUGGESTED = f"status != '{Status.REJECTED}'"
"""The SQL condition of the pairs lookups and concordance may show: all but rejected ones."""


def now() -> str:
    """The current UTC time as stored: `YYYY-MM-DDThh:mm:ssZ`."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=8).hexdigest()


def pair_hash(unit: Unit) -> str:
    """Hash of a pair's source and target: one stored row per pair."""
    return _pair_digest(unit.source, unit.target)


def _pair_digest(source: str, target: str) -> str:
    return digest(source + "\x00" + target)


Derived = tuple[str, str, str]
"""What a row stores worked out from its texts: the normalised source, its hash, the pair's
hash (`derive`)."""


def derive(source: str, target: str) -> Derived:
    """The `Derived` values of a pair: a pure function of its texts, so that an import can
    work them out in its scoring workers (`tm.quality.batches`) and this process only write."""
    norm = normalise(source)
    return norm, digest(norm), _pair_digest(source, target)


def source_hash(text: str) -> str:
    """Hash of the normalised source: equal for texts that match at 100."""
    return digest(normalise(text))


def _json(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else "{}"


def row(unit: Unit, stamp: str, derived: Derived | None = None) -> tuple[Any, ...]:
    """The column values of `unit` in `COLUMNS` order (`derived`: its `derive`, if worked
    out already)."""
    norm, hashed, paired = derived or derive(unit.source, unit.target)
    return (
        unit.source,
        unit.target,
        norm,
        hashed,
        paired,
        unit.origin,
        unit.document,
        unit.position,
        unit.created or stamp,
        unit.changed or unit.created or stamp,
        unit.author,
        unit.quality,
        unit.status,
        _json(unit.source_tags),
        _json(unit.target_tags),
        _json(unit.properties),
    )


_ROWS = 2000
"""Units `add_many` checks and inserts at a time (and hashes per `IN (…)`: SQLite allows 32,766
parameters)."""


_PAIR_HASH, _QUALITY, _STATUS = (COLUMNS.index(name) for name in ("pair_hash", "quality", "status"))
Scored = tuple[float, str, bool]
"""A pair's quality as it is stored with it: score, reasons ('' when none), flagged."""


def add_many(
    db: Database,
    units: Iterable[Unit],
    scores: Sequence[Scored | None] | None = None,
    derived: Sequence[Derived] | None = None,
) -> list[bool]:
    """Insert units, identical pairs once; returns whether each unit was inserted (False: a
    duplicate). Caller holds the transaction. With `scores` (one per unit, None for a unit
    stored as it is), a scored unit is stored with its quality, reasons and the status
    `quality.status` gives its own: as `quality.record_many` would leave it, without writing
    the row twice. `derived` gives each unit's `derive`, when worked out already.

    The duplicates are found first (`_new`), and the new rows inserted by one `executemany`
    per `_ROWS` units, the concordance index (FTS5) filled after them
    (`text_index_deferred`, unless the caller defers it already): its trigger wrote and merged
    an FTS5 segment at the end of every statement. The 445k-pair laws import's inserts:
    11.3 -> 6.7 s of CPU against one multi-row `INSERT … RETURNING` per 2,000 units."""
    from tm.store.quality import status

    stamp = now()
    inserted: list[bool] = []
    pending: list[tuple[Any, ...]] = []

    def flush() -> None:
        fresh = _new(db, pending)
        inserted.extend(fresh)
        db.conn.executemany(_INSERT, compress(pending, fresh))
        pending.clear()

    with text_index_deferred(db):
        for number, unit in enumerate(units):
            scored = scores[number] if scores is not None else None
            known = derived[number] if derived is not None else None
            if scored is None:
                pending.append((*row(unit, stamp, known), ""))
            else:
                values = list(row(unit, stamp, known))
                values[_QUALITY], reason, flagged = scored
                values[_STATUS] = status(unit.status, flagged=flagged)
                pending.append((*values, reason))
            if len(pending) >= _ROWS:
                flush()
        if pending:
            flush()
    return inserted


def _new(db: Database, rows: Sequence[tuple[Any, ...]]) -> list[bool]:
    """Whether each row's pair is neither stored nor on an earlier row."""
    hashes = [values[_PAIR_HASH] for values in rows]
    seen = _stored_hashes(db, hashes)
    fresh = []
    for hashed in hashes:
        fresh.append(hashed not in seen)
        seen.add(hashed)
    return fresh


def stored(db: Database, units: Sequence[Unit]) -> list[bool]:
    """Whether each unit's pair (source and target) is stored already."""
    hashes = [pair_hash(unit) for unit in units]
    found = _stored_hashes(db, hashes)
    return [hashed in found for hashed in hashes]


def _stored_hashes(db: Database, hashes: Sequence[str]) -> set[str]:
    """Those of the pair `hashes` stored already."""
    found: set[str] = set()
    for start in range(0, len(hashes), _ROWS):
        chunk = hashes[start : start + _ROWS]
        marks = ", ".join("?" * len(chunk))
        sql = f"SELECT pair_hash FROM segments WHERE pair_hash IN ({marks})"
        found.update(hashed for (hashed,) in db.conn.execute(sql, chunk))
    return found


@contextmanager
def text_index_deferred(db: Database) -> Iterator[Callable[[], None]]:
    """Within the caller's transaction: the pairs inserted meanwhile are added to the
    concordance index (FTS5) a statement for many, when the function given is called (a
    long import calls it now and then, while its workers score) and at the end, not row by
    row by its trigger. The 445k-pair laws import: 14.4 s of FTS5 work through the trigger
    (a segment written and merged every 2,000-row statement), 8.3 s in one statement, about
    as much in five. The trigger is dropped and made again from its own SQL, in the
    transaction: an error rolls both back."""
    found = db.conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'segments_text_added'"
    ).fetchone()
    if found is None:
        yield lambda: None
        return
    indexed = max_id(db)  # the rows inserted meanwhile get larger ids

    def index() -> None:
        nonlocal indexed
        largest = max_id(db)
        db.conn.execute(
            "INSERT INTO segments_text (rowid, source, target) "
            "SELECT id, source, target FROM segments WHERE id > ? AND id <= ?",
            (indexed, largest),
        )
        indexed = largest

    db.conn.execute("DROP TRIGGER segments_text_added")
    yield index
    index()
    db.conn.execute(found[0])


@contextmanager
def indexes_deferred(db: Database) -> Iterator[None]:
    """Within the caller's transaction, into a TM with no segments yet: the segments' own
    indexes (by source hash, by document; the pairs' unique hash is kept: `add_many` reads it)
    are dropped and made again from their own SQL at the end, one sort each, instead of kept
    row by row. The 445k-pair laws import's inserts: 11.3 -> 9.4 s of CPU, and 1.4 s to make
    the indexes again. An error rolls both back. Into a TM with segments already, nothing is
    dropped: making its indexes again would cost more than the rows added."""
    if max_id(db) != 0:
        yield
        return
    found = db.conn.execute(
        "SELECT name, sql FROM sqlite_master "
        "WHERE type = 'index' AND tbl_name = 'segments' AND sql IS NOT NULL"
    ).fetchall()
    for name, _sql in found:
        db.conn.execute(f'DROP INDEX "{name}"')
    yield
    for _name, sql in found:
        db.conn.execute(sql)


def add(db: Database, unit: Unit) -> tuple[int, bool]:
    """Insert one unit; returns (id, True) or the existing identical pair's (id, False)."""
    values = row(unit, now())
    cursor = db.conn.execute(_INSERT, (*values, ""))
    if cursor.rowcount:
        return int(cursor.lastrowid or 0), True
    existing = db.conn.execute("SELECT id FROM segments WHERE pair_hash = ?", (values[_PAIR_HASH],))
    return int(existing.fetchone()[0]), False


def _segment(values: tuple[Any, ...]) -> Segment:
    return Segment(
        id=values[0],
        source=values[1],
        target=values[2],
        origin=values[3],
        document=values[4],
        position=values[5],
        created=values[6],
        changed=values[7],
        author=values[8],
        quality=values[9],
        status=values[10],
        source_tags=json.loads(values[11]),
        target_tags=json.loads(values[12]),
        properties=json.loads(values[13]),
        flags=values[14],
    )


def get(db: Database, segment_id: int) -> Segment:
    found = db.conn.execute(f"{_SELECT} WHERE id = ?", (segment_id,)).fetchone()
    if found is None:
        raise NotFound(f"no segment {segment_id}")
    return _segment(found)


def get_many(db: Database, ids: Iterable[int]) -> list[Segment]:
    """Segments with these ids, in the order given (missing ids left out)."""
    wanted = list(ids)
    if not wanted:
        return []
    marks = ", ".join("?" for _ in wanted)
    rows = {r[0]: _segment(r) for r in db.conn.execute(f"{_SELECT} WHERE id IN ({marks})", wanted)}
    return [rows[i] for i in wanted if i in rows]


def update(db: Database, segment_id: int, *, source: str, target: str, author: str) -> None:
    """Replace a segment's texts (change date and author updated); an identical pair stored
    under another id is a `Conflict`."""
    stamp = now()
    unit = replace(
        get(db, segment_id).unit(),
        source=source,
        target=target,
        changed=stamp,
        author=author,
        quality=None,
        status=Status.CONFIRMED,
    )
    values = row(unit, stamp)
    assignments = ", ".join(f"{column} = ?" for column in COLUMNS)
    try:
        db.conn.execute(f"UPDATE segments SET {assignments} WHERE id = ?", (*values, segment_id))
    except sqlite3.IntegrityError as error:
        raise Conflict("an identical pair is already stored") from error


def delete(db: Database, segment_id: int) -> None:
    if not db.conn.execute("DELETE FROM segments WHERE id = ?", (segment_id,)).rowcount:
        raise NotFound(f"no segment {segment_id}")


def count(db: Database) -> int:
    return int(db.conn.execute("SELECT count(*) FROM segments").fetchone()[0])


def iterate(db: Database, *, batch: int = 2000) -> Iterator[Segment]:
    """Every segment in document order, streamed from one cursor (constant memory)."""
    cursor = db.conn.execute(f"{_SELECT} ORDER BY document, position, id")
    while rows := cursor.fetchmany(batch):
        for values in rows:
            yield _segment(values)


def max_id(db: Database) -> int:
    """The largest segment id (0 when the TM is empty)."""
    return int(db.conn.execute("SELECT max(id) FROM segments").fetchone()[0] or 0)


def same_source(db: Database, norm: str) -> list[tuple[int, str]]:
    """(id, document) of the segments whose normalised source is `norm` (by its hash)."""
    rows = db.conn.execute(
        "SELECT id, document FROM segments WHERE source_hash = ?", (digest(norm),)
    )
    return [(row[0], row[1]) for row in rows]


def with_neighbour(
    db: Database, ids: list[int], *, previous: str | None, following: str | None
) -> set[int]:
    """Those of `ids` whose previous (or next) segment in the same document has the
    normalised source `previous` (or `following`); None asks nothing of that side."""
    wanted = {-1: previous, 1: following}
    marks = ", ".join("?" for _ in ids)
    rows = db.conn.execute(
        f"SELECT id, document, position FROM segments WHERE id IN ({marks}) "
        "AND document != '' AND position IS NOT NULL",
        ids,
    ).fetchall()
    hits: set[int] = set()
    for segment_id, document, position in rows:
        for step, norm in wanted.items():
            if norm is None:
                continue
            neighbour = db.conn.execute(
                "SELECT 1 FROM segments WHERE document = ? AND position = ? AND source_norm = ?",
                (document, position + step, norm),
            ).fetchone()
            if neighbour:
                hits.add(segment_id)
    return hits


IndexRow = tuple[int, str, str, float | None]
"""What the retrieval index reads of a segment: id, normalised source, change date, quality."""
_INDEXABLE = f"SELECT id, source_norm, changed, quality FROM segments WHERE {SUGGESTED}"


def indexable_after(db: Database, after: int) -> Iterator[IndexRow]:
    """The rows of the suggestible (not rejected) segments with an id above `after`, by id."""
    yield from db.conn.execute(f"{_INDEXABLE} AND id > ? ORDER BY id", (after,))


def count_after(db: Database, after: int, *, limit: int | None = None) -> int:
    """How many segments have an id above `after` (counting stops at `limit`: a count of
    200,000 new rows took 20 ms, and was asked on every lookup)."""
    params: tuple[int, ...]
    if limit is None:
        sql, params = "SELECT count(*) FROM segments WHERE id > ?", (after,)
    else:
        sql = "SELECT count(*) FROM (SELECT 1 FROM segments WHERE id > ? LIMIT ?)"
        params = (after, limit)
    return int(db.conn.execute(sql, params).fetchone()[0])


def indexable_among(db: Database, ids: list[int]) -> Iterator[IndexRow]:
    """The rows of the suggestible segments among `ids`."""
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        yield from db.conn.execute(f"{_INDEXABLE} AND id IN ({marks})", chunk)


def documents(db: Database) -> int:
    """How many distinct documents the segments come from (the unnamed one included)."""
    return int(db.conn.execute("SELECT count(DISTINCT document) FROM segments").fetchone()[0])


def origins(db: Database) -> dict[str, int]:
    """Segments per origin, by origin."""
    rows = db.conn.execute("SELECT origin, count(*) FROM segments GROUP BY origin ORDER BY origin")
    return dict(rows.fetchall())


_SIDES = ("source", "target")


ConcordanceRow = tuple[int, str, str, str, str, str, str]
"""What concordance reads of a segment: id, source, target, change date, origin, document,
status."""


class Stop(StrEnum):
    """Why a bounded search stopped before its end."""

    CANDIDATES = "candidates"
    """More rows matched than the search's `limit`: the newest were kept."""
    TIME = "time"
    """The time limit interrupted it: the rows read until then were kept."""


def matching_text(
    db: Database,
    side: str,
    words: Sequence[str],
    *,
    prefixes: bool,
    phrase: bool,
    limit: int,
    seconds: float,
) -> tuple[list[ConcordanceRow], Stop | None]:
    """Suggestible segments whose `side` holds every one of `words` (folded; each as a prefix
    with `prefixes`; consecutive with `phrase`), from the full-text index, newest rows first:
    at most `limit`, and only what `seconds` allow. Candidates for the caller to check, and
    why the search stopped before its end (None: it went to its end)."""
    if side not in _SIDES:
        raise ValueError(f"side must be one of {_SIDES}, not {side!r}")
    terms = ['"' + word.replace('"', '""') + '"' + ("*" if prefixes else "") for word in words]
    expression = f"{side} : ({(' + ' if phrase else ' AND ').join(terms)})"
    deadline = time.monotonic() + seconds
    db.conn.set_progress_handler(lambda: int(time.monotonic() > deadline), 1000)
    rows: list[ConcordanceRow] = []
    try:
        cursor = db.conn.execute(
            "SELECT s.id, s.source, s.target, s.changed, s.origin, s.document, s.status "
            f"FROM segments_text JOIN segments s ON s.id = segments_text.rowid "
            f"WHERE segments_text MATCH ? AND s.{SUGGESTED} "
            "ORDER BY segments_text.rowid DESC LIMIT ?",
            (expression, limit + 1),
        )
        rows.extend(cursor)  # an interrupt keeps the rows appended before it
    except sqlite3.OperationalError as error:
        if "interrupted" not in str(error):
            raise
        return rows[:limit], Stop.TIME
    finally:
        db.conn.set_progress_handler(None, 0)
    return rows[:limit], Stop.CANDIDATES if len(rows) > limit else None
