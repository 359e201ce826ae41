"""What every `tm` command shares: the database option's value, the consoles, JSON output and
the progress bar."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.errors import LiveError
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TaskID,
    TextColumn,
)

from tm import TranslationMemory

err = Console(stderr=True)
out = Console()


class State:
    """The global options, set by the `tm` callback before a command runs."""

    db: Path = Path("tm.db")


state = State()


def memory() -> TranslationMemory:
    """The TM at `--db`; a progress bar shows while its lookup index is built or catches up."""
    opened = TranslationMemory.open(state.db)
    opened.index.progress = IndexProgress()
    return opened


class IndexProgress:
    """A progress bar on stderr for the lookup index's long work (`tm.retrieval.index`)."""

    def __init__(self) -> None:
        self.bar: Progress | None = None
        self.task: TaskID | None = None
        self.said = False

    def __call__(self, what: str, done: int, total: int) -> None:
        if self.bar is None or self.task is None:
            if done >= total or self.said:
                return
            bar = progress_bar()
            try:
                bar.start()
            except LiveError:  # the command's own bar is showing: one line instead
                if err.is_terminal:
                    err.print(f"{what}…", markup=False, highlight=False)
                self.said = True
                return
            self.bar, self.task = bar, bar.add_task(what, total=total)
        if done >= total:  # the work is over
            self.bar.stop()
            self.bar = self.task = None
            return
        self.bar.update(self.task, description=what, completed=done, total=total)


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
