"""`tm align` and `tm align-score`: align document pairs, write or store the pairs, score beads."""

import sys
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

import alignments
from service.cli.cluster import ClusterOption, CopyOption, TimeoutOption, place, told
from service.cli.common import emit, err, lazy, memory, out, progress_bar
from tm.errors import InvalidInput
from tm.files import replacing

if TYPE_CHECKING:
    from service.pipelines import alignment as aligning
    from service.pipelines import batches, runs
else:
    aligning = lazy("service.pipelines.alignment")
    batches = lazy("service.pipelines.batches")

FORMATS = ("tsv", "tmx", "beads")

commands = typer.Typer()


def _write(document: "aligning.AlignedDocument", form: str, output: Path | None) -> None:
    if form == "tmx":
        if output is None:
            raise InvalidInput("--format tmx needs --out FILE")
        aligning.write_tmx(document, output)
        return
    if form == "beads":
        text = "".join(b.format() + "\n" for b in document.beads)
    else:
        text = "".join(
            f"{fr.replace(chr(9), ' ')}\t{en.replace(chr(9), ' ')}\n"
            for fr, en, _ in document.pairs()
        )
    if output is None:
        sys.stdout.write(text)
    else:
        with replacing(output) as temporary:
            temporary.write_text(text, encoding="utf-8")


def _low_confidence(document: "aligning.AlignedDocument") -> list[str]:
    return [
        b.format() for b in document.beads if not b.deletion and b.confidence < aligning.FLAG_BELOW
    ]


def _summary(document: "aligning.AlignedDocument") -> dict[str, object]:
    return {
        "name": document.name,
        "french_sentences": len(document.french),
        "english_sentences": len(document.english),
        "beads": len(document.beads),
        "confidence": round(document.confidence, 3),
        "deletions": [b.format() for b in document.deletions],
        "low_confidence": _low_confidence(document),
    }


def _pairs(
    french: Path | None, english: Path | None, batch: Path | None, store: bool
) -> list[tuple[str, Path, Path]]:
    """The document pairs the options name: FR_FILE EN_FILE, or a --batch with --store."""
    if batch is not None:
        if french or english:
            raise InvalidInput("give either FR_FILE EN_FILE or --batch, not both")
        if not store:
            raise InvalidInput("--batch needs --store")
        return aligning.pairs_in(batch)
    if french is None or english is None:
        raise InvalidInput("give FR_FILE and EN_FILE (or --batch DIR_OR_LIST --store)")
    return [aligning.pair_of(french, english)]


def _show(
    documents: "list[aligning.AlignedDocument]", report: "aligning.StoreReport | None"
) -> None:
    console = out if report else err
    for document in documents:
        console.print(
            f"{document.name}: {len(document.beads)} beads, confidence "
            f"{document.confidence:.2f}, {len(document.deletions)} deletion(s), "
            f"{len(_low_confidence(document))} low-confidence pair(s)"
        )
    if report:
        out.print(
            f"stored {report.stored} pairs ({report.duplicates} duplicates, {report.flagged} "
            f"flagged for review) from {report.documents} document(s); "
            f"{report.deletions} unaligned sentence(s) not stored"
        )


Presplit = Annotated[bool, typer.Option("--presplit", help="One sentence per line: do not split.")]
Force = Annotated[bool, typer.Option("--force", help="Store even documents with low confidence.")]
Batch = Annotated[
    Path | None,
    typer.Option("--batch", help="Directory of X.fr/X.en pairs, or a list file FR<TAB>EN."),
]
Relearn = Annotated[
    bool, typer.Option("--relearn", help="Learn the TM's lexicon again before aligning.")
]
Swap = Annotated[
    bool, typer.Option("--swap", help="The files are given the other way round: EN_FILE FR_FILE.")
]


@commands.command("align")
def align_command(
    french: Annotated[Path | None, typer.Argument(help="French document.")] = None,
    english: Annotated[Path | None, typer.Argument(help="English document.")] = None,
    form: Annotated[str, typer.Option("--format", help="tsv, tmx or beads.")] = "tsv",
    output: Annotated[Path | None, typer.Option("--out", help="Output file.")] = None,
    store: Annotated[bool, typer.Option("--store", help="Store the pairs in the TM.")] = False,
    origin: Annotated[str | None, typer.Option(help="Collection name for --store.")] = None,
    presplit: Presplit = False,
    force: Force = False,
    batch: Batch = None,
    relearn: Relearn = False,
    swap: Swap = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    cluster: ClusterOption = None,
    tm_copy: CopyOption = None,
    cluster_timeout: TimeoutOption = 10.0,
    workers: Annotated[int | None, typer.Option(min=1, help="--cluster local: workers.")] = None,
) -> None:
    """Align a French document with its English version (text, Markdown, HTML or DOCX).

    Pairs go to standard output (or --out) as TSV, TMX or Vecalign beads; with --store they
    are stored in the TM as one document each, in one transaction, low-confidence pairs
    flagged; deletions (sentences without counterpart) are reported. A document in the wrong
    language (or in neither) is refused before anything is aligned or stored (--swap reads
    each pair the other way round).

    \b
    Example: tm align rapport.fr.docx report.en.docx --format beads
    """
    if form not in FORMATS:
        raise InvalidInput(f"--format must be one of {', '.join(FORMATS)}")
    pairs = _pairs(french, english, batch, store)
    storing = _Storing(origin, force, presplit, relearn, swap)
    if cluster is not None:
        where = place(cluster, workers=workers, tm_copy=tm_copy, timeout=cluster_timeout)
        return _on_cluster(pairs, batch, where, storing, as_json=as_json)
    with memory() as tm, progress_bar(quiet=as_json) as bar:
        task = bar.add_task("aligning", total=len(pairs) * (2 if store else 1))

        def advance(count: int) -> None:
            bar.advance(task, count)

        if store:
            stored = aligning.align_and_store(tm, pairs, progress=advance, **asdict(storing))
            documents, report = stored.documents, stored.report
        else:
            documents = aligning.align_pairs(
                tm, pairs, presplit=presplit, relearn=relearn, swap=swap, progress=advance
            )
            report = None
    if report is None:
        _write(documents[0], form, output)
    if as_json:
        summaries = [_summary(d) for d in documents]
        emit({"documents": summaries, "stored": asdict(report) if report else None})
        return
    _show(documents, report)


@dataclass(frozen=True)
class _Storing:
    """How `tm align` stores (and reads) the pairs."""

    origin: str | None
    force: bool
    presplit: bool
    relearn: bool
    swap: bool


def _on_cluster(
    pairs: list[tuple[str, Path, Path]],
    batch: Path | None,
    where: "runs.Place",
    storing: _Storing,
    *,
    as_json: bool,
) -> None:
    """`tm align --batch … --store --cluster`: each document stored as it comes back."""
    if batch is None:
        raise InvalidInput("--cluster needs --batch DIR_OR_LIST --store")
    with memory() as tm, progress_bar(quiet=as_json) as bar:
        task = bar.add_task("aligning", total=len(pairs) * 2)
        run = batches.align(
            tm, pairs, place=where, progress=lambda n: bar.advance(task, n), **asdict(storing)
        )
    extra = told(run.snapshot, skipped=len(run.skipped), kind="document(s)")
    if as_json:
        failed = [{"document": name, "error": why} for name, why in run.failed]
        emit(
            {
                "documents": [_summary(d) for d in run.documents],
                "stored": asdict(run.report),
                "failed": failed,
            }
            | extra
        )
    else:
        _show(run.documents, run.report)
        for name, why in run.failed:
            err.print(f"error: {name}: {why}", markup=False, highlight=False, soft_wrap=True)
    if run.failed:
        raise typer.Exit(1)


@commands.command("align-score")
def align_score(
    hypothesis: Annotated[Path, typer.Argument(help="Beads to score (Vecalign format).")],
    gold: Annotated[Path, typer.Argument(help="Gold beads (Vecalign format).")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Strict and lax precision/recall/F1 of beads against a gold alignment, per bead type,
    counted as Vecalign's scorer does (deletions in precision, not in recall).

    \b
    Example: tm align-score book.beads book.fr-en.ref
    """
    test = alignments.parse(
        hypothesis.read_text(encoding="utf-8").splitlines(), file=str(hypothesis)
    )
    reference = alignments.parse(gold.read_text(encoding="utf-8").splitlines(), file=str(gold))
    result = alignments.score([reference], [test])
    kinds = alignments.by_kind([reference], [test])
    if as_json:
        emit(
            {
                "strict": {"precision": result.precision, "recall": result.recall, "f1": result.f1},
                "lax": {
                    "precision": result.lax_precision,
                    "recall": result.lax_recall,
                    "f1": result.lax_f1,
                },
                "kinds": {
                    k: {"gold": g, "found": t, "precision": p, "recall": r}
                    for k, (g, t, p, r) in kinds.items()
                },
            }
        )
        return
    out.print(
        f"strict P {result.precision:.3f} R {result.recall:.3f} F1 {result.f1:.3f}   "
        f"lax P {result.lax_precision:.3f} R {result.lax_recall:.3f} F1 {result.lax_f1:.3f}"
    )
    for kind, (g, t, p, r) in kinds.items():
        out.print(f"  {kind:>5}  gold {g:>5}  found {t:>5}  P {p:.3f}  R {r:.3f}")
