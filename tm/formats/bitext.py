"""Plain bitext: TSV/CSV (`fr<TAB>en`, header optional) and line-parallel `X.fr` + `X.en`."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import IO, cast

from tm.errors import InvalidInput
from tm.formats.skip import Skip
from tm.segment import FORBIDDEN, Unit
from tm.text.language import guess, is_english, is_french


def open_text(path: Path) -> io.BufferedIOBase:
    """The file's bytes, gunzipped when it ends in `.gz`."""
    try:
        if path.suffix == ".gz":
            return gzip.open(path, "rb")
        return path.open("rb")
    except OSError as error:
        raise InvalidInput(f"cannot read: {error.strerror}", file=str(path)) from error


def lines(path: Path) -> Iterator[tuple[int, str]]:
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


def read_table(path: Path, *, origin: str) -> Iterator[Unit | Skip]:
    """A TSV/CSV bitext; columns by header names (`fr`, `en`, `source`, `target`) or fr, en."""
    rows = lines(path)
    first = next(rows, None)
    if first is None:
        raise InvalidInput("the file is empty", file=str(path))
    delimiter = _delimiter(first[1], path)
    french_column, english_column, has_header = _columns(first[1], delimiter)

    def records() -> Iterator[tuple[int, list[str]]]:
        if not has_header:
            yield first[0], _split(first[1], delimiter)
        for number, text in rows:
            yield number, _split(text, delimiter)

    units: list[Unit] = []
    skipped: list[Skip] = []
    for number, cells in records():
        where = f"{path.name}:{number}"
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) <= max(french_column, english_column):
            skipped.append(Skip(where, f"expected 2 columns, found {len(cells)}"))
            continue
        source, target = cells[french_column].strip(), cells[english_column].strip()
        if not source or not target:
            skipped.append(Skip(where, "empty side"))
            continue
        units.append(
            Unit(source=source, target=target, origin=origin, document=path.name, position=number)
        )
    if not has_header and _reversed(units):
        units = [_swap(unit) for unit in units]
        skipped.append(Skip(path.name, "columns look English→French: read as French→English"))
    yield from skipped
    yield from units


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


def _reversed(units: list[Unit]) -> bool:
    sample = units[:200]
    left = guess(" ".join(unit.source for unit in sample))
    right = guess(" ".join(unit.target for unit in sample))
    return left == "en" and right == "fr"


def _swap(unit: Unit) -> Unit:
    return replace(unit, source=unit.target, target=unit.source)


def read_parallel(
    french: Path,
    english: Path,
    *,
    origin: str,
    ids: Path | None = None,
) -> Iterator[Unit | Skip]:
    """Line i of `X.fr` with line i of `X.en`; documents from `X.ids` (`doc<TAB>key`) if given."""
    document = french.name.split(".")[0]
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
