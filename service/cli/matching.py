"""`tm lookup` and `tm concordance`: suggestions and phrase search."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer
from rich.markup import escape

from service.cli.common import emit, memory, out

commands = typer.Typer()


@commands.command()
def lookup(
    text: Annotated[str, typer.Argument(help="French text to look up.")],
    limit: Annotated[int, typer.Option(min=1, max=50)] = 5,
    threshold: Annotated[float, typer.Option(min=0, max=100)] = 70,
    context_prev: Annotated[
        str | None, typer.Option(help="The segment before TEXT in its document (for 101).")
    ] = None,
    context_next: Annotated[
        str | None, typer.Option(help="The segment after TEXT in its document (for 101).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Prior translations of a French sentence, best first, with scores and their reasons.

    Example: tm lookup "Les Alliés se sont réunis à Bruxelles." --limit 3 --json
    """
    with memory() as tm:
        found = tm.lookup(
            text,
            limit=limit,
            threshold=threshold,
            context_prev=context_prev,
            context_next=context_next,
        )
    if as_json:
        emit({"query": text, "matches": [asdict(m) for m in found]})
        return
    if not found:
        out.print("no match")
    for match in found:
        out.print(f"[bold]{match.score:g}[/bold] ({match.band}) #{match.id}")
        out.print(f"  fr: {match.source}", markup=False, highlight=False)
        out.print(f"  en: {match.adapted_target}", markup=False, highlight=False)
        for penalty in match.penalties:
            out.print(f"  −{penalty.points:g} {penalty.code}: {escape(penalty.detail)}")
        for edit in match.edits:
            out.print(
                f"  {edit.op}: {escape(edit.source_text) or '∅'} → {escape(edit.query_text) or '∅'}"
            )
        for note in match.notes:
            out.print(f"  note: {escape(note)}")


@commands.command()
def concordance(
    expression: Annotated[str, typer.Argument(help="Phrase to search for.")],
    side: Annotated[str, typer.Option(help="source (French) or target (English).")] = "source",
    limit: Annotated[int, typer.Option(min=1, max=500)] = 20,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Segments containing a phrase (any inflection, with or without accents), newest first.

    Example: tm concordance "ministre des finances" --side source --json
    """
    with memory() as tm:
        hits = tm.concordance(expression, side=side, limit=limit)
    if as_json:
        emit({"query": expression, "side": side, "hits": [asdict(h) for h in hits]})
        return
    if not hits:
        out.print("no segment contains it")
    for hit in hits:
        text = hit.source if side == "source" else hit.target
        shown = ""
        last = 0
        for start, end in hit.spans:
            shown += escape(text[last:start]) + "[bold]" + escape(text[start:end]) + "[/bold]"
            last = end
        shown += escape(text[last:])
        out.print(f"#{hit.id} {hit.changed}  {shown}")
        other = hit.target if side == "source" else hit.source
        out.print(f"  {'en' if side == 'source' else 'fr'}: {other}", markup=False)
        if hit.counterpart:
            out.print(f"  counterpart: {hit.counterpart}", markup=False, highlight=False)
