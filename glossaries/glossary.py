"""`Glossary`: the termbase stored in the TM database, every write audited in its transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

from glossaries import recognition, schema
from glossaries.recognition import Recogniser, TermHit
from glossaries.terms import (
    LANGUAGES,
    STATUSES,
    Change,
    Concept,
    ImportReport,
    Parsed,
    Term,
)
from tm.errors import Conflict, InvalidInput, NotFound
from tm.store.database import Database, writing

COLUMNS = schema.TERM_COLUMNS


class Glossary:
    """The termbase of one TM database.

    >>> glossary = Glossary.open(tm.store.database.connect("tm.db"))
    >>> glossary.import_file(Path("glossary.tbx"), author="marie")
    >>> glossary.find("Les Alliés")
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self._recogniser: Recogniser | None = None
        self._revision: int | None = None

    @classmethod
    def open(cls, db: Database) -> Glossary:
        """The glossary of a TM database (from `tm.store.database.connect`), schema brought up
        to date."""
        if schema.migrations.pending(db):
            with writing(db):
                schema.migrations.apply(db)
        return cls(db)

    # -- reading -------------------------------------------------------------------------

    def _query(self, sql: str, params: Iterable[Any] = ()) -> list[tuple[Any, ...]]:
        return list(self.db.execute(sql, list(params)).fetchall())

    def term(self, term_id: int) -> Term:
        """The term with this id; `NotFound` if there is none."""
        rows = self._query(f"SELECT {COLUMNS} FROM glossary_terms WHERE id = ?", [term_id])
        if not rows:
            raise NotFound(f"no glossary term #{term_id}")
        return schema.term_of(rows[0])

    def terms(self, text: str, *, language: str | None = None) -> list[Term]:
        """Terms spelled exactly `text` (in any concept)."""
        sql = f"SELECT {COLUMNS} FROM glossary_terms WHERE text = ?"
        params: list[Any] = [text]
        if language:
            sql, params = sql + " AND language = ?", [*params, language]
        return [schema.term_of(row) for row in self._query(sql + " ORDER BY id", params)]

    def resolve(self, reference: str) -> Term:
        """A term by id (`"42"` or `"#42"`, as the CLI shows ids) or by its exact text when
        that names a single term."""
        number = reference.strip().removeprefix("#")
        if number.isdigit():
            return self.term(int(number))
        found = self.terms(reference.strip())
        if not found:
            raise NotFound(f"no glossary term {reference!r}")
        if len(found) > 1:
            ids = ", ".join(f"#{t.id} ({t.language}, {t.concept})" for t in found)
            raise InvalidInput(f"{reference!r} names several terms: {ids}; give the id")
        return found[0]

    def concept(self, concept_id: str) -> Concept:
        """One concept with its terms; `NotFound` if there is none."""
        found = self.concepts(concept_id)
        if not found:
            raise NotFound(f"no glossary concept {concept_id!r}")
        return found[0]

    def concepts(self, concept_id: str | None = None) -> list[Concept]:
        """Every concept (or one), with its terms, in id order."""
        where, params = ("WHERE id = ?", [concept_id]) if concept_id else ("", [])
        heads = self._query(
            f"SELECT {schema.CONCEPT_COLUMNS} FROM glossary_concepts {where}", params
        )
        where = "WHERE concept = ?" if concept_id else ""
        terms: dict[str, list[Term]] = {}
        for row in self._query(f"SELECT {COLUMNS} FROM glossary_terms {where}", params):
            term = schema.term_of(row)
            terms.setdefault(term.concept, []).append(term)
        return sorted(
            (schema.concept_of(row, tuple(terms.get(row[0], ()))) for row in heads),
            key=lambda concept: concept.id,
        )

    def count(self) -> dict[str, int]:
        """Numbers of concepts and of terms per language."""
        figures = {"concepts": self._query("SELECT count(*) FROM glossary_concepts")[0][0]}
        for language in LANGUAGES:
            sql = "SELECT count(*) FROM glossary_terms WHERE language = ?"
            figures[f"{language}_terms"] = self._query(sql, [language])[0][0]
        return figures

    def history(self, reference: str | int | None = None) -> list[Change]:
        """Audited changes, oldest first: all, or of one term (by id or by text)."""
        sql = "SELECT id, at, author, action, concept, term, old, new FROM glossary_history"
        params: list[Any] = []
        if isinstance(reference, int) or (isinstance(reference, str) and reference.isdigit()):
            sql, params = sql + " WHERE term = ?", [int(reference)]
        elif reference:
            ids = "SELECT term FROM glossary_history WHERE text = ? UNION "
            ids += "SELECT id FROM glossary_terms WHERE text = ?"
            sql, params = sql + f" WHERE term IN ({ids})", [reference, reference]
        rows = self._query(sql + " ORDER BY id", params)
        return [
            Change(id_, at, author, action, concept, term, schema.load(old), schema.load(new))
            for id_, at, author, action, concept, term, old, new in rows
        ]

    # -- recognition ---------------------------------------------------------------------

    def recogniser(self) -> Recogniser:
        """The compiled recogniser, rebuilt when the termbase changed (any connection)."""
        # The history is append-only and every write adds a row: its last id is a revision.
        revision = self._query("SELECT coalesce(max(id), 0) FROM glossary_history")[0][0]
        if self._recogniser is None or self._revision != revision:
            self._recogniser = recognition.build(self.concepts())
            self._revision = revision
        return self._recogniser

    def find(self, text: str) -> list[TermHit]:
        """Glossary terms in French `text` (see `glossaries.recognition`)."""
        return self.recogniser().find(text)

    def lexicon(self, *, folded: bool = False) -> dict[str, list[str]]:
        """French term (lower case, apostrophes unified) → usable English terms, preferred first.

        Deprecated French terms are included (they still mean the concept); deprecated English
        terms are not. With `folded`, keys are the recogniser's inflection-folded keys joined
        by spaces (`ministr de affair etranger`; see `recognition.term_key`), so inflected
        text can be looked up with `" ".join(term_key(words))`.
        """
        lexicon: dict[str, list[str]] = {}
        for concept in self.concepts():
            english = [t.text for t in concept.in_language("en") if t.status in STATUSES[:2]]
            if not english:
                continue
            for term in concept.in_language("fr"):
                key = (
                    " ".join(recognition.term_key(term.text))
                    if folded
                    else recognition.prepare(term.text)[0].casefold()
                )
                known = lexicon.setdefault(key, [])
                known += [text for text in english if text not in known]
        return lexicon

    # -- import and export ---------------------------------------------------------------

    def import_file(self, path: Path, *, author: str, swap: bool = False) -> ImportReport:
        """Import a TBX, ISO 12620 (DC-4025) or CSV/TSV termbase in one transaction.

        Concepts already stored (same id) are merged: new terms added, changed statuses,
        notes and sources updated (audited); stored terms missing from the file are kept.
        French terms that read as English (or English ones as French, or either as neither
        language) are refused before anything is written (`glossaries.direction`); `swap`
        reads the file's French and English the other way round.
        """
        from glossaries import direction, isocat, tables, tbx  # the formats: when used

        path = Path(path)
        if not path.is_file():
            raise InvalidInput("no such file", file=str(path))
        head = path.read_bytes()[:4096]
        if head.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"<"):
            parsed = isocat.read(path) if isocat.MARKER in head else tbx.read(path)
        else:
            parsed = tables.read(path)
        return self._store(direction.checked(parsed, str(path), swap=swap), str(path), author)

    def _store(self, parsed: Parsed, file: str, author: str) -> ImportReport:
        now = schema.now()
        added = updated = terms_added = terms_updated = unchanged = 0
        with writing(self.db):
            heads = {
                row[0]: schema.concept_of(row)
                for row in self._query(f"SELECT {schema.CONCEPT_COLUMNS} FROM glossary_concepts")
            }
            stored = {
                (t.concept, t.language, t.text): t
                for t in map(schema.term_of, self._query(f"SELECT {COLUMNS} FROM glossary_terms"))
            }
            next_id = self._query("SELECT coalesce(max(id), 0) FROM glossary_terms")[0][0] + 1
            new_concepts: list[tuple[Any, ...]] = []
            new_terms: list[tuple[Any, ...]] = []
            history: list[tuple[Any, ...]] = []
            for concept in parsed.concepts:
                head = heads.get(concept.id)
                if head is None:
                    new_concepts.append(schema.concept_row(concept))
                    added += 1
                elif (changed := schema.concept_update(head, concept)) is not None:
                    row = schema.concept_row(changed)
                    self.db.execute(schema.UPDATE_CONCEPT, [*row[1:], concept.id])
                    before, after = schema.concept_audit(head, changed)
                    history.append((now, author, "import", concept.id, None, "", before, after))
                    updated += 1
                for term in concept.terms:
                    old = stored.get((term.concept, term.language, term.text))
                    if old is None:
                        new = replace(term, id=next_id, version=1, changed=now, author=author)
                        new_terms.append(schema.row_of(new))
                        next_id += 1
                        terms_added += 1
                        continue
                    new = old.merged(term)  # an empty field in the file is "not given"
                    if new.details() == old.details():
                        unchanged += 1
                        continue
                    new = replace(new, version=old.version + 1, changed=now, author=author)
                    self._update(old, new)
                    history.append(schema.change(now, author, "import", old, new))
                    terms_updated += 1
            self.db.conn.executemany(schema.INSERT_CONCEPT, new_concepts)
            self.db.conn.executemany(schema.INSERT_TERM, new_terms)
            self._history(history)
            if new_terms:  # their history rows, written by SQLite in one statement
                self.db.execute(schema.AUDIT_ADDED, [now, author, "import", new_terms[0][0]])
        return ImportReport(
            file, added, updated, terms_added, terms_updated, unchanged, parsed.duplicates
        )

    def export(self, path: Path) -> int:
        """Write the termbase: `.tbx` TBX-Basic v3, `.tsv` OmegaT, else `;` CSV. Returns count."""
        from glossaries import tables, tbx  # the formats: when used

        path = Path(path)
        if path.suffix.casefold() in (".tbx", ".xml"):
            return tbx.write(path, self.concepts())
        if path.suffix.casefold() in (".csv", ".tsv", ".txt"):
            return tables.write(path, self.concepts())
        raise InvalidInput("export to .tbx, .csv or .tsv", file=str(path))

    # -- audited edits -------------------------------------------------------------------

    def add(
        self,
        text: str,
        *,
        language: str,
        author: str,
        concept: str | None = None,
        status: str = "preferred",
        note: str = "",
        source: str = "",
        subject: str = "",
        definition: str = "",
    ) -> Term:
        """Add a term, to an existing concept or (without `concept`, or a new id) a new one."""
        from glossaries import tables

        text, state = text.strip(), schema.status_of(status)
        if language not in LANGUAGES:
            raise InvalidInput(f"language must be fr or en, not {language!r}")
        if not text:
            raise InvalidInput("empty term")
        now = schema.now()
        with writing(self.db):
            cid = concept or tables.concept_id(text if language == "fr" else "", text)
            if not self._query("SELECT 1 FROM glossary_concepts WHERE id = ?", [cid]):
                self.db.execute(
                    "INSERT INTO glossary_concepts (id, subject, definition) VALUES (?, ?, ?)",
                    [cid, subject, definition],
                )
            next_id = self._query("SELECT coalesce(max(id), 0) + 1 FROM glossary_terms")[0][0]
            term = Term(cid, language, text, state, note, source, next_id, 1, now, author)
            try:
                self.db.execute(
                    schema.INSERT_TERM,
                    schema.row_of(term),
                )
            except sqlite3.IntegrityError as error:
                raise Conflict(
                    f"{language} term {text!r} already exists in concept {cid!r}"
                ) from error
            self._history([schema.change(now, author, "add", None, term)])
        return term

    def edit(
        self,
        term_id: int,
        *,
        version: int,
        author: str,
        text: str | None = None,
        status: str | None = None,
        note: str | None = None,
        source: str | None = None,
        action: str = "edit",
    ) -> Term:
        """Change a term read at `version`; `Conflict` if it changed since (no silent overwrite)."""
        now = schema.now()
        with writing(self.db):
            old = self.term(term_id)
            if old.version != version:
                raise Conflict(
                    f"term #{term_id} changed since it was read (version {version}, now "
                    f"{old.version} by {old.author or 'someone'} at {old.changed}); reload it"
                )
            new = replace(
                old,
                text=old.text if text is None else text.strip(),
                status=old.status if status is None else schema.status_of(status),
                note=old.note if note is None else note,
                source=old.source if source is None else source,
                version=old.version + 1,
                changed=now,
                author=author,
            )
            if not new.text:
                raise InvalidInput("empty term")
            try:
                self._update(old, new)
            except sqlite3.IntegrityError as error:
                raise Conflict(f"{new.text!r} already exists in concept {old.concept!r}") from error
            self._history([schema.change(now, author, action, old, new)])
        return new

    def deprecate(
        self,
        term_id: int,
        *,
        version: int,
        author: str,
        status: str = "deprecated",
        note: str | None = None,
    ) -> Term:
        """Mark a term deprecated (or superseded), an audited `edit`."""
        if schema.status_of(status) not in ("deprecated", "superseded"):
            raise InvalidInput("deprecate to 'deprecated' or 'superseded'")
        return self.edit(
            term_id, version=version, author=author, status=status, note=note, action="deprecate"
        )

    def delete(self, term_id: int, *, version: int, author: str) -> Term:
        """Delete a term read at `version` (its concept too when it was the last term)."""
        now = schema.now()
        with writing(self.db):
            old = self.term(term_id)
            if old.version != version:
                raise Conflict(
                    f"term #{term_id} changed since it was read (now version {old.version})"
                )
            self.db.execute(
                "DELETE FROM glossary_terms WHERE id = ? AND version = ?", [term_id, version]
            )
            if not self._query("SELECT 1 FROM glossary_terms WHERE concept = ?", [old.concept]):
                self.db.execute("DELETE FROM glossary_concepts WHERE id = ?", [old.concept])
            self._history([schema.change(now, author, "delete", old, None)])
        return old

    def _update(self, old: Term, new: Term) -> None:
        cursor = self.db.execute(schema.UPDATE_TERM, schema.update_values(old, new))
        if cursor.rowcount != 1:
            raise Conflict(f"term #{old.id} changed since it was read")

    def _history(self, rows: list[tuple[Any, ...]]) -> None:
        self.db.conn.executemany(
            "INSERT INTO glossary_history (at, author, action, concept, term, text, old, new) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
