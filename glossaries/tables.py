"""CSV/TSV termbases: read (comma, semicolon or tab; UTF-8, BOM, UTF-16 or cp1252) and write.

Columns are mapped by their header names (`fr`, `en`, `status`, `subject`, `note`, …). Rows with
the same `concept` merge into one concept; without a `concept` column every row is its own
concept. An empty `fr` or `en` cell adds a term on one side only.

A file whose first line names no known column is an OmegaT glossary: source term, target term,
comment, a row a line, `#` lines are comments. It carries no language codes, so it is read as
OmegaT reads it in a French→English project: French, English, note.

What tm writes re-imports to the same terms: every data category has its column (`fr_note`,
`en_part_of_speech`, `concept_note`, `fr_language_definition`…). The `.tsv` export is an OmegaT
glossary (French, English, comment first) whose header line starts with `#`, so that OmegaT
skips it and tm reads the other columns back.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable
from dataclasses import replace
from itertools import zip_longest
from pathlib import Path
from typing import Any, cast

from glossaries.terms import (
    DETAILS,
    LANGUAGE_CATEGORIES,
    LANGUAGES,
    Concept,
    Parsed,
    Term,
    check_sides,
    parse_status,
)
from tm.errors import InvalidInput
from tm.files import replacing
from tm.formats import spreadsheet
from tm.segment import FORBIDDEN

# Header name (case-folded, spaces and hyphens as underscores) → field.
COLUMNS = {
    "concept": "concept",
    "concept_id": "concept",
    "id": "concept",
    "entry": "concept",
    "fr": "fr",
    "french": "fr",
    "français": "fr",
    "francais": "fr",
    "term_fr": "fr",
    "fr_fr": "fr",
    "fr_ca": "fr",
    "fr_be": "fr",
    "en": "en",
    "english": "en",
    "anglais": "en",
    "term_en": "en",
    "en_gb": "en",
    "en_us": "en",
    "en_ca": "en",
    "status": "status",
    "statut": "status",
    "fr_status": "fr_status",
    "en_status": "en_status",
    "subject": "subject",
    "subject_field": "subject",
    "domain": "subject",
    "domaine": "subject",
    "definition": "definition",
    "définition": "definition",
    "note": "note",
    "notes": "note",
    "comment": "note",
    "commentaire": "note",
    "fr_note": "fr_note",
    "en_note": "en_note",
    "source": "source",
    "concept_note": "concept_note",
    "concept_source": "concept_source",
    "omegat_comment": "",
}
for _language in LANGUAGES:
    COLUMNS |= {f"{_language}_{name}": f"{_language}_{name}" for name in DETAILS}
    COLUMNS |= {
        f"{_language}_language_{name}": f"{_language}_language_{name}"
        for name in LANGUAGE_CATEGORIES
    }
HEADER = [
    "concept",
    *(
        f"{lang}{suffix}"
        for lang in LANGUAGES
        for suffix in ("", "_status", *(f"_{d}" for d in DETAILS))
    ),
    "subject",
    "definition",
    "concept_note",
    "concept_source",
    *(f"{lang}_language_{name}" for lang in LANGUAGES for name in LANGUAGE_CATEGORIES),
]
"""The columns tm writes: every field of a concept and its terms."""
_CONCEPT_CELLS = {"subject": "subject", "definition": "definition", "note": "concept_note"}
_CONCEPT_CELLS |= {"source": "concept_source"}
_CONCEPT_CELLS |= {
    f"{lang}_{name}": f"{lang}_language_{name}"
    for lang in LANGUAGES
    for name in LANGUAGE_CATEGORIES
}


def decode(path: Path, data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252 as French Excel writes it."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:  # (found by stress/fuzz.py: it escaped as is)
            raise InvalidInput(f"not valid UTF-16 ({error.reason})", file=str(path)) from error
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InvalidInput(
            f"neither UTF-8 nor cp1252 (byte 0x{data[error.start]:02x})", file=str(path), line=line
        ) from error


def _names(header: list[str]) -> list[str]:
    """Header cells as column keys (case folded, `_` for spaces and hyphens, a leading `#` of
    a header written as an OmegaT comment left out)."""
    cells = [header[0].lstrip("#"), *header[1:]] if header else []
    return [cell.strip().casefold().replace(" ", "_").replace("-", "_") for cell in cells]


def _omegat(path: Path, text: str, delimiter: str) -> Parsed:
    """An OmegaT glossary: French, English and a comment (the note of both) a line."""
    builder = _Builder(path)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for row in reader:
            if not any(cell.strip() for cell in row) or row[0].lstrip().startswith("#"):
                continue
            if len(row) < 2:
                raise InvalidInput(
                    "an OmegaT glossary line needs a source and a target term (tab-separated)",
                    file=str(path),
                    line=reader.line_num,
                )
            cells = {"fr": _cell(row[0]), "en": _cell(row[1])}
            if len(row) > 2 and row[2].strip():
                cells["note"] = _cell(row[2])
            builder.add(cells, reader.line_num)
    except csv.Error as error:
        raise InvalidInput(
            f"malformed CSV: {error}", file=str(path), line=reader.line_num
        ) from error
    if not builder.concepts:
        raise InvalidInput("no glossary entry: the file holds only comments", file=str(path))
    return builder.parsed()


def _cell(text: str) -> str:
    """A cell's value: trimmed, the spreadsheet escape of tm's own exports undone."""
    return spreadsheet.unescape(text.strip())


def _delimiter(path: Path, header: str) -> str:
    if path.suffix.casefold() == ".tsv":
        return "\t"
    counts = {sep: header.count(sep) for sep in ("\t", ";", ",")}
    return max(counts, key=lambda sep: counts[sep])


def concept_id(fr: str, en: str) -> str:
    """A stable id for a row without a concept column: the same pair gives the same id."""
    return "g" + hashlib.sha1(f"{fr}\t{en}".encode()).hexdigest()[:12]


def read(path: Path) -> Parsed:
    """The concepts of a CSV/TSV termbase; `InvalidInput` with file and line on bad rows."""
    text = decode(path, path.read_bytes())
    if not text.strip():
        raise InvalidInput("the file is empty", file=str(path))
    if bad := FORBIDDEN.search(text):  # a term XML cannot hold breaks every TBX export
        raise InvalidInput(
            f"control character U+{ord(bad.group()):04X} (XML cannot hold it)",
            file=str(path),
            line=text.count("\n", 0, bad.start()) + 1,
        )
    first = text.lstrip("\n").split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(path, first))
    try:
        header = next(reader)
    except csv.Error as error:
        raise InvalidInput(f"malformed CSV: {error}", file=str(path), line=1) from error
    names = _names(header)
    if not any(name in COLUMNS for name in names):
        return _omegat(path, text, _delimiter(path, first))
    comments = bool(header) and header[0].startswith("#")
    unknown = [header[i] for i, name in enumerate(names) if name and name not in COLUMNS]
    if unknown:
        raise InvalidInput(
            f"unknown column(s) {', '.join(map(repr, unknown))}; known: "
            "concept, fr, en, status, fr_status, en_status, subject, definition, note, source",
            file=str(path),
            line=reader.line_num,
        )
    fields = [COLUMNS.get(name, "") for name in names]
    if "fr" not in fields and "en" not in fields:
        raise InvalidInput("no 'fr' or 'en' column in the header", file=str(path), line=1)
    builder = _Builder(path)
    try:
        for row in reader:
            if not any(cell.strip() for cell in row) or (comments and row[0].startswith("#")):
                continue
            if len(row) > len(fields) and any(cell.strip() for cell in row[len(fields) :]):
                raise InvalidInput(
                    f"{len(row)} cells for {len(fields)} columns (a stray separator?)",
                    file=str(path),
                    line=reader.line_num,
                )
            cells = {name: _cell(row[i]) for i, name in enumerate(fields) if name and i < len(row)}
            builder.add(cells, reader.line_num)
    except csv.Error as error:
        raise InvalidInput(
            f"malformed CSV: {error}", file=str(path), line=reader.line_num
        ) from error
    return builder.parsed()


class _Builder:
    """Merges rows into concepts, refusing contradictions."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.concepts: dict[str, Concept] = {}
        self.lines: dict[str, int] = {}
        self.seen: dict[tuple[str, str, str], str] = {}
        self.duplicates = 0

    def fail(self, message: str, line: int) -> InvalidInput:
        return InvalidInput(message, file=str(self.path), line=line)

    def add(self, cells: dict[str, str], line: int) -> None:
        fr, en = cells.get("fr", ""), cells.get("en", "")
        if not fr and not en:
            raise self.fail("empty term: the row has neither a French nor an English term", line)
        cid = cells.get("concept") or concept_id(fr, en)
        concept = self.concepts.get(cid) or Concept(id=cid)
        for key, column in _CONCEPT_CELLS.items():
            value, old = cells.get(column, ""), getattr(concept, key)
            if value and old and value != old:
                raise self.fail(
                    f"concept {cid!r} has two different {column}s ({old!r} from line "
                    f"{self.lines[cid]}, {value!r} here)",
                    line,
                )
            if value and not old:
                concept = replace(concept, **cast(dict[str, Any], {key: value}))
        terms = list(concept.terms)
        for language, text in (("fr", fr), ("en", en)):
            if not text:
                continue
            label = cells.get(f"{language}_status") or cells.get("status", "")
            status = parse_status(label)
            if status is None:
                raise self.fail(
                    f"unknown status {label!r} (use preferred, admitted, deprecated, superseded)",
                    line,
                )
            details = {name: cells.get(f"{language}_{name}", "") for name in DETAILS}
            details["note"] = details["note"] or cells.get("note", "")
            details["source"] = details["source"] or cells.get("source", "")
            seen = (cid, language, text)
            if seen in self.seen:
                if self.seen[seen] != status:
                    raise self.fail(
                        f"{language} term {text!r} of concept {cid!r} given twice with different "
                        f"statuses ({self.seen[seen]}, {status})",
                        line,
                    )
                self.duplicates += 1
                continue
            self.seen[seen] = status
            terms.append(Term(cid, language, text, status, **cast(dict[str, Any], details)))
        self.concepts[cid] = replace(concept, terms=tuple(terms))
        self.lines.setdefault(cid, line)

    def parsed(self) -> Parsed:
        parsed = Parsed(list(self.concepts.values()), self.lines, self.duplicates)
        check_sides(self.path, parsed)
        return parsed


def write(path: Path, concepts: Iterable[Concept]) -> int:
    """Write a termbase with every field (see the module docstring): `.tsv` as an OmegaT
    glossary (French, English, comment, then the other columns, the header line a `#`
    comment), else `;`-separated CSV (UTF-8 with BOM for Excel). A row per French/English pair
    of a concept. Returns the number of rows written."""
    rows = 0
    omegat = path.suffix.casefold() == ".tsv"
    header = ["fr", "en", "omegat_comment", *(c for c in HEADER if c not in ("fr", "en"))]
    header = header if omegat else HEADER
    with (
        replacing(path) as temporary,
        temporary.open("w", encoding="utf-8" if omegat else "utf-8-sig", newline="") as stream,
    ):
        writer = csv.writer(stream, delimiter="\t" if omegat else ";", lineterminator="\n")
        writer.writerow([("# " if omegat else "") + header[0], *header[1:]])
        for concept in concepts:
            for fr, en in zip_longest(concept.in_language("fr"), concept.in_language("en")):
                cells = _cells(concept, fr, en)
                writer.writerow([spreadsheet.escape(cells.get(name, "")) for name in header])
                rows += 1
    return rows


def _cells(concept: Concept, fr: Term | None, en: Term | None) -> dict[str, str]:
    cells = {"concept": concept.id}
    cells |= {column: getattr(concept, key) for key, column in _CONCEPT_CELLS.items()}
    for term in (fr, en):
        if term is None:
            continue
        cells[term.language] = term.text
        cells[f"{term.language}_status"] = term.status
        cells |= {f"{term.language}_{name}": getattr(term, name) for name in DETAILS}
    cells["omegat_comment"] = "; ".join(
        part
        for part in (en.status if en and en.status != "preferred" else "", en.note if en else "")
        if part
    )
    return cells
