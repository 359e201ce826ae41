"""ISO 12620 data-category termbases (`DC-4025-termbase`, e.g. ULB's TerminoRel): read only.

Elements and attributes carry their data-category number (`DC-508-term`); they are matched on
the name after it. Status comes from `normativeAuthorization` (preferred/admitted/deprecated)
or, failing that, `languagePlanningQualifier` (recommended → preferred, proposed → admitted).
"""

from __future__ import annotations

import re
from pathlib import Path

from lxml import etree

from glossaries.tables import concept_id
from glossaries.terms import Concept, Parsed, Term
from tm.errors import InvalidInput
from tm.formats.xml import iterparse, release

MARKER = b"DC-4025-termbase"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_NUMBER = re.compile(r"^DC-\d+-")
_STATUS = {
    "preferredTerm": "preferred",
    "recommendedTerm": "preferred",
    "admittedTerm": "admitted",
    "proposedTerm": "admitted",
    "deprecatedTerm": "deprecated",
    "supersededTerm": "superseded",
    "obsoleteTerm": "superseded",
}


def _name(value: str) -> str:
    return _NUMBER.sub("", value)


def _local(element: etree._Element) -> str:
    return _name(etree.QName(element).localname) if isinstance(element.tag, str) else ""


def _text(element: etree._Element) -> str:
    return " ".join("".join(str(part) for part in element.itertext()).split())


def _first(element: etree._Element, name: str) -> etree._Element | None:
    return next((e for e in element.iter() if _local(e) == name), None)


def _status(term: etree._Element) -> str:
    attributes = {_name(str(key)): _name(str(value)) for key, value in term.attrib.items()}
    for kind in ("normativeAuthorization", "languagePlanningQualifier"):
        if kind in attributes:
            return _STATUS.get(attributes[kind], "admitted")
    return "preferred"


def read(path: Path) -> Parsed:
    """The French and English terms of a DC-4025 termbase, one concept per entry."""
    parsed = Parsed()
    with path.open("rb") as stream:
        for entry in iterparse(path, stream, ("DC-209-terminologicalEntry",)):
            line = getattr(entry, "sourceline", None)
            attributes = {_name(str(key)): str(value) for key, value in entry.attrib.items()}
            subject = _first(entry, "subjectField")
            definition = _first(entry, "definition")
            terms: list[Term] = []
            for group in (e for e in entry if _local(e) == "langGrp"):
                language = (group.get(XML_LANG) or "").split("-")[0].casefold()
                if language not in ("fr", "en"):
                    continue
                for element in (e for e in group.iter() if _local(e) == "term"):
                    text = _text(element)
                    if not text:
                        where = getattr(element, "sourceline", None)
                        raise InvalidInput("empty term", file=str(path), line=where)
                    if all(t.text != text or t.language != language for t in terms):
                        terms.append(Term("", language, text, _status(element)))
            if not terms:
                continue
            first = {t.language: t.text for t in reversed(terms)}
            cid = attributes.get("entryIdentifier") or concept_id(
                first.get("fr", ""), first.get("en", "")
            )
            if cid in parsed.lines:
                raise InvalidInput(f"duplicate entry {cid!r}", file=str(path), line=line)
            parsed.lines[cid] = line if isinstance(line, int) else 0
            parsed.concepts.append(
                Concept(
                    cid,
                    _text(subject) if subject is not None else "",
                    _text(definition) if definition is not None else "",
                    tuple(Term(cid, t.language, t.text, t.status) for t in terms),
                )
            )
            release(entry)
    if not parsed.concepts:
        raise InvalidInput("no terminologicalEntry with French or English terms", file=str(path))
    return parsed
