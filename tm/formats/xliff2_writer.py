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
from tm.formats.xliff_input import XLIFF_2, XliffInput
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


def fill(document: XliffInput, segments: list[DraftSegment]) -> None:
    """Fill the loaded 2.x file's untranslated segments in place."""
    if len(segments) != len(document.segments):
        raise InvalidInput("draft and file disagree on the number of segments")
    for found, segment in zip(document.segments, segments, strict=True):
        if segment.alternatives and not found.holder.get("id"):
            found.holder.set("id", f"tm{list(found.unit).index(found.holder) + 1}")
        _annotate(found.unit, found.holder, segment)


def _annotate(unit: etree._Element, holder: etree._Element, segment: DraftSegment) -> None:
    for old in holder.findall(_q("target")):
        holder.remove(old)
    if segment.target:
        holder.set("state", "translated" if segment.state == TRANSLATED else "initial")
        holder.set("subState", f"tm:{segment.qualifier}")
        target = etree.SubElement(holder, _q("target"))
        inline.fill(target, segment.target, segment.source_tags)
    else:
        holder.set("state", "initial")
    if segment.alternatives:
        matches = unit.find(_q("matches", MATCHES))
        if matches is None:
            matches = etree.Element(_q("matches", MATCHES), nsmap={"mtc": MATCHES})
            unit.insert(0, matches)
        for match in segment.alternatives:
            matches.append(_candidate(match, holder.get("id", ""), segment.source_tags))
    if segment.notes:
        notes = unit.find(_q("notes"))
        if notes is None:
            notes = etree.Element(_q("notes"))
            after = [c for c in unit if etree.QName(c).namespace != XLIFF_2]
            unit.insert(len(after), notes)
        for text in segment.notes:
            etree.SubElement(notes, _q("note"), category=TOOL_ID).text = text


def _candidate(match: Match, segment_id: str, tags: dict[str, Any]) -> etree._Element:
    element = etree.Element(
        _q("match", MATCHES),
        ref=f"#{segment_id}",
        similarity=quality(min(match.score, 100)),
        matchQuality=quality(min(match.score, 100)),
        type="tm",
        subType=f"tm:band-{match.band or 'none'}",
    )
    if match.origin:
        element.set("origin", match.origin)
    inline.fill(etree.SubElement(element, _q("source")), match.source, tags)
    inline.fill(etree.SubElement(element, _q("target")), match.adapted_target, tags)
    return element
