"""Building the base lexicon that ships with tm (`tm.quality.base`) from the corpora it is
learned from: `tm lexicon build`.

Inputs, as the shared data lays them out:

- the laws of Canada (`--laws DIR`): `corpus/canada-laws.{fr,en,ids}.gz`, line-parallel, and
  `documents/`, one folder per benchmark document. Every pair of those documents (by the
  document id of `canada-laws.ids.gz`) is left out, so the alignment and quality benchmarks
  stay honest. The corpus is de-duplicated: a pair the benchmark documents share with other
  laws ("Titre abrégé" / "Short title") is kept where another document holds it, as a TM of
  other documents would.
- the UN Parallel Corpus v1.0 development set (`--un DIR`): `UNv1.0.devset.{fr,en}`, from line
  `UN_FROM` on. Its first half is the development split bench/quality.py chooses thresholds on;
  no test set is ever read.

Words are learned both ways by IBM Model 1 (`tm.quality.learning.learn`: 5 iterations, 5
renderings a word), short segments (headings) seen whole from every pair
(`learn_segments`, each seen once is enough: the laws corpus holds a pair once however often
it recurs). The file is `Lexicon.to_bytes`, written atomically.
"""

from __future__ import annotations

import gzip
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tm.errors import InvalidInput
from tm.quality import learning

Progress = Callable[[str], None]
LAWS_FILES = ("canada-laws.fr.gz", "canada-laws.en.gz", "canada-laws.ids.gz")
UN_FILES = ("UNv1.0.devset.fr", "UNv1.0.devset.en")
UN_FROM = 2000
"""The UN development set's lines from here on are learned from; those before are
bench/quality.py's development split."""
ITERATIONS = 5
RENDERINGS = 5
STEPS = 3 + learning.steps(iterations=ITERATIONS, reverse=True)
"""How many times `build` calls its `progress`: reading, learning's steps, segments, writing."""


@dataclass(frozen=True)
class Built:
    """What `build` learned from and wrote."""

    out: str
    law_pairs: int
    held_out_documents: int
    un_pairs: int
    sample: int
    """Pairs the words were learned from (0: all of them)."""
    french_words: int
    english_words: int
    french_segments: int
    english_segments: int
    bytes: int
    seconds: float


def law_pairs(laws: Path) -> tuple[list[tuple[str, str]], int]:
    """The laws corpus's pairs without the benchmark documents' (by document id), and how many
    documents were left out."""
    corpus = laws / "corpus"
    paths = [corpus / name for name in LAWS_FILES]
    for path in paths:
        if not path.is_file():
            raise InvalidInput("missing: the laws corpus needs corpus/" + path.name, file=str(laws))
    folder = laws / "documents"
    held_out = {p.name for p in folder.iterdir() if p.is_dir()} if folder.is_dir() else set()
    return list(_kept(paths, held_out)), len(held_out)


def _kept(paths: list[Path], held_out: set[str]) -> Iterator[tuple[str, str]]:
    with (
        gzip.open(paths[0], "rt", encoding="utf-8") as french,
        gzip.open(paths[1], "rt", encoding="utf-8") as english,
        gzip.open(paths[2], "rt", encoding="utf-8") as ids,
    ):
        rows = zip(french, english, ids, strict=True)
        try:
            for number, (source, target, key) in enumerate(rows, start=1):
                document = key.split("\t", 1)[0].strip()
                if not document:
                    raise InvalidInput("no document id", file=str(paths[2]), line=number)
                source, target = source.rstrip("\n"), target.rstrip("\n")
                if document not in held_out and source and target:
                    yield source, target
        except ValueError as error:  # zip's strict check
            raise InvalidInput(
                "the corpus files do not have the same number of lines", file=str(paths[0])
            ) from error


def un_pairs(un: Path) -> list[tuple[str, str]]:
    """The UN development set's pairs from line `UN_FROM` + 1 on."""
    paths = [un / name for name in UN_FILES]
    for path in paths:
        if not path.is_file():
            raise InvalidInput("missing: the UN corpus needs " + path.name, file=str(un))
    french, english = (p.read_text(encoding="utf-8").split("\n") for p in paths)
    if len(french) != len(english):
        raise InvalidInput(f"{len(french)} French lines, {len(english)} English", file=str(un))
    rows = zip(french[UN_FROM:], english[UN_FROM:], strict=True)
    return [(f, e) for f, e in rows if f.strip() and e.strip()]


def build(
    laws: Path, un: Path, out: Path, *, sample: int = 0, progress: Progress | None = None
) -> Built:
    """Learn the base lexicon from `laws` and `un` and write it to `out`. With `sample`, the
    words are learned from that many pairs drawn at random (seeded), the segments still from
    all of them. `progress` is called `STEPS` times, with what was just done."""
    started = time.perf_counter()

    def step(name: str) -> None:
        if progress is not None:
            progress(name)

    laws_kept, held_out = law_pairs(laws)
    united = un_pairs(un)
    pairs = laws_kept + united
    if not pairs:
        raise InvalidInput("no pair to learn from", file=str(laws))
    chosen = pairs
    if 0 < sample < len(pairs):
        chosen = random.Random(5).sample(pairs, sample)
    step(f"read {len(pairs):,} pairs")
    learned = learning.learn(
        chosen,
        iterations=ITERATIONS,
        top=RENDERINGS,
        reverse=True,
        progress=lambda _: step("learning words"),
    )
    segments = learning.learn_segments(pairs, min_count=1)
    step("learned short segments")
    data = learned.with_segments(segments).to_bytes()
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.write_bytes(data)
    partial.replace(out)
    step(f"wrote {out}")
    return Built(
        out=str(out),
        law_pairs=len(laws_kept),
        held_out_documents=held_out,
        un_pairs=len(united),
        sample=len(chosen) if chosen is not pairs else 0,
        french_words=len(learned.translations),
        english_words=len(learned.reverse),
        french_segments=len(segments.french),
        english_segments=len(segments.english),
        bytes=len(data),
        seconds=round(time.perf_counter() - started, 1),
    )
