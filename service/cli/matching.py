"""`tm lookup` and `tm concordance`: suggestions and phrase search."""

from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

import glossaries
from service.cli.common import emit, err, lazy, memory, out

if TYPE_CHECKING:
    from service.pipelines import annotate as annotating
    from service.pipelines import concordance as concordances
    from service.pipelines import lookup as lookups
    from service.pipelines.lookup import Suggestions
else:
    annotating = lazy("service.pipelines.annotate")
    lookups = lazy("service.pipelines.lookup")
    concordances = lazy("service.pipelines.concordance")
from service.pipelines import LOOKUP_THRESHOLD as THRESHOLD

commands = typer.Typer()


@commands.command()
def lookup(
    text: Annotated[str, typer.Argument(help="French text to look up.")],
    limit: Annotated[int, typer.Option(min=1, max=50)] = 5,
    threshold: Annotated[float, typer.Option(min=0, max=100)] = THRESHOLD,
    context_prev: Annotated[
        str | None, typer.Option(help="The segment before TEXT in its document (for 101).")
    ] = None,
    context_next: Annotated[
        str | None, typer.Option(help="The segment after TEXT in its document (for 101).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Prior translations of a French sentence, best first, with scores and their reasons, the
    glossary terms of the sentence and the QA/glossary findings on each suggestion.

    \b
    Example: tm lookup "Les Alliés se sont réunis à Bruxelles." --limit 3 --json
    """
    with memory(reads=True, looks_up=True) as tm:
        found = lookups.lookup(
            tm,
            annotating.Annotator(glossaries.Glossary.open(tm.db)),
            text,
            limit=limit,
            threshold=threshold,
            context_prev=context_prev,
            context_next=context_next,
        )
    if as_json:
        emit(_lookup_data(found))
        return
    _show_lookup(found)


def _lookup_data(found: "Suggestions") -> dict[str, object]:
    return {
        "query": found.query,
        "matches": [
            asdict(s.match)
            | {
                "findings": [f.to_dict() for f in s.findings],
                "origin": s.origin or s.match.origin,
                "count": s.count,
                "merged": list(s.merged),
            }
            for s in found.suggestions
        ],
        "terms": [hit.to_dict() for hit in found.terms],
    }


def _show_lookup(found: "Suggestions") -> None:
    if not found.suggestions:
        out.print("no match")
    for hit in found.terms:
        out.print(escape(annotating.term_note(hit)))
    for suggestion in found.suggestions:
        match = suggestion.match
        times = f" ×{suggestion.count} (also #{', #'.join(map(str, suggestion.merged))})"
        out.print(
            f"[bold]{match.score:g}[/bold] ({match.band}) #{match.id}"
            + (escape(times) if suggestion.count > 1 else "")
        )
        out.print(f"  fr: {match.source}", markup=False, highlight=False)
        out.print(f"  en: {match.adapted_target}", markup=False, highlight=False)
        for mark in match.adaptations:
            shown = match.adapted_target[mark.start : mark.end]
            out.print(f"  adapted: {shown} (TM: {mark.original})", markup=False, highlight=False)
        for penalty in match.penalties:
            out.print(f"  −{penalty.points:g} {penalty.code}: {escape(penalty.detail)}")
        for edit in match.edits:
            out.print(
                f"  {edit.op}: {escape(edit.source_text) or '∅'} → {escape(edit.query_text) or '∅'}"
            )
        for note in match.notes:
            out.print(f"  note: {escape(note)}")
        for finding in suggestion.findings:
            out.print(f"  {escape(annotating.finding_note(finding))}")


@commands.command()
def concordance(
    expression: Annotated[str, typer.Argument(help="Phrase to search for.")],
    side: Annotated[
        str, typer.Option(help="source (French), target (English) or both.")
    ] = "source",
    limit: Annotated[int, typer.Option(min=1, max=500)] = 20,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Segments containing a phrase (any inflection, with or without accents), newest first.
    When more than 2,000 segments hold its words (per side) or time runs out, only the newest
    are checked, and a note on stderr says so (`complete` and `note` in --json).

    \b
    Example: tm concordance "ministre des finances" --side source --json
    """
    with memory(reads=True) as tm:
        found = concordances.search(tm, expression, side=side, limit=limit)
    if as_json:
        emit(
            {
                "query": expression,
                "side": side,
                "occurrences": [asdict(o) for o in found.occurrences],
                "complete": found.complete,
                "note": found.note,
                "stopped": [asdict(s) for s in found.stopped],
            }
        )
        return
    if found.note:
        err.print(f"note: {found.note}", markup=False, highlight=False)
    if not found.occurrences:
        out.print("no segment contains it")
    for occurrence in found.occurrences:
        doubt = " (flagged: doubted by the quality check)" if occurrence.status == "flagged" else ""
        out.print(f"#{occurrence.id} {occurrence.changed}{doubt}")
        out.print(f"  fr: {_marked(occurrence.source, occurrence.source_spans)}")
        out.print(f"  en: {_marked(occurrence.target, occurrence.target_spans)}")
        if occurrence.counterpart:
            out.print(f"  counterpart: {occurrence.counterpart}", markup=False, highlight=False)


def _marked(text: str, spans: tuple[tuple[int, int], ...]) -> str:
    """`text` escaped for rich, with the `spans` in bold."""
    shown, last = "", 0
    for start, end in spans:
        shown += escape(text[last:start]) + "[bold]" + escape(text[start:end]) + "[/bold]"
        last = end
    return shown + escape(text[last:])
