"""The `tm` program: the command line of `service.cli` plus `tm serve`, which starts the HTTP
service of `service.http`. The one module that sees both edges."""

from __future__ import annotations

import os
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
) -> None:
    """Serve the HTTP API (OpenAPI at /docs).

    Example: tm --db demo.db serve --port 8000
    """
    import uvicorn

    from service.http import create_app

    settings = Settings.from_mapping(
        {**os.environ, "TM_DB": str(state.db), "TM_HOST": host, "TM_PORT": str(port)}
    )
    out.print(f"serving {state.db} at http://{host}:{port}/ (API docs: http://{host}:{port}/docs)")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


def main() -> None:
    """Entry point: `tm …`."""
    cli.run(app)
