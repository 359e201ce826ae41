"""TMX 1.4b: streaming read (any direction, FR side found by language code) and write."""

from __future__ import annotations

import errno
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lxml import etree

from tm.files import replacing
from tm.formats import codes
from tm.formats.skip import Skip
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


def read(path: Path, stream: Any, *, origin: str) -> Iterator[Unit | Skip]:
    """Units of a TMX file, French as source whatever the file's `srclang`: one per French
    variant and English variant of each `tu` (a `Skip` for a `tu` without both)."""
    for position, tu in enumerate(iterparse(path, stream, ("tu",)), start=1):
        where = f"{path.name}:{inline.line_of(tu) or position}"
        yield from _units(tu, path, position, origin, where)
        release(tu)


MAX_VARIANTS = 8
"""Variants read per language in one `tu` (a hostile file must not multiply pairs)."""


@dataclass(frozen=True)
class _Variant:
    """One `tuv`: language code, text and codes, and its own metadata."""

    code: str
    text: str
    tags: dict[str, Any]
    metadata: dict[str, Any]


def _units(
    tu: etree._Element, path: Path, position: int, origin: str, where: str
) -> Iterator[Unit | Skip]:
    variants = [v for v in map(_variant, tu) if v is not None]
    french = _merged([v for v in variants if is_french(v.code)])
    english = _merged([v for v in variants if is_english(v.code)])
    if not french or not english:
        yield Skip(where, "no French variant" if not french else "no English variant")
        return
    if len(french) > MAX_VARIANTS or len(english) > MAX_VARIANTS:
        yield Skip(where, f"more than {MAX_VARIANTS} variants of a language: the rest left out")
    shared = _metadata(tu)
    for fr in french[:MAX_VARIANTS]:
        for en in english[:MAX_VARIANTS]:
            if not inline.plain(fr.text).strip() or not inline.plain(en.text).strip():
                yield Skip(where, "empty segment")
                continue
            yield _unit(tu, fr, en, shared, path=path, position=position, origin=origin)


def _merged(variants: list[_Variant]) -> list[_Variant]:
    """Variants of one language with the same text as one (`en-US` and `en-GB` spelled alike
    make one pair), the notes and props of each kept."""
    merged: dict[str, _Variant] = {}
    for variant in variants:
        first = merged.get(variant.text)
        if first is None:
            merged[variant.text] = variant
            continue
        metadata = dict(first.metadata)
        for key in ("props", "notes"):
            if variant.metadata.get(key):
                metadata[key] = [*metadata.get(key, []), *variant.metadata[key]]
        merged[variant.text] = _Variant(first.code, first.text, first.tags, metadata)
    return list(merged.values())


def _variant(child: etree._Element) -> _Variant | None:
    if inline.local_name(child) != "tuv":
        return None
    seg = next((s for s in child if inline.local_name(s) == "seg"), None)
    if seg is None:
        return None
    text, tags = inline.extract(seg)
    code = child.get(XML_LANG) or child.get("lang") or ""
    metadata = _metadata(child)
    attributes = {k: v for k, v in child.attrib.items() if k not in (XML_LANG, "lang")}
    if attributes:
        metadata["attributes"] = attributes
    if code not in ("fr", "en"):
        metadata["lang"] = code
    return _Variant(code, text, tags, metadata)


def _metadata(element: etree._Element) -> dict[str, Any]:
    """`prop`s and `note`s of a `tu` or `tuv` (a third item keeps their attributes)."""
    props: list[list[Any]] = []
    notes: list[Any] = []
    for child in element:
        name = inline.local_name(child)
        if name not in ("prop", "note"):
            continue
        extra = {_attribute(str(k)): str(v) for k, v in child.attrib.items() if k != "type"}
        if name == "prop":
            props.append([child.get("type", ""), child.text or "", *([extra] if extra else [])])
        else:
            notes.append([child.text or "", extra] if extra else child.text or "")
    found: dict[str, Any] = {}
    if props:
        found["props"] = props
    if notes:
        found["notes"] = notes
    return found


def _attribute(name: str) -> str:
    return "xml:lang" if name == XML_LANG else name


def _unit(
    tu: etree._Element,
    fr: _Variant,
    en: _Variant,
    shared: dict[str, Any],
    *,
    path: Path,
    position: int,
    origin: str,
) -> Unit:
    own = {kind: value for kind, value, *_ in shared.get("props", []) if kind in OWN_PROPS}
    properties: dict[str, Any] = {}
    attributes = {k: v for k, v in tu.attrib.items() if k not in _COLUMN_ATTRIBUTES}
    if attributes:
        properties["attributes"] = attributes
    props = [p for p in shared.get("props", []) if p[0] not in OWN_PROPS]
    if props:
        properties["props"] = props
    if shared.get("notes"):
        properties["notes"] = shared["notes"]
    variants = {side: v.metadata for side, v in (("fr", fr), ("en", en)) if v.metadata}
    if variants:
        properties["variants"] = variants
    dated = _dated(tu, en, fr)
    quality = own.get("x-quality")
    return Unit(
        source=fr.text,
        target=en.text,
        source_tags=fr.tags,
        target_tags=en.tags,
        origin=own.get("x-origin") or origin,
        document=own.get("x-document") or path.name,
        position=int(own["x-position"]) if own.get("x-position", "").isdigit() else position,
        created=parse_date(dated.get("creationdate")),
        changed=parse_date(dated.get("changedate")),
        author=dated.get("changeid") or dated.get("creationid") or "",
        properties=properties,
        quality=float(quality) if quality else None,
        status=own.get("x-status") or "ok",
    )


def _dated(tu: etree._Element, *variants: _Variant) -> dict[str, str]:
    """Dates and authors of the pair: the `tu`'s, else those of the first variant with any
    (OmegaT and Trados write them on the `tuv` of the translation)."""
    for attributes in (tu.attrib, *(v.metadata.get("attributes", {}) for v in variants)):
        found = {k: str(v) for k, v in attributes.items() if k in _COLUMN_ATTRIBUTES}
        if found:
            return found
    return {}


_COLUMN_ATTRIBUTES = {"creationdate", "changedate", "changeid", "creationid"}


def write(units: Iterable[Unit], path: Path, *, tool_version: str = "0.1.0") -> int:
    """Write TMX 1.4b, streaming, whole or not at all (`tm.files.replacing`); returns the
    number of units written."""
    count = 0
    with (
        replacing(path) as temporary,
        _io_errors(),
        etree.xmlfile(str(temporary), encoding="UTF-8") as xf,
    ):
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
    return count


@contextmanager
def _io_errors() -> Iterator[None]:
    """lxml's serialiser reports a failed write as `SerialisationError('IO_ENOSPC')`: an
    `OSError` with its errno, so that a full disk is told as one (`tm.files.replacing`)."""
    try:
        yield
    except etree.SerialisationError as error:
        name = str(error).removeprefix("IO_")
        raise OSError(getattr(errno, name, errno.EIO), str(error)) from error


_TU_ATTRIBUTES = {
    "tuid", "o-encoding", "datatype", "usagecount", "lastusagedate", "creationtool",
    "creationtoolversion", "creationdate", "creationid", "changedate", "changeid", "o-tmf",
    "srclang", "segtype",
}  # fmt: skip
_TUV_ATTRIBUTES = _TU_ATTRIBUTES - {"tuid", "srclang", "segtype"}
_SEGTYPES = {"block", "paragraph", "sentence", "phrase"}
_EXTRA_ATTRIBUTES = {"o-encoding", "xml:lang"}


def _tu(unit: Unit) -> etree._Element:
    """A `tu` valid against the TMX 1.4 DTD: an attribute the DTD does not know is kept as an
    `x-attribute-NAME` prop; codes of any format become TMX inline elements."""
    given = dict(unit.properties.get("attributes", {}))
    attributes, moved = _allowed(given, _TU_ATTRIBUTES)
    attributes["creationdate"] = format_date(unit.created)
    attributes["changedate"] = format_date(unit.changed or unit.created)
    if unit.author:
        attributes["creationid"] = unit.author
        attributes["changeid"] = unit.author
    tu = etree.Element("tu", attrib=attributes)
    own = [
        ["x-origin", unit.origin],
        ["x-document", unit.document],
        ["x-position", "" if unit.position is None else str(unit.position)],
        ["x-quality", "" if unit.quality is None else repr(unit.quality)],
        ["x-status", "" if unit.status == "ok" else unit.status],
    ]
    _write_metadata(tu, unit.properties, [*own, *moved])
    for side, text, tags in (
        ("fr", unit.source, unit.source_tags),
        ("en", unit.target, unit.target_tags),
    ):
        variant = unit.properties.get("variants", {}).get(side, {})
        kept, moved = _allowed(dict(variant.get("attributes", {})), _TUV_ATTRIBUTES)
        tuv = etree.SubElement(tu, "tuv", attrib={XML_LANG: variant.get("lang") or side, **kept})
        _write_metadata(tuv, variant, moved)
        inline.fill(etree.SubElement(tuv, "seg"), text, codes.to_tmx(tags))
    return tu


def _allowed(given: dict[str, str], known: set[str]) -> tuple[dict[str, str], list[list[str]]]:
    """The attributes the DTD allows, and the others as `x-attribute-NAME` props."""
    kept = {k: v for k, v in given.items() if k in known}
    if kept.get("segtype") not in _SEGTYPES:
        kept.pop("segtype", None)
    moved = [[f"x-attribute-{k}", v] for k, v in given.items() if k not in kept]
    return kept, moved


def _write_metadata(
    element: etree._Element, metadata: dict[str, Any], own: list[list[str]]
) -> None:
    for note in metadata.get("notes", []):
        text, extra = (note[0], note[1]) if isinstance(note, list) else (note, {})
        etree.SubElement(element, "note", attrib=_extra(extra)).text = text
    for kind, value, *extra in [*own, *metadata.get("props", [])]:
        if value:
            prop = etree.SubElement(element, "prop", attrib={"type": kind, **_extra(*extra)})
            prop.text = value


def _extra(extra: dict[str, str] | None = None) -> dict[str, str]:
    """A note's or prop's own attributes, as far as the DTD allows them."""
    return {
        XML_LANG if k == "xml:lang" else k: v
        for k, v in (extra or {}).items()
        if k in _EXTRA_ATTRIBUTES
    }
