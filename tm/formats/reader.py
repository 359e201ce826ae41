"""Which reader a file needs, and the files grouped into importable inputs."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tm.errors import InvalidInput
from tm.formats import bitext, tmx, xliff
from tm.formats.skip import Skip
from tm.segment import Unit, too_long

Skipped = tuple[str, str]
"""(where, why): a unit that was read but not imported."""

_XLIFF = {".xlf", ".xliff", ".sdlxliff", ".mqxliff"}
_TABLE = {".tsv", ".csv", ".tab", ".txt"}
_DOCUMENT_HINT = (
    "; a document is not a TM: store it with its English with `tm align FR EN --store`, or "
    "draft its translation with `tm pretranslate FILE --out DIR`"
)
_HINTS = {
    **dict.fromkeys((".docx", ".doc", ".odt", ".html", ".htm", ".rtf", ".pdf"), _DOCUMENT_HINT),
    ".tbx": "; a termbase goes into the glossary: `tm glossary import FILE`",
}


@dataclass(frozen=True)
class ImportFile:
    """One importable input: a single file, or a line-parallel `X.fr` + `X.en` (+ `X.ids`)."""

    kind: str
    paths: tuple[Path, ...]

    @property
    def name(self) -> str:
        return " + ".join(path.name for path in self.paths)


def _suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def _partner(path: Path, language: str) -> Path:
    gz = path.suffix == ".gz"
    stem = path.with_suffix("") if gz else path
    candidate = stem.with_suffix("." + language)
    for option in (
        (candidate.with_name(candidate.name + ".gz"), candidate)
        if gz
        else (candidate, candidate.with_name(candidate.name + ".gz"))
    ):
        if option.exists():
            return option
    raise InvalidInput(
        f"no {language.upper()} partner file ({candidate.name}) for a line-parallel import",
        file=str(path),
    )


def group(paths: list[Path]) -> list[ImportFile]:
    """Inputs in the order given; `X.fr` and `X.en` become one line-parallel input."""
    inputs: list[ImportFile] = []
    seen: set[Path] = set()
    for path in paths:
        if not path.exists():
            raise InvalidInput("no such file", file=str(path))
        if path.is_dir():
            raise InvalidInput("is a directory; name the files to import", file=str(path))
        suffix = _suffix(path)
        if suffix in (".fr", ".en", ".ids"):
            french = path if suffix == ".fr" else _partner(path, "fr")
            if french.resolve() in seen:
                continue
            english = _partner(french, "en")
            ids = next((p for p in _ids(french) if p.exists()), None)
            seen.add(french.resolve())
            inputs.append(ImportFile("parallel", (french, english, *([ids] if ids else []))))
        elif suffix == ".tmx":
            inputs.append(ImportFile("tmx", (path,)))
        elif suffix in _XLIFF:
            inputs.append(ImportFile("xliff", (path,)))
        elif suffix in _TABLE:
            inputs.append(ImportFile("table", (path,)))
        else:
            raise InvalidInput(
                "unknown format: expected .tmx, .xlf/.xliff, .tsv/.csv, or X.fr + X.en"
                + _HINTS.get(suffix, ""),
                file=str(path),
            )
    return inputs


def _ids(french: Path) -> tuple[Path, Path]:
    stem = french.with_suffix("") if french.suffix == ".gz" else french
    base = stem.with_suffix(".ids")
    return base.with_name(base.name + ".gz"), base


def check(source: ImportFile, *, swap: bool = False) -> None:
    """Refuse an input that is not what an import of bitext, TMX or XLIFF expects, before any
    of it is imported: a bitext whose sides are in the wrong language or in neither (read the
    other way round with `swap`), a glossary given as a bitext (`tm.formats.bitext`). TMX and
    XLIFF say their languages: `swap` is refused for them."""
    first = source.paths[0]
    if source.kind == "parallel":
        bitext.check_parallel(first, source.paths[1], swap=swap)
    elif source.kind == "table":
        bitext.check_table(first, swap=swap)
    elif swap:
        raise InvalidInput(
            "--swap is for bitexts (X.fr + X.en, TSV/CSV): the languages of a TMX or XLIFF "
            "file come from its language codes",
            file=str(first),
        )


def read(
    source: ImportFile, *, origin: str, skipped: list[Skipped], swap: bool = False
) -> Iterator[Unit]:
    """The units of one input, French as source (a bitext's sides the other way round with
    `swap`); what is read but not imported is added to `skipped` (a side over
    `MAX_SEGMENT_CHARS` too: counted and explained, the rest of the file imported); problems raise
    `InvalidInput`. Call `check` first."""
    for number, item in enumerate(_items(source, origin=origin, swap=swap), start=1):
        if isinstance(item, Skip):
            skipped.append((item.where, item.why))
        elif why := too_long(item.source, item.target):
            skipped.append((f"{source.name}: unit {number}", why))
        else:
            yield item


def _items(source: ImportFile, *, origin: str, swap: bool) -> Iterator[Unit | Skip]:
    first = source.paths[0]
    if source.kind == "parallel":
        ids = source.paths[2] if len(source.paths) > 2 else None
        yield from bitext.read_parallel(first, source.paths[1], origin=origin, ids=ids, swap=swap)
    elif source.kind == "table":
        yield from bitext.read_table(first, origin=origin, swap=swap)
    else:
        module = tmx if source.kind == "tmx" else xliff
        with bitext.open_text(first) as stream:
            yield from module.read(first, stream, origin=origin)
