"""An XML file edited in place: what tm adds goes in, every other byte stays as it was read.

A translator's file comes back with its own encoding (and byte-order mark), line endings,
indentation, attribute quotes, character references, CDATA sections, comments and vendor
elements untouched. The file is parsed by the safe parser (`tm.formats.xml`) into an lxml tree
that says *what* to change; this module finds *where* each element lies in the text (a scan of
its tags in document order, matched to the tree's elements) and splices the changes in: an
attribute set on a start tag, an element inserted before or after another, appended to one, or
put in the place of one.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from tm.errors import InvalidInput

# One markup token: comment, CDATA section, processing instruction or XML declaration,
# DOCTYPE (without internal subset: the safe parser refuses those), end tag, start tag.
_TOKEN = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<!DOCTYPE[^>]*>|</[^>]*>"
    r"|<(?:[^>\"']|\"[^\"]*\"|'[^']*')*>",
    re.DOTALL,
)
_DECLARED = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass(frozen=True)
class Span:
    """Where an element lies: its start tag `[start, opened)`, its end tag `[closing, end)`;
    an empty-element tag (`<x/>`) has `opened == closing == end`."""

    start: int
    opened: int
    closing: int
    end: int

    @property
    def empty(self) -> bool:
        return self.opened == self.end and self.closing == self.end


@dataclass
class _Tag:
    """The changes to one start tag: attributes set, content for an empty element."""

    attributes: dict[str, str] = field(default_factory=dict)
    content: list[str] = field(default_factory=list)


def decode(raw: bytes) -> tuple[str, str, bytes]:
    """(text, codec, byte-order mark) of an XML file's bytes."""
    bom, encoding = b"", "utf-8"
    for mark, name in _BOMS:
        if raw.startswith(mark):
            bom, encoding = mark, name
            break
    else:
        if raw.startswith(b"<\x00"):
            encoding = "utf-16-le"
        elif raw.startswith(b"\x00<"):
            encoding = "utf-16-be"
        else:
            declared = _DECLARED.match(raw)
            if declared:
                encoding = declared.group(1).decode("ascii").lower()
    try:
        codecs.lookup(encoding)
        return raw[len(bom) :].decode(encoding), encoding, bom
    except (LookupError, UnicodeDecodeError) as error:
        raise InvalidInput(f"cannot decode the file as {encoding}: {error}") from error


class Splice:
    """The text of one XML file and the edits to make to it.

    >>> splice = Splice(path, tree)          # the tree parsed from the same file
    >>> splice.insert_after(source, '<target state="translated">…</target>')
    >>> splice.set(unit, "approved", "yes")
    >>> path.write_bytes(splice.result())
    """

    def __init__(self, path: Path, tree: etree._ElementTree) -> None:
        self.path = path
        self.text, self.encoding, self.bom = decode(path.read_bytes())
        self.spans = _spans(self.text, tree, path)
        self.edits: list[tuple[int, int, int, str]] = []  # (start, end, order, text)
        self.tags: dict[Any, _Tag] = {}

    def span(self, element: etree._Element) -> Span:
        return self.spans[element]

    def raw(self, element: etree._Element) -> str:
        """The element exactly as the file writes it."""
        span = self.spans[element]
        return self.text[span.start : span.end]

    def _edit(self, start: int, end: int, text: str) -> None:
        self.edits.append((start, end, len(self.edits), text))

    def set(self, element: etree._Element, name: str, value: str) -> None:
        """Set an attribute on the element's start tag (added, or its value replaced)."""
        self.tags.setdefault(element, _Tag()).attributes[name] = value

    def insert_before(self, element: etree._Element, xml: str) -> None:
        self._edit(self.spans[element].start, self.spans[element].start, xml)

    def insert_after(self, element: etree._Element, xml: str) -> None:
        self._edit(self.spans[element].end, self.spans[element].end, xml)

    def prepend(self, element: etree._Element, xml: str) -> None:
        """Insert as the element's first content."""
        span = self.spans[element]
        if span.empty:
            self.tags.setdefault(element, _Tag()).content.insert(0, xml)
        else:
            self._edit(span.opened, span.opened, xml)

    def append(self, element: etree._Element, xml: str) -> None:
        """Insert as the element's last content."""
        span = self.spans[element]
        if span.empty:
            self.tags.setdefault(element, _Tag()).content.append(xml)
        else:
            self._edit(span.closing, span.closing, xml)

    def replace(self, element: etree._Element, xml: str) -> None:
        """Put `xml` in the place of the whole element."""
        span = self.spans[element]
        self._edit(span.start, span.end, xml)

    def result(self) -> bytes:
        """The edited file in its own encoding, with its byte-order mark."""
        edits = list(self.edits)
        for element, tag in self.tags.items():
            span = self.spans[element]
            text = _start_tag(self.text[span.start : span.opened], tag.attributes)
            if tag.content:
                text = re.sub(r"\s*/>$", ">", text) + "".join(tag.content)
                text += f"</{_qualified(self.text, span)}>"
            edits.append((span.start, span.opened, -1, text))
        edits.sort(key=lambda edit: (edit[0], edit[1] > edit[0], edit[2]))
        parts: list[str] = []
        position = 0
        for start, end, _order, text in edits:
            if start < position:
                raise InvalidInput("overlapping edits", file=str(self.path))
            parts.append(self.text[position:start])
            parts.append(text)
            position = end
        parts.append(self.text[position:])
        return self.bom + "".join(parts).encode(self.encoding, errors="xmlcharrefreplace")


def _qualified(text: str, span: Span) -> str:
    match = re.match(r"<([^\s/>]+)", text[span.start : span.opened])
    return match.group(1) if match else ""


def _start_tag(tag: str, attributes: dict[str, str]) -> str:
    for name, value in attributes.items():
        quoted = '"' + _escape(value) + '"'
        pattern = re.compile(rf"(\s{re.escape(name)}\s*=\s*)(\"[^\"]*\"|'[^']*')")
        found = pattern.search(tag)
        if found:
            tag = tag[: found.start(2)] + quoted + tag[found.end(2) :]
        else:
            closing = "/>" if tag.endswith("/>") else ">"
            body = tag[: -len(closing)].rstrip()
            tag = f"{body} {name}={quoted}{closing}"
    return tag


def _escape(value: str) -> str:
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;").replace(">", "&gt;")
    )


def _spans(text: str, tree: etree._ElementTree, path: Path) -> dict[Any, Span]:
    """Each element of the tree with its place in the text: the n-th start tag of the text is
    the n-th element of the tree in document order."""
    elements = [e for e in tree.getroot().iter() if isinstance(e.tag, str)]
    starts: list[tuple[int, int, bool]] = []
    closes: dict[int, tuple[int, int]] = {}
    stack: list[int] = []
    root_seen = False
    for token in _TOKEN.finditer(text):
        value = token.group()
        if value.startswith(("<!", "<?")):
            continue
        if value.startswith("</"):
            if not stack:
                break
            closes[stack.pop()] = (token.start(), token.end())
            continue
        root_seen = True
        empty = value.endswith("/>")
        starts.append((token.start(), token.end(), empty))
        if not empty:
            stack.append(len(starts) - 1)
    if not root_seen or len(starts) != len(elements):
        raise InvalidInput(
            f"cannot locate the file's elements ({len(starts)} tags for {len(elements)} "
            "elements); the file is not edited",
            file=str(path),
        )
    spans: dict[Any, Span] = {}
    for number, (element, (start, opened, empty)) in enumerate(zip(elements, starts, strict=True)):
        if empty:
            spans[element] = Span(start, opened, opened, opened)
        else:
            closing, end = closes[number]
            spans[element] = Span(start, opened, closing, end)
    return spans


def scope(element: etree._Element, **more: str) -> Any:
    """The namespaces in scope at `element` (plus `more`), to build new elements with."""
    return {**element.nsmap, **more}


def fragment(element: etree._Element, parent: etree._Element) -> str:
    """`element` (built apart from the file) as text to insert under `parent`: namespace
    declarations the file already has in scope there are left out."""
    etree.cleanup_namespaces(element)
    text = etree.tostring(element, encoding="unicode", with_tail=False)
    scope = parent.nsmap
    head_end = text.index(">")
    head, rest = text[:head_end], text[head_end:]
    for prefix, uri in scope.items():
        name = "xmlns" if prefix is None else f"xmlns:{prefix}"
        for quote in ('"', "'"):
            head = head.replace(f" {name}={quote}{uri}{quote}", "")
    return head + rest
