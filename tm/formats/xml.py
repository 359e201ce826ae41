"""Safe XML: the one parser configuration for every XML file tm reads (TMX, XLIFF, TBX, the
ISOcat termbase, DOCX parts, drafts to evaluate, stored inline tags).

The parser itself expands no entity, loads no DTD and reaches no network (lxml:
`resolve_entities=False`, `load_dtd=False`, `no_network=True`, `huge_tree=False`). What it
saw of the prolog is then checked before any element is used:

- a DOCTYPE may name its DTD by a relative file name, as real TMX and TBX files do
  (`<!DOCTYPE tmx SYSTEM "tmx14.dtd">`, `<!DOCTYPE martif SYSTEM "TBXcoreStructV02.dtd">`):
  the DTD is never read, so the name is harmless;
- a DTD named by URL or absolute path is refused: a tool that reads DTDs would fetch it when it
  opens a file written from this one (a pretranslated XLIFF keeps its prolog);
- an internal subset that declares entities or elements is refused (entity bombs, external
  entities); attribute-list and notation declarations are never applied without DTD loading;
- an entity reference other than the five predefined ones and character references is refused:
  without a DOCTYPE naming a DTD the parser refuses it itself; with one it keeps the reference
  as a node (refused here) and, in an attribute, drops it with a warning (read here from the
  parser's log, which libxml2 caps at 100 entries).

Everything refused is `InvalidInput` with the file and, where the parser knows it, the line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, cast

from lxml import etree

from tm.errors import InvalidInput

SAFE: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
}
"""The parser options every XML read uses (for `etree.XMLParser` and `etree.iterparse`)."""

# A DTD named by a relative file name: no scheme (`http:`, `file:`, `C:`), no leading slash or
# backslash.
_RELATIVE_DTD = re.compile(r"[\w.\-]+(?:/[\w.\-]+)*")
_BOMB_SIGNS = ("entity amplification", "entity reference loop", "Excessive depth in document")
_ENTITY_WARNINGS = {"WAR_UNDECLARED_ENTITY", "ERR_UNDECLARED_ENTITY"}


def parser(**options: Any) -> etree.XMLParser:
    """An `XMLParser` with the safe options (`options` may add others, never loosen them)."""
    for key, value in options.items():
        if key in SAFE and value != SAFE[key]:
            raise ValueError(f"XML parser option {key}={value!r} is not safe")
    return etree.XMLParser(**(SAFE | options))


def check(docinfo: etree.DocInfo, *, name: str, head: Callable[[], bytes] = bytes) -> None:
    """Refuse a DOCTYPE that names a DTD by URL or absolute path or declares entities or
    elements in an internal subset (`head` gives the file's first bytes, read only to say on
    which line the DOCTYPE is)."""
    dtd: Any = docinfo.internalDTD  # (lxml-stubs lack the DTD's declarations and system_url)
    if dtd is None:
        return
    if next(dtd.iterentities(), None) is not None or next(dtd.iterelements(), None) is not None:
        raise InvalidInput(
            "DTD declarations and entities are not accepted (possible XML bomb or external "
            "entity): remove the internal subset of the DOCTYPE",
            file=name,
            line=_doctype_line(head()),
        )
    system = str(cast(Any, docinfo).system_url or "")
    if system and not _RELATIVE_DTD.fullmatch(system):
        raise InvalidInput(
            f"a DOCTYPE naming its DTD by URL or absolute path ({system[:100]!r}) is not "
            "accepted: name it by file name (tmx14.dtd) or remove the DOCTYPE",
            file=name,
            line=_doctype_line(head()),
        )


def _doctype_line(head: bytes) -> int | None:
    for marker in (b"<!DOCTYPE", "<!DOCTYPE".encode("utf-16-le"), "<!DOCTYPE".encode("utf-16-be")):
        if (at := head.find(marker)) >= 0:
            return head[:at].count(b"\n") + 1
    return None


def _prolog(path: Path, root: etree._Element) -> bytes:
    """The lines of `path` up to its root element (where the DOCTYPE is)."""
    lines: list[bytes] = []
    with path.open("rb") as stream:
        for line in stream:
            lines.append(line)
            if len(lines) >= (_line(root) or 1):
                break
    return b"".join(lines)


def check_log(log: etree._ListErrorLog, *, name: str, seen: int = 0) -> int:
    """Refuse what the parser reported after entry `seen`: an entity reference it only warned
    about, or an error it will raise only at the end of the file (an invalid namespace URI:
    the elements before it are already in hand); returns the number of entries looked at."""
    count = len(log)
    for entry in log[seen:count] if count > seen else ():
        message = entry.message.strip()
        if entry.type_name in _ENTITY_WARNINGS:
            message = f"entity references are not accepted ({message}): write the character itself"
        elif int(entry.level) >= int(etree.ErrorLevels.ERROR):
            message = f"malformed XML: {message}"
        else:
            continue
        raise InvalidInput(
            message, file=name, line=int(entry.line) or None, column=int(entry.column) or None
        )
    return count


def check_entities(element: etree._Element, *, name: str) -> None:
    """Refuse an entity reference kept as a node in `element` or below."""
    entity = next(element.iter(etree.Entity), None)
    if entity is not None:
        raise InvalidInput(
            f"entity references are not accepted ({entity.text}): write the character itself",
            file=name,
            line=_line(entity),
        )


def _line(element: etree._Element) -> int | None:
    line: Any = element.sourceline  # (typed as a bare `...` in lxml-stubs)
    return int(line) if line else None


def parse(data: bytes, *, name: str, **options: Any) -> etree._ElementTree:
    """A whole document from bytes, parsed and checked; malformed XML carries line/column.
    `options` are more `XMLParser` options (`strip_cdata=False`…)."""
    safe = parser(**options)
    try:
        tree = etree.fromstring(data, safe).getroottree()
    except etree.XMLSyntaxError as error:
        raise _malformed(error, name, safe.error_log) from error
    _checked(tree, safe, name=name, head=lambda: data)
    return tree


def parse_file(path: Path, **options: Any) -> etree._ElementTree:
    """`parse` for a file on disk (read by the parser, not into memory first)."""
    name = str(path)
    safe = parser(**options)
    try:
        tree = etree.parse(name, safe)
    except OSError as error:
        raise InvalidInput(f"cannot read: {error}", file=name) from error
    except etree.XMLSyntaxError as error:
        if _blank(path):
            raise InvalidInput("the file is empty", file=name) from error
        raise _malformed(error, name, safe.error_log) from error
    _checked(tree, safe, name=name, head=lambda: _prolog(path, tree.getroot()))
    return tree


def _checked(
    tree: etree._ElementTree, safe: etree.XMLParser, *, name: str, head: Callable[[], bytes]
) -> None:
    check(tree.docinfo, name=name, head=head)
    check_log(safe.error_log, name=name)
    check_entities(tree.getroot(), name=name)


def _malformed(error: etree.XMLSyntaxError, name: str, log: etree._ListErrorLog) -> InvalidInput:
    """The parser's first error (iterparse's own message can be a vague "no element found")."""
    message, (line, column) = error.msg, error.position
    first = next((e for e in log if int(e.level) >= int(etree.ErrorLevels.ERROR)), None)
    if first is not None:
        message, line, column = first.message.strip(), int(first.line), int(first.column)
    if any(sign in message for sign in _BOMB_SIGNS):  # libxml2's own guard went off first
        return InvalidInput(
            f"DTD declarations and entities are not accepted (an XML bomb: {message})",
            file=name,
            line=line or None,
            column=column or None,
        )
    return InvalidInput(
        f"malformed XML: {message}", file=name, line=line or None, column=column or None
    )


def _blank(path: Path) -> bool:
    """Whether the file holds nothing but whitespace (and byte-order marks)."""
    with path.open("rb") as stream:
        head = stream.read(1 << 16)
    return len(head) < 1 << 16 and not head.strip(b" \t\r\n\x00\xef\xbb\xbf\xfe\xff")


def fragment(text: str | bytes) -> etree._Element:
    """An element from XML text tm wrote itself (a stored inline tag), parsed safely."""
    return etree.fromstring(text, parser())


def iterparse(path: Path, stream: IO[bytes], tags: tuple[str, ...]) -> Iterator[etree._Element]:
    """End events for the given local names, parsed safely; syntax errors carry line/column."""
    name = str(path)
    events = etree.iterparse(
        stream,
        events=("end",),
        tag=[f"{{*}}{tag}" for tag in tags],
        remove_comments=True,
        remove_pis=True,
        **SAFE,
    )
    first, seen = True, 0
    try:
        for _event, element in events:
            if first:
                _check_prolog(path, element.getroottree().getroot())
                first = False
            seen = check_log(events.error_log, name=name, seen=seen)
            check_entities(element, name=name)
            yield element
    except etree.XMLSyntaxError as error:
        if first and _blank(path):
            raise InvalidInput("the file is empty", file=name) from error
        raise _malformed(error, name, events.error_log) from error
    if first and events.root is not None:  # nothing was asked for: the prolog is still refused
        _check_prolog(path, events.root)


def _check_prolog(path: Path, root: etree._Element) -> None:
    check(root.getroottree().docinfo, name=str(path), head=lambda: _prolog(path, root))


def release(element: etree._Element) -> None:
    """Free a processed element and its already-processed siblings (constant memory)."""
    element.clear()
    parent = element.getparent()
    if parent is not None:
        while element.getprevious() is not None:
            del parent[0]
