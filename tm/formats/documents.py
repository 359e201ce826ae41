"""Read a document (plain text, Markdown, HTML, DOCX) into its paragraphs, checking encodings.

Plain text is one paragraph a line; Markdown loses its markup but keeps headings, paragraphs and
list items as paragraphs; HTML block elements become paragraphs (parsed offline by lxml, scripts
and styles dropped); DOCX paragraphs and table cells come from the main document part, read
with tm's safe XML parser once the package's unpacked sizes are checked. Text files must be
UTF-8 (with or without BOM) or UTF-16 with a BOM; anything else is `InvalidInput` with the file
and line where decoding failed.
"""

from __future__ import annotations

import io
import re
import struct
import unicodedata
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from tm.errors import InvalidInput, TooLarge
from tm.formats import xml

MARKDOWN = (".md", ".markdown")
HTML = (".html", ".htm", ".xhtml")
DOCX = (".docx",)

_BLOCKS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "td",
    "th",
    "caption",
    "figcaption",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "aside",
    "main",
    "nav",
    "address",
    "title",
    "tr",
    "ul",
    "ol",
    "dl",
    "table",
    "body",
    "html",
    "form",
    "fieldset",
}
_SKIPPED = {"script", "style", "noscript", "template", "head"}
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u202f]+")


def read_paragraphs(path: str | Path) -> list[str]:
    """The non-empty paragraphs of the document at `path`, in order.

    The format is chosen by extension (`.md`, `.html`, `.docx`; anything else is plain text,
    a paragraph a line). Raises `InvalidInput` for unreadable, binary or mis-encoded files.
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InvalidInput(f"cannot read: {error.strerror}", file=str(path)) from error
    return paragraphs_from_bytes(data, name=str(path))


def paragraphs_from_bytes(data: bytes, *, name: str) -> list[str]:
    """`read_paragraphs` for an upload: the bytes and the file name (whose extension decides)."""
    suffix = Path(name).suffix.lower()
    if suffix in DOCX:
        return _docx(data, name)
    text = decode(data, name=name)
    if suffix in HTML:
        return _html(text, name)
    if suffix in MARKDOWN:
        return _markdown(text)
    return [p for line in text.splitlines() if (p := _clean(line))]


def decode(data: bytes, *, name: str) -> str:
    """Text of a UTF-8 (optional BOM) or BOM-marked UTF-16 file; binary data is refused."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"
    elif data.startswith(b"\xef\xbb\xbf"):
        encoding, data = "utf-8", data[3:]
    else:
        encoding = "utf-8"
        if b"\x00" in data:
            line = data[: data.index(b"\x00")].count(b"\n") + 1
            raise InvalidInput("binary data (NUL byte): not a text document", file=name, line=line)
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        where = data[: error.start].count(b"\n") + 1 if encoding == "utf-8" else None
        raise InvalidInput(
            f"not valid {encoding.upper()} (save the file as UTF-8)", file=name, line=where
        ) from error
    if _CONTROL.search(text):  # then find its line
        for number, line_text in enumerate(text.splitlines(), start=1):
            if _CONTROL.search(line_text):
                raise InvalidInput(
                    "control characters: not a text document", file=name, line=number
                )
    return text


# Control characters (Unicode category Cc) but the tab and those that end lines
# (`str.splitlines`: \n \v \f \r \x1c–\x1e \x85).
_CONTROL = re.compile("[\x00-\x08\x0e-\x1b\x1f\x7f-\x84\x86-\x9f]")


def _clean(text: str) -> str:
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


# Every pattern here runs on one line of a user's file (which may be megabytes long): each is
# linear in the line (tests/test_regexes.py sends them adversarial lines). The closing `#`s of an
# ATX heading are taken off in Python: a lazy group before `\s*#*\s*$` took cubic time.
_MD_HEADING = re.compile(r"\s{0,3}#{1,6}\s+(.*)")
_MD_SETEXT = re.compile(r"^\s{0,3}(=+|-+)\s*$")
_MD_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+(.*)$")
_MD_QUOTE = re.compile(r"^\s*>\s?")
_MD_RULE = re.compile(r"^\s{0,3}([-*_])(\s*\1){2,}\s*$")
_MD_FENCE = re.compile(r"^\s*(```|~~~)")
# An attempt that may not match stops at the next character that starts another attempt (a
# bracket, `<`, the same emphasis mark), so the text is scanned about once: `[^\]]*`, `.+?`
# ran to the end of the paragraph from every `[` or `*` (quadratic). So link text holds no
# bracket and emphasis no mark of its own kind (`*a * b*` keeps its stars).
_MD_INLINE = [
    (re.compile(r"!\[([^\[\]]*)\]\([^)\[\]]*\)"), r"\1"),
    (re.compile(r"\[([^\[\]]+)\]\([^)\[\]]*\)"), r"\1"),
    (re.compile(r"\[([^\[\]]+)\]\[[^\[\]]*\]"), r"\1"),
    (re.compile(r"<[^<>\s]+>"), ""),
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])([*_])(?!\s)((?:(?!\1).)+?)(?<!\s)\1(?![\w*])"), r"\2"),
    (re.compile(r"`([^`]*)`"), r"\1"),
    (re.compile(r"~~(.+?)~~"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!])"), r"\1"),
]


def _inline(text: str) -> str:
    for pattern, replacement in _MD_INLINE:
        text = pattern.sub(replacement, text)
    return _clean(text)


def _heading_text(text: str) -> str:
    """An ATX heading's text without its closing `#`s (CommonMark: only a run of `#`s preceded
    by a space, or the whole text, closes it: `# C#` is the heading `C#`)."""
    text = text.strip()
    opened = text.rstrip("#")
    return opened.rstrip() if not opened or opened[-1].isspace() else text


def _markdown(text: str) -> list[str]:
    out: list[str] = []
    current: list[str] = []
    fenced = False

    def flush() -> None:
        if current and (joined := _inline(" ".join(current))):
            out.append(joined)
        current.clear()

    for line in text.splitlines():
        if _MD_FENCE.match(line):
            flush()
            fenced = not fenced
            continue
        if fenced:
            if line.strip():
                out.append(_clean(line))
            continue
        line = _MD_QUOTE.sub("", line)
        if not line.strip() or (_MD_RULE.match(line) and not current):
            flush()
            continue
        if _MD_SETEXT.match(line) and current:
            flush()
            continue
        if heading := _MD_HEADING.match(line):
            flush()
            current.append(_heading_text(heading.group(1)))
            flush()
            continue
        if item := _MD_ITEM.match(line):
            flush()
            current.append(item.group(1))
            continue
        if line.lstrip().startswith("|"):
            flush()
            cells = [c for c in line.strip().strip("|").split("|") if c.strip(" -:")]
            out.extend(c for cell in cells if (c := _inline(cell)))
            continue
        current.append(line.strip())
    flush()
    return out


def _html(text: str, name: str) -> list[str]:
    from lxml import html

    parser = html.HTMLParser(
        encoding="utf-8", no_network=True, remove_comments=True, remove_pis=True
    )
    try:
        root = html.document_fromstring(text.encode("utf-8"), parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise InvalidInput(f"not an HTML document: {error}", file=name) from error
    out: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        if joined := _clean("".join(buffer)):
            out.append(joined)
        buffer.clear()

    def walk(element: etree._Element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.lower()
        if tag in _SKIPPED:
            if element.tail:
                buffer.append(element.tail)
            return
        block = tag in _BLOCKS
        if block:
            flush()
        if tag == "br":
            buffer.append(" ")
        if element.text and tag:
            buffer.append(element.text)
        for child in element:
            walk(child)
        if block:
            flush()
        if element.tail:
            buffer.append(element.tail)

    walk(root)
    flush()
    return out


# A DOCX is a ZIP package: what it may unpack to is checked before anything is read (a zip
# bomb of 1 MB can unpack to 1 GiB). XML compresses 5-20 times; a bomb, about 1,000 times.
DOCX_MEMBERS = 10_000
DOCX_UNPACKED = 256 * 1024 * 1024  # all members together, as declared
DOCX_PART = 64 * 1024 * 1024  # one member
DOCX_RATIO = 100  # unpacked / packed, for members over 1 MiB unpacked
_RELATIONSHIPS = "_rels/.rels"
# What zipfile raises on a corrupt package (a bad offset, an unknown version or method, an
# encrypted part…), each a refusal of the file.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    NotImplementedError,
    EOFError,
    ValueError,
    RuntimeError,
    OSError,
)
_OFFICE_DOCUMENT = "/officeDocument"


def _docx(data: bytes, name: str) -> list[str]:
    """Paragraphs and table cells of the main document part, read with the safe XML parser."""
    archive = _package(data, name)
    with archive:
        main = _main_part(archive, name)
        root = xml.parse(_member(archive, main, name), name=f"{name}:{main}").getroot()
    out: list[str] = []
    body = next((c for c in root if _local(c) == "body"), None)
    for child in body if body is not None else ():
        kind = _local(child)
        paragraphs = [child] if kind == "p" else child.iter("{*}p") if kind == "tbl" else ()
        for paragraph in paragraphs:
            texts = [node.text or "" for node in paragraph.iter("{*}t")]
            if cleaned := _clean("".join(texts)):
                out.append(cleaned)
    return out


def _local(element: etree._Element) -> str:
    return element.tag.rpartition("}")[2] if isinstance(element.tag, str) else ""


def _package(data: bytes, name: str) -> zipfile.ZipFile:
    """The ZIP package, refused (`TooLarge`) if it declares too many members, more than
    `DOCX_UNPACKED` bytes unpacked, a member over `DOCX_PART`, or a bomb's compression ratio."""
    # The member count from the end record, before zipfile builds an object per member.
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or not zipfile.is_zipfile(io.BytesIO(data)):
        raise InvalidInput("not a DOCX file (not a ZIP package)", file=name)
    (count,) = struct.unpack_from("<H", data, end + 10) if end + 12 <= len(data) else (0,)
    if count > DOCX_MEMBERS:  # 0xFFFF also means a ZIP64 package, which no DOCX needs
        raise TooLarge(f"a DOCX of more than {DOCX_MEMBERS} parts is not accepted", file=name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except _ZIP_ERRORS as error:
        raise InvalidInput(f"not a DOCX file: {error}", file=name) from error
    members = archive.infolist()
    total = sum(member.file_size for member in members)
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > DOCX_PART or (member.file_size > 1 << 20 and ratio > DOCX_RATIO):
            archive.close()
            raise TooLarge(
                f"DOCX part {member.filename[:100]!r} unpacks to {member.file_size:,} bytes "
                f"({ratio:,.0f} times its packed size): not accepted (possible zip bomb; the "
                f"limits are {DOCX_PART:,} bytes a part and {DOCX_RATIO} times)",
                file=name,
            )
    if total > DOCX_UNPACKED:
        archive.close()
        raise TooLarge(
            f"the DOCX unpacks to {total:,} bytes: not accepted (over {DOCX_UNPACKED:,})",
            file=name,
        )
    return archive


def _main_part(archive: zipfile.ZipFile, name: str) -> str:
    """The name of the main document part (`word/document.xml` in files Word writes)."""
    try:
        archive.getinfo(_RELATIONSHIPS)
    except KeyError:
        raise InvalidInput("not a DOCX file (no _rels/.rels)", file=name) from None
    relationships = xml.parse(
        _member(archive, _RELATIONSHIPS, name), name=f"{name}:{_RELATIONSHIPS}"
    )
    for relationship in relationships.getroot():
        if relationship.get("Type", "").endswith(_OFFICE_DOCUMENT):
            return relationship.get("Target", "").lstrip("/")
    raise InvalidInput("not a DOCX file (no main document part)", file=name)


def _member(archive: zipfile.ZipFile, member: str, name: str) -> bytes:
    """A member's bytes, read no further than its declared size (checked before reading)."""
    try:
        info = archive.getinfo(member)
    except KeyError:
        raise InvalidInput(f"not a DOCX file (no {member[:100]!r} part)", file=name) from None
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(1 << 20):
                size += len(chunk)
                if size > info.file_size:
                    raise TooLarge(
                        f"DOCX part {member[:100]!r} unpacks to more than it declares", file=name
                    )
                chunks.append(chunk)
    except _ZIP_ERRORS as error:
        raise InvalidInput(f"not a DOCX file: {error}", file=name) from error
    return b"".join(chunks)
