"""What every `tm` command shares: the database option's value, the consoles, JSON output and
the progress bar."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn

from tm import TranslationMemory

err = Console(stderr=True)
out = Console()


class State:
    """The global options, set by the `tm` callback before a command runs."""

    db: Path = Path("tm.db")


state = State()


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
