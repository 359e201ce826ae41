"""XLIFF 1.0–1.2 and 2.x: the confirmed translations of a bilingual file, French as source.

A pair is stored per segment: a 1.x unit segmented in `seg-source` (`mrk mtype="seg"`, as
Trados `.sdlxliff` and memoQ write it) gives one pair per segment whose target `mrk` has text,
a 2.x unit one per `segment`. Not stored, each with its reason in the report:

- a unit under `translate="no"` (on itself or the nearest group or file saying so);
- a draft: a 1.x target `state` that is not a translation yet (`new`, `needs-*`, and the
  `rejected`/`unreviewed` of other tools), a 2.x segment `state="initial"`, a Trados segment
  whose `sdl:seg` is not confirmed (no `conf`, `Draft`, rejected), a memoQ unit whose
  `mq:status` is not confirmed (`NotStarted`, `PartiallyEdited`, `Pretranslated`…);
- an untranslated segment (no target text) or one with an empty source.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from tm.errors import InvalidInput
from tm.formats.skip import Skip
from tm.formats.xliff_input import locked, marks_of, version_of
from tm.formats.xml import iterparse, release
from tm.segment import Unit
from tm.text import inline
from tm.text.language import is_english, is_french

SDL = "http://sdl.com/FileTypes/SdlXliff/1.0"
MEMOQ = "MQXliff"
DRAFT_STATES = {
    "new",
    "needs-translation",
    "needs-adaptation",
    "needs-l10n",
    "needs-review-translation",
    "needs-review-adaptation",
    "needs-review-l10n",
    "initial",
    "needs-review",
    "needs-work",
    "rejected",
    "unreviewed",
}
"""Target states that are not a translator's confirmed translation (XLIFF 1.2 and 2.x, and the
values Translate Toolkit writes in 1.1 files)."""
SDL_CONFIRMED = {"Translated", "ApprovedTranslation", "ApprovedSignOff"}
"""Trados `sdl:seg/@conf` values of a confirmed segment (`Draft`, `RejectedTranslation`,
`RejectedSignOff` and no value at all are not)."""

Text = tuple[str, dict[str, Any]]


@dataclass(frozen=True)
class Found:
    """One segment as read: its source and target (text, tags), or why it is not stored."""

    source: Text
    target: Text | None
    why: str = ""


def read(path: Path, stream: Any, *, origin: str) -> Iterator[Unit | Skip]:
    """Units of the file's confirmed segments; direction from `source-language`/`srcLang`."""
    direction: bool | None = None  # True: source is French; False: reversed
    position = 0
    version_seen = False
    for element in iterparse(path, stream, ("file", "trans-unit", "unit", "xliff")):
        name = inline.local_name(element)
        if name in ("xliff", "file"):
            continue
        if not version_seen:
            _check_version(element.getroottree().getroot(), path)
            version_seen = True
        if direction is None:
            direction = _direction(element, path)
        for found in segments(element):
            position += 1
            where = f"{path.name}:{inline.line_of(element) or position}"
            if found.why:
                yield Skip(where, found.why)
                continue
            assert found.target is not None  # a segment without a reason has a target
            french, english = (
                (found.source, found.target) if direction else (found.target, found.source)
            )
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
    if version_of(root) is None:
        raise InvalidInput(
            f"unsupported XLIFF version {root.get('version', '')!r}",
            file=str(path),
            line=inline.line_of(root),
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


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [child for child in element if inline.local_name(child) == name]


def segments(unit: etree._Element) -> Iterator[Found]:
    """The segments of a `trans-unit` (1.x) or `unit` (2.x), each with its reason if any."""
    if locked(unit):
        yield from (Found(s, t, 'translate="no"') for s, t, _ in _raw(unit))
        return
    for source, target, why in _raw(unit):
        if target is None or not inline.plain(target[0]).strip():
            why = "untranslated unit"
        elif not inline.plain(source[0]).strip():
            why = why or "empty source"
        yield Found(source, target, why)


def _raw(unit: etree._Element) -> Iterator[tuple[Text, Text | None, str]]:
    """(source, target, why a draft) per segment, before the common checks."""
    if inline.local_name(unit) == "unit":
        for segment in _children(unit, "segment"):
            source, target = _children(segment, "source"), _children(segment, "target")
            if source:
                state = segment.get("state", "")
                why = f"state {state}" if state in DRAFT_STATES else ""
                yield inline.extract(source[0]), _text(target), why
        return
    source, target = _children(unit, "source"), _children(unit, "target")
    if not source:
        return
    state = target[0].get("state", "") if target else ""
    why = f"state {state}" if state in DRAFT_STATES else ""
    status = unit.get(f"{{{MEMOQ}}}status")
    if not why and status is not None and "Confirmed" not in status and status != "Proofread":
        why = f"memoQ status {status}"
    marks = marks_of(next(iter(_children(unit, "seg-source")), None))
    if not marks:
        yield inline.extract(source[0]), _text(target), why
        return
    targets = {m.get("mid"): m for m in marks_of(target[0] if target else None)}
    trados = {s.get("id"): s.get("conf", "") for s in unit.iter(f"{{{SDL}}}seg")}
    for mark in marks:
        mid = mark.get("mid")
        own = why
        if not own and trados and trados.get(mid) not in SDL_CONFIRMED:
            own = f"Trados segment {trados.get(mid) or 'not translated'}"
        found = targets.get(mid)
        yield inline.extract(mark), (inline.extract(found) if found is not None else None), own


def _text(elements: list[etree._Element]) -> Text | None:
    return inline.extract(elements[0]) if elements else None


def _document(unit: etree._Element) -> str:
    holder: etree._Element | None = unit.getparent()
    while holder is not None and inline.local_name(holder) != "file":
        holder = holder.getparent()
    if holder is None:
        return ""
    return holder.get("original") or holder.get("id") or ""
