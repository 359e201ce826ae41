"""The TM read as a parallel corpus: streams and samples of its (French, English) pairs for
learning (lexicon, sentencepiece), scoring, consistency and evaluation."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import islice

from tm.segment import Status
from tm.store.database import Database

_LEARNABLE = f"status != '{Status.REJECTED}'"
"""The pairs a lexicon is learned from: all but those a maintainer rejected. Flagged ones too,
so that what is learned does not depend on the flags the last learning set: learning from
unflagged pairs only, a pair flagged by one relearn left the next one's sample, and unflagged
by that one came back: on the laws TM, relearns one after the other flipped a pair and 100
scores to and fro for ever."""


Scoring = tuple[int, str, str, float | None, str | None, str]
"""A pair to score as `batches` reads it: id, source, target, and its stored quality, quality
flags and status."""


def batches(
    db: Database, *, only_unscored: bool = False, after: int = 0, batch: int = 5000
) -> Iterator[list[Scoring]]:
    """Every pair (`Scoring`) whose id is above `after` (all by default), or those never
    scored, by id, `batch` at a time: each batch a query of its own (from the last id), so
    that no statement is left open while the caller writes the rows read."""
    where = "id > ?" + (" AND quality IS NULL" if only_unscored else "")
    sql = (
        "SELECT id, source, target, quality, quality_flags, status "
        f"FROM segments WHERE {where} ORDER BY id LIMIT ?"
    )
    while rows := db.conn.execute(sql, (after, batch)).fetchall():
        yield rows
        after = rows[-1][0]


def pairs(db: Database) -> Iterator[tuple[int, str, str]]:
    """Every (id, source, target), streamed."""
    yield from db.conn.execute("SELECT id, source, target FROM segments")


def sample(db: Database, size: int) -> list[tuple[str, str]]:
    """Up to `size` pairs to learn from (`_LEARNABLE`), the same ones in the same order for
    the same pairs: the first by pair hash, which is random in the pairs' texts but fixed.
    `ORDER BY random()` made two relearns of one TM learn different lexicons (170k of the laws
    TM's 445k scores and 340 flags changed from run to run), and it sorted the whole table
    (4.1 s against 0.4 s through the hash's index)."""
    rows = db.conn.execute(
        f"SELECT source, target FROM segments WHERE {_LEARNABLE} ORDER BY pair_hash LIMIT ?",
        (size,),
    )
    return rows.fetchall()


def short(db: Database, characters: int) -> Iterator[tuple[str, str]]:
    """The pairs to learn from (`_LEARNABLE`) whose sides both have at most `characters`
    characters, by id (the order breaks ties between segments seen as often:
    `tm.quality.learning.learn_segments`)."""
    yield from db.conn.execute(
        f"SELECT source, target FROM segments WHERE {_LEARNABLE} "
        "AND length(source) <= ? AND length(target) <= ? ORDER BY id",
        (characters, characters),
    )


def french_sample(db: Database, size: int) -> Iterator[str]:
    """Up to `size` French sources, spread over the whole TM (every n-th id)."""
    total = int(db.conn.execute("SELECT count(*) FROM segments").fetchone()[0])
    step = max(1, total // size)
    rows = db.conn.execute("SELECT source FROM segments WHERE id % ? = 0", (step,))
    return islice((row[0] for row in rows), size)


def documents(db: Database) -> list[str]:
    """The names of the TM's documents, sorted (segments without a document left out)."""
    rows = db.conn.execute(
        "SELECT DISTINCT document FROM segments WHERE document != '' ORDER BY document"
    )
    return [row[0] for row in rows]


def stored(db: Database, origin: str, names: Sequence[str]) -> set[str]:
    """Which of the documents `names` hold pairs under `origin`."""
    found: set[str] = set()
    for start in range(0, len(names), 500):
        chunk = list(names[start : start + 500])
        marks = ", ".join("?" * len(chunk))
        rows = db.conn.execute(
            f"SELECT DISTINCT document FROM segments WHERE origin = ? AND document IN ({marks})",
            (origin, *chunk),
        )
        found.update(row[0] for row in rows)
    return found


def document(db: Database, name: str) -> list[tuple[str, str]]:
    """The (source, target) pairs of document `name`, in document order."""
    rows = db.conn.execute(
        "SELECT source, target FROM segments WHERE document = ? ORDER BY position, id", (name,)
    )
    return rows.fetchall()


def entries(db: Database, ids: list[int]) -> list[tuple[int, str, str, str, str]]:
    """(id, source, target, change date, document) of the segments `ids` (in no set order)."""
    marks = ", ".join("?" for _ in ids)
    rows = db.conn.execute(
        f"SELECT id, source, target, changed, document FROM segments WHERE id IN ({marks})", ids
    )
    return rows.fetchall()
