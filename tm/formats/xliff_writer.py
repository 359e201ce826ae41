"""XLIFF 1.2 drafts: a new file from a `Draft`, or an exported file filled in place.

Pretranslation is expressed the way CAT tools (Trados, memoQ, OmegaT, Phrase) read it:
`target/@state` + `@state-qualifier` (`exact-match`, `fuzzy-match`), alternatives in
`alt-trans/@match-quality` with their `origin`, and notes from `tm`. The output validates
against the OASIS XLIFF 1.2 strict schema.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path
from typing import Any, cast

from lxml import etree

from tm.drafting.draft import NEEDS_REVIEW, NEEDS_TRANSLATION, TRANSLATED, Draft, DraftSegment
from tm.errors import InvalidInput
from tm.files import replacing
from tm.formats import codes
from tm.formats.splice import Splice, fragment, scope
from tm.formats.xliff_input import XLIFF_12, InputSegment, XliffInput, has_content, marks_of
from tm.retrieval.matching import Match
from tm.text import inline

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
TOOL_ID = "tm"


def _q(name: str, namespace: str | None = XLIFF_12) -> str:
    return f"{{{namespace}}}{name}" if namespace else name


def quality(score: float) -> str:
    """`match-quality` as CAT tools show it, a whole percentage rounded down: `87`, `100`."""
    return str(math.floor(score))


def write(draft: Draft, path: Path, *, tool_version: str = "0.1.0") -> None:
    """Write `draft` as a new XLIFF 1.2 file: one `group` per paragraph, one `trans-unit`
    per segment."""
    root = etree.Element(_q("xliff"), nsmap=cast(Any, {None: XLIFF_12}), version="1.2")
    file = etree.SubElement(
        root,
        _q("file"),
        original=draft.name,
        datatype="plaintext",
        attrib={"source-language": draft.source_language, "target-language": "en"},
    )
    header = etree.SubElement(file, _q("header"))
    etree.SubElement(
        header,
        _q("tool"),
        attrib={"tool-id": TOOL_ID, "tool-name": "tm", "tool-version": tool_version},
    )
    body = etree.SubElement(file, _q("body"))
    group: etree._Element | None = None
    paragraph = None
    for segment in draft.segments:
        if group is None or segment.paragraph != paragraph:
            paragraph = segment.paragraph
            group = etree.SubElement(body, _q("group"), id=f"p{paragraph}", restype="x-paragraph")
        unit = etree.SubElement(group, _q("trans-unit"), id=segment.id)
        unit.set(XML_SPACE, "preserve")
        source = etree.SubElement(unit, _q("source"))
        inline.fill(source, segment.source, segment.source_tags)
        _annotate(unit, segment)
    save(etree.ElementTree(root), path)


def _annotate(unit: etree._Element, segment: DraftSegment) -> None:
    """A new unit's target (with its state, even when empty), notes and `alt-trans`."""
    target = etree.SubElement(unit, _q("target"), state=segment.state)
    if segment.qualifier:
        target.set("state-qualifier", segment.qualifier)
    inline.fill(target, codes.carry(segment.target, segment.source_tags), segment.source_tags)
    if segment.state == TRANSLATED:
        unit.set("approved", "yes")
    for text in segment.notes:
        etree.SubElement(unit, _q("note"), attrib={"from": TOOL_ID}).text = text
    for match in segment.alternatives:
        unit.append(_alternative_element(match, segment.source_tags, XLIFF_12))


def fill(document: XliffInput, segments: list[DraftSegment]) -> bytes:
    """The loaded 1.x file with its listed segments filled, every other byte as read: a target
    goes in the place of an empty one (keeping its attributes) or right after `source` /
    `seg-source`; notes and `alt-trans` after the unit's last XLIFF element (before any vendor
    element); an exact match makes the unit `approved="yes"`. A segment the TM gave nothing
    keeps its target as it was."""
    if len(segments) != len(document.segments):
        raise InvalidInput("draft and file disagree on the number of segments")
    splice = Splice(document.path, document.tree)
    files: list[etree._Element] = []
    pairs = zip(document.segments, segments, strict=True)
    for unit, group in itertools.groupby(pairs, key=lambda pair: pair[0].unit):
        found = list(group)
        if found[0][0].mid:
            _fill_segmented(splice, unit, found)
        else:
            _fill_unit(splice, unit, *found[0])
        file = next(unit.iterancestors("{*}file", "file"), None)
        if file is not None and file not in files and any(s.alternatives for _f, s in found):
            files.append(file)
    for file in files:
        _declare_tool(splice, file)
    return splice.result()


_CORE = {"source", "seg-source", "target", "context-group", "count-group", "prop-group", "note"}
_CORE |= {"alt-trans"}


def _core(element: etree._Element, names: set[str]) -> list[etree._Element]:
    """Children in the element's own (XLIFF) namespace with one of `names`."""
    namespace = etree.QName(element).namespace
    return [
        child
        for child in element
        if isinstance(child.tag, str)
        and etree.QName(child).namespace == namespace
        and etree.QName(child).localname in names
    ]


def _target(
    unit: etree._Element, old: etree._Element | None, segment: DraftSegment, name: str
) -> etree._Element:
    """A filled target (or `mrk`) with the old one's attributes and the source's codes."""
    namespace = etree.QName(unit).namespace
    attributes = {str(k): str(v) for k, v in (old.attrib.items() if old is not None else ())}
    element = etree.Element(_q(name, namespace), attrib=attributes, nsmap=scope(unit))
    if name == "target":
        element.set("state", segment.state)
        if segment.qualifier:
            element.set("state-qualifier", segment.qualifier)
        elif "state-qualifier" in element.attrib:
            del element.attrib["state-qualifier"]
    inline.fill(element, codes.carry(segment.target, segment.source_tags), segment.source_tags)
    return element


def _fill_unit(
    splice: Splice, unit: etree._Element, found: InputSegment, segment: DraftSegment
) -> None:
    if segment.target:
        xml = fragment(_target(unit, found.target, segment, "target"), unit)
        if found.target is not None:
            splice.replace(found.target, xml)
        else:
            splice.insert_after(_core(unit, {"seg-source", "source"})[-1], xml)
        if segment.state == TRANSLATED:
            splice.set(unit, "approved", "yes")
    extras = [_note(unit, text) for text in segment.notes]
    extras += [_alternative(unit, m, segment.source_tags) for m in segment.alternatives]
    if extras:
        splice.insert_after(_core(unit, _CORE)[-1], "".join(extras))


_ORDER = (NEEDS_TRANSLATION, NEEDS_REVIEW, TRANSLATED)


def _fill_segmented(
    splice: Splice, unit: etree._Element, found: list[tuple[InputSegment, DraftSegment]]
) -> None:
    """A unit segmented in `seg-source`: each filled segment's `mrk` in the target gets its
    text; without a target, one is made from `seg-source` (codes between segments kept,
    segments without a match left empty), its state the least advanced segment's."""
    filled = {f.mid: (f, s) for f, s in found if s.target}
    target = next(iter(_core(unit, {"target"})), None)
    seg_source = _core(unit, {"seg-source"})[0]
    if target is not None:
        for mark, segment in filled.values():
            xml = fragment(_target(unit, mark.target, segment, "mrk"), unit)
            if mark.target is not None:
                splice.replace(mark.target, xml)
            else:
                old = mark.holder
                xml = fragment(_target(unit, old, segment, "mrk"), unit)
                splice.append(target, xml)
        if not has_content(target) and filled:
            splice.set(target, "state", min((s.state for _f, s in found), key=_ORDER.index))
    elif filled:
        state = min((s.state for _f, s in found), key=_ORDER.index)
        splice.insert_after(seg_source, _from_seg_source(splice, unit, seg_source, filled, state))
        if state == TRANSLATED:
            splice.set(unit, "approved", "yes")
    extras = []
    for mark, segment in found:
        extras += [_note(unit, f"[{mark.mid}] {text}") for text in segment.notes]
        for match in segment.alternatives:
            extras.append(_alternative(unit, match, segment.source_tags, mid=mark.mid))
    if extras:
        splice.insert_after(_core(unit, _CORE)[-1], "".join(extras))


def _from_seg_source(
    splice: Splice,
    unit: etree._Element,
    seg_source: etree._Element,
    filled: dict[str, tuple[InputSegment, DraftSegment]],
    state: str,
) -> str:
    """A new target: `seg-source` as the file writes it, renamed, its `mrk`s filled or emptied."""
    text = splice.text
    span = splice.span(seg_source)
    head = etree.Element(_q("target", etree.QName(unit).namespace), nsmap=scope(unit), state=state)
    qualifier = {TRANSLATED: "exact-match", NEEDS_REVIEW: "fuzzy-match"}.get(state)
    if qualifier:
        head.set("state-qualifier", qualifier)
    opening = fragment(head, unit)
    prefix = opening[1 : opening.index(" ")]
    parts = [opening.replace("/>", ">")]
    position = span.opened
    if span.empty:
        return opening
    for mark in marks_of(seg_source):
        where = splice.span(mark)
        parts.append(text[position : where.start])
        if mark.get("mid", "") in filled:
            _found, segment = filled[mark.get("mid", "")]
            parts.append(fragment(_target(unit, mark, segment, "mrk"), unit))
        else:
            empty = etree.Element(
                mark.tag, attrib={str(k): str(v) for k, v in mark.attrib.items()}, nsmap=scope(unit)
            )
            parts.append(fragment(empty, unit))
        position = where.end
    parts.append(text[position : span.closing])
    parts.append(f"</{prefix}>")
    return "".join(parts)


def _note(unit: etree._Element, text: str) -> str:
    note = etree.Element(_q("note", etree.QName(unit).namespace), nsmap=scope(unit))
    note.set("from", TOOL_ID)
    note.text = text
    return fragment(note, unit)


def _declare_tool(splice: Splice, file: etree._Element) -> None:
    """`alt-trans/@tool-id` must name a `header/tool` (a key in the strict schema)."""
    namespace = etree.QName(file).namespace
    header = next(iter(_core(file, {"header"})), None)
    if header is not None and any(
        tool.get("tool-id") == TOOL_ID for tool in _core(header, {"tool"})
    ):
        return
    tool = etree.Element(_q("tool", namespace), nsmap=scope(file))
    tool.attrib.update({"tool-id": TOOL_ID, "tool-name": "tm"})
    if header is None:
        holder = etree.Element(_q("header", namespace), nsmap=scope(file))
        holder.append(tool)
        splice.prepend(file, fragment(holder, file))
        return
    known = _core(header, {"skl", "phase-group", "glossary", "reference", "count-group"})
    known += _core(header, {"prop-group", "note", "tool"})
    if known:
        splice.insert_after(known[-1], fragment(tool, header))
    else:
        splice.prepend(header, fragment(tool, header))


def _alternative(unit: etree._Element, match: Match, tags: dict[str, Any], *, mid: str = "") -> str:
    namespace = etree.QName(unit).namespace
    alt = _alternative_element(match, tags, namespace, nsmap=scope(unit))
    if mid:
        alt.set("mid", mid)
    return fragment(alt, unit)


def _alternative_element(
    match: Match, tags: dict[str, Any], namespace: str | None, *, nsmap: Any = None
) -> etree._Element:
    alt = etree.Element(
        _q("alt-trans", namespace),
        attrib={"match-quality": quality(match.score), "tool-id": TOOL_ID},
        nsmap=nsmap,
    )
    if match.origin:
        alt.set("origin", match.origin)
    for name, text in (("source", match.source), ("target", match.adapted_target or match.target)):
        inline.fill(etree.SubElement(alt, _q(name, namespace)), codes.carry(text, tags), tags)
    return alt


def save(tree: etree._ElementTree, path: Path) -> None:
    """Write a new tree as UTF-8 with an XML declaration, a line per structural element (no
    indentation is ever added inside a text); `InvalidInput` if it cannot be written."""
    for element in tree.getroot().iter():
        name = inline.local_name(element)
        if name in _LINES and len(element) and not (element.text or "").strip():
            element.text = "\n"
        if name in _LINES or name in ("trans-unit", "unit"):
            element.tail = "\n"
    write_bytes(path, etree.tostring(tree, encoding="UTF-8", xml_declaration=True))


_LINES = {"xliff", "file", "header", "body", "group"}


def write_bytes(path: Path, data: bytes) -> None:
    """Write a draft whole or not at all (`tm.files.replacing`): `DiskFull` when there is no
    room, `InvalidInput` if it cannot be written otherwise."""
    with replacing(path) as temporary:
        temporary.write_bytes(data)
