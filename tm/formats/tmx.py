"""TMX 1.4b: streaming read (any direction, FR side found by language code) and write."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lxml import etree

from tm.errors import InvalidInput
from tm.formats.xml import iterparse, release
from tm.segment import Unit
from tm.text import inline
from tm.text.language import is_english, is_french

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# Our own props: they map to columns, everything else is kept in `properties`.
OWN_PROPS = {"x-origin", "x-document", "x-position", "x-quality", "x-status"}
_TMX_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$")


def parse_date(value: str | None) -> str | None:
    """TMX `YYYYMMDDThhmmssZ` → ISO 8601 `YYYY-MM-DDThh:mm:ssZ`; other forms kept as given."""
    if not value:
        return None
    match = _TMX_DATE.match(value.strip())
    if not match:
        return value.strip()
    y, mo, d, h, mi, s = match.groups()
    return f"{y}-{mo}-{d}T{h}:{mi}:{s}Z"


def format_date(value: str | None) -> str:
    """ISO 8601 → TMX date; a missing date becomes now."""
    if not value:
        return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    digits = re.sub(r"[^0-9]", "", value)[:14]
    return f"{digits[:8]}T{digits[8:14].ljust(6, '0')}Z" if len(digits) >= 8 else value


def read(path: Path, stream: Any, *, origin: str, skipped: list[tuple[str, str]]) -> Iterator[Unit]:
    """Units of a TMX file, French as source whatever the file's `srclang`."""
    for position, tu in enumerate(iterparse(path, stream, ("tu",)), start=1):
        unit = _unit(tu, path, position, origin)
        if isinstance(unit, str):
            skipped.append((f"{path.name}:{inline.line_of(tu) or position}", unit))
        else:
            yield unit
        release(tu)


def _unit(tu: etree._Element, path: Path, position: int, origin: str) -> Unit | str:  # noqa: C901 (tests/test_house.py lists it as work left)
    french: tuple[str, dict[str, Any]] | None = None
    english: tuple[str, dict[str, Any]] | None = None
    props: list[list[str]] = []
    notes: list[str] = []
    own: dict[str, str] = {}
    for child in tu:
        name = child.tag
        if not isinstance(name, str):
            continue
        if name[0] == "{":
            name = name.rpartition("}")[2]
        if name == "prop":
            kind = child.get("type", "")
            if kind in OWN_PROPS:
                own[kind] = child.text or ""
            else:
                props.append([kind, child.text or ""])
        elif name == "note":
            notes.append(child.text or "")
        elif name == "tuv":
            code = child.get(XML_LANG) or child.get("lang") or ""
            if french is not None and english is not None:
                continue
            seg = child[-1] if len(child) else None
            if seg is None or seg.tag != "seg":
                seg = next((s for s in child if inline.local_name(s) == "seg"), None)
            if seg is None:
                continue
            if is_french(code) and french is None:
                french = inline.extract(seg)
            elif is_english(code) and english is None:
                english = inline.extract(seg)
    if french is None:
        return "no French variant"
    if english is None:
        return "no English variant"
    if not french[0].strip() or not english[0].strip():
        return "empty segment"
    properties: dict[str, Any] = {}
    attributes = {k: v for k, v in tu.attrib.items() if k not in _COLUMN_ATTRIBUTES}
    if attributes:
        properties["attributes"] = attributes
    if props:
        properties["props"] = props
    if notes:
        properties["notes"] = notes
    quality = own.get("x-quality")
    return Unit(
        source=french[0],
        target=english[0],
        source_tags=french[1],
        target_tags=english[1],
        origin=own.get("x-origin") or origin,
        document=own.get("x-document") or path.name,
        position=int(own["x-position"]) if own.get("x-position", "").isdigit() else position,
        created=parse_date(tu.get("creationdate")),
        changed=parse_date(tu.get("changedate")),
        author=tu.get("changeid") or tu.get("creationid") or "",
        properties=properties,
        quality=float(quality) if quality else None,
        status=own.get("x-status") or "ok",
    )


_COLUMN_ATTRIBUTES = {"creationdate", "changedate", "changeid", "creationid"}


def write(units: Iterable[Unit], path: Path, *, tool_version: str = "0.1.0") -> int:
    """Write TMX 1.4b, streaming; returns the number of units written."""
    count = 0
    try:
        with etree.xmlfile(str(path), encoding="UTF-8") as xf:
            xf.write_declaration()
            xf.write(etree.Comment(" TMX 1.4b written by tm "))
            with xf.element("tmx", version="1.4"):
                header = etree.Element(
                    "header",
                    attrib={
                        "creationtool": "tm",
                        "creationtoolversion": tool_version,
                        "segtype": "sentence",
                        "o-tmf": "tm",
                        "adminlang": "en",
                        "srclang": "fr",
                        "datatype": "plaintext",
                    },
                )
                xf.write(header)
                with xf.element("body"):
                    for unit in units:
                        xf.write(_tu(unit))
                        xf.write("\n")
                        count += 1
    except OSError as error:
        raise InvalidInput(f"cannot write: {error.strerror}", file=str(path)) from error
    return count


def _tu(unit: Unit) -> etree._Element:
    attributes = dict(unit.properties.get("attributes", {}))
    attributes["creationdate"] = format_date(unit.created)
    attributes["changedate"] = format_date(unit.changed or unit.created)
    if unit.author:
        attributes["creationid"] = unit.author
        attributes["changeid"] = unit.author
    tu = etree.Element("tu", attrib=attributes)
    for note in unit.properties.get("notes", []):
        etree.SubElement(tu, "note").text = note
    own = {
        "x-origin": unit.origin,
        "x-document": unit.document,
        "x-position": "" if unit.position is None else str(unit.position),
        "x-quality": "" if unit.quality is None else repr(unit.quality),
        "x-status": "" if unit.status == "ok" else unit.status,
    }
    for kind, value in [*own.items(), *unit.properties.get("props", [])]:
        if value:
            etree.SubElement(tu, "prop", type=kind).text = value
    for code, text, tags in (
        ("fr", unit.source, unit.source_tags),
        ("en", unit.target, unit.target_tags),
    ):
        tuv = etree.SubElement(tu, "tuv", attrib={XML_LANG: code})
        inline.fill(etree.SubElement(tuv, "seg"), text, tags)
    return tu
