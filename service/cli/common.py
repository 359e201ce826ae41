"""What every `tm` command shares: the database option's value, the consoles, JSON output and
the progress bar."""

import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.errors import LiveError

from tm.lazy import module

lazy = module
"""The modules a command calls, each loaded when the command runs (`tm.lazy.module`)."""

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID

    from tm import TranslationMemory

WIDE = 200
"""Columns when the output is not a terminal (rich's default of 80 cut tables in a log)."""


def _console(*, stderr: bool = False) -> Console:
    """A console as wide as the terminal, or `WIDE` when output goes to a file or pipe (and
    `COLUMNS` does not say otherwise)."""
    console = Console(stderr=stderr)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console.width = WIDE
    return console


err = _console(stderr=True)
out = _console()


class State:
    """The global options, set by the `tm` callback before a command runs."""

    db: Path = Path("tm.db")


state = State()


def memory(*, reads: bool = False, looks_up: bool = False) -> "TranslationMemory":
    """The TM at `--db`; a progress bar shows while its lookup index is built or catches up.

    A command that `reads` the TM says so on stderr when the file did not exist and was just
    created empty: a missing `--db` is otherwise only a "no match". One that `looks_up` has the
    saved lookup index read and checked in the background from now on, while it imports the
    engine (`TranslationMemory.prepare_lookups`)."""
    from tm import TranslationMemory

    created = not state.db.exists()
    opened = TranslationMemory.open(state.db)
    if looks_up:
        opened.prepare_lookups()
    opened.index_progress = IndexProgress()
    if reads and created:
        err.print(empty_note(state.db), markup=False, highlight=False)
    return opened


def empty_note(db: Path) -> str:
    """`TM is empty: ./tm.db was created now; did you mean --db build/demo.db?` (the
    databases lying near, or the `--db PATH` / `TM_DB` form when there is none)."""
    near = sorted(
        str(path)
        for folder in (Path("."), Path("build"))
        if folder.is_dir()
        for path in folder.glob("*.db")
        if path.resolve() != db.resolve()
    )
    shown = db.as_posix() if db.is_absolute() or db.as_posix().startswith(".") else f"./{db}"
    hint = " or ".join(f"--db {path}" for path in near[:3]) or "--db PATH (or TM_DB=PATH)"
    return f"TM is empty: {shown} was created now; did you mean {hint}?"


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


def progress_bar(*, quiet: bool = False) -> "Progress":
    """A progress bar on stderr, shown from the moment it starts; off when stderr is not a
    terminal or the command is `quiet` (`--json`)."""
    # Imported here: a command without a bar (`tm stats`) starts without rich's live display.
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
        disable=quiet or not err.is_terminal,
    )
