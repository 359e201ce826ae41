"""An XLIFF 1.2/2.x file exported untranslated by a CAT tool, kept whole to be filled in place.

`load` parses the file safely (no DTD, no entities, no network) and lists its segments in
document order, each with its elements so the writers can fill it in place. The rules of what
is filled live here: a segment whose target has content (text or an inline code) is a
translation, whatever its `state`, and is left alone unless pretranslation overwrites; an
empty or missing target is filled; a segment under `translate="no"` (on its unit or the
nearest group or file saying so) is never filled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from tm.drafting.draft import Kept
from tm.errors import InvalidInput
from tm.formats.xml import parse_file
from tm.text import inline
from tm.text.language import is_english, is_french

XLIFF_12 = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF_1 = "urn:oasis:names:tc:xliff:document:1."
"""The namespaces of XLIFF 1.0, 1.1 and 1.2 start with this (1.0 files may have none)."""
XLIFF_2 = "urn:oasis:names:tc:xliff:document:2.0"
MEMOQ = "MQXliff"


@dataclass
class InputSegment:
    """A segment of the file: `unit` is the `trans-unit` (1.x) or `unit` (2.x), `holder` the
    element holding its source text (the `trans-unit`, a 2.x `segment`, or a `seg-source`
    `mrk`), `target` the element holding its translation if there is one (`target`, or the
    `mrk` of the same `mid` in the target)."""

    id: str
    unit: etree._Element
    holder: etree._Element
    text: str
    tags: dict[str, Any] = field(default_factory=dict)
    mid: str = ""
    """The `mrk/@mid` of a segment of a 1.x unit segmented in `seg-source` (Trados, memoQ)."""
    target: etree._Element | None = None
    existing: bool = False
    """Its target has content: a translation, left alone unless pretranslation overwrites."""


@dataclass
class XliffInput:
    """A parsed XLIFF file: its tree, major version (1 or 2), languages, the segments to fill
    (`segments`), those whose target already has content (`existing`: filled only when
    overwriting, then also in `segments`) and those marked `translate="no"` (`locked`)."""

    path: Path
    tree: etree._ElementTree
    version: int
    source_language: str
    target_language: str
    segments: list[InputSegment]
    existing: list[InputSegment] = field(default_factory=list)
    locked: list[InputSegment] = field(default_factory=list)

    def kept(self) -> tuple[tuple[Kept, ...], tuple[Kept, ...]]:
        """The existing and the locked segments, for the draft's analysis."""
        return (
            tuple(Kept(s.id, s.text) for s in self.existing),
            tuple(Kept(s.id, s.text) for s in self.locked),
        )


def load(path: Path, *, overwrite: bool = False) -> XliffInput:
    """Parse `path`; `InvalidInput` for malformed XML, a non-XLIFF root, an unknown version,
    or a source language that is not French. With `overwrite`, segments whose target has
    content are listed to fill too."""
    tree = parse_file(path, strip_cdata=False)
    root = tree.getroot()
    if inline.local_name(root) != "xliff":
        raise InvalidInput("not an XLIFF file (root is not <xliff>)", file=str(path))
    version = version_of(root)
    if version is None:
        raise InvalidInput(
            f"unsupported XLIFF version {root.get('version', '')!r} (expected 1.0, 1.1, 1.2 "
            "or 2.x)",
            file=str(path),
            line=inline.line_of(root),
        )
    found = _load_1(path, tree) if version == 1 else _load_2(path, tree)
    every = found.segments
    found.existing = [s for s in every if s.existing]
    found.segments = [s for s in every if overwrite or not s.existing]
    return found


def version_of(root: etree._Element) -> int | None:
    """1 for XLIFF 1.0–1.2 (its `version`, or the namespace of a file without one), 2 for 2.x,
    None for anything else."""
    version = root.get("version", "")
    namespace = etree.QName(root).namespace or ""
    if version.startswith("2.") and namespace == XLIFF_2:
        return 2
    if namespace and not namespace.startswith(XLIFF_1):
        return None
    if version.startswith("1.") or (not version and namespace.startswith(XLIFF_1)):
        return 1
    return None


def _check_languages(path: Path, source: str, target: str, line: int | None) -> None:
    if not is_french(source) or (target and not is_english(target)):
        raise InvalidInput(
            f"expected French to English, found source language {source!r}, "
            f"target language {target!r}",
            file=str(path),
            line=line,
        )


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if inline.local_name(child) == name]


def locked(element: etree._Element) -> bool:
    """`translate="no"` on the element or, failing a value there, its nearest ancestor with
    one (group, file): XLIFF 1.2 and 2.x both inherit it."""
    holder: etree._Element | None = element
    while holder is not None:
        value = holder.get("translate")
        if value in ("yes", "no"):
            return value == "no"
        holder = holder.getparent()
    return False


def has_content(target: etree._Element | None) -> bool:
    """A target holds a translation when it has text or any inline element."""
    if target is None:
        return False
    text = etree.tostring(target, method="text", encoding="unicode", with_tail=False)
    return bool(text.strip()) or len(target) > 0


def _load_1(path: Path, tree: etree._ElementTree) -> XliffInput:
    found = XliffInput(path, tree, 1, "", "", [])
    for file in (e for e in tree.getroot() if inline.local_name(e) == "file"):
        languages = (file.get("source-language", ""), file.get("target-language", ""))
        _check_languages(path, *languages, inline.line_of(file))
        found.source_language, found.target_language = languages
        for unit in file.iter("{*}trans-unit", "trans-unit"):
            if _children(unit, "source"):
                _unit_1(unit, found)
    return found


def _unit_1(unit: etree._Element, found: XliffInput) -> None:
    """The segments of one trans-unit: its `seg-source` marks, else the unit itself."""
    target = next(iter(_children(unit, "target")), None)
    ident = unit.get("id", "")
    marks = marks_of(next(iter(_children(unit, "seg-source")), None))
    if marks:
        targets = {m.get("mid", ""): m for m in marks_of(target)}
        listed = [
            InputSegment(
                f"{ident}/{m.get('mid', '')}", unit, m, *inline.extract(m), mid=m.get("mid", "")
            )
            for m in marks
        ]
        for segment in listed:
            segment.target = targets.get(segment.mid)
    else:
        source = _children(unit, "source")[0]
        listed = [InputSegment(ident, unit, unit, *inline.extract(source), target=target)]
    _sort(listed, found, locked(unit) or unit.get(f"{{{MEMOQ}}}locked") == "locked")


def _sort(listed: list[InputSegment], found: XliffInput, is_locked: bool) -> None:
    for segment in listed:
        if not inline.plain(segment.text).strip():
            continue
        if is_locked:
            found.locked.append(segment)
            continue
        segment.existing = has_content(segment.target)
        found.segments.append(segment)


def marks_of(holder: etree._Element | None) -> list[etree._Element]:
    """The `mrk mtype="seg"` segments of a `seg-source` (or of a target), in order."""
    if holder is None:
        return []
    return [
        mark
        for mark in holder.iter()
        if inline.local_name(mark) == "mrk" and mark.get("mtype") == "seg" and mark.get("mid")
    ]


def _load_2(path: Path, tree: etree._ElementTree) -> XliffInput:
    root = tree.getroot()
    languages = (root.get("srcLang", ""), root.get("trgLang", ""))
    _check_languages(path, *languages, inline.line_of(root))
    found = XliffInput(path, tree, 2, *languages, [])
    for unit in root.iter(f"{{{XLIFF_2}}}unit"):
        listed = []
        for number, segment in enumerate(_children(unit, "segment"), start=1):
            source = _children(segment, "source")
            if not source:
                continue
            ident = f"{unit.get('id', '')}/{segment.get('id') or number}"
            target = next(iter(_children(segment, "target")), None)
            text, tags = inline.extract(source[0])
            listed.append(InputSegment(ident, unit, segment, text, tags, target=target))
        _sort(listed, found, locked(unit))
    return found
