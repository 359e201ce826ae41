"""`tm quality reject|restore|confirm|history`: a maintainer's review of the pairs the quality
check flagged (`tm quality report` is the queue), audited."""

from collections.abc import Callable
from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated, Any

import typer

from service.cli.common import emit, lazy, memory, out

if TYPE_CHECKING:
    from service.pipelines import review as reviewing
    from tm import Review
else:
    reviewing = lazy("service.pipelines.review")

Ids = Annotated[list[int], typer.Argument(help="Segment ids (see `tm quality report`).")]
Note = Annotated[str, typer.Option("--note", help="Why (kept in the audit).")]
Author = Annotated[str, typer.Option("--author", envvar="TM_AUTHOR", help="Who reviews (audited).")]
Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _run(action: str, ids: list[int], author: str, note: str, as_json: bool) -> None:
    with memory() as tm:
        done = reviewing.review(tm, ids, action=action, author=author, note=note)
    if as_json:
        emit(asdict(done))
        return
    for item in done.changed:
        out.print(f"#{item.segment}: {item.before} → {item.after}", highlight=False)
    if done.unchanged:
        listed = ", ".join(f"#{i}" for i in done.unchanged)
        out.print(f"unchanged (already so): {listed}", highlight=False)


def reject(ids: Ids, note: Note = "", author: Author = "cli", as_json: Json = False) -> None:
    """Reject pairs: kept in the TM (and exports) but never suggested, whatever their score.

    \b
    Example: tm quality reject 1234 1240 --note "English of the next section" --author marie
    """
    _run("reject", ids, author, note, as_json)


def restore(ids: Ids, note: Note = "", author: Author = "cli", as_json: Json = False) -> None:
    """Restore rejected pairs: each gets back the status it had before it was rejected.

    \b
    Example: tm quality restore 1234 --author marie
    """
    _run("restore", ids, author, note, as_json)


def confirm(ids: Ids, note: Note = "", author: Author = "cli", as_json: Json = False) -> None:
    """Confirm flagged pairs: right after all, suggested without penalty, never flagged again.

    \b
    Example: tm quality confirm 1234 --note "heading, checked" --author marie
    """
    _run("confirm", ids, author, note, as_json)


def history(
    segment: Annotated[int | None, typer.Argument(help="A segment id (default: all).")] = None,
    limit: Annotated[int, typer.Option(min=1, max=10_000)] = 100,
    as_json: Json = False,
) -> None:
    """Who rejected, restored or confirmed which pair, when and why, newest first.

    \b
    Example: tm quality history 1234 --json
    """
    with memory() as tm:
        found = reviewing.history(tm, segment, limit=limit)
    if as_json:
        emit([asdict(item) for item in found])
        return
    if not found:
        out.print("no review")
    for item in found:
        out.print(_line(item), markup=False, highlight=False)


def _line(item: "Review") -> str:
    note = f" — {item.note}" if item.note else ""
    change = f"({item.before} → {item.after})"
    return f"{item.at} {item.author or '?'} {item.action} #{item.segment} {change}{note}"


COMMANDS: dict[str, Callable[..., Any]] = {
    "reject": reject,
    "restore": restore,
    "confirm": confirm,
    "history": history,
}
"""The review commands, registered in the `tm quality` group."""
