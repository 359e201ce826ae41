"""`tm pretranslate`: drafts for new French releases and the analysis report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from service.cli import app, emit, err, memory, out, progress_bar
from service.pretranslation import Batch, pretranslate
from tm import analysis
from tm.formats.drafts import FORMATS


@app.command("pretranslate")
def pretranslate_command(
    files: Annotated[
        list[Path],
        typer.Argument(help="French files: .txt (a paragraph a line), .md, .html, .docx, .xlf."),
    ],
    out_dir: Annotated[Path, typer.Option("--out", help="Directory for drafts and the report.")],
    threshold: Annotated[
        float, typer.Option(min=50, max=101, help="Lowest score that fills a target.")
    ] = 75,
    format: Annotated[
        str, typer.Option("--format", help="Draft format: xliff (1.2), xliff2 (2.1), tmx, txt.")
    ] = "xliff",
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Pretranslate new French files from the TM: one draft per file plus analysis.json/.csv.

    XLIFF files exported untranslated by a CAT tool are filled in place (ids, notes and tags
    kept). Targets: 100/101 matches are `translated`, fuzzy ones `needs-review-translation`
    with up to 3 alt-trans, the rest `needs-translation`. The report counts segments and words
    per match band (101, 100, 95-99, 85-94, 75-84, 50-74, no match, repetitions).

    Example: tm --db demo.db pretranslate data/new/*.fr.txt --out build/draft --threshold 75
    """
    if format not in FORMATS:
        raise typer.BadParameter(f"expected one of {', '.join(FORMATS)}", param_hint="--format")
    with memory() as tm, progress_bar() as bar:
        task = bar.add_task("pretranslating", total=None)
        batch = pretranslate(
            tm,
            files,
            out=out_dir,
            threshold=threshold,
            format=format,
            progress=lambda n: bar.advance(task, n),
            total=lambda n: bar.update(task, total=n),
        )
    if as_json:
        emit(
            analysis.to_json(batch.analysis)
            | {
                "outputs": [str(r.output) for r in batch.files if r.output],
                "report": str(batch.report),
                "csv": str(batch.table),
            }
        )
    else:
        show(batch)
    if batch.failed:
        raise typer.Exit(1)


def show(batch: Batch) -> None:
    """The report as Trados users read it: words and segments per band, per file and batch."""
    table = Table(title="Analysis", title_justify="left")
    table.add_column("band")
    items = [*batch.analysis.files, batch.analysis.batch]
    for item in items:
        table.add_column(f"{item.name}\nsegments / words", justify="right")
    table.add_column("% words", justify="right")
    batch_words = batch.analysis.batch.total.words or 1
    for category in [*analysis.CATEGORIES, "total"]:
        cells = []
        for item in items:
            count = item.total if category == "total" else item.count(category)
            cells.append(f"{count.segments:,} / {count.words:,}")
        words = (
            batch.analysis.batch.total
            if category == "total"
            else batch.analysis.batch.count(category)
        ).words
        label = "total" if category == "total" else analysis.LABELS[category]
        table.add_row(label, *cells, f"{100 * words / batch_words:.1f}")
    out.print(table)
    for result in batch.files:
        if result.output:
            out.print(f"draft: {result.output}", markup=False, highlight=False, soft_wrap=True)
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
