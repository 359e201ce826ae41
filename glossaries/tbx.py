"""TBX termbases: read TBX v2 (`martif/termEntry/langSet/tig`) and v3 DCA
(`tbx/conceptEntry/langSec/termSec`) on local names, write TBX-Basic v3 DCA.

The common data categories are kept at the level the file puts them and written back there:
on the concept `subjectField`, `definition`, `note`, `source`; on a language section
`definition`, `note`, `source`; on a term `administrativeStatus`, `definition`, `context`,
`note`, `source`, `partOfSpeech`, `termType`, `grammaticalGender`, `geographicalUsage`. A
termbase without French terms (or without English ones) is refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

from lxml import etree

from glossaries.tables import concept_id
from glossaries.terms import (
    CONCEPT_CATEGORIES,
    LANGUAGE_CATEGORIES,
    TERM_CATEGORIES,
    Concept,
    Parsed,
    Term,
    check_sides,
    parse_status,
)
from tm.errors import InvalidInput
from tm.formats.xml import iterparse, release

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
NAMESPACE = "urn:iso:std:iso:30042:ed-2"
STATUS_TYPES = ("administrativeStatus", "normativeAuthorization")
_TBX_STATUS = {
    "preferred": "preferredTerm-admn-sts",
    "admitted": "admittedTerm-admn-sts",
    "deprecated": "deprecatedTerm-admn-sts",
    "superseded": "supersededTerm-admn-sts",
}


def _q(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _text(element: etree._Element) -> str:
    return " ".join("".join(str(part) for part in element.itertext()).split())


def _line(element: etree._Element) -> int | None:
    line = getattr(element, "sourceline", None)
    return line if isinstance(line, int) else None


def _language(element: etree._Element) -> str:
    lang = element.get(XML_LANG) or element.get("lang") or ""
    return lang.split("-")[0].split("_")[0].casefold()


def _children(element: etree._Element, *names: str) -> list[etree._Element]:
    return [child for child in element if _local(child) in names]


def _descriptions(element: etree._Element) -> dict[str, str]:
    """`descrip`/`admin`/`termNote` values by type, looking inside `descripGrp`/`adminGrp`."""
    found: dict[str, str] = {}
    for child in element:
        name = _local(child)
        if name in ("descripGrp", "adminGrp", "termNoteGrp"):
            found.update({k: v for k, v in _descriptions(child).items() if k not in found})
        elif name in ("descrip", "admin", "termNote") and child.get("type"):
            found.setdefault(child.get("type", ""), _text(child))
        elif name == "note":
            found.setdefault("note", _text(child))
    return found


def _term(path: Path, cid: str, language: str, group: etree._Element) -> Term:
    """A term from `termSec` (v3), `tig` or `ntig/termGrp` (v2)."""
    holder = group
    for grp in _children(group, "termGrp"):
        holder = grp
    terms = _children(holder, "term")
    line = _line(group)
    if not terms or not _text(terms[0]):
        raise InvalidInput(f"empty term in concept {cid!r}", file=str(path), line=line)
    values = _descriptions(group) | _descriptions(holder)
    label = next((values[kind] for kind in STATUS_TYPES if kind in values), "")
    status = parse_status(label)
    if status is None:
        raise InvalidInput(f"unknown administrativeStatus {label!r}", file=str(path), line=line)
    details = {field: values.get(name, "") for name, field in TERM_CATEGORIES.items()}
    return Term(cid, language, _text(terms[0]), status, **cast(dict[str, Any], details))


def read(path: Path) -> Parsed:
    """The concepts of a TBX file (other languages than fr/en are ignored)."""
    parsed = Parsed()
    languages: set[str] = set()
    with path.open("rb") as stream:
        for entry in iterparse(path, stream, ("termEntry", "conceptEntry")):
            line = _line(entry) or 0
            values = _descriptions(entry)
            fields = {field: values.get(name, "") for name, field in CONCEPT_CATEGORIES.items()}
            raw: list[tuple[str, etree._Element]] = []
            for lang_set in _children(entry, "langSet", "langSec"):
                language = _language(lang_set)
                languages.add(language or "?")
                if language in ("fr", "en"):
                    raw += [(language, g) for g in _children(lang_set, "tig", "ntig", "termSec")]
                    own = _descriptions(lang_set)
                    fields |= {
                        f"{language}_{name}": own[name]
                        for name in LANGUAGE_CATEGORIES
                        if own.get(name) and not fields.get(f"{language}_{name}")
                    }
            cid = entry.get("id") or ""
            terms = [_term(path, cid or "?", language, group) for language, group in raw]
            if not terms:
                raise InvalidInput(
                    f"concept {cid or '(no id)'} has no French or English term",
                    file=str(path),
                    line=line,
                )
            if not cid:
                first = {t.language: t.text for t in reversed(terms)}
                cid = concept_id(first.get("fr", ""), first.get("en", ""))
                terms = [replace(t, concept=cid) for t in terms]
            if cid in parsed.lines:
                raise InvalidInput(
                    f"duplicate concept id {cid!r} (first at line {parsed.lines[cid]})",
                    file=str(path),
                    line=line,
                )
            seen: set[tuple[str, str]] = set()
            for term in terms:
                if (term.language, term.text) in seen:
                    raise InvalidInput(
                        f"{term.language} term {term.text!r} twice in concept {cid!r}",
                        file=str(path),
                        line=line,
                    )
                seen.add((term.language, term.text))
            parsed.lines[cid] = line
            parsed.concepts.append(Concept(cid, terms=tuple(terms), **cast(dict[str, Any], fields)))
            release(entry)
    if not parsed.concepts:
        raise InvalidInput("no termEntry or conceptEntry found: not a TBX file?", file=str(path))
    check_sides(path, parsed, languages)
    return parsed


def write(path: Path, concepts: Iterable[Concept]) -> int:
    """Write TBX-Basic v3 (DCA style); returns the number of concepts written."""
    root = etree.Element(
        _q("tbx"),
        {"type": "TBX-Basic", "style": "dca", XML_LANG: "fr"},
        nsmap={None: NAMESPACE},  # type: ignore[dict-item]
    )
    header = etree.SubElement(root, _q("tbxHeader"))
    desc = etree.SubElement(etree.SubElement(header, _q("fileDesc")), _q("sourceDesc"))
    etree.SubElement(desc, _q("p")).text = "Exported by tm (French-English termbase)."
    body = etree.SubElement(etree.SubElement(root, _q("text")), _q("body"))
    count = 0
    for concept in concepts:
        body.append(_entry(concept))
        count += 1
    etree.ElementTree(root).write(
        str(path), xml_declaration=True, encoding="UTF-8", pretty_print=True
    )
    return count


def _entry(concept: Concept) -> etree._Element:
    entry = etree.Element(_q("conceptEntry"), id=concept.id)
    _describe(
        entry,
        {"subjectField": concept.subject, "definition": concept.definition},
        note=concept.note,
        source=concept.source,
    )
    for language in ("fr", "en"):
        terms = concept.in_language(language)
        if not terms:
            continue
        lang_sec = etree.SubElement(entry, _q("langSec"), {XML_LANG: language})
        _describe(
            lang_sec,
            {"definition": getattr(concept, f"{language}_definition")},
            note=getattr(concept, f"{language}_note"),
            source=getattr(concept, f"{language}_source"),
        )
        for term in terms:
            sec = etree.SubElement(lang_sec, _q("termSec"))
            etree.SubElement(sec, _q("term")).text = term.text
            status = etree.SubElement(sec, _q("termNote"), type="administrativeStatus")
            status.text = _TBX_STATUS[term.status]
            for name in ("partOfSpeech", "termType", "grammaticalGender", "geographicalUsage"):
                value = getattr(term, TERM_CATEGORIES[name])
                if value:
                    etree.SubElement(sec, _q("termNote"), type=name).text = value
            descriptions = {"definition": term.definition, "context": term.context}
            _describe(sec, descriptions, note=term.note, source=term.source)
    return entry


def _describe(
    element: etree._Element, descriptions: dict[str, str], *, note: str, source: str
) -> None:
    """`descrip`s, then `admin type="source"`, then `note` (TBX-Basic's order)."""
    for kind, value in descriptions.items():
        if value:
            etree.SubElement(element, _q("descrip"), type=kind).text = value
    if source:
        etree.SubElement(element, _q("admin"), type="source").text = source
    if note:
        etree.SubElement(element, _q("note")).text = note
