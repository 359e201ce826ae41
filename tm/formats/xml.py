"""Safe streaming XML: no entity expansion, no DTD loading, no network, bombs refused."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from lxml import etree

from tm.errors import InvalidInput

_DOCTYPE = re.compile(rb"<!DOCTYPE[^>\[]*(\[)?", re.IGNORECASE)
_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
PROLOG_BYTES = 64 * 1024


def _prolog_text(head: bytes) -> bytes:
    """The first bytes as ASCII-compatible text, whatever the BOM says (UTF-16 included)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif head[:4] in (b"<\x00?\x00",):
        encoding = "utf-16-le"
    elif head[:4] in (b"\x00<\x00?",):
        encoding = "utf-16-be"
    else:
        return head
    return head.decode(encoding, errors="ignore").encode("ascii", errors="ignore")


def check_prolog(path: Path) -> None:
    """Refuse DTD internal subsets and entity declarations before parsing anything.

    A plain `<!DOCTYPE tmx SYSTEM "tmx14.dtd">` is fine: the DTD is never loaded.
    """
    with path.open("rb") as stream:
        head = _prolog_text(stream.read(PROLOG_BYTES))
    if not head.strip():
        raise InvalidInput("the file is empty", file=str(path))
    doctype = _DOCTYPE.search(head)
    if (doctype and doctype.group(1)) or _ENTITY.search(head):
        raise InvalidInput(
            "DTD declarations and entities are not accepted (possible XML bomb or external "
            "entity); remove the internal DOCTYPE subset",
            file=str(path),
            line=head[: doctype.start() if doctype else 0].count(b"\n") + 1,
        )


def iterparse(path: Path, stream: IO[bytes], tags: tuple[str, ...]) -> Iterator[etree._Element]:
    """End events for the given local names, parsed safely; syntax errors carry line/column."""
    check_prolog(path)
    parser = etree.iterparse(
        stream,
        events=("end",),
        tag=[f"{{*}}{name}" for name in tags],
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        for _event, element in parser:
            yield element
    except etree.XMLSyntaxError as error:
        line, column = error.position
        raise InvalidInput(
            f"malformed XML: {error.msg}", file=str(path), line=line, column=column
        ) from error


def release(element: etree._Element) -> None:
    """Free a processed element and its already-processed siblings (constant memory)."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]
