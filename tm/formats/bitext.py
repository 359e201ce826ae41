"""Plain bitext: TSV/CSV (`fr<TAB>en`, header optional) and line-parallel `X.fr` + `X.en`; and
the checks that refuse one before import (`check_table`, `check_parallel`): a glossary given
as a bitext, a side in the wrong language (read the other way round with `swap`), a side in
neither language."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Generator, Iterator
from contextlib import closing
from dataclasses import dataclass, replace
from itertools import chain
from pathlib import Path
from typing import IO, cast

from tm.errors import InvalidInput
from tm.formats.skip import Skip
from tm.segment import FORBIDDEN, Unit
from tm.text.language import (
    SIDE_WORDS,
    Reading,
    check_sides,
    is_english,
    is_french,
    reading,
    side,
)


def open_text(path: Path) -> io.BufferedIOBase:
    """The file's bytes, gunzipped when it ends in `.gz`."""
    try:
        if path.suffix == ".gz":
            return gzip.open(path, "rb")
        return path.open("rb")
    except OSError as error:
        raise InvalidInput(f"cannot read: {error.strerror}", file=str(path)) from error


def lines(path: Path) -> Generator[tuple[int, str], None, None]:
    """Decoded lines (1-based numbers) of a UTF-8/UTF-16 text file, checked for bad bytes."""
    with open_text(path) as raw:
        buffered = raw if isinstance(raw, io.BufferedReader | gzip.GzipFile) else None
        try:
            head = buffered.peek(4)[:4] if buffered is not None else b""
        except (OSError, EOFError, gzip.BadGzipFile) as error:
            raise InvalidInput(f"cannot read: {error}", file=str(path)) from error
        encoding = "utf-16" if head.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
        stream = io.TextIOWrapper(cast(IO[bytes], raw), encoding=encoding, newline="")
        number = 0
        try:
            for number, line in enumerate(stream, start=1):
                text = line.rstrip("\r\n")
                bad = FORBIDDEN.search(text)
                if bad:
                    raise InvalidInput(
                        f"control character U+{ord(bad.group()):04X} in text"
                        if bad.group() < "\x80"
                        else f"character U+{ord(bad.group()):04X} in text (XML cannot hold it)",
                        file=str(path),
                        line=number,
                        column=bad.start() + 1,
                    )
                yield number, text
        except UnicodeDecodeError as error:
            raise InvalidInput(
                f"not valid {encoding.removesuffix('-sig')} ({error.reason}); "
                "save the file as UTF-8",
                file=str(path),
                line=number + 1,
            ) from error
        except (OSError, EOFError, gzip.BadGzipFile) as error:
            raise InvalidInput(f"cannot read: {error}", file=str(path)) from error


@dataclass(frozen=True)
class _Layout:
    """How a table's lines are cut: the delimiter, the French and English columns, and the
    header's cells when its first line names the columns."""

    delimiter: str
    french: int
    english: int
    header: list[str] | None

    def swapped(self) -> _Layout:
        return replace(self, french=self.english, english=self.french)

    def label(self, column: int) -> str:
        name = f" ({self.header[column].strip()})" if self.header else ""
        return f"column {column + 1}{name}"


def _layout(path: Path, first: str) -> _Layout:
    delimiter = _delimiter(first, path)
    french, english, has_header = _columns(first, delimiter)
    return _Layout(delimiter, french, english, _split(first, delimiter) if has_header else None)


def read_table(path: Path, *, origin: str, swap: bool = False) -> Iterator[Unit | Skip]:
    """A TSV/CSV bitext; columns by header names (`fr`, `en`, `source`, `target`) or fr, en
    (en, fr with `swap`). See `check_table` for what is refused."""
    rows = lines(path)
    first = next(rows, None)
    if first is None:
        raise InvalidInput("the file is empty", file=str(path))
    layout = _layout(path, first[1])
    if swap:
        layout = layout.swapped()
    french_column, english_column, delimiter = layout.french, layout.english, layout.delimiter

    def records() -> Iterator[tuple[int, list[str]]]:
        if layout.header is None:
            yield first[0], _split(first[1], delimiter)
        for number, text in rows:
            yield number, _split(text, delimiter)

    for number, cells in records():
        where = f"{path.name}:{number}"
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) <= max(french_column, english_column):
            yield Skip(where, f"expected 2 columns, found {len(cells)}")
            continue
        source, target = cells[french_column].strip(), cells[english_column].strip()
        if not source or not target:
            yield Skip(where, "empty side")
            continue
        yield Unit(source=source, target=target, origin=origin, document=path.name, position=number)


GLOSSARY = "a glossary goes to `tm glossary import` (HTTP: POST /glossary/import)"


def check_table(path: Path, *, swap: bool = False) -> None:
    """Refuse, before anything is imported, a table that is a glossary's (a header naming
    other columns than French and English, or a third column in most rows: an OmegaT
    glossary's comment), or whose French or English column is in the wrong language
    (`tm.text.language.wrong_sides`, on up to `SIDE_WORDS` words of each column)."""
    rows = lines(path)
    with closing(rows):
        first = next(rows, None)
        if first is None:
            raise InvalidInput("the file is empty", file=str(path))
        layout = _layout(path, first[1])
        if layout.header is not None:
            other = [
                cell.strip()
                for i, cell in enumerate(layout.header)
                if i not in (layout.french, layout.english) and cell.strip()
            ]
            if other:
                raise InvalidInput(
                    f"columns {', '.join(map(repr, other))} besides French and English: this "
                    f"looks like a glossary, not a bitext; {GLOSSARY} (a bitext has two "
                    "columns, French and English)",
                    file=str(path),
                    line=1,
                )
            body: Iterator[tuple[int, str]] = rows
        else:
            body = chain([first], rows)
        french, english, wide, counted = _sides(body, layout)
    if layout.header is None and wide * 2 > counted:
        raise InvalidInput(
            f"{wide:,} of {counted:,} rows have a third column: this looks like a glossary "
            f"(French, English, comment: OmegaT's), not a bitext; {GLOSSARY}",
            file=str(path),
        )
    names = (layout.label(layout.french), layout.label(layout.english))
    check_sides(french, english, names, swap=swap, remedy="swap the columns", file=str(path))


def _sides(rows: Iterator[tuple[int, str]], layout: _Layout) -> tuple[Reading, Reading, int, int]:
    """What the French and English columns say (up to `SIDE_WORDS` words each), and how many
    of the rows read have a non-empty third column, of how many."""
    french = english = Reading()
    wide = counted = 0
    for _number, text in rows:
        cells = _split(text, layout.delimiter)
        if not any(cell.strip() for cell in cells):
            continue
        counted += 1
        wide += any(cell.strip() for cell in cells[2:])
        if len(cells) > max(layout.french, layout.english):
            french += reading(cells[layout.french])
            english += reading(cells[layout.english])
        if min(french.words, english.words) >= SIDE_WORDS:
            break
    return french, english, wide, counted


def _delimiter(first: str, path: Path) -> str:
    if "\t" in first:
        return "\t"
    if path.suffix.lower() == ".csv" or ";" in first or "," in first:
        return ";" if first.count(";") > first.count(",") else ","
    return "\t"


def _split(text: str, delimiter: str) -> list[str]:
    if delimiter == "\t":
        return text.split("\t")
    return next(csv.reader([text], delimiter=delimiter), [])


def _columns(first: str, delimiter: str) -> tuple[int, int, bool]:
    names = [cell.strip().lower() for cell in _split(first, delimiter)]
    french = next((i for i, n in enumerate(names) if is_french(n) or n == "source"), None)
    english = next((i for i, n in enumerate(names) if is_english(n) or n == "target"), None)
    if french is not None and english is not None:
        return french, english, True
    return 0, 1, False


def check_parallel(french: Path, english: Path, *, swap: bool = False) -> None:
    """Refuse, before anything is imported, a line-parallel pair whose sides are not French and
    English (`tm.text.language.wrong_sides`, on up to `SIDE_WORDS` words of each file)."""
    sides = []
    for path in (french, english):
        texts = lines(path)
        with closing(texts):
            sides.append(side(text for _number, text in texts))
    swapped = f"rename them ({french.name} ↔ {english.name})"
    names = (french.name, english.name)
    check_sides(sides[0], sides[1], names, swap=swap, remedy=swapped)


_LANGUAGES = frozenset({"fr", "en", "ids"})


def document_name(path: Path) -> str:
    """A document's name from its file: without `.gz`, a format suffix and the language
    suffix, other dots kept (`C-11.4.fr` → `C-11.4`, `C-11.4.fr.txt` → `C-11.4`,
    `releases.fr.gz` → `releases`)."""
    name = path.name[: -len(".gz")] if path.name.lower().endswith(".gz") else path.name
    stem, dot, suffix = name.rpartition(".")
    if not (dot and stem):
        return name
    if suffix.lower() in _LANGUAGES:
        return stem
    inner, dot, language = stem.rpartition(".")
    return inner if dot and inner and language.lower() in _LANGUAGES else stem


def read_parallel(
    french: Path,
    english: Path,
    *,
    origin: str,
    ids: Path | None = None,
    swap: bool = False,
) -> Iterator[Unit | Skip]:
    """Line i of `X.fr` with line i of `X.en` (the other way round with `swap`); documents
    from `X.ids` (`doc<TAB>key`) if given."""
    document = document_name(french)
    if swap:
        french, english = english, french
    english_lines = lines(english)
    id_lines = lines(ids) if ids else None
    count = 0
    first_line = 1
    for number, source in lines(french):
        pair = next(english_lines, None)
        if pair is None:
            raise InvalidInput(
                f"{english.name} has fewer lines than {french.name}", file=str(english), line=number
            )
        if id_lines is not None:
            key = next(id_lines, None)
            key_document = key[1].split("\t")[0] if key else document
            if key_document != document:
                document, first_line = key_document, number
        count = number
        source, target = source.strip(), pair[1].strip()
        if not source and not target:
            continue
        if not source or not target:
            yield Skip(f"{french.name}:{number}", "empty side")
            continue
        yield Unit(
            source=source,
            target=target,
            origin=origin,
            document=document,
            position=number - first_line + 1,
        )
    if next(english_lines, None) is not None:
        raise InvalidInput(
            f"{english.name} has more lines than {french.name}", file=str(english), line=count + 1
        )
