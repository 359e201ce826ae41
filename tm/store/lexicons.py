"""The word lexicon kept in a TM's settings (`tm.quality.lexicon.Lexicon`, serialised), and
`Lexicons`, a cache of the lexicons already read (and merged over the base lexicon) for whoever
opens the same TM again and again.
"""

from __future__ import annotations

import threading

from tm.quality.lexicon import Lexicon
from tm.store import settings
from tm.store.database import Database

SETTING = "lexicon"


def save(db: Database, lexicon: Lexicon, *, key: str = SETTING) -> None:
    """Store `lexicon` in the TM (replacing any previous one)."""
    settings.put(db, key, lexicon.to_bytes())


def load(db: Database, *, key: str = SETTING, cache: Lexicons | None = None) -> Lexicon | None:
    """The lexicon stored in the TM, or None; through `cache` when given."""
    if cache is not None:
        return cache.load(db, key=key)
    found = settings.get(db, key)
    if found is None:
        return None
    return Lexicon.from_bytes(found if isinstance(found, bytes) else found.encode("utf-8"))


class Lexicons:
    """Lexicons already read, per database file and setting: parsing one costs 50–150 ms, and
    the service opens a `TranslationMemory` per request (it keeps one `Lexicons` for all of
    them). The stored bytes end with zlib's Adler-32 of the content: with the size, it tells
    whether a cached lexicon is still the stored one. In-memory databases are not cached."""

    def __init__(self) -> None:
        self._loaded: dict[tuple[str, str], tuple[tuple[int, bytes], Lexicon]] = {}
        self._merged: dict[tuple[str, str], tuple[tuple[int, bytes], Lexicon, Lexicon]] = {}
        self._lock = threading.Lock()

    def over(self, db: Database, base: Lexicon, *, key: str = SETTING) -> Lexicon:
        """The lexicon stored in `db` under `key` over `base` (`Lexicon.over`), or `base` alone
        when none is stored; merged once per stored version (a merge copies every table)."""
        stamp = settings.stamp(db, key)
        if stamp is None:
            return base
        file = _file(db)
        with self._lock:
            cached = self._merged.get((file, key)) if file else None
        if cached is not None and cached[0] == stamp and cached[1] is base:
            return cached[2]
        own = self.load(db, key=key)
        merged = own.over(base) if own is not None else base
        if file:
            with self._lock:
                self._merged[(file, key)] = (stamp, base, merged)
        return merged

    def load(self, db: Database, *, key: str = SETTING) -> Lexicon | None:
        """The lexicon stored in `db` under `key`, or None."""
        stamp = settings.stamp(db, key)
        if stamp is None:
            return None
        file = _file(db)
        with self._lock:
            cached = self._loaded.get((file, key)) if file else None
        if cached is not None and cached[0] == stamp:
            return cached[1]
        lexicon = load(db, key=key)
        if lexicon is not None and file:
            with self._lock:
                self._loaded[(file, key)] = (stamp, lexicon)
        return lexicon


def _file(db: Database) -> str:
    """The file of the main database ('' in memory)."""
    return next((row[2] for row in db.execute("PRAGMA database_list") if row[1] == "main"), "")
