"""Inline markup (TMX `bpt ept ph it hi`, XLIFF `g x bx ex ph…`) as placeholders in text.

A segment's text keeps each inline element as a short placeholder: `<tN>` / `</tN>` for a
paired opening/closing code (or the start/end of `hi`), `<tN/>` for a standalone code. The
original markup is kept beside the text as `{"N": {"kind": ..., "xml": ...}}` so that export
writes back exactly what was read. Placeholders are tokens for matching, never text.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lxml import etree

# lxml and the XML parser (`tm.formats.xml`) are imported by the functions that handle
# elements: a lookup only needs `PLACEHOLDER` and `plain`, and starts without them.

PLACEHOLDER = re.compile(r"<(/?)t(\d+)(/?)>")

_PAIRED_START = {"bpt", "bx", "sc"}
_PAIRED_END = {"ept", "ex", "ec"}
_WRAPPERS = {"hi", "g", "mrk", "pc", "sub"}


def line_of(element: etree._Element) -> int | None:
    """The element's line in its file, when lxml knows it."""
    line = element.sourceline
    return line if isinstance(line, int) else None


def local_name(element: etree._Element) -> str:
    """The tag without its namespace."""
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def extract(segment: etree._Element) -> tuple[str, dict[str, Any]]:
    """Text of a `seg`/`source`/`target` element with inline elements as placeholders."""
    from lxml import etree

    if not len(segment):
        return segment.text or "", {}
    tags: dict[str, Any] = {}
    parts: list[str] = [segment.text or ""]
    counter = 0
    pairs: dict[str, int] = {}

    def walk(parent: etree._Element) -> None:
        nonlocal counter
        for child in parent:
            name = local_name(child)
            if not name:  # comment or processing instruction: dropped, tail kept
                parts.append(child.tail or "")
                continue
            if name in _WRAPPERS:
                counter += 1
                number = counter
                shell = etree.Element(
                    child.tag, attrib={str(k): str(v) for k, v in child.attrib.items()}
                )
                tags[str(number)] = {"kind": "wrap", "xml": _xml(shell)}
                parts.append(f"<t{number}>")
                parts.append(child.text or "")
                walk(child)
                parts.append(f"</t{number}>")
            else:
                key = (
                    child.get("i")
                    or child.get("rid")
                    or child.get("startRef")
                    or child.get("id")
                    or ""
                )
                if name in _PAIRED_START:
                    counter += 1
                    pairs[key] = counter
                    tags[str(counter)] = {"kind": "start", "xml": _xml(child)}
                    parts.append(f"<t{counter}>")
                elif name in _PAIRED_END and key in pairs:
                    number = pairs.pop(key)
                    tags[str(number)]["end"] = _xml(child)
                    parts.append(f"</t{number}>")
                else:
                    counter += 1
                    tags[str(counter)] = {"kind": "point", "xml": _xml(child)}
                    parts.append(f"<t{counter}/>")
            parts.append(child.tail or "")

    walk(segment)
    return "".join(parts), tags


def _xml(element: etree._Element) -> str:
    from lxml import etree

    from tm.formats.xml import fragment

    copy = fragment(etree.tostring(element, with_tail=False))
    copy.tail = None
    return etree.tostring(copy, encoding="unicode")


def plain(text: str) -> str:
    """The text with placeholders removed (for tools that want words only)."""
    return PLACEHOLDER.sub("", text)


def fill(segment: etree._Element, text: str, tags: dict[str, Any]) -> None:
    """Write `text` into the empty element `segment`, turning placeholders back into markup.

    A placeholder with no recorded markup is written as literal text, so nothing is lost.
    """
    from tm.formats.xml import fragment

    stack: list[etree._Element] = [segment]
    position = 0
    last: etree._Element | None = None

    def add_text(value: str) -> None:
        if not value:
            return
        parent = stack[-1]
        target = last if last is not None and last.getparent() is parent else None
        if target is not None:
            target.tail = (target.tail or "") + value
        else:
            parent.text = (parent.text or "") + value

    for match in PLACEHOLDER.finditer(text):
        add_text(text[position : match.start()])
        position = match.end()
        closing, number, empty = match.group(1), match.group(2), match.group(3)
        tag = tags.get(number)
        if tag is None:
            add_text(match.group(0))
            continue
        if tag["kind"] == "wrap" and not closing:
            shell = fragment(tag["xml"])
            stack[-1].append(shell)
            stack.append(shell)
            last = None
            continue
        if tag["kind"] == "wrap" and closing:
            if len(stack) > 1:
                last = stack.pop()
            continue
        xml = tag.get("end", "") if closing else tag["xml"]
        if not xml or (empty and tag["kind"] != "point"):
            add_text(match.group(0))
            continue
        element = fragment(xml)
        element.tail = None
        stack[-1].append(element)
        last = element
    add_text(text[position:])
