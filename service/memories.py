"""The TM a service process shares among its requests and jobs: one lookup index (read from the
file saved beside the TM, or built and saved, then kept up to date through every connection;
a large import is caught up in the background while lookups go on), the lexicons
already read (`tm.store.lexicons.Lexicons`) and a pool of connections (opening one, with WAL
and pragmas, costs more than a lookup).

The edges never open the TM's database themselves: they get a `TranslationMemory` from here
(the HTTP app) or from `TranslationMemory.open` (the CLI).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tm import TranslationMemory
from tm.retrieval.index import Index
from tm.store.database import BUSY_TIMEOUT_MS, Database, connect
from tm.store.lexicons import Lexicons


class Memories:
    """TranslationMemory objects over the TM file at `path`, sharing one index and the
    lexicons read; at most `keep` idle connections are kept for the next requests, whose
    writers wait `busy_timeout_ms` for another (an import) before `Busy` (a 503)."""

    def __init__(self, path: Path, *, keep: int, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.path = path
        self.busy_timeout_ms = busy_timeout_ms
        self.index = Index(path, background=True)
        self.lexicons = Lexicons()
        self.warmed = threading.Event()
        """Set once `warm` is done: the service is ready (`/ready`)."""
        self._keep = keep
        self._idle: queue.SimpleQueue[Database] = queue.SimpleQueue()

    def warm(self) -> None:
        """Open the lookup index now rather than on the first lookup: read from its saved file
        (a fraction of a second), or built and saved when there is none (seconds to minutes on
        a large TM; another worker process may be building it: it is then read); lookups
        arriving meanwhile wait for it. Then the word lexicon pair quality scores with (the
        base one and the TM's own, half a second to read), so that the first save does not wait
        for it."""
        with self.open() as memory:
            memory.index.refresh(memory.db)
            memory.lexicon()
        self.warmed.set()

    def open(self) -> TranslationMemory:
        """A TM over a connection of its own (for a job's thread: close it when done). The
        schema was migrated at start-up: no write transaction here (it would queue every read
        behind a running import)."""
        return self._memory(connect(self.path, migrate=False, busy_timeout_ms=self.busy_timeout_ms))

    @contextmanager
    def lent(self) -> Iterator[TranslationMemory]:
        """A TM over a pooled connection, given back afterwards. A connection is only ever used
        by one request at a time; it is in autocommit mode, and a transaction a failed request
        left open is rolled back before the connection is used again."""
        try:
            db = self._idle.get_nowait()
        except queue.Empty:
            db = connect(self.path, migrate=False, busy_timeout_ms=self.busy_timeout_ms)
        try:
            yield self._memory(db)
        finally:
            if db.conn.in_transaction:
                db.conn.rollback()
            if self._idle.qsize() < self._keep:
                self._idle.put(db)
            else:
                db.conn.close()

    def _memory(self, db: Database) -> TranslationMemory:
        return TranslationMemory(db, self.path, index=self.index, lexicons=self.lexicons)

    def close(self) -> None:
        """Close the idle connections."""
        while not self._idle.empty():
            self._idle.get_nowait().conn.close()
