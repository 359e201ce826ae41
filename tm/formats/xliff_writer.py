"""XLIFF 1.2 drafts: a new file from a `Draft`, or an exported file filled in place.

Pretranslation is expressed the way CAT tools (Trados, memoQ, OmegaT, Phrase) read it:
`target/@state` + `@state-qualifier` (`exact-match`, `fuzzy-match`), alternatives in
`alt-trans/@match-quality` with their `origin`, and notes from `tm`. The output validates
against the OASIS XLIFF 1.2 strict schema.
"""

from __future__ import annotations

import copy
import itertools
import math
from pathlib import Path
from typing import Any, cast

from lxml import etree

from tm.drafting.draft import NEEDS_REVIEW, NEEDS_TRANSLATION, TRANSLATED, Draft, DraftSegment
from tm.errors import InvalidInput
from tm.formats.xliff_input import XLIFF_12, XliffInput
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
        _annotate(unit, segment, namespace=XLIFF_12)
    save(etree.ElementTree(root), path)


def fill(document: XliffInput, segments: list[DraftSegment]) -> None:
    """Fill the loaded file's untranslated units in place, in the order `load` listed them."""
    if len(segments) != len(document.segments):
        raise InvalidInput("draft and file disagree on the number of segments")
    files: set[etree._Element] = set()
    pairs = zip(document.segments, segments, strict=True)
    for unit, group in itertools.groupby(pairs, key=lambda pair: pair[0].unit):
        found = list(group)
        namespace = etree.QName(unit).namespace
        if found[0][0].mid:
            _annotate_segmented(unit, {f.mid: s for f, s in found}, namespace=namespace)
        else:
            _annotate(unit, found[0][1], namespace=namespace)
        file = next(unit.iterancestors(_q("file", namespace)), None)
        if file is not None and file not in files and any(s.alternatives for _f, s in found):
            files.add(file)
            _declare_tool(file, namespace)


def _declare_tool(file: etree._Element, namespace: str | None) -> None:
    """`alt-trans/@tool-id` must name a `header/tool` (a key in the strict schema)."""
    header = file.find(_q("header", namespace))
    if header is None:
        header = etree.Element(_q("header", namespace))
        file.insert(0, header)
    for tool in header.findall(_q("tool", namespace)):
        if tool.get("tool-id") == TOOL_ID:
            return
    etree.SubElement(header, _q("tool", namespace), attrib={"tool-id": TOOL_ID, "tool-name": "tm"})


def _annotate(unit: etree._Element, segment: DraftSegment, *, namespace: str | None) -> None:
    """Set the target (right after `source`/`seg-source`), then notes and `alt-trans`."""
    for old in unit.findall(_q("target", namespace)):
        unit.remove(old)
    target = etree.Element(_q("target", namespace), state=segment.state)
    if segment.qualifier:
        target.set("state-qualifier", segment.qualifier)
    inline.fill(target, segment.target, segment.source_tags)
    anchor = unit.find(_q("seg-source", namespace))
    if anchor is None:
        anchor = unit.find(_q("source", namespace))
    index = 0 if anchor is None else list(unit).index(anchor) + 1
    unit.insert(index, target)
    for text in segment.notes:
        note = etree.SubElement(unit, _q("note", namespace), attrib={"from": TOOL_ID})
        note.text = text
    for match in segment.alternatives:
        unit.append(_alternative(match, segment.source_tags, namespace))


_ORDER = (NEEDS_TRANSLATION, NEEDS_REVIEW, TRANSLATED)


def _annotate_segmented(
    unit: etree._Element, segments: dict[str, DraftSegment], *, namespace: str | None
) -> None:
    """A unit segmented in `seg-source`: the target copies its `mrk` segments, each filled;
    the unit's state is its least advanced segment's; notes and `alt-trans` carry the `mid`."""
    for old in unit.findall(_q("target", namespace)):
        unit.remove(old)
    seg_source = unit.find(_q("seg-source", namespace))
    if seg_source is None:
        return
    target = copy.deepcopy(seg_source)
    target.tag = _q("target", namespace)
    for mark in target.iter(_q("mrk", namespace)):
        segment = segments.get(mark.get("mid", "")) if mark.get("mtype") == "seg" else None
        if segment is None:
            continue
        for child in list(mark):
            mark.remove(child)
        mark.text = None
        inline.fill(mark, segment.target, segment.source_tags)
    state = min((s.state for s in segments.values()), key=_ORDER.index)
    target.set("state", state)
    qualifier = {TRANSLATED: "exact-match", NEEDS_REVIEW: "fuzzy-match"}.get(state)
    if qualifier:
        target.set("state-qualifier", qualifier)
    unit.insert(list(unit).index(seg_source) + 1, target)
    for mid, segment in segments.items():
        for text in segment.notes:
            note = etree.SubElement(unit, _q("note", namespace), attrib={"from": TOOL_ID})
            note.text = f"[{mid}] {text}"
        for match in segment.alternatives:
            alternative = _alternative(match, segment.source_tags, namespace)
            alternative.set("mid", mid)
            unit.append(alternative)


def _alternative(match: Match, tags: dict[str, Any], namespace: str | None) -> etree._Element:
    alt = etree.Element(
        _q("alt-trans", namespace),
        attrib={"match-quality": quality(match.score), "tool-id": TOOL_ID},
    )
    if match.origin:
        alt.set("origin", match.origin)
    inline.fill(etree.SubElement(alt, _q("source", namespace)), match.source, tags)
    inline.fill(etree.SubElement(alt, _q("target", namespace)), match.adapted_target, tags)
    return alt


def save(tree: etree._ElementTree, path: Path) -> None:
    """Write a tree as UTF-8 with an XML declaration; `InvalidInput` if it cannot be written."""
    try:
        tree.write(str(path), encoding="UTF-8", xml_declaration=True, pretty_print=True)
    except OSError as error:
        raise InvalidInput(f"cannot write: {error.strerror}", file=str(path)) from error
