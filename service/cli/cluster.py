"""The options that send `tm pretranslate` and `tm align --batch --store` to workers
(`--cluster`, `--tm-copy`, `--cluster-timeout`), and what such a run adds to their reports."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from service.cli.common import err, lazy

if TYPE_CHECKING:
    from service.pipelines import runs
else:
    runs = lazy("service.pipelines.runs")

ClusterOption = Annotated[
    str | None,
    typer.Option(
        "--cluster",
        help="Run on workers, each reading a read-only copy of the TM: a Dask scheduler's "
        "address (tcp://scheduler:8786), or 'local' for a Dask cluster started here (processes "
        "here without Dask: pip install 'tm[cluster]'). Resumable: documents done are skipped.",
    ),
]
CopyOption = Annotated[
    Path | None,
    typer.Option(
        "--tm-copy",
        help="With --cluster: a folder every worker can read at the same path, where the TM is "
        "copied for them (default: beside the TM, TM.copies); the copy is kept, and used again "
        "by the next run while the TM has not changed.",
    ),
]
TimeoutOption = Annotated[
    float,
    typer.Option(
        "--cluster-timeout",
        min=0.1,
        help="With --cluster: seconds to reach the scheduler and for a worker to join.",
    ),
]


def place(
    address: str | None, *, workers: int | None, tm_copy: Path | None, timeout: float
) -> "runs.Place":
    """Where a `--cluster` run goes (`local` starts `--workers` processes, 2 by default)."""
    return runs.Place(address, workers or 2, tm_copy, timeout)


def told(snapshot: "runs.Snapshot", *, skipped: int, kind: str) -> dict[str, object]:
    """Say on stderr what the run read and skipped; the same as JSON."""
    err.print(snapshot.describe(), markup=False, highlight=False, soft_wrap=True)
    if skipped:
        err.print(
            f"resumed: {skipped:,} {kind} done by an earlier run skipped",
            markup=False,
            highlight=False,
        )
    return {
        "tm_copy": {
            "made": snapshot.made,
            "segments": snapshot.segments,
            "engine": snapshot.engine,
            "changed_during_run": snapshot.changed,
            "reused": snapshot.reused,
        },
        "skipped": skipped,
    }


__all__ = ["ClusterOption", "CopyOption", "TimeoutOption", "place", "told"]
