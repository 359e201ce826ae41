"""The `tm` command: one typer app gathering the command modules, errors reported in one place."""

import errno
import sys
from pathlib import Path
from typing import Annotated

import typer

from service.cli import (
    alignment,
    glossary,
    keys,
    lexicon,
    matching,
    memory,
    pretranslation,
    quality,
    review,
)
from service.cli.common import err, state
from tm import TMError
from tm.errors import InvalidInput

app = typer.Typer(
    name="tm",
    help="French→English translation memory. The database is --db PATH (env TM_DB, default "
    "./tm.db); it is created and migrated when needed.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain click help, not typer's rich panels: rendering help with rich imports
    # rich.markdown (markdown_it, pygments), a tenth of a second on every `--help` and every
    # usage error. Each docstring's example paragraph starts with click's `\b` marker, so that
    # it is printed as written (one line to copy), not rewrapped to the terminal's width.
    rich_markup_mode=None,
)


@app.callback()
def options(
    db: Annotated[Path, typer.Option("--db", envvar="TM_DB", help="TM database file.")] = Path(
        "tm.db"
    ),
) -> None:
    state.db = db


for module in (memory, matching, alignment, pretranslation, quality):
    app.add_typer(module.commands)
app.add_typer(glossary.app, name="glossary")
for name, command in review.COMMANDS.items():
    quality.group.command(name)(command)
app.add_typer(quality.group, name="quality")
app.add_typer(keys.app, name="keys")
app.add_typer(lexicon.app, name="lexicon")


def run(program: typer.Typer) -> None:
    """Run `program`; a `TMError`, or a full disk, is one line on stderr and exit status 1."""
    try:
        program()
    except InvalidInput as error:
        err.print(f"error: {error.describe()}", markup=False, highlight=False)
        sys.exit(1)
    except TMError as error:
        err.print(f"error: {error}", markup=False, highlight=False)
        sys.exit(1)
    except OSError as error:
        if error.errno not in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            raise
        where = f" writing {error.filename}" if error.filename else ""
        err.print(
            f"error: disk is full{where}: nothing was kept ({error.strerror})",
            markup=False,
            highlight=False,
        )
        sys.exit(1)


__all__ = ["app", "run"]
