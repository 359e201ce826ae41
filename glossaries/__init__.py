"""The institutional termbase: terms, TBX/CSV formats, store and history, recognition."""

from glossaries.glossary import Glossary
from glossaries.recognition import Recogniser, TermHit
from glossaries.terms import Change, Concept, ImportReport, Term
from tm.quality.findings import Finding

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
