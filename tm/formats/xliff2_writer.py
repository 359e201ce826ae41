"""XLIFF 2.1 drafts with the Translation Candidates module (`mtc:matches`).

A filled segment gets `state="translated"` for a 100/101 match and `state="initial"` with a
target to review for a fuzzy one (`subState` `tm:exact-match` / `tm:fuzzy-match`); the
candidates go in `mtc:matches` at the top of the unit, each `mtc:match` pointing to its
segment with `ref="#<segment id>"`. Notes go in the unit's `notes`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from lxml import etree

from tm.drafting.draft import TRANSLATED, Draft, DraftSegment
from tm.errors import InvalidInput
from tm.formats import codes
from tm.formats.splice import Splice, fragment, scope
from tm.formats.xliff_input import XLIFF_2, InputSegment, XliffInput
from tm.formats.xliff_writer import TOOL_ID, quality, save
from tm.retrieval.matching import Match
from tm.text import inline

MATCHES = "urn:oasis:names:tc:xliff:matches:2.0"


def _q(name: str, namespace: str = XLIFF_2) -> str:
    return f"{{{namespace}}}{name}"


def write(draft: Draft, path: Path) -> None:
    """Write `draft` as a new XLIFF 2.1 file: one `group` per paragraph, a `unit` with one
    `segment` per French segment."""
    root = etree.Element(
        _q("xliff"),
        nsmap=cast(Any, {None: XLIFF_2, "mtc": MATCHES}),
        version="2.1",
        srcLang=draft.source_language,
        trgLang=draft.target_language,
    )
    file = etree.SubElement(root, _q("file"), id="f1", original=draft.name)
    group: etree._Element | None = None
    paragraph = None
    for segment in draft.segments:
        if group is None or segment.paragraph != paragraph:
            paragraph = segment.paragraph
            group = etree.SubElement(file, _q("group"), id=f"p{paragraph}")
        unit = etree.SubElement(group, _q("unit"), id=f"u{segment.id}")
        holder = etree.SubElement(unit, _q("segment"), id=f"s{segment.id}")
        inline.fill(etree.SubElement(holder, _q("source")), segment.source, segment.source_tags)
        _annotate(unit, holder, segment)
    save(etree.ElementTree(root), path)


def fill(document: XliffInput, segments: list[DraftSegment]) -> bytes:
    """The loaded 2.x file with its listed segments filled, every other byte as read: the
    target after `source` (or in the place of an empty one), the segment's `state`/`subState`,
    candidates in `mtc:matches` first in the unit, notes in the unit's `notes`, and `trgLang`
    on the root when the file had none. A segment the TM gave nothing is left as it was."""
    if len(segments) != len(document.segments):
        raise InvalidInput("draft and file disagree on the number of segments")
    splice = Splice(document.path, document.tree)
    root = document.tree.getroot()
    if not root.get("trgLang"):
        splice.set(root, "trgLang", document.target_language or "en")
    units: dict[etree._Element, tuple[list[str], list[str]]] = {}
    for found, segment in zip(document.segments, segments, strict=True):
        matches, notes = units.setdefault(found.unit, ([], []))
        ident = found.holder.get("id", "")
        if segment.alternatives and not ident:
            ident = f"tm{list(found.unit).index(found.holder) + 1}"
            splice.set(found.holder, "id", ident)
        if segment.target:
            _fill_segment(splice, found, segment)
        matches += [_candidate(found.unit, match, ident) for match in segment.alternatives]
        notes += [_note(found.unit, text) for text in segment.notes]
    for unit, (matches, notes) in units.items():
        _extras(splice, unit, matches, notes)
    return splice.result()


def _fill_segment(splice: Splice, found: InputSegment, segment: DraftSegment) -> None:
    holder = found.holder
    splice.set(holder, "state", "translated" if segment.state == TRANSLATED else "initial")
    splice.set(holder, "subState", f"tm:{segment.qualifier}")
    old = found.target
    attributes = {str(k): str(v) for k, v in (old.attrib.items() if old is not None else ())}
    target = etree.Element(_q("target"), attrib=attributes, nsmap=scope(holder))
    inline.fill(target, codes.carry(segment.target, segment.source_tags), segment.source_tags)
    xml = fragment(target, holder)
    if old is not None:
        splice.replace(old, xml)
    else:
        source = next(c for c in holder if inline.local_name(c) == "source")
        splice.insert_after(source, xml)


def _extras(splice: Splice, unit: etree._Element, matches: list[str], notes: list[str]) -> None:
    """Candidates first in the unit (module elements come before `notes`), notes in `notes`."""
    if matches:
        holder = unit.find(_q("matches", MATCHES))
        if holder is not None:
            splice.append(holder, "".join(matches))
        else:
            element = etree.Element(_q("matches", MATCHES), nsmap=scope(unit, mtc=MATCHES))
            element.text = "\ue000"
            head, _, tail = fragment(element, unit).partition("\ue000")
            splice.prepend(unit, head + "".join(matches) + tail)
    if notes:
        holder = unit.find(_q("notes"))
        if holder is not None:
            splice.append(holder, "".join(notes))
        else:
            first = next(c for c in unit if etree.QName(c).namespace == XLIFF_2)
            element = etree.Element(_q("notes"), nsmap=scope(unit))
            element.text = "\ue000"
            head, _, tail = fragment(element, unit).partition("\ue000")
            splice.insert_before(first, head + "".join(notes) + tail)


def _note(unit: etree._Element, text: str) -> str:
    note = etree.Element(_q("note"), nsmap=scope(unit), category=TOOL_ID)
    note.text = text
    return fragment(note, unit)


def _annotate(unit: etree._Element, holder: etree._Element, segment: DraftSegment) -> None:
    """A new unit's segment state and target, candidates and notes."""
    if segment.target:
        holder.set("state", "translated" if segment.state == TRANSLATED else "initial")
        holder.set("subState", f"tm:{segment.qualifier}")
        target = etree.SubElement(holder, _q("target"))
        tags = segment.source_tags
        inline.fill(target, codes.carry(segment.target, tags), tags)
    else:
        holder.set("state", "initial")
    if segment.alternatives:
        matches = etree.Element(_q("matches", MATCHES), nsmap={"mtc": MATCHES})
        unit.insert(0, matches)
        for match in segment.alternatives:
            matches.append(_candidate_element(match, holder.get("id", "")))
    if segment.notes:
        notes = etree.Element(_q("notes"))
        unit.insert(1 if segment.alternatives else 0, notes)
        for text in segment.notes:
            etree.SubElement(notes, _q("note"), category=TOOL_ID).text = text


def _candidate(unit: etree._Element, match: Match, segment_id: str) -> str:
    element = _candidate_element(match, segment_id, nsmap=scope(unit, mtc=MATCHES))
    return fragment(element, unit)


def _candidate_element(match: Match, segment_id: str, *, nsmap: Any = None) -> etree._Element:
    """A `mtc:match`; its source and target as plain text (a candidate's codes would need
    their own `originalData`)."""
    element = etree.Element(
        _q("match", MATCHES),
        ref=f"#{segment_id}",
        similarity=quality(min(match.score, 100)),
        matchQuality=quality(min(match.score, 100)),
        type="tm",
        subType=f"tm:band-{match.band or 'none'}",
        nsmap=nsmap,
    )
    if match.origin:
        element.set("origin", match.origin)
    etree.SubElement(element, _q("source")).text = inline.plain(match.source)
    target = match.adapted_target or match.target
    etree.SubElement(element, _q("target")).text = inline.plain(target)
    return element
