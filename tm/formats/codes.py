"""Inline codes across formats: a draft target gets the new source's codes, a TMX file only
TMX's own inline elements.

Text keeps each inline code as a placeholder (`<t1>…</t1>`, `<t2/>`, see `tm.text.inline`)
beside the markup it stands for. Two rules live here:

- `carry`: a suggestion taken from the TM is written into a draft with exactly the codes of the
  segment being translated: the TM target's placeholders that the new source has are kept where
  the TM put them (once, well nested), the others dropped, and the source's codes the TM target
  lacks added at its end, so no code of the source is lost (XLIFF 2 `canDelete="no"`) and no
  placeholder is ever written as text.
- `to_tmx`: the markup of any format (XLIFF 1.2 `g x bx ex ph it mrk`, XLIFF 2 `pc ph sc ec sm
  em mrk`, a vendor's element) becomes TMX 1.4 `bpt ept ph it hi` with the `i`/`x` attributes
  the DTD asks for; the original element is kept as the code's text (its native code).
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from tm.formats.xml import fragment
from tm.text.inline import PLACEHOLDER

_TMX_ATTRIBUTES = {
    "bpt": ({"i"}, {"i", "x", "type"}),
    "ept": ({"i"}, {"i"}),
    "ph": (set(), {"x", "assoc", "type"}),
    "it": ({"pos"}, {"pos", "x", "type"}),
    "hi": (set(), {"x", "type"}),
    "ut": (set(), {"x"}),
    "sub": (set(), {"datatype", "type"}),
}
# (both tried only where a run of spaces starts: from each of its spaces, quadratic)
_DECLARATION = re.compile(r"(?<!\s)\s+xmlns(?::[\w.-]+)?=(\"[^\"]*\"|'[^']*')")
_EMPTY_END = re.compile(r"(?<!\s)\s*/>$")


def _paired(tag: dict[str, Any]) -> bool:
    return tag["kind"] == "wrap" or (tag["kind"] == "start" and "end" in tag)


def carry(text: str, tags: dict[str, Any]) -> str:
    """`text` with exactly the codes of `tags` (see the module docstring)."""
    out: list[str] = []
    seen: set[str] = set()
    opened: list[str] = []
    position = 0
    for match in PLACEHOLDER.finditer(text):
        out.append(text[position : match.start()])
        position = match.end()
        closing, number, empty = match.group(1), match.group(2), match.group(3)
        tag = tags.get(number)
        if tag is None:
            continue
        if closing:
            if opened and opened[-1] == number:
                out.append(match.group(0))
                opened.pop()
            continue
        if number in seen or bool(empty) != (tag["kind"] == "point"):
            continue
        seen.add(number)
        out.append(match.group(0))
        if _paired(tag):
            opened.append(number)
    out.append(text[position:])
    out += [f"</t{number}>" for number in reversed(opened)]
    for number in sorted(tags, key=lambda n: int(n) if n.isdigit() else 0):
        tag = tags[number]
        if number in seen:
            continue
        if tag["kind"] == "point":
            out.append(f"<t{number}/>")
        else:
            out.append(f"<t{number}></t{number}>" if _paired(tag) else f"<t{number}>")
    return "".join(out)


def _name(element: etree._Element) -> str:
    return element.tag if isinstance(element.tag, str) and element.tag[0] != "{" else ""


def _valid(element: etree._Element) -> bool:
    """A TMX inline element as the DTD wants it (attributes, and only `sub` inside a code)."""
    name = _name(element)
    if name not in _TMX_ATTRIBUTES:
        return False
    required, allowed = _TMX_ATTRIBUTES[name]
    attributes = {str(key) for key in element.attrib}
    if not required <= attributes or not attributes <= allowed:
        return False
    inside = {"sub"} if name in ("bpt", "ept", "ph", "it", "ut") else set(_TMX_ATTRIBUTES) - {"sub"}
    return all(_name(child) in inside and _valid(child) for child in element)


def _native(xml: str) -> str:
    """The original markup shown as the code's text, without namespace declarations."""
    return _DECLARATION.sub("", xml)


def _element(name: str, text: str, **attributes: str) -> str:
    element = etree.Element(name, attrib=attributes)
    element.text = text
    return etree.tostring(element, encoding="unicode")


def to_tmx(tags: dict[str, Any]) -> dict[str, Any]:
    """The same placeholders with TMX 1.4 markup (valid against its DTD)."""
    taken = {
        str(fragment(tag["xml"]).get("i"))
        for tag in tags.values()
        if tag["kind"] == "start" and "end" in tag and _keep(tag)
    }
    fresh = (str(i) for i in range(1, 10**6) if str(i) not in taken)
    converted: dict[str, Any] = {}
    for number, tag in tags.items():
        if _keep(tag):
            converted[number] = tag
            continue
        start = fragment(tag["xml"])
        native = _native(tag["xml"])
        if tag["kind"] == "wrap":
            opening = _EMPTY_END.sub(">", native)
            closing = f"</{native[1:].split()[0].rstrip('/>')}>"
            i = next(fresh)
            converted[number] = {
                "kind": "start",
                "xml": _element("bpt", opening, i=i, x=number),
                "end": _element("ept", closing, i=i),
            }
        elif _paired(tag):
            i = next(fresh)
            converted[number] = {
                "kind": "start",
                "xml": _element("bpt", native, i=i, x=number),
                "end": _element("ept", _native(tag["end"]), i=i),
            }
        elif _name(start) == "ut" and _valid(start):
            start.tag = "ph"
            converted[number] = {"kind": "point", "xml": etree.tostring(start, encoding="unicode")}
        elif tag["kind"] == "start" or etree.QName(start).localname in ("ept", "ex", "ec", "it"):
            local = etree.QName(start).localname
            ending = local in ("ept", "ex", "ec") or start.get("pos") in ("close", "end")
            converted[number] = {
                "kind": "point",
                "xml": _element("it", native, pos="end" if ending else "begin", x=number),
            }
        else:
            converted[number] = {"kind": "point", "xml": _element("ph", native, x=number)}
    return converted


def _keep(tag: dict[str, Any]) -> bool:
    """Already TMX: a valid `bpt`/`ept` pair, `ph`, `it` or `hi` (a `ut` becomes a `ph`)."""
    element = fragment(tag["xml"])
    name = _name(element)
    if tag["kind"] == "wrap":
        return name == "hi" and _valid(element)
    if _paired(tag):
        end = fragment(tag["end"])
        return (
            name == "bpt" and _name(end) == "ept" and _valid(element) and _valid(end)
            and element.get("i") == end.get("i")
        )  # fmt: skip
    return tag["kind"] == "point" and name in ("ph", "it") and _valid(element)
