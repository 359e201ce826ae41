"""`tm import`, `tm export` and `tm stats`: the TM's contents in and out."""

from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from service.cli.common import emit, lazy, memory, out, progress_bar

if TYPE_CHECKING:
    from service.pipelines import importing
else:
    importing = lazy("service.pipelines.importing")

commands = typer.Typer()


@commands.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(help="TMX, XLIFF, TSV/CSV, or X.fr + X.en files.")],
    origin: Annotated[
        str | None, typer.Option(help="Collection name (default: file stem).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    score: Annotated[
        bool,
        typer.Option(
            help="Score pair quality of the new pairs (`tm quality rescore --only-missing` later)."
        ),
    ] = True,
    swap: Annotated[
        bool,
        typer.Option(
            "--swap", help="Read bitexts the other way round: X.en as French, TSV columns en, fr."
        ),
    ] = False,
) -> None:
    """Import translation units (one transaction: all files or nothing).

    A bitext (X.fr + X.en, TSV/CSV) whose French side reads as English (or English as French,
    or either as neither language) is refused before anything is written, with what to swap;
    a CSV that is a glossary's is refused with a pointer to `tm glossary import`.

    \b
    Example: tm import archive.tmx releases/2023-11-28.fr --origin press
    """
    with memory() as tm, progress_bar(quiet=as_json) as bar:
        task = bar.add_task("importing", total=None)
        scoring = bar.add_task("scoring pair quality", total=None, visible=False)
        done = importing.import_files(
            tm,
            files,
            origin=origin,
            score=score,
            swap=swap,
            progress=lambda n: bar.advance(task, n),
            # the pairs are scored while the next ones are stored: a line of their own
            scoring=lambda n: bar.update(scoring, visible=True, advance=n),
            workers=0,
        )
    if as_json:
        emit(done.to_dict())
        return
    report = done.report
    scored = f"; scored {done.scored}, flagged {done.flagged}" if done.scored is not None else ""
    out.print(
        f"imported {report.imported}, duplicates {report.duplicates}, "
        f"skipped {len(report.skipped)} from {len(report.files)} input(s){scored}"
    )
    for where, why in report.skipped[:20]:
        out.print(f"  skipped {where}: {why}")
    if len(report.skipped) > 20:
        out.print(f"  … and {len(report.skipped) - 20} more (use --json for all)")


@commands.command()
def export(
    output: Annotated[Path, typer.Argument(help="TMX file to write.")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Export the whole TM as TMX 1.4b, with dates, origin and document properties.

    \b
    Example: tm export backup.tmx
    """
    with memory(reads=True) as tm, progress_bar(quiet=as_json) as bar:
        task = bar.add_task("exporting", total=tm.count())
        count = tm.export(output, progress=lambda n: bar.advance(task, n))
    if as_json:
        emit({"exported": count, "file": str(output)})
    else:
        out.print(f"exported {count} units to {output}")


@commands.command()
def stats(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Counts of segments, documents and origins, and the database size.

    \b
    Example: tm stats --json
    """
    with memory(reads=True) as tm:
        figures = tm.stats()
    if as_json:
        emit(asdict(figures))
        return
    table = Table("what", "count")
    table.add_row("segments", f"{figures.segments:,}")
    table.add_row("documents", f"{figures.documents:,}")
    table.add_row("database size", f"{figures.size_bytes / 1e6:,.1f} MB")
    for name, number in figures.origins.items():
        table.add_row(f"origin {name or '(none)'}", f"{number:,}")
    out.print(table)
