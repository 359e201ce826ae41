"""The `tm` command: typer app, one function per command, errors reported in one place."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn
from rich.table import Table

from service.settings import Settings
from tm import TMError, TranslationMemory
from tm.errors import InvalidInput

app = typer.Typer(
    name="tm",
    help="French→English translation memory. The database is --db PATH (env TM_DB, default "
    "./tm.db); it is created and migrated when needed.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)
out = Console()


class State:
    db: Path = Path("tm.db")


state = State()


@app.callback()
def options(
    db: Annotated[Path, typer.Option("--db", envvar="TM_DB", help="TM database file.")] = Path(
        "tm.db"
    ),
) -> None:
    state.db = db


def memory() -> TranslationMemory:
    return TranslationMemory.open(state.db)


def emit(data: Any) -> None:
    """Machine output: one JSON document on stdout."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def progress_bar() -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


@app.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(help="TMX, XLIFF, TSV/CSV, or X.fr + X.en files.")],
    origin: Annotated[
        str | None, typer.Option(help="Collection name (default: file stem).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Import translation units (one transaction: all files or nothing).

    Example: tm import archive.tmx releases/2023-11-28.fr --origin press
    """
    with memory() as tm, progress_bar() as bar:
        task = bar.add_task("importing", total=None)
        report = tm.import_files(files, origin=origin, progress=lambda n: bar.advance(task, n))
    data = {
        "imported": report.imported,
        "duplicates": report.duplicates,
        "skipped": [{"where": where, "reason": why} for where, why in report.skipped],
        "files": report.files,
    }
    if as_json:
        emit(data)
        return
    out.print(
        f"imported {report.imported}, duplicates {report.duplicates}, "
        f"skipped {len(report.skipped)} from {len(report.files)} input(s)"
    )
    for where, why in report.skipped[:20]:
        out.print(f"  skipped {where}: {why}")
    if len(report.skipped) > 20:
        out.print(f"  … and {len(report.skipped) - 20} more (use --json for all)")


@app.command()
def export(
    output: Annotated[Path, typer.Argument(help="TMX file to write.")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Export the whole TM as TMX 1.4b, with dates, origin and document properties.

    Example: tm export backup.tmx
    """
    with memory() as tm, progress_bar() as bar:
        task = bar.add_task("exporting", total=tm.count())
        count = tm.export(output, progress=lambda n: bar.advance(task, n))
    if as_json:
        emit({"exported": count, "file": str(output)})
    else:
        out.print(f"exported {count} units to {output}")


@app.command()
def stats(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Counts of segments, documents and origins, and the database size.

    Example: tm stats --json
    """
    with memory() as tm:
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


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
) -> None:
    """Serve the HTTP API (OpenAPI at /docs).

    Example: tm --db demo.db serve --port 8000
    """
    import uvicorn

    from service.app import create_app

    settings = Settings.from_mapping(
        {**os.environ, "TM_DB": str(state.db), "TM_HOST": host, "TM_PORT": str(port)}
    )
    out.print(f"serving {state.db} at http://{host}:{port}/ (API docs: http://{host}:{port}/docs)")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


def main() -> None:
    """Entry point: run the app; a `TMError` is one line on stderr and exit status 1."""
    try:
        app()
    except InvalidInput as error:
        err.print(f"error: {error.describe()}", markup=False, highlight=False)
        sys.exit(1)
    except TMError as error:
        err.print(f"error: {error}", markup=False, highlight=False)
        sys.exit(1)


# Command groups registered on `app` (imported last: they import `app` from here).
from service import (  # noqa: E402, F401
    commands_alignment,
    commands_glossary,
    commands_keys,
    commands_matching,
    commands_pretranslation,
)
