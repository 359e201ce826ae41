"""The termbase vocabulary: a concept with French and English terms, each with a TBX status."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from tm.errors import InvalidInput

LANGUAGES = ("fr", "en")
STATUSES = ("preferred", "admitted", "deprecated", "superseded")
FORBIDDEN = ("deprecated", "superseded")

# TBX `administrativeStatus` values and the labels French and English termbases use.
_STATUS_NAMES = {
    "": "preferred",
    "preferred": "preferred",
    "preferredterm-admn-sts": "preferred",
    "preferredterm": "preferred",
    "privilégié": "preferred",
    "privilegie": "preferred",
    "recommandé": "preferred",
    "admitted": "admitted",
    "admittedterm-admn-sts": "admitted",
    "admittedterm": "admitted",
    "admis": "admitted",
    "toléré": "admitted",
    "accepted": "admitted",
    "deprecated": "deprecated",
    "deprecatedterm-admn-sts": "deprecated",
    "deprecatedterm": "deprecated",
    "déconseillé": "deprecated",
    "à éviter": "deprecated",
    "forbidden": "deprecated",
    "superseded": "superseded",
    "supersededterm-admn-sts": "superseded",
    "supersededterm": "superseded",
    "remplacé": "superseded",
    "obsolete": "superseded",
}


TERM_CATEGORIES = {
    "definition": "definition",
    "context": "context",
    "note": "note",
    "source": "source",
    "partOfSpeech": "part_of_speech",
    "termType": "term_type",
    "grammaticalGender": "grammatical_gender",
    "geographicalUsage": "geographical_usage",
}
"""TBX data categories kept on a term (TBX name → `Term` field); its status is
`administrativeStatus`."""
CONCEPT_CATEGORIES = {"subjectField": "subject", "definition": "definition", "note": "note"}
CONCEPT_CATEGORIES |= {"source": "source"}
"""TBX data categories kept on a concept (TBX name → `Concept` field)."""
LANGUAGE_CATEGORIES = ("definition", "note", "source")
"""TBX data categories of a language section (`langSet`/`langSec`): `Concept.fr_definition`…"""
DETAILS = ("note", "source", *(f for f in TERM_CATEGORIES.values() if f not in ("note", "source")))
"""A term's descriptive fields, beside its text and status."""


def parse_status(value: str) -> str | None:
    """The canonical status for a CSV/TBX label (`preferredTerm-admn-sts` → `preferred`)."""
    return _STATUS_NAMES.get(value.strip().casefold())


@dataclass(frozen=True)
class Term:
    """One French or English term of a concept, as stored (with its id and version)."""

    concept: str
    language: str
    text: str
    status: str = "preferred"
    note: str = ""
    source: str = ""
    id: int | None = None
    version: int = 1
    changed: str = ""
    author: str = ""
    definition: str = ""
    context: str = ""
    part_of_speech: str = ""
    term_type: str = ""
    grammatical_gender: str = ""
    geographical_usage: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "concept": self.concept,
            "language": self.language,
            "text": self.text,
            "status": self.status,
            **{name: getattr(self, name) for name in DETAILS},
            "version": self.version,
            "changed": self.changed,
            "author": self.author,
        }

    def details(self) -> tuple[str, ...]:
        """The term's status and descriptive fields, in `DETAILS` order after the status."""
        return (self.status, *(getattr(self, name) for name in DETAILS))

    def merged(self, given: Term) -> Term:
        """This stored term with the fields `given` (read from a file) has: an empty field in
        the file means "not given", not "erase"."""
        values = {name: getattr(given, name) or getattr(self, name) for name in DETAILS}
        return replace(self, status=given.status, **values)


@dataclass(frozen=True)
class Concept:
    """A concept: an id, concept-level descriptions and its terms in both languages."""

    id: str
    subject: str = ""
    definition: str = ""
    terms: tuple[Term, ...] = field(default_factory=tuple)
    note: str = ""
    source: str = ""
    fr_definition: str = ""
    fr_note: str = ""
    fr_source: str = ""
    en_definition: str = ""
    en_note: str = ""
    en_source: str = ""

    def in_language(self, language: str) -> list[Term]:
        """Terms of one language, preferred first, then admitted, then the rest."""
        chosen = [term for term in self.terms if term.language == language]
        return sorted(chosen, key=lambda term: STATUSES.index(term.status))

    def preferred(self, language: str) -> Term | None:
        """The first preferred (else admitted) term of a language, if any."""
        for term in self.in_language(language):
            if term.status not in FORBIDDEN:
                return term
        return None


_SECTIONS = tuple(f"{lang}_{name}" for lang in ("fr", "en") for name in LANGUAGE_CATEGORIES)
CONCEPT_FIELDS = ("subject", "definition", "note", "source", *_SECTIONS)
"""A concept's descriptive fields: its own, then those of its French and English sections."""


@dataclass
class Parsed:
    """Concepts read from a file, with the line each concept started on and duplicates seen."""

    concepts: list[Concept] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)
    duplicates: int = 0


@dataclass(frozen=True)
class Change:
    """One audited write: who, when, what, and the term before and after (None if absent)."""

    id: int
    at: str
    author: str
    action: str
    concept: str
    term: int | None
    old: dict[str, Any] | None
    new: dict[str, Any] | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at,
            "author": self.author,
            "action": self.action,
            "concept": self.concept,
            "term": self.term,
            "old": self.old,
            "new": self.new,
        }


@dataclass(frozen=True)
class ImportReport:
    """What an import did."""

    file: str
    concepts_added: int
    concepts_updated: int
    terms_added: int
    terms_updated: int
    unchanged: int
    duplicates: int

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def check_sides(path: Path, parsed: Parsed, languages: set[str] | None = None) -> None:
    """A French–English termbase has both sides: one without French (or English) terms is
    refused, never imported as one-sided concepts."""
    found = {term.language for concept in parsed.concepts for term in concept.terms}
    languages = languages or found
    for language, name in (("fr", "French"), ("en", "English")):
        if language not in found:
            raise InvalidInput(
                f"no {name} terms: the termbase's languages are {', '.join(sorted(languages))}; "
                "tm keeps French–English termbases",
                file=str(path),
            )
