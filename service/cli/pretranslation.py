"""`tm pretranslate`: drafts for new French releases and the analysis report."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

import glossaries
from service.cli.cluster import ClusterOption, CopyOption, TimeoutOption, place, told
from service.cli.common import emit, err, lazy, memory, out, progress_bar
from service.pipelines import DRAFT_THRESHOLD as THRESHOLD
from service.pipelines import MAX_DEFAULT_WORKERS

if TYPE_CHECKING:
    from service.pipelines import annotate as annotating
    from service.pipelines import batches
    from service.pipelines import pretranslation as pretranslating
    from service.pipelines.pretranslation import Batch
    from tm.drafting import analysis
else:
    annotating = lazy("service.pipelines.annotate")
    batches = lazy("service.pipelines.batches")
    pretranslating = lazy("service.pipelines.pretranslation")
    analysis = lazy("tm.drafting.analysis")

commands = typer.Typer()


Files = Annotated[
    list[Path],
    typer.Argument(help="French files: .txt (a paragraph a line), .md, .html, .docx, .xlf."),
]
Threshold = Annotated[
    float, typer.Option(min=50, max=101, help="Lowest score that fills a target.")
]
Floor = Annotated[
    float,
    typer.Option(
        min=0,
        max=101,
        help="Lowest score looked up for the report when nothing reaches --threshold (50: "
        "the full Trados bands; set it to --threshold to skip those lookups, ~2× faster on "
        "a large TM).",
    ),
]
Format = Annotated[
    str, typer.Option("--format", help="Draft format: xliff (1.2), xliff2 (2.1), tmx, txt.")
]
Notes = Annotated[bool, typer.Option(help="Glossary terms and QA findings as notes in the draft.")]
Workers = Annotated[
    int | None,
    typer.Option(
        min=1,
        help="Processes sharing the lookups (default: the CPUs available, at most "
        f"{MAX_DEFAULT_WORKERS}; 1: look up in this process).",
    ),
]

Overwrite = Annotated[
    bool,
    typer.Option(
        "--overwrite",
        help="Replace translations already in XLIFF inputs when the TM has a match (by "
        "default a target with content is never touched).",
    ),
]


@commands.command("pretranslate")
def pretranslate_command(
    files: Files,
    out_dir: Annotated[Path, typer.Option("--out", help="Directory for drafts and the report.")],
    threshold: Threshold = THRESHOLD,
    floor: Floor = 50,
    format: Format = "xliff",
    notes: Notes = True,
    workers: Workers = None,
    overwrite: Overwrite = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    cluster: ClusterOption = None,
    tm_copy: CopyOption = None,
    cluster_timeout: TimeoutOption = 10.0,
) -> None:
    """Pretranslate new French files from the TM: one draft per file plus analysis.json/.csv.

    XLIFF files from a CAT tool are filled in place: only empty or missing targets are
    filled, every other byte is kept as read; translations already there are counted as
    `existing` (--overwrite replaces them), `translate="no"` segments as `locked`.
    Targets: 100/101 matches are `translated`, fuzzy ones `needs-review-translation`
    with up to 3 alt-trans, the rest `needs-translation`. The report counts segments and words
    per match band (101, 100, 95-99, 85-94, 75-84, 50-74, no match, repetitions).

    Lookups are shared among worker processes forked once the index is built (--workers);
    with --cluster, documents are shared among a Dask cluster's workers reading a copy of the
    TM (same drafts and report; a run started again skips what it had done). A folder stands
    for its files (releases/ --out drafts/ --cluster tcp://scheduler:8786).

    \b
    Example: tm --db demo.db pretranslate data/new/*.fr.txt --out build/draft --threshold 75
    """
    _check_format(format)
    batch, extra = _run(
        pretranslating.inputs(files, out=out_dir),
        out_dir,
        threshold=threshold,
        floor=floor,
        format=format,
        notes=notes,
        workers=workers,
        overwrite=overwrite,
        cluster=cluster,
        tm_copy=tm_copy,
        timeout=cluster_timeout,
        quiet=as_json,
    )
    if as_json:
        emit(
            analysis.to_json(batch.analysis)
            | {
                "outputs": [str(r.output) for r in batch.files if r.output],
                "report": str(batch.report),
                "csv": str(batch.table),
            }
            | extra
        )
    else:
        show(batch)
    if batch.failed:
        raise typer.Exit(1)


def _check_format(format: str) -> None:
    if format not in pretranslating.FORMATS:
        known = ", ".join(pretranslating.FORMATS)
        raise typer.BadParameter(f"expected one of {known}", param_hint="--format")


def _run(
    files: list[Path],
    out_dir: Path,
    *,
    threshold: float,
    floor: float,
    format: str,
    notes: bool,
    workers: int | None,
    overwrite: bool,
    cluster: str | None,
    tm_copy: Path | None,
    timeout: float,
    quiet: bool,
) -> "tuple[Batch, dict[str, object]]":
    """The batch pretranslated here (processes forked from this one) or on workers
    (`--cluster`), with what a cluster run adds to the JSON report."""
    with memory(reads=True, looks_up=cluster is None) as tm, progress_bar(quiet=quiet) as bar:
        task = bar.add_task("pretranslating", total=None)

        def advance(count: int) -> None:
            bar.advance(task, count)

        def size(count: int) -> None:
            bar.update(task, total=count)

        if cluster is None:
            batch = pretranslating.pretranslate(
                tm,
                files,
                out=out_dir,
                threshold=threshold,
                floor=floor,
                format=format,
                annotate=annotating.Annotator(glossaries.Glossary.open(tm.db)).notes
                if notes
                else None,
                progress=advance,
                total=size,
                workers=workers or pretranslating.default_workers(),
                overwrite=overwrite,
            )
            return batch, {}
        run = batches.pretranslate(
            tm,
            files,
            out=out_dir,
            place=place(cluster, workers=workers, tm_copy=tm_copy, timeout=timeout),
            threshold=threshold,
            floor=floor,
            format=format,
            notes=notes,
            overwrite=overwrite,
            progress=advance,
            total=size,
        )
    return run.batch, told(run.snapshot, skipped=run.skipped, kind="file(s)")


SHORT = {"none": "new", "repetitions": "reps", "existing": "kept", "locked": "no-tr"}


def show(batch: "Batch") -> None:
    """The report as Trados users read it: words per band for each file, then the batch's
    segments, words and share of words per band."""
    report = batch.analysis
    files = Table(title="Words per match band", title_justify="left")
    files.add_column("file", no_wrap=True)
    for category in analysis.CATEGORIES:
        files.add_column(SHORT.get(category, category), justify="right", no_wrap=True)
    files.add_column("words", justify="right", no_wrap=True)
    files.add_column("segs", justify="right", no_wrap=True)
    numbered = [(str(n), item) for n, item in enumerate(report.files, start=1)]
    for label, item in [*numbered, ("batch", report.batch)]:
        files.add_row(
            label,
            *(f"{item.count(c).words:,}" for c in analysis.CATEGORIES),
            f"{item.total.words:,}",
            f"{item.total.segments:,}",
            style="bold" if item is report.batch else None,
        )
    out.print(files)
    totals = Table(title="Batch", title_justify="left")
    for name in ("band", "segments", "words", "% words"):
        totals.add_column(name, justify="left" if name == "band" else "right")
    whole = report.batch.total.words or 1
    for category in analysis.CATEGORIES:
        count = report.batch.count(category)
        totals.add_row(
            analysis.LABELS[category],
            f"{count.segments:,}",
            f"{count.words:,}",
            f"{100 * count.words / whole:.1f}",
        )
    total = report.batch.total
    totals.add_row("total", f"{total.segments:,}", f"{total.words:,}", "100.0", style="bold")
    out.print(totals)
    drafts = [r for r in batch.files if r.output]
    for number, result in enumerate(drafts, start=1):
        out.print(
            f"{number}: {result.path.name} → draft {result.output}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    if report.batch.replaced:
        out.print(f"--overwrite: {report.batch.replaced:,} existing translation(s) replaced")
    out.print(
        f"report: {batch.report} and {batch.table}", markup=False, highlight=False, soft_wrap=True
    )
    if batch.failed:
        err.print(
            f"{len(batch.failed)} of {len(batch.files)} file(s) failed:",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        for result in batch.failed:
            err.print(f"  error: {result.error}", markup=False, highlight=False, soft_wrap=True)
