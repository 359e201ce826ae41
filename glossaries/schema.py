"""The glossary's tables (its own `Migrations("glossaries")` in the TM database) and rows."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from glossaries.terms import CONCEPT_FIELDS, DETAILS, STATUSES, Concept, Term, parse_status
from tm.errors import InvalidInput
from tm.store.migrations import Migrations

if TYPE_CHECKING:
    import sqlite_utils

migrations = Migrations("glossaries")


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


_TERM_CATEGORIES = [f for f in DETAILS if f not in ("note", "source")]
_LANGUAGE_FIELDS = [f for f in CONCEPT_FIELDS if f[:3] in ("fr_", "en_")]


@migrations()
def m002_data_categories(db: sqlite_utils.Database) -> None:
    """TBX data categories: on terms (definition, context, part of speech, term type,
    grammatical gender, geographical usage), on concepts (note, source) and on each language
    section of a concept (definition, note, source)."""
    for column in _TERM_CATEGORIES:
        db.execute(f"ALTER TABLE glossary_terms ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")
    for column in ("note", "source", *_LANGUAGE_FIELDS):
        db.execute(f"ALTER TABLE glossary_concepts ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")


_STORED = ["id", "concept", "language", "text", "status", "note", "source", "version", "changed"]
TERM_COLUMNS = ", ".join([*_STORED, "author", *_TERM_CATEGORIES])
INSERT_TERM = (
    f"INSERT INTO glossary_terms ({TERM_COLUMNS}) "
    f"VALUES ({', '.join('?' for _ in TERM_COLUMNS.split(', '))})"
)
CONCEPT_COLUMNS = ", ".join(["id", *CONCEPT_FIELDS])
INSERT_CONCEPT = (
    f"INSERT INTO glossary_concepts ({CONCEPT_COLUMNS}) "
    f"VALUES ({', '.join('?' for _ in CONCEPT_COLUMNS.split(', '))})"
)
UPDATE_CONCEPT = (
    f"UPDATE glossary_concepts SET {', '.join(f'{f} = ?' for f in CONCEPT_FIELDS)} WHERE id = ?"
)
UPDATE_TERM = (
    "UPDATE glossary_terms SET text = ?, status = ?, "
    + ", ".join(f"{f} = ?" for f in DETAILS)
    + ", version = ?, changed = ?, author = ? WHERE id = ? AND version = ?"
)


# History rows for the terms inserted from id ? on, with `new` as `audit` would write it.
AUDIT_ADDED = f"""
INSERT INTO glossary_history (at, author, action, concept, term, text, old, new)
SELECT ?, ?, ?, concept, id, text, NULL, json_object(
    'id', id, 'concept', concept, 'language', language, 'text', text, 'status', status,
    {", ".join(f"'{f}', {f}" for f in DETAILS)}, 'version', version)
FROM glossary_terms WHERE id >= ? ORDER BY id
"""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


def term_of(row: tuple[Any, ...]) -> Term:
    id_, concept, language, text, status, note, source, version, changed, author = row[:10]
    categories = dict(zip(_TERM_CATEGORIES, row[10:], strict=True))
    return Term(
        concept, language, text, status, note, source, id_, version, changed, author, **categories
    )


def concept_of(row: tuple[Any, ...], terms: tuple[Term, ...] = ()) -> Concept:
    """A concept from a row of `CONCEPT_COLUMNS`."""
    return Concept(row[0], terms=terms, **dict(zip(CONCEPT_FIELDS, row[1:], strict=True)))


def concept_row(concept: Concept) -> tuple[Any, ...]:
    """The values of `CONCEPT_COLUMNS` (for `INSERT_CONCEPT`)."""
    return (concept.id, *(getattr(concept, f) for f in CONCEPT_FIELDS))


def concept_update(stored: Concept, given: Concept) -> Concept | None:
    """The stored concept with the descriptions a file gives it (an empty one in the file
    means "not given"), or None when nothing changes."""
    values = {f: getattr(given, f) or getattr(stored, f) for f in CONCEPT_FIELDS}
    merged = replace(stored, **values)
    return None if merged == stored else merged


def concept_audit(old: Concept, new: Concept) -> tuple[str, str]:
    """The history's `old` and `new` of a concept change: the fields either one fills."""
    fields = [f for f in CONCEPT_FIELDS if getattr(old, f) or getattr(new, f)]
    return (
        json.dumps({f: getattr(old, f) for f in fields}),
        json.dumps({f: getattr(new, f) for f in fields}),
    )


def update_values(old: Term, new: Term) -> list[Any]:
    """The parameters of `UPDATE_TERM`."""
    return [new.text, *new.details(), new.version, new.changed, new.author, old.id, old.version]


def audit(term: Term | None) -> str | None:
    if term is None:
        return None
    return json.dumps({k: v for k, v in term.to_dict().items() if k not in ("changed", "author")})


def row_of(term: Term) -> tuple[Any, ...]:
    return (
        term.id, term.concept, term.language, term.text, term.status, term.note, term.source,
        term.version, term.changed, term.author, *(getattr(term, f) for f in _TERM_CATEGORIES),
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
