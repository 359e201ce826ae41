"""The `tm` program: the command line of `service.cli` plus `tm serve`, which starts the HTTP
service of `service.http`. The one module that sees both edges."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from service import cli
from service.cli.common import out, state
from service.settings import Settings

app = cli.app


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.")] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            min=0,
            help="Worker processes (0: one per CPU this process may use). They share the "
            "TM's saved lookup index through the page cache.",
        ),
    ] = 0,
) -> None:
    """Serve the HTTP API (OpenAPI at /docs) from one or more worker processes.

    \b
    Example: tm --db demo.db serve --port 8000 --workers 4
    """
    from tm.retrieval import verification

    # The saved lookup index is read and checked in the background while the web stack loads.
    verification.ahead(verification.path_for(state.db))
    import uvicorn

    from tm.retrieval.workers import available

    values = {"TM_DB": str(state.db), "TM_HOST": host, "TM_PORT": str(port)}
    count = workers or available()
    out.print(
        f"serving {state.db} at http://{host}:{port}/ with {count} worker(s) "
        f"(API docs: http://{host}:{port}/docs)"
    )
    if count == 1:
        from service.http import create_app

        settings = Settings.from_mapping({**os.environ, **values})
        uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")
        return
    # Each worker builds its app from the environment; they share their jobs' states.
    _fork_workers()
    shared = Path(tempfile.mkdtemp(prefix="tm-serve-jobs-"))
    os.environ.update(values | {"TM_JOBS_FOLDER": str(shared)})
    try:
        uvicorn.run(
            "service.http.app:from_environment",
            factory=True,
            host=host,
            port=port,
            workers=count,
            log_level="warning",
        )
    finally:
        shutil.rmtree(shared, ignore_errors=True)


def _fork_workers() -> None:
    """Have uvicorn fork its workers from this process, which imports the service once for all
    of them, instead of spawning fresh interpreters that each import it again (a second or more
    each, on a busy machine much more). This process has no thread yet: forking is safe. Where
    fork is missing, or uvicorn changes how it starts workers, they are spawned as before."""
    import multiprocessing

    from uvicorn import _subprocess

    import service.http.app  # noqa: F401  (imported once, here, for every worker)

    if "fork" in multiprocessing.get_all_start_methods() and hasattr(_subprocess, "spawn"):
        _subprocess.spawn = multiprocessing.get_context("fork")  # type: ignore[assignment]


def main() -> None:
    """Entry point: `tm …`."""
    cli.run(app)
