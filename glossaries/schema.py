"""The glossary's tables (its own `Migrations("glossaries")` in the TM database) and rows."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import sqlite_utils

from glossaries.terms import STATUSES, Term, parse_status
from tm.errors import InvalidInput

migrations = sqlite_utils.Migrations("glossaries")


@migrations()
def m001_glossary(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE glossary_concepts (
            id TEXT PRIMARY KEY,
            subject TEXT NOT NULL DEFAULT '',
            definition TEXT NOT NULL DEFAULT ''
        )
        """
    )
    db.execute(
        """
        CREATE TABLE glossary_terms (
            id INTEGER PRIMARY KEY,
            concept TEXT NOT NULL REFERENCES glossary_concepts(id),
            language TEXT NOT NULL CHECK (language IN ('fr', 'en')),
            text TEXT NOT NULL CHECK (text <> ''),
            status TEXT NOT NULL,
            note TEXT NOT NULL DEFAULT '',
            source TEXT NOT NULL DEFAULT '',
            version INTEGER NOT NULL DEFAULT 1,
            changed TEXT NOT NULL,
            author TEXT NOT NULL DEFAULT '',
            UNIQUE (concept, language, text)
        )
        """
    )
    db.execute("CREATE INDEX glossary_terms_text ON glossary_terms(text)")
    db.execute(
        """
        CREATE TABLE glossary_history (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            author TEXT NOT NULL,
            action TEXT NOT NULL,
            concept TEXT NOT NULL,
            term INTEGER,
            text TEXT NOT NULL,
            old TEXT,
            new TEXT
        )
        """
    )
    db.execute("CREATE INDEX glossary_history_term ON glossary_history(term)")
    db.execute("CREATE INDEX glossary_history_text ON glossary_history(text)")


TERM_COLUMNS = "id, concept, language, text, status, note, source, version, changed, author"
INSERT_TERM = f"INSERT INTO glossary_terms ({TERM_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"


# History rows for the terms inserted from id ? on, with `new` as `audit` would write it.
AUDIT_ADDED = """
INSERT INTO glossary_history (at, author, action, concept, term, text, old, new)
SELECT ?, ?, ?, concept, id, text, NULL, json_object(
    'id', id, 'concept', concept, 'language', language, 'text', text, 'status', status,
    'note', note, 'source', source, 'version', version)
FROM glossary_terms WHERE id >= ? ORDER BY id
"""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def term_of(row: tuple[Any, ...]) -> Term:
    id_, concept, language, text, status, note, source, version, changed, author = row
    return Term(concept, language, text, status, note, source, id_, version, changed, author)


def audit(term: Term | None) -> str | None:
    if term is None:
        return None
    return json.dumps({k: v for k, v in term.to_dict().items() if k not in ("changed", "author")})


def row_of(term: Term) -> tuple[Any, ...]:
    return (
        term.id, term.concept, term.language, term.text, term.status, term.note, term.source,
        term.version, term.changed, term.author,
    )  # fmt: skip


def change(
    at: str, author: str, action: str, old: Term | None, new: Term | None
) -> tuple[Any, ...]:
    """A history row: the term before and after (either may be None)."""
    term = new or old
    if term is None:
        raise ValueError("a change needs a term before or after")
    text = old.text if old is not None else term.text
    return (at, author, action, term.concept, term.id, text, audit(old), audit(new))


def status_of(label: str) -> str:
    status = parse_status(label)
    if status is None:
        raise InvalidInput(f"unknown status {label!r} (use {', '.join(STATUSES)})")
    return status


def load(value: str | None) -> dict[str, Any] | None:
    return None if value is None else dict(json.loads(value))
