"""XLIFF 1.2 and 2.x: the translated units of a bilingual file, French as source."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from tm.errors import InvalidInput
from tm.formats.xml import iterparse, release
from tm.segment import Unit
from tm.text import inline
from tm.text.language import is_english, is_french

# Targets not confirmed by a translator: a pretranslated fuzzy draft is not a translation yet.
_UNTRANSLATED = {
    "new",
    "needs-translation",
    "initial",
    "needs-review-translation",
    "needs-adaptation",
    "needs-l10n",
}


def read(path: Path, stream: Any, *, origin: str, skipped: list[tuple[str, str]]) -> Iterator[Unit]:
    """Units with a non-empty target; direction from `source-language`/`srcLang`."""
    direction: bool | None = None  # True: source is French; False: reversed
    position = 0
    version_seen = False
    for element in iterparse(path, stream, ("file", "trans-unit", "unit", "xliff")):
        name = inline.local_name(element)
        if name in ("xliff", "file"):
            continue
        if not version_seen:
            root = element.getroottree().getroot()
            _check_version(root, path)
            version_seen = True
        if direction is None:
            direction = _direction(element, path)
        for source, target, state in _pairs(element):
            position += 1
            where = f"{path.name}:{inline.line_of(element) or position}"
            if target is None or not inline.plain(target[0]).strip():
                skipped.append((where, "untranslated unit"))
                continue
            if state in _UNTRANSLATED:
                skipped.append((where, f"state {state}"))
                continue
            if not inline.plain(source[0]).strip():
                skipped.append((where, "empty source"))
                continue
            french, english = (source, target) if direction else (target, source)
            yield Unit(
                source=french[0],
                target=english[0],
                source_tags=french[1],
                target_tags=english[1],
                origin=origin,
                document=_document(element) or path.name,
                position=position,
                properties={"id": element.get("id", "")} if element.get("id") else {},
            )
        release(element)


def _check_version(root: etree._Element, path: Path) -> None:
    if inline.local_name(root) != "xliff":
        raise InvalidInput("not an XLIFF file (root is not <xliff>)", file=str(path))
    version = root.get("version", "")
    if not (version.startswith("1.") or version.startswith("2.")):
        raise InvalidInput(
            f"unsupported XLIFF version {version!r}", file=str(path), line=inline.line_of(root)
        )


def _direction(unit: etree._Element, path: Path) -> bool:
    holder: etree._Element | None = unit
    while holder is not None and inline.local_name(holder) not in ("file", "xliff"):
        holder = holder.getparent()
    codes: dict[str, str] = {}
    while holder is not None:
        codes.setdefault("source", holder.get("source-language") or holder.get("srcLang") or "")
        codes.setdefault("target", holder.get("target-language") or holder.get("trgLang") or "")
        if codes["source"] and codes["target"]:
            break
        codes = {k: v for k, v in codes.items() if v}
        holder = holder.getparent()
    source, target = codes.get("source", ""), codes.get("target", "")
    if is_french(source) and (not target or is_english(target)):
        return True
    if is_english(source) and is_french(target):
        return False
    raise InvalidInput(
        f"no French side: source language {source!r}, target language {target!r}",
        file=str(path),
        line=inline.line_of(unit),
    )


def _pairs(
    unit: etree._Element,
) -> Iterator[tuple[tuple[str, dict[str, Any]], tuple[str, dict[str, Any]] | None, str]]:
    name = inline.local_name(unit)
    holders = (
        [unit]
        if name == "trans-unit"
        else [child for child in unit if inline.local_name(child) == "segment"]
    )
    for holder in holders:
        source = target = None
        state = ""
        for child in holder:
            child_name = inline.local_name(child)
            if child_name == "source":
                source = inline.extract(child)
            elif child_name == "target":
                target = inline.extract(child)
                # XLIFF 1.2 puts the state on <target>, 2.x on <segment>.
                state = child.get("state") or holder.get("state") or ""
        if source is not None:
            yield source, target, state if target is not None else ""


def _document(unit: etree._Element) -> str:
    holder: etree._Element | None = unit.getparent()
    while holder is not None and inline.local_name(holder) != "file":
        holder = holder.getparent()
    if holder is None:
        return ""
    return holder.get("original") or holder.get("id") or ""
