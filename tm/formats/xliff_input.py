"""An XLIFF 1.2/2.x file exported untranslated by a CAT tool, kept whole to be filled in place.

`load` parses the file safely (no DTD, no entities, no network) and lists the segments to
pretranslate, in document order, each with its element so the writers can fill it without
touching ids, notes or inline tags. Units already translated are left out (and left alone).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from tm.errors import InvalidInput
from tm.formats.xml import check_prolog
from tm.text import inline
from tm.text.language import is_english, is_french

XLIFF_12 = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF_2 = "urn:oasis:names:tc:xliff:document:2.0"
_UNTRANSLATED = {"", "new", "needs-translation", "initial"}


@dataclass
class InputSegment:
    """A segment to fill: `unit` is the `trans-unit` (1.2) or `unit` (2.x), `holder` the
    element holding `source`/`target` (the `trans-unit` itself in 1.2, a `segment` in 2.x)."""

    id: str
    unit: etree._Element
    holder: etree._Element
    text: str
    tags: dict[str, Any] = field(default_factory=dict)
    mid: str = ""
    """The `mrk/@mid` of a segment of a 1.2 unit segmented in `seg-source` (Trados, memoQ)."""


@dataclass
class XliffInput:
    """A parsed XLIFF file: its tree, major version (1 or 2), languages and segments to fill."""

    path: Path
    tree: etree._ElementTree
    version: int
    source_language: str
    target_language: str
    segments: list[InputSegment]


def load(path: Path) -> XliffInput:
    """Parse `path`; `InvalidInput` for malformed XML, a non-XLIFF root, an unknown version,
    or a source language that is not French."""
    check_prolog(path)
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        tree = etree.parse(str(path), parser)
    except etree.XMLSyntaxError as error:
        line, column = error.position
        raise InvalidInput(
            f"malformed XML: {error.msg}", file=str(path), line=line, column=column
        ) from error
    root = tree.getroot()
    if inline.local_name(root) != "xliff":
        raise InvalidInput("not an XLIFF file (root is not <xliff>)", file=str(path))
    version = root.get("version", "")
    if version.startswith("1.") and etree.QName(root).namespace in (XLIFF_12, None):
        return _load_12(path, tree)
    if version.startswith("2.") and etree.QName(root).namespace == XLIFF_2:
        return _load_2(path, tree)
    raise InvalidInput(
        f"unsupported XLIFF version {version!r} (expected 1.2 or 2.x)",
        file=str(path),
        line=inline.line_of(root),
    )


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


def _load_12(path: Path, tree: etree._ElementTree) -> XliffInput:
    segments: list[InputSegment] = []
    languages = ("", "")
    for file in (e for e in tree.getroot() if inline.local_name(e) == "file"):
        languages = (file.get("source-language", ""), file.get("target-language", ""))
        _check_languages(path, *languages, inline.line_of(file))
        for unit in file.iter("{*}trans-unit", "trans-unit"):
            if unit.get("translate") == "no":
                continue
            source = _children(unit, "source")
            if not source:
                continue
            target = _children(unit, "target")
            if target and _translated(target[0], target[0].get("state", "")):
                continue
            marks = _marks(unit)
            if marks:
                for mark in marks:
                    text, tags = inline.extract(mark)
                    if inline.plain(text).strip():
                        mid = mark.get("mid", "")
                        ident = f"{unit.get('id', '')}/{mid}"
                        segments.append(InputSegment(ident, unit, mark, text, tags, mid=mid))
                continue
            text, tags = inline.extract(source[0])
            if inline.plain(text).strip():
                segments.append(InputSegment(unit.get("id", ""), unit, unit, text, tags))
    return XliffInput(path, tree, 1, *languages, segments)


def _marks(unit: etree._Element) -> list[etree._Element]:
    """The `mrk mtype="seg"` segments of a unit's `seg-source`, if it has one."""
    holders = _children(unit, "seg-source")
    if not holders:
        return []
    return [
        mark
        for mark in holders[0].iter()
        if inline.local_name(mark) == "mrk" and mark.get("mtype") == "seg" and mark.get("mid")
    ]


def _load_2(path: Path, tree: etree._ElementTree) -> XliffInput:
    root = tree.getroot()
    languages = (root.get("srcLang", ""), root.get("trgLang", ""))
    _check_languages(path, *languages, inline.line_of(root))
    segments: list[InputSegment] = []
    for unit in root.iter(f"{{{XLIFF_2}}}unit"):
        if unit.get("translate") == "no":
            continue
        for number, segment in enumerate(_children(unit, "segment"), start=1):
            source = _children(segment, "source")
            target = _children(segment, "target")
            if not source or (target and _translated(target[0], segment.get("state", ""))):
                continue
            text, tags = inline.extract(source[0])
            if inline.plain(text).strip():
                ident = f"{unit.get('id', '')}/{segment.get('id') or number}"
                segments.append(InputSegment(ident, unit, segment, text, tags))
    return XliffInput(path, tree, 2, *languages, segments)


def _translated(target: etree._Element, state: str) -> bool:
    has_text = bool(etree.tostring(target, method="text", encoding="unicode").strip())
    has_text = has_text or len(target) > 0
    return has_text and state not in _UNTRANSLATED
