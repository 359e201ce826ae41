"""`tm quality report|rescore|consistency`, `tm evaluate` and `tm check` (QA of pairs)."""

import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

import glossaries
from service.cli.common import emit, err, lazy, memory, out, progress_bar
from tm.errors import InvalidInput

if TYPE_CHECKING:
    from service.pipelines import annotate as annotating
    from service.pipelines import check as checking
    from service.pipelines import evaluation, quality
    from service.pipelines.check import Checked
    from service.pipelines.quality import LeaveOneOut
    from tm.quality.evaluation import Evaluation
else:
    annotating = lazy("service.pipelines.annotate")
    checking = lazy("service.pipelines.check")
    evaluation = lazy("service.pipelines.evaluation")
    quality = lazy("service.pipelines.quality")

commands = typer.Typer()
group = typer.Typer(
    help="Pair quality: flagged pairs, rescoring, consistency of the TM.", no_args_is_help=True
)

Json = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@group.command("report")
def report(
    limit: Annotated[int, typer.Option(min=0, help="Pairs to list (0: all).")] = 50,
    as_json: Json = False,
) -> None:
    """The review queue: flagged pairs (probably misaligned, untranslated, truncated, numbers
    disagree), worst first. They are still suggested (after unflagged ones, with a warning)
    until a maintainer rejects them (`tm quality reject ID…`) or confirms them
    (`tm quality confirm ID…`).

    \b
    Example: tm quality report --limit 20
    """
    with memory(reads=True) as tm:
        found = quality.flagged(tm, limit=limit)
    if as_json:
        emit(
            {
                "segments": found.segments,
                "scored": found.scored,
                "flagged": found.flagged,
                "rejected": found.rejected,
                "by_reason": found.by_reason,
                "pairs": [asdict(pair) for pair in found.pairs],
            }
        )
        return
    out.print(
        f"{found.flagged:,} flagged of {found.segments:,} segments ({found.scored:,} scored, "
        f"{found.rejected:,} rejected)" + ("" if found.scored else " — run `tm quality rescore`")
    )
    for reason, count in found.by_reason.items():
        out.print(f"  {reason or '(none)'}: {count:,}")
    if found.pairs:
        out.print(
            "Review each: `tm quality reject ID… --note WHY` (never suggested again) or "
            "`tm quality confirm ID…` (right after all: never flagged again).",
            markup=False,
            highlight=False,
        )
    for pair in found.pairs:
        out.print(f"#{pair.id} q={pair.quality} {', '.join(pair.reasons)}")
        out.print(f"  fr: {pair.source}", markup=False, highlight=False)
        out.print(f"  en: {pair.target}", markup=False, highlight=False)


@group.command("rescore")
def rescore(
    only_missing: Annotated[
        bool, typer.Option("--only-missing", help="Score only pairs never scored.")
    ] = False,
    learn: Annotated[
        bool,
        typer.Option(
            help="Learn a word lexicon from the TM when none is stored (or the stored one, "
            "from an older version, has no English→French side)."
        ),
    ] = True,
    relearn: Annotated[
        bool, typer.Option("--relearn", help="Learn the TM's lexicon again before scoring.")
    ] = False,
    as_json: Json = False,
) -> None:
    """Recompute pair quality (after the glossary or lexicon changed) and flag weak pairs.

    \b
    Example: tm quality rescore --relearn --json
    """
    with memory() as tm, progress_bar(quiet=as_json) as bar:
        task = bar.add_task("reading the lexicon", total=tm.count())
        steps = [0]

        def learned(step: int) -> None:
            steps[0] += step
            what = f"learning the TM's lexicon (step {steps[0]}/{quality.LEARN_STEPS})"
            bar.update(task, description=what)

        done = quality.rescore(
            tm,
            only_missing=only_missing,
            learn=learn,
            relearn=relearn,
            progress=lambda n: bar.update(task, description="scoring", advance=n),
            learning_steps=learned,
            workers=0,
        )
    if as_json:
        emit(asdict(done))
        return
    out.print(f"scored {done.scored:,} pairs, flagged {done.flagged:,}")
    for reason, count in sorted(done.reasons.items()):
        out.print(f"  {reason}: {count:,}")


@group.command("consistency")
def consistency(
    limit: Annotated[int, typer.Option(min=0, help="Groups to list (0: all).")] = 50,
    as_json: Json = False,
) -> None:
    """Same French translated differently, and the same English for clearly different French.

    \b
    Example: tm quality consistency --json
    """
    with memory(reads=True) as tm, progress_bar(quiet=as_json) as bar:
        task = bar.add_task("grouping", total=tm.count())
        groups = quality.consistency_groups(tm, progress=lambda n: bar.advance(task, n))
    shown = groups[:limit] if limit else groups
    if as_json:
        emit(
            {
                "groups": len(groups),
                "same_source": sum(g.kind == "same-source" for g in groups),
                "same_target": sum(g.kind == "same-target" for g in groups),
                "items": [
                    {
                        "kind": g.kind,
                        "agreement": g.agreement,
                        "newest": g.newest,
                        "entries": [asdict(e) for e in g.entries],
                    }
                    for g in shown
                ],
            }
        )
        return
    if not groups:
        out.print("no inconsistency")
    for group in shown:
        what = (
            "same French, different English"
            if group.kind == "same-source"
            else ("same English, different French")
        )
        out.print(f"[bold]{what}[/bold] (agreement {group.agreement:g}, newest {group.newest})")
        for entry in group.entries:
            out.print(f"  #{entry.id} fr: {entry.source}", markup=False, highlight=False)
            out.print(
                f"  {' ' * len(str(entry.id))}  en: {entry.target}", markup=False, highlight=False
            )


def _evaluation_data(result: "Evaluation") -> dict[str, Any]:
    return {
        "pairing": result.pairing,
        "total": asdict(result.total),
        "signatures": result.signatures,
        "bands": {name: asdict(scores) for name, scores in result.bands.items()},
        "segments": [asdict(s) for s in result.segments],
    }


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise InvalidInput(f"cannot read: {error.strerror}", file=str(path)) from error


@commands.command("evaluate")
def evaluate_command(
    hyp: Annotated[
        Path | None, typer.Option(help="Draft: text (a segment a line), TSV or XLIFF 1.2.")
    ] = None,
    ref: Annotated[
        Path | None,
        typer.Option(
            help="Published English: text (a segment or a paragraph a line), TSV, XLIFF, DOCX, "
            "HTML or Markdown; paired with the draft one to one, by paragraph or by tm's aligner."
        ),
    ] = None,
    leave_one_out_: Annotated[
        bool, typer.Option("--leave-one-out", help="Pretranslate each TM document from the rest.")
    ] = False,
    documents: Annotated[
        list[str] | None,
        typer.Option(
            "--documents",
            help="Documents for --leave-one-out (several after one --documents, or repeated).",
        ),
    ] = None,
    more: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[DOCUMENT]...", help="More documents for --documents.", show_default=False
        ),
    ] = None,
    as_json: Json = False,
) -> None:
    """BLEU, chrF++ and TER (sacrebleu signatures) of a draft against the published English,
    per segment and per match band; or the TM's leave-one-out leverage, document by document.

    \b
    Example: tm evaluate --hyp draft.xlf --ref published.en --json
    Example: tm evaluate --hyp draft.xlf --ref published.en.docx
    Example: tm evaluate --leave-one-out --documents B-1.7 C-15
    """
    documents = _documents(documents, more, leave_one_out=leave_one_out_)
    if leave_one_out_:
        with memory(reads=True) as tm, progress_bar(quiet=as_json) as bar:
            task = bar.add_task("documents", total=None)
            loo = evaluation.evaluate_leave_one_out(
                tm,
                documents,
                progress=lambda n: bar.advance(task, n),
                total=lambda n: bar.update(task, total=n),
            )
        _show_leave_one_out(loo, as_json)
        return
    if hyp is None or ref is None:
        raise InvalidInput("give --hyp DRAFT and --ref PUBLISHED (or --leave-one-out)")
    result = evaluation.evaluate(
        _read(hyp), _read(ref), hypothesis_name=str(hyp), reference_name=str(ref)
    )
    if as_json:
        emit(_evaluation_data(result))
        return
    _print_evaluation(result)


def _documents(
    documents: list[str] | None, more: list[str] | None, *, leave_one_out: bool
) -> list[str] | None:
    """The documents named after `--documents` (typer gives the first to the option, the
    others as arguments); an argument elsewhere is refused."""
    if more and not (leave_one_out and documents):
        raise InvalidInput(
            f"unexpected argument {more[0]!r}: documents go after --leave-one-out --documents"
        )
    return [*(documents or []), *(more or [])] or None


def _show_leave_one_out(loo: "LeaveOneOut", as_json: bool) -> None:
    if as_json:
        emit(_evaluation_data(loo.evaluation) | {"documents": [asdict(d) for d in loo.documents]})
        return
    _print_evaluation(loo.evaluation)
    table = Table("document", "segments", "BLEU", "chrF++", "TER", "exact", "fuzzy", "none")
    for d in loo.documents:
        table.add_row(
            d.document,
            str(d.scores.segments),
            f"{d.scores.bleu:.1f}",
            f"{d.scores.chrf:.1f}",
            f"{d.scores.ter:.1f}",
            str(d.exact),
            str(d.fuzzy),
            str(d.none),
        )
    out.print(table)


def _print_evaluation(result: "Evaluation") -> None:
    table = Table("segments", "BLEU", "chrF++", "TER")
    table.add_row(
        "all", f"{result.total.bleu:.2f}", f"{result.total.chrf:.2f}", f"{result.total.ter:.2f}"
    )
    for name, scores in result.bands.items():
        table.add_row(
            f"band {name} ({scores.segments})",
            f"{scores.bleu:.2f}",
            f"{scores.chrf:.2f}",
            f"{scores.ter:.2f}",
        )
    out.print(table)
    for name, signature in result.signatures.items():
        out.print(f"{name}: {signature}", markup=False, highlight=False)
    if result.pairing:
        out.print(f"paired: {result.pairing}", markup=False, highlight=False)


@commands.command("check")
def check(
    source: Annotated[str | None, typer.Option("--source", help="French source text.")] = None,
    target: Annotated[str | None, typer.Option("--target", help="English translation.")] = None,
    tsv: Annotated[
        Path | None, typer.Option("--tsv", help="A file of fr<TAB>en pairs, one a line.")
    ] = None,
    as_json: Json = False,
) -> None:
    """QA of a translation: pair quality, placeables, untranslated text, length, typography,
    doubled words, inline tags and glossary compliance (the glossary in the TM database).

    \b
    Example: tm check --source "Le 28 novembre, 1 000,5 t." --target "On 28 November." --json
    """
    if tsv is None and (source is None or target is None):
        raise InvalidInput("give --source and --target, or --tsv FILE")
    lines = _pairs(tsv) if tsv is not None else [(0, source or "", target or "")]
    with memory() as tm:
        checked = checking.check(
            tm, annotating.Annotator(glossaries.Glossary.open(tm.db)), [(s, t) for _, s, t in lines]
        )
    if tsv is None:
        _show_check(checked[0], as_json)
        return
    for (number, _source, _target), result in zip(lines, checked, strict=True):
        if as_json:
            line = {"line": number} | _check_data(result)
            sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
        else:
            codes = ", ".join(f.code for f in result.findings) or "ok"
            out.print(
                f"{number}: quality {result.quality.score:.2f} {result.quality.reason} {codes}",
                markup=False,
                highlight=False,
            )
    if not lines:
        err.print("no pair in the file")


def _check_data(checked: "Checked") -> dict[str, Any]:
    return {
        "quality": asdict(checked.quality)
        | {"flagged": checked.quality.flagged, "level": checked.quality.level},
        "findings": [f.to_dict() for f in checked.findings],
        "terms": [h.to_dict() for h in checked.terms],
    }


def _show_check(checked: "Checked", as_json: bool) -> None:
    if as_json:
        emit(_check_data(checked))
        return
    score = checked.quality
    out.print(f"quality {score.score:.2f}" + (f" — {score.reason}" if score.reason else ""))
    if not checked.findings:
        out.print("no finding")
    for finding in checked.findings:
        out.print(annotating.finding_note(finding), markup=False, highlight=False)


def _pairs(path: Path) -> list[tuple[int, str, str]]:
    """The (line number, French, English) pairs of a `fr<TAB>en` file."""
    try:
        text = _read(path).decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(f"not UTF-8 ({error.reason})", file=str(path)) from error
    pairs: list[tuple[int, str, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) != 2:
            raise InvalidInput("expected fr<TAB>en", file=str(path), line=number)
        pairs.append((number, parts[0], parts[1]))
    return pairs
