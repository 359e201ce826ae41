"""Request and response bodies of the glossary routes."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, field_validator

from glossaries import Change, Concept, Term, TermHit
from service.http.validation import check_text
from tm.quality.findings import Finding

Status = Literal["preferred", "admitted", "deprecated", "superseded"]


class TermOut(BaseModel):
    id: int
    concept: str
    language: str
    text: str
    status: str
    note: str
    source: str
    version: int
    changed: str
    author: str


class ConceptOut(BaseModel):
    id: str
    subject: str
    definition: str
    terms: list[TermOut]


class ConceptList(BaseModel):
    total: int
    concepts: list[ConceptOut]


class TermIn(BaseModel):
    """A new term: in an existing concept, or a new concept (without `concept`)."""

    text: str = Field(min_length=1, max_length=500)
    language: Literal["fr", "en"]
    concept: str | None = Field(default=None, max_length=200)
    status: Status = "preferred"
    note: str = Field(default="", max_length=2000)
    source: str = Field(default="", max_length=500)
    subject: str = Field(default="", max_length=200)
    definition: str = Field(default="", max_length=2000)

    @field_validator("text", "concept", "note", "source", "subject", "definition")
    @classmethod
    def _clean(cls, value: str | None) -> str | None:
        return None if value is None else check_text(value)


class TermEdit(BaseModel):
    """The fields to change (absent = unchanged); the version read goes in `If-Match`."""

    text: str | None = Field(default=None, min_length=1, max_length=500)
    status: Status | None = None
    note: str | None = Field(default=None, max_length=2000)
    source: str | None = Field(default=None, max_length=500)

    @field_validator("text", "note", "source")
    @classmethod
    def _clean(cls, value: str | None) -> str | None:
        return None if value is None else check_text(value)


class ChangeOut(BaseModel):
    id: int
    at: str
    author: str
    action: str
    concept: str
    term: int | None
    old: dict[str, Any] | None
    new: dict[str, Any] | None


class TermHitOut(BaseModel):
    start: int
    end: int
    text: str
    fr: str
    en: str
    status: str
    concept: str
    admitted: list[str]
    forbidden: list[str]
    preferred_fr: str


class FindResponse(BaseModel):
    text: str
    hits: list[TermHitOut]


class FindingOut(BaseModel):
    code: str
    severity: str
    message: str
    source_span: list[int] | None
    target_span: list[int] | None
    suggestion: str


class GlossaryImportOut(BaseModel):
    file: str
    concepts_added: int
    concepts_updated: int
    terms_added: int
    terms_updated: int
    unchanged: int
    duplicates: int


def term_out(term: Term) -> TermOut:
    return TermOut.model_validate(term.to_dict())


def concept_out(concept: Concept) -> ConceptOut:
    return ConceptOut(
        id=concept.id,
        subject=concept.subject,
        definition=concept.definition,
        terms=[term_out(t) for t in concept.terms],
    )


def change_out(change: Change) -> ChangeOut:
    return ChangeOut.model_validate(change.to_dict())


def hit_out(hit: TermHit) -> TermHitOut:
    return TermHitOut.model_validate(hit.to_dict())


def finding_out(finding: Finding, language: str = "en") -> FindingOut:
    """The response form of a finding, its message and suggestion in `language`."""
    said = {"message": finding.text(language), "suggestion": finding.suggested(language)}
    return FindingOut.model_validate(finding.to_dict() | said)
