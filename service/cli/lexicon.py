"""`tm lexicon build`: remake the base lexicon that ships with tm from its corpora."""

from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from service.cli.common import emit, lazy, out, progress_bar

if TYPE_CHECKING:
    from service.pipelines import lexicon as pipeline
else:
    pipeline = lazy("service.pipelines.lexicon")

app = typer.Typer(
    help="The base lexicon that ships with tm (tm/data/base-lexicon.bin).", no_args_is_help=True
)


@app.command("build")
def build(
    laws: Annotated[
        Path,
        typer.Option(
            "--laws",
            help="The laws of Canada: corpus/canada-laws.{fr,en,ids}.gz and documents/ (the "
            "benchmark documents, left out).",
            exists=True,
            file_okay=False,
        ),
    ],
    un: Annotated[
        Path,
        typer.Option(
            "--un",
            help="The UN Parallel Corpus v1.0 dev set: UNv1.0.devset.{fr,en} (its second half "
            "is read).",
            exists=True,
            file_okay=False,
        ),
    ],
    out_file: Annotated[Path, typer.Option("--out", help="The lexicon file to write.")],
    sample: Annotated[
        int,
        typer.Option(min=0, help="Learn the words from this many pairs drawn at random (0: all)."),
    ] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Learn the base lexicon (IBM Model 1 both ways, headings seen whole) from the laws of
    Canada less the benchmark documents and the UN dev set's second half, and write it.
    Learning from all ~440k pairs takes 12 minutes or more (one core, 1.5 GB).

    \b
    Example: tm lexicon build --laws ../shared/data/canada-laws-fr-en
    --un ../shared/data/un-pc-v1-testsets-fr-en --out tm/data/base-lexicon.bin
    """
    with progress_bar(quiet=as_json) as bar:
        task = bar.add_task("reading the corpora", total=pipeline.STEPS)

        def advance(done: str) -> None:
            bar.update(task, advance=1, description=done)

        built = pipeline.build(laws, un, out_file, sample=sample, progress=advance)
    if as_json:
        emit(asdict(built))
        return
    out.print(
        f"wrote {built.out}: {built.french_words:,} French words, {built.english_words:,} "
        f"English words, {built.french_segments:,} short segments ({built.bytes:,} bytes) from "
        f"{built.law_pairs:,} law pairs ({built.held_out_documents} documents left out) and "
        f"{built.un_pairs:,} UN pairs in {built.seconds:,.0f} s",
        markup=False,
        highlight=False,
    )
