"""Write a `Draft` in the format asked: XLIFF 1.2, XLIFF 2.1, TMX 1.4b or plain text."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from tm.drafting.draft import Draft, DraftSegment
from tm.errors import InvalidInput
from tm.files import replacing
from tm.formats import codes, tmx, xliff2_writer, xliff_writer
from tm.formats.xliff_input import XliffInput
from tm.segment import Unit
from tm.text import inline

Format = Literal["xliff", "xliff2", "tmx", "txt"]
"""A draft format's name, as the HTTP routes take it (the keys of `FORMATS`)."""
FORMATS: dict[str, str] = {"xliff": ".xlf", "xliff2": ".xlf", "tmx": ".tmx", "txt": ".en.txt"}
"""Each draft format and the suffix added to the input's name."""


def write(draft: Draft, path: Path, *, format: str = "xliff") -> None:
    """Write `draft` to `path` as `xliff` (1.2), `xliff2` (2.1), `tmx` or `txt`."""
    if format == "xliff":
        xliff_writer.write(draft, path)
    elif format == "xliff2":
        xliff2_writer.write(draft, path)
    elif format == "tmx":
        tmx.write(units(draft), path)
    elif format == "txt":
        write_text(draft, path)
    else:
        raise InvalidInput(f"unknown draft format {format!r}: expected {', '.join(FORMATS)}")


def fill(document: XliffInput, segments: list[DraftSegment], path: Path) -> None:
    """Write the XLIFF file `document` to `path` with `segments` (its listed segments, in
    order) filled in place: every byte tm does not fill is written as it was read."""
    writer = xliff_writer if document.version == 1 else xliff2_writer
    xliff_writer.write_bytes(path, writer.fill(document, segments))


def units(draft: Draft) -> list[Unit]:
    """The draft as TMX units: the English is empty where nothing was filled; the state,
    score and band are `x-` props, the notes TMX notes."""
    result = []
    for position, segment in enumerate(draft.segments, start=1):
        props = [["x-state", segment.state], ["x-band", segment.band]]
        if segment.score is not None:
            props.append(["x-match-score", xliff_writer.quality(segment.score)])
        if segment.match is not None:
            props.append(["x-match-id", str(segment.match.id)])
        result.append(
            Unit(
                source=segment.source,
                target=codes.carry(segment.target, segment.source_tags) if segment.target else "",
                origin="pretranslation",
                document=draft.name,
                position=position,
                source_tags=segment.source_tags,
                target_tags=segment.source_tags,
                properties={"props": props, "notes": list(segment.notes)},
            )
        )
    return result


def text(draft: Draft) -> str:
    """The English draft as text, a paragraph a line; a segment without a target keeps its
    French (so the document stays whole for an editor)."""
    paragraphs: list[list[str]] = []
    current = None
    for segment in draft.segments:
        if not paragraphs or segment.paragraph != current:
            current = segment.paragraph
            paragraphs.append([])
        paragraphs[-1].append(inline.plain(segment.target or segment.source))
    return "".join(" ".join(parts) + "\n" for parts in paragraphs)


def write_text(draft: Draft, path: Path) -> None:
    with replacing(path) as temporary:
        temporary.write_text(text(draft), "utf-8")
