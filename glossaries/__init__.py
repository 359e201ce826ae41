"""The institutional termbase: terms, TBX/CSV formats, store and history, recognition.

The names below are imported on first use (PEP 562 `__getattr__`): a `tm` command that does
not touch the termbase does not load it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tm.lazy import names

if TYPE_CHECKING:
    from glossaries.glossary import Glossary
    from glossaries.recognition import Recogniser, TermHit
    from glossaries.terms import Change, Concept, ImportReport, Term
    from tm.quality.findings import Finding

_HOMES = {
    "Change": "glossaries.terms",
    "Concept": "glossaries.terms",
    "Finding": "tm.quality.findings",
    "Glossary": "glossaries.glossary",
    "ImportReport": "glossaries.terms",
    "Recogniser": "glossaries.recognition",
    "Term": "glossaries.terms",
    "TermHit": "glossaries.recognition",
}


__getattr__ = names(__name__, _HOMES)


__all__ = [
    "Change",
    "Concept",
    "Finding",
    "Glossary",
    "ImportReport",
    "Recogniser",
    "Term",
    "TermHit",
]
