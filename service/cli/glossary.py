"""`tm glossary …`: termbase work (`tm check`, which includes glossary compliance, is in
`service.cli.quality`)."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

import glossaries
from service.cli.common import emit, memory, out, progress_bar

if TYPE_CHECKING:
    from glossaries import Glossary, Term

app = typer.Typer(
    help="The institutional termbase: import, export, find, add, edit, deprecate, delete, history.",
    no_args_is_help=True,
)

Author = Annotated[
    str, typer.Option("--author", envvar="TM_AUTHOR", help="Who makes the change (audited).")
]
Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]
Version = Annotated[
    int | None,
    typer.Option(
        help="Version you read (see `show`); refused if the term changed since. "
        "Default: its current version."
    ),
]


@contextmanager
def opened() -> "Iterator[Glossary]":
    with memory() as tm:
        yield glossaries.Glossary.open(tm.db)


def _print_term(term: "Term") -> None:
    out.print(
        f"#{term.id} v{term.version} [{term.language}] {term.text} ({term.status}) "
        f"concept {term.concept}",
        markup=False,
        highlight=False,
    )


def _report(term: "Term", as_json: bool) -> None:
    if as_json:
        emit(term.to_dict())
    else:
        _print_term(term)


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="TBX (v2 or v3), CSV or TSV termbase.")],
    author: Author = "cli",
    swap: Annotated[
        bool, typer.Option("--swap", help="Read the file's French and English the other way round.")
    ] = False,
    as_json: Json = False,
) -> None:
    """Import a termbase in one transaction (a bad row: nothing is written). French terms that
    read as English (or English as French, or either as neither language) are refused with
    what to swap.

    \b
    Example: tm glossary import data/glossary/glossary.tbx --author marie
    """
    with opened() as glossary, progress_bar(quiet=as_json) as bar:
        bar.add_task(f"importing {file.name}", total=None)
        report = glossary.import_file(file, author=author, swap=swap)
    if as_json:
        emit(report.to_dict())
        return
    out.print(
        f"concepts: {report.concepts_added} added, {report.concepts_updated} updated; terms: "
        f"{report.terms_added} added, {report.terms_updated} updated, {report.unchanged} "
        f"unchanged, {report.duplicates} duplicate rows ignored",
        highlight=False,
    )


@app.command()
def export(
    output: Annotated[Path, typer.Argument(help="OUT.tbx (TBX-Basic v3), OUT.csv or OUT.tsv.")],
    as_json: Json = False,
) -> None:
    """Export the termbase (.tsv is OmegaT's glossary format).

    \b
    Example: tm glossary export termbase.tbx
    """
    with opened() as glossary:
        count = glossary.export(output)
    if as_json:
        emit({"exported": count, "file": str(output)})
    else:
        out.print(f"exported {count} entries to {output}", highlight=False)


@app.command()
def find(
    text: Annotated[str, typer.Argument(help="French text.")],
    as_json: Json = False,
) -> None:
    """Glossary terms in a French text (inflected forms, elision, case), with spans.

    \b
    Example: tm glossary find "Les ministres des Affaires étrangères des Alliés" --json
    """
    with opened() as glossary:  # its recogniser alone: the QA rules are not needed to find
        hits = glossary.recogniser().find(text)
    if as_json:
        emit({"hits": [hit.to_dict() for hit in hits]})
        return
    if not hits:
        out.print("no term")
    table = Table("span", "text", "term", "English", "status", "concept")
    for hit in hits:
        table.add_row(f"{hit.start}-{hit.end}", hit.text, hit.fr, hit.en, hit.status, hit.concept)
    if hits:
        out.print(table)


@app.command()
def show(
    term: Annotated[str, typer.Argument(help="Term id or exact text.")],
    as_json: Json = False,
) -> None:
    """The terms spelled TERM (or term #id) with their concept, ids and versions.

    \b
    Example: tm glossary show "secrétaire général"
    Example: tm glossary show "#43"
    """
    with opened() as glossary:
        number = term.strip().removeprefix("#")
        found = ([glossary.term(int(number))] if number.isdigit() else glossary.terms(term)) or [
            glossary.resolve(term)
        ]
        concepts = [glossary.concept(cid) for cid in dict.fromkeys(t.concept for t in found)]
    if as_json:
        emit(
            {
                "concepts": [
                    {
                        "id": c.id,
                        "subject": c.subject,
                        "definition": c.definition,
                        "terms": [t.to_dict() for t in c.terms],
                    }
                    for c in concepts
                ]
            }
        )
        return
    for concept in concepts:
        out.print(f"concept {concept.id} {concept.subject}", markup=False, highlight=False)
        for item in concept.terms:
            _print_term(item)


@app.command()
def add(
    text: Annotated[str, typer.Argument(help="The term.")],
    language: Annotated[str, typer.Option("--lang", help="fr or en.")] = "fr",
    concept: Annotated[str | None, typer.Option(help="Concept id (new if unknown).")] = None,
    status: Annotated[str, typer.Option(help="preferred, admitted, deprecated, superseded.")] = (
        "preferred"
    ),
    note: Annotated[str, typer.Option()] = "",
    source: Annotated[str, typer.Option()] = "",
    subject: Annotated[str, typer.Option(help="Subject field of a new concept.")] = "",
    definition: Annotated[str, typer.Option(help="Definition of a new concept.")] = "",
    author: Author = "cli",
    as_json: Json = False,
) -> None:
    """Add a term to a concept (or to a new concept).

    \b
    Example: tm glossary add "Ally" --lang en --concept C004 --status preferred
    """
    with opened() as glossary:
        term = glossary.add(
            text,
            language=language,
            author=author,
            concept=concept,
            status=status,
            note=note,
            source=source,
            subject=subject,
            definition=definition,
        )
    _report(term, as_json)


@app.command()
def edit(
    term: Annotated[str, typer.Argument(help="Term id or exact text.")],
    version: Version = None,
    text: Annotated[str | None, typer.Option(help="New spelling.")] = None,
    status: Annotated[str | None, typer.Option()] = None,
    note: Annotated[str | None, typer.Option()] = None,
    source: Annotated[str | None, typer.Option()] = None,
    author: Author = "cli",
    as_json: Json = False,
) -> None:
    """Change a term; with --version, refused if someone changed it since you read it.

    \b
    Example: tm glossary edit 42 --version 3 --status admitted --author marie
    """
    with opened() as glossary:
        current = glossary.resolve(term)
        changed = glossary.edit(
            current.id or 0,
            version=current.version if version is None else version,
            author=author,
            text=text,
            status=status,
            note=note,
            source=source,
        )
    _report(changed, as_json)


@app.command()
def deprecate(
    term: Annotated[str, typer.Argument(help="Term id or exact text.")],
    version: Version = None,
    superseded: Annotated[bool, typer.Option(help="Superseded rather than deprecated.")] = False,
    note: Annotated[str | None, typer.Option(help="Why (kept with the term).")] = None,
    author: Author = "cli",
    as_json: Json = False,
) -> None:
    """Mark a term deprecated (or superseded); recognition and checks report it as such.

    \b
    Example: tm glossary deprecate "Secretary-General" --note "UN usage" --author marie
    """
    with opened() as glossary:
        current = glossary.resolve(term)
        changed = glossary.deprecate(
            current.id or 0,
            version=current.version if version is None else version,
            author=author,
            status="superseded" if superseded else "deprecated",
            note=note,
        )
    _report(changed, as_json)


@app.command()
def delete(
    term: Annotated[str, typer.Argument(help="Term id or exact text.")],
    version: Version = None,
    author: Author = "cli",
    as_json: Json = False,
) -> None:
    """Delete a term (its history is kept).

    \b
    Example: tm glossary delete 42 --version 2 --author marie
    """
    with opened() as glossary:
        current = glossary.resolve(term)
        gone = glossary.delete(
            current.id or 0,
            version=current.version if version is None else version,
            author=author,
        )
    if as_json:
        emit({"deleted": gone.to_dict()})
    else:
        out.print(f"deleted #{gone.id} {gone.text}", markup=False, highlight=False)


@app.command()
def history(
    term: Annotated[str | None, typer.Argument(help="Term id or text (all changes if none).")] = (
        None
    ),
    as_json: Json = False,
) -> None:
    """Who changed a term, when, and from what to what.

    \b
    Example: tm glossary history "secrétaire général"
    """
    with opened() as glossary:
        changes = glossary.history(term)
    if as_json:
        emit({"history": [change.to_dict() for change in changes]})
        return
    table = Table("when", "who", "action", "term", "before", "after")
    for change in changes:
        before = change.old or {}
        after = change.new or {}
        table.add_row(
            change.at,
            change.author,
            change.action,
            f"#{change.term}",
            f"{before.get('text', '')} ({before.get('status', '')})" if before else "",
            f"{after.get('text', '')} ({after.get('status', '')})" if after else "",
        )
    out.print(table)
