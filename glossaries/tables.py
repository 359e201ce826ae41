"""CSV/TSV termbases: read (comma, semicolon or tab; UTF-8, BOM or cp1252) and write.

Columns are mapped by their header names (`fr`, `en`, `status`, `subject`, `note`, …). Rows with
the same `concept` merge into one concept; without a `concept` column every row is its own
concept. An empty `fr` or `en` cell adds a term on one side only.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable
from dataclasses import replace
from itertools import zip_longest
from pathlib import Path

from glossaries.terms import Concept, Parsed, Term, parse_status
from tm.errors import InvalidInput

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
}
HEADER = [
    "concept",
    "fr",
    "fr_status",
    "en",
    "en_status",
    "subject",
    "definition",
    "note",
    "source",
]


def decode(path: Path, data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252 as French Excel writes it."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
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
    first = text.lstrip("\n").split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(path, first))
    try:
        header = next(reader)
    except csv.Error as error:
        raise InvalidInput(f"malformed CSV: {error}", file=str(path), line=1) from error
    names = [cell.strip().casefold().replace(" ", "_").replace("-", "_") for cell in header]
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
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(fields) and any(cell.strip() for cell in row[len(fields) :]):
                raise InvalidInput(
                    f"{len(row)} cells for {len(fields)} columns (a stray separator?)",
                    file=str(path),
                    line=reader.line_num,
                )
            cells = {name: row[i].strip() for i, name in enumerate(fields) if name and i < len(row)}
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
        for key in ("subject", "definition"):
            value, old = cells.get(key, ""), getattr(concept, key)
            if value and old and value != old:
                raise self.fail(
                    f"concept {cid!r} has two different {key}s ({old!r} from line "
                    f"{self.lines[cid]}, {value!r} here)",
                    line,
                )
            if value and not old:
                concept = (
                    replace(concept, subject=value)
                    if key == "subject"
                    else replace(concept, definition=value)
                )
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
            note = cells.get(f"{language}_note") or cells.get("note", "")
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
            terms.append(Term(cid, language, text, status, note, cells.get("source", "")))
        self.concepts[cid] = replace(concept, terms=tuple(terms))
        self.lines.setdefault(cid, line)

    def parsed(self) -> Parsed:
        return Parsed(list(self.concepts.values()), self.lines, self.duplicates)


def write(path: Path, concepts: Iterable[Concept]) -> int:
    """Write a termbase: `.tsv` as OmegaT glossary (fr, en, comment), else `;`-separated CSV
    with the demo columns (one row per French/English pair, UTF-8 with BOM for Excel).
    Returns the number of rows written."""
    rows = 0
    omegat = path.suffix.casefold() == ".tsv"
    with path.open("w", encoding="utf-8" if omegat else "utf-8-sig", newline="") as stream:
        writer = csv.writer(stream, delimiter="\t" if omegat else ";", lineterminator="\n")
        if not omegat:
            writer.writerow(HEADER)
        for concept in concepts:
            french, english = concept.in_language("fr"), concept.in_language("en")
            if omegat:
                usable = [t for t in english if t.status in ("preferred", "admitted")]
                target = usable[0].text if usable else ""
                for term in french:
                    comment = "; ".join(p for p in (term.status, term.note) if p)
                    writer.writerow([term.text, target, comment])
                    rows += 1
                continue
            for fr, en in zip_longest(french, english):
                note = (fr.note if fr else "") or (en.note if en else "")
                source = (fr.source if fr else "") or (en.source if en else "")
                writer.writerow(
                    [
                        concept.id,
                        fr.text if fr else "",
                        fr.status if fr else "",
                        en.text if en else "",
                        en.status if en else "",
                        concept.subject,
                        concept.definition,
                        note,
                        source,
                    ]
                )
                rows += 1
    return rows
