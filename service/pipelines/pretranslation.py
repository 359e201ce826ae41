"""Batch pretranslation: new French files in, XLIFF/TMX/text drafts and an analysis report out.

The pipeline, one stage after the other:

1. **read** each input: plain text, Markdown, HTML, DOCX (`tm.formats.documents.read_paragraphs`),
   or an XLIFF 1.2/2.x file exported untranslated by a CAT tool (its units are kept);
2. **split** paragraphs into sentences with the alignment splitter (`alignments.splitting`),
   keeping the paragraph of each sentence; an XLIFF unit is already a segment;
3. **look up** each distinct segment once in the TM; the best match at or above the threshold
   fills the target with its adapted target; a segment met again later in the batch is a
   repetition and gets the first occurrence's result;
4. **annotate** filled targets (glossary terms, QA findings) through an `Annotate` hook;
5. **write** one draft per input, named after it, plus `analysis.json` and `analysis.csv`.

Stages 3 and 4, segment by segment, are `service.pipelines.drafter.Pretranslator`'s.

A file that cannot be read (malformed XLIFF, unknown version, not a DOCX, empty, English)
fails alone: its error is kept in the batch and the other files are still pretranslated.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from alignments.splitting import split
from service.pipelines import DRAFT_THRESHOLD, MAX_DEFAULT_WORKERS
from service.pipelines.drafter import (
    ANALYSIS_FLOOR,
    Annotate,
    Memory,
    Pretranslator,
    Progress,
    Source,
)
from tm import TMError, TooLarge
from tm.drafting import analysis
from tm.drafting.draft import Draft
from tm.errors import InvalidInput
from tm.files import made_folder, replacing
from tm.formats import drafts, splice, xliff_input
from tm.formats.documents import DOCX, read_paragraphs
from tm.retrieval import workers
from tm.segment import too_long
from tm.text.inline import plain
from tm.text.language import guess

XLIFF_SUFFIXES = {".xlf", ".xliff", ".sdlxliff", ".mqxliff"}
FORMATS = drafts.FORMATS
"""Draft formats and their file suffixes (`tm.formats.drafts`)."""
Format = drafts.Format
"""A draft format's name: the one list the CLI, the HTTP route and the page use."""
THRESHOLD = DRAFT_THRESHOLD


@dataclass(frozen=True)
class FileResult:
    """What happened to one input: the draft written, or why the file failed."""

    path: Path
    output: Path | None = None
    draft: Draft | None = None
    error: str = ""
    counted: analysis.FileAnalysis | None = None
    """The draft's counts when it was written by an earlier run (resumed: `draft` is None)."""


@dataclass(frozen=True)
class Batch:
    """The outcome of `pretranslate`: one result per input, the report, and where it is."""

    files: tuple[FileResult, ...]
    analysis: analysis.Analysis
    report: Path
    table: Path
    failed: tuple[FileResult, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Limits:
    """Bounds on one call's work (the service's requests), checked after reading and before
    any lookup: `TooLarge` (413) past either."""

    characters: int = 1_000_000
    """Text characters of one input (checked before it is split into segments) and of all."""
    segments: int = 10_000
    """Segments of all inputs together."""

    def check(self, sources: Sequence[Source]) -> None:
        characters = sum(len(text) for s in sources for _p, text, _t in s.segments)
        if characters > self.characters:
            raise TooLarge(
                f"the files hold {characters:,} characters: at most {self.characters:,} a "
                "request (send fewer files at a time)"
            )
        segments = sum(len(s.segments) for s in sources)
        if segments > self.segments:
            raise TooLarge(
                f"the files hold {segments:,} segments: at most {self.segments:,} a request "
                "(send fewer files at a time)"
            )


REQUEST = Limits()
"""What one request to the service may ask for."""


def inputs(paths: Sequence[Path], *, out: Path | None = None) -> list[Path]:
    """The files to pretranslate: each path given, a folder standing for every file under it
    (sorted; hidden files and what is under `out` left out)."""
    found: list[Path] = []
    skip = out.resolve() if out is not None else None
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        for child in sorted(path.rglob("*")):
            hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
            under_out = skip is not None and child.resolve().is_relative_to(skip)
            if child.is_file() and not hidden and not under_out:
                found.append(child)
    return found


def read(path: Path, *, overwrite: bool = False, max_characters: int | None = None) -> Source:
    """Read and segment one input; `InvalidInput` if it is unusable or holds a segment over
    `MAX_SEGMENT_CHARS`, `TooLarge` if its text is over `max_characters` (checked before it is
    split). With `overwrite`, the segments of an XLIFF input whose target already holds a
    translation are read to fill too."""
    if not path.is_file():
        raise InvalidInput("no such file", file=str(path))
    if path.stat().st_size == 0:
        raise InvalidInput("the file is empty", file=str(path))
    if path.suffix.lower() in XLIFF_SUFFIXES:
        document = xliff_input.load(path, overwrite=overwrite)
        units: dict[int, int] = {}  # a unit is a paragraph (its segments share it)
        source = Source(
            path,
            [
                (units.setdefault(id(s.unit), len(units) + 1), s.text, dict(s.tags))
                for s in document.segments
            ],
            document,
        )
    else:
        _check_size(path, max_characters)
        paragraphs = read_paragraphs(path)
        characters = sum(len(paragraph) for paragraph in paragraphs)
        if max_characters is not None and characters > max_characters:
            raise TooLarge(
                f"the text has {characters:,} characters: at most {max_characters:,} a request",
                file=str(path),
            )
        source = Source(
            path,
            [
                (number, sentence, {})
                for number, paragraph in enumerate(paragraphs, start=1)
                for sentence in split(paragraph, language="fr")
            ],
        )
        if not source.segments:
            raise InvalidInput("the file has no text", file=str(path))
    for number, (_paragraph, text, _tags) in enumerate(source.segments, start=1):
        if why := too_long(text):
            raise InvalidInput(
                f"segment {number}: {why.replace('source', 'text')} (split it)", file=str(path)
            )
    sample = " ".join(plain(text) for _n, text, _t in source.segments[:200])
    if guess(sample) == "en":
        raise InvalidInput("the text is in English; pretranslation needs French", file=str(path))
    return source


BYTES_PER_CHARACTER = 4
"""A text file of more bytes than this many times the characters allowed holds more characters
(UTF-8 and UTF-16 take at most 4 bytes a character) or is mostly markup: refused unread."""


def _check_size(path: Path, max_characters: int | None) -> None:
    """`TooLarge` for a text, Markdown or HTML file too large to hold at most `max_characters`
    of text, from its size alone (a DOCX package is checked as it is unpacked)."""
    if max_characters is None or path.suffix.lower() in DOCX:
        return
    size = path.stat().st_size
    if size > BYTES_PER_CHARACTER * max_characters:
        raise TooLarge(
            f"the file has {size:,} bytes: more than the {max_characters:,} characters of text "
            "allowed a request",
            file=str(path),
        )


def default_workers() -> int:
    """Lookup processes by default: the CPUs this process may use, at most
    `MAX_DEFAULT_WORKERS`."""
    return min(workers.available(), MAX_DEFAULT_WORKERS)


def output_path(source: Path, out: Path, *, format: str, xliff: bool) -> Path:
    """`out/<input name><suffix>`; an XLIFF input filled in place keeps its name."""
    if xliff and format in ("xliff", "xliff2"):
        return out / source.name
    return out / (source.name + drafts.FORMATS[format])


def pretranslate(
    memory: Memory,
    paths: Sequence[Path],
    *,
    out: Path,
    threshold: float = THRESHOLD,
    floor: float = ANALYSIS_FLOOR,
    format: str = "xliff",
    annotate: Annotate | None = None,
    progress: Progress | None = None,
    total: Callable[[int], None] | None = None,
    workers: int = 1,
    overwrite: bool = False,
    limits: Limits | None = None,
) -> Batch:
    """Pretranslate `paths` into `out` (created) and write `analysis.json`/`analysis.csv`.

    A match at or above `threshold` fills the target; for a segment without one, the best
    match down to `floor` is found too, only to place it in its report band. `total` is told
    the number of segments once every file is read; `progress` is told of each segment done.
    A file that fails is reported in `Batch.failed`; the others go on. With `workers` > 1 the
    lookups are shared among processes forked from this one (see `tm.retrieval.workers`: for
    single-threaded callers). A translation already in an XLIFF input is never touched unless
    `overwrite`: then a match at the threshold replaces it (the report counts them). With
    `limits`, inputs over them are refused (`TooLarge`) before any lookup.
    """
    if format not in drafts.FORMATS:
        raise InvalidInput(f"unknown draft format {format!r}: expected {', '.join(drafts.FORMATS)}")
    made_folder(out, what="the output folder")
    sources, unread = _read_all(paths, overwrite=overwrite, limits=limits)
    if limits is not None:
        limits.check(list(sources.values()))
    if total is not None:
        total(sum(len(s.segments) for s in sources.values()))
    targets, refused = _targets(sources, out, format)
    pretranslator = Pretranslator(
        memory,
        threshold=threshold,
        floor=floor,
        annotate=annotate,
        progress=progress,
        workers=workers,
    )
    results = unread | refused | _draft_all(pretranslator, sources, targets, format)
    ordered = tuple(results[i] for i in range(len(paths)))
    return _report(ordered, out, threshold=threshold, format=format, overwrite=overwrite)


def _read_all(
    paths: Sequence[Path], *, overwrite: bool, limits: Limits | None = None
) -> tuple[dict[int, Source], dict[int, FileResult]]:
    """Every input read, and the result (the error) of each that cannot be, by position; one
    refused for its size (`TooLarge`, before any work) refuses the batch."""
    sources: dict[int, Source] = {}
    failed: dict[int, FileResult] = {}
    for index, path in enumerate(paths):
        try:
            sources[index] = read(
                path, overwrite=overwrite, max_characters=limits.characters if limits else None
            )
        except TooLarge:
            raise
        except (TMError, OSError) as error:
            failed[index] = FileResult(path, error=_message(error, path))
    return sources, failed


def _targets(
    sources: dict[int, Source], out: Path, format: str
) -> tuple[dict[int, Path], dict[int, FileResult]]:
    """Where each input's draft goes, and the result (the error) of each input whose draft
    would overwrite another draft or itself."""
    targets: dict[int, Path] = {}
    refused: dict[int, FileResult] = {}
    taken: set[Path] = set()
    folders = _mirrored([source.path for source in sources.values()])
    for index, source in sources.items():
        into = out / folders[source.path] if folders else out
        target = output_path(source.path, into, format=format, xliff=source.xliff is not None)
        if format == "xliff2" and source.xliff is not None and source.xliff.version == 1:
            problem = InvalidInput(
                "is XLIFF 1.2, filled in place in its own version: --format xliff2 cannot "
                "convert it (use --format xliff, or give the French text)",
                file=str(source.path),
            )
        elif target.resolve() in taken:
            problem = InvalidInput(f"another input already wrote {target.name}", file=str(target))
        elif target.resolve() == source.path.resolve():
            problem = InvalidInput("the draft would overwrite its input", file=str(source.path))
        else:
            targets[index] = target
            taken.add(target.resolve())
            continue
        refused[index] = FileResult(source.path, error=_message(problem, source.path))
    return targets, refused


def _mirrored(paths: list[Path]) -> dict[Path, Path]:
    """When two inputs have the same name (`C-15/fr.txt`, `SOR/fr.txt`), each input's folder
    relative to the folder all inputs share, so the drafts mirror them under `--out`; none
    (drafts side by side in `--out`) when every name is different."""
    names = [path.name for path in paths]
    if len(set(names)) == len(names):
        return {}
    folders = [path.resolve().parent for path in paths]
    shared = Path(os.path.commonpath(folders))
    return {path: folder.relative_to(shared) for path, folder in zip(paths, folders, strict=True)}


def _draft_all(
    pretranslator: Pretranslator,
    sources: dict[int, Source],
    targets: dict[int, Path],
    format: str,
) -> dict[int, FileResult]:
    """Draft and write each input that has a target, while the lookups for the next ones go
    on; a file that fails gets its error, the others go on."""
    results: dict[int, FileResult] = {}
    pretranslator.prepare([sources[index] for index in targets])
    try:
        for index, target in targets.items():
            source = sources[index]
            try:
                draft = pretranslator.draft(source)
                _write(source, draft, target, format=format)
                results[index] = FileResult(source.path, output=target, draft=draft)
            except (TMError, OSError) as error:
                results[index] = FileResult(source.path, error=_message(error, source.path))
    finally:
        pretranslator.close()
    return results


def _report(
    files: tuple[FileResult, ...], out: Path, *, threshold: float, format: str, overwrite: bool
) -> Batch:
    """The batch's analysis, written to `out` as `analysis.json` and `analysis.csv`. When
    every input failed there is nothing to report: `InvalidInput` says why, and the folder's
    previous analysis is left as it was."""
    failed = tuple(r for r in files if r.error)
    if len(files) == 1 and failed:
        raise InvalidInput(failed[0].error)
    if files and len(failed) == len(files):
        reasons = "; ".join(r.error for r in failed[:5]) + ("; …" if len(failed) > 5 else "")
        raise InvalidInput(f"no draft written ({len(failed)} inputs failed): {reasons}")
    counted = [r.counted or (r.draft and analysis.analyse_file(r.draft)) for r in files]
    report = analysis.combine(
        [c for c in counted if c], failed=[(r.path.name, r.error) for r in failed]
    )
    json_path, csv_path = out / "analysis.json", out / "analysis.csv"
    document = analysis.to_json(report) | {
        "threshold": threshold,
        "format": format,
        "overwrite": overwrite,
        "outputs": [
            {"input": str(r.path), "output": str(r.output) if r.output else None} for r in files
        ],
    }
    with replacing(json_path) as temporary:
        temporary.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", "utf-8")
    with replacing(csv_path) as temporary:
        temporary.write_text(analysis.to_csv(report), "utf-8")
    return Batch(files, report, json_path, csv_path, failed)


def written(result: FileResult) -> str | None:
    """The text of the draft written for one input (read in its own encoding), or None."""
    if result.output is None:
        return None
    return splice.decode(result.output.read_bytes())[0]


def _write(source: Source, draft: Draft, path: Path, *, format: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)  # a mirrored sub-folder (`_mirrored`)
    if source.xliff is not None and format in ("xliff", "xliff2"):
        drafts.fill(source.xliff, list(draft.segments), path)
        return
    drafts.write(draft, path, format=format)


def _message(error: Exception, path: Path) -> str:
    if isinstance(error, InvalidInput):
        return error.describe() if error.file else f"{path}: {error.message}"
    if isinstance(error, OSError):
        return f"{path}: {error.strerror or error}"
    return f"{path}: {error}"


__all__ = [
    "ANALYSIS_FLOOR",
    "FORMATS",
    "REQUEST",
    "THRESHOLD",
    "Annotate",
    "Batch",
    "FileResult",
    "Format",
    "Limits",
    "Memory",
    "Pretranslator",
    "Source",
    "default_workers",
    "inputs",
    "output_path",
    "pretranslate",
    "read",
    "written",
]
