"""Sub-word pieces beside the base lexicon (issue 18): what a sentencepiece model buys in pair
quality and alignment, with and without. `python -m bench.pieces` (not in `make bench`: half an
hour here, most of it aligning TransRead and the perturbed laws five times).

Models (`tm.text.pieces.train`, unigram): 8k and 32k pieces on the French of 300,000 pairs of
the base lexicon's corpora (`service.pipelines.lexicon`), and 16k pieces on both languages of
200,000 of them, lower-cased. Uses measured:

- *backoff*: a French word the lexicon does not know (5 letters or more) is glossed as the
  known word that shares its first piece (4 letters or more; among several, the longest common
  prefix, then the shortest): `répondit` → `répond` → `respond`. The lexicon gets an entry for
  every such word of the data scored, which is what a backoff at gloss time would do.
- *prefix backoff*, for comparison: the known word sharing the word's longest prefix, 5 letters
  at least (`réunies` → `réuni`).
- *features*: the pieces of 4 letters or more of the joint model added to the alignment's bags
  beside the words and 5-letter prefixes (`similarity.bag`), on both sides.

Pair quality on bench/quality.py's dev split; alignment on the perturbed laws' dev seeds 1-5
(positional) and TransRead (measured, never tuned on).
"""

from __future__ import annotations

import bisect
import random
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

import sentencepiece as spm

from bench import align as bench_align
from bench import quality as bench_quality
from bench.common import SHARED, table
from tm.quality import base
from tm.quality.lexicon import Lexicon
from tm.quality.pairs import assess
from tm.text import pieces
from tm.text.normalise import fold_word
from tm.text.tokenise import words

Backoff = Callable[[str], str | None]


def _corpus() -> list[tuple[str, str]]:
    from service.pipelines.lexicon import law_pairs, un_pairs

    laws, _ = law_pairs(SHARED / "canada-laws-fr-en")
    pairs = laws + un_pairs(SHARED / "un-pc-v1-testsets-fr-en")
    random.Random(5).shuffle(pairs)
    return pairs


def _first_piece(processor: spm.SentencePieceProcessor, word: str) -> str:
    found = pieces.encode(processor, word)
    return found[0].lstrip("▁") if found else ""


def piece_backoff(processor: spm.SentencePieceProcessor, lexicon: Lexicon) -> Backoff:
    """Unknown word → the known word sharing its first piece (see the module docstring)."""
    index: dict[str, list[str]] = {}
    for word in lexicon.translations:
        piece = _first_piece(processor, word)
        if " " not in word and len(piece) >= 4:
            index.setdefault(piece, []).append(word)

    def common(a: str, b: str) -> int:
        return next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), 0)

    def find(word: str) -> str | None:
        candidates = index.get(_first_piece(processor, word))
        if not candidates:
            return None
        return max(candidates, key=lambda c: (common(c, word), -len(c)))

    return find


def prefix_backoff(lexicon: Lexicon) -> Backoff:
    """Unknown word → the known word sharing its longest prefix, 5 letters at least."""
    known = sorted(w for w in lexicon.translations if " " not in w)

    def find(word: str) -> str | None:
        stem = word[: max(5, len(word) - 3)]
        at = bisect.bisect_left(known, stem)
        return known[at] if at < len(known) and known[at].startswith(stem) else None

    return find


def backed_off(lexicon: Lexicon, texts: Iterable[str], find: Backoff) -> Lexicon:
    """`lexicon` with an entry for each unknown word of `texts` that `find` maps to a known one."""
    table_ = dict(lexicon.translations)
    for text in texts:
        for word in words(text):
            if word not in table_ and not word.isdigit() and len(word) >= 5:
                found = find(word)
                if found:
                    table_[word] = lexicon.translations[found]
    return Lexicon(table_, lexicon.segments, lexicon.reverse)


def quality_row(name: str, lexicon: Lexicon, cases: Sequence[bench_quality.Case]) -> list[object]:
    results = assess([(c.source, c.target) for c in cases], lexicon=lexicon)
    shares = []
    for kind in ("clean", "misaligned", "numbers", "untranslated", "truncated"):
        chosen = [r.flagged for c, r in zip(cases, results, strict=True) if c.fault == kind]
        shares.append(f"{100 * sum(chosen) / len(chosen):.2f}%")
    return [name, *shares]


def align_row(name: str, lexicon: Lexicon) -> list[object]:
    started = time.process_time()
    transread = bench_align.transread(lexicon)[0]
    perturbed = bench_align.laws_perturbed(lexicon, seeds=range(1, 6), name=name)[0][1]
    return [name, transread[5], perturbed[5], round(time.process_time() - started, 1)]


def _bag_with_pieces(processor: spm.SentencePieceProcessor) -> Callable[..., Counter[str]]:
    from alignments import similarity

    plain = similarity.bag
    cache: dict[str, list[str]] = {}

    def bag(text_words: Sequence[str], glossed: Sequence[str] | None = None) -> Counter[str]:
        features = plain(text_words, glossed)
        for word in text_words:
            found = cache.get(word)
            if found is None:
                cut = pieces.encode(processor, fold_word(word))
                found = cache[word] = [p.lstrip("▁") for p in cut if len(p.lstrip("▁")) >= 4]
            features.update("s:" + piece for piece in found)
        return features

    return bag


def main() -> None:
    from alignments import similarity

    lexicon = base.lexicon()
    corpus = _corpus()
    models = {
        size: pieces.load(pieces.train((f for f, _ in corpus[:300_000]), vocab_size=size))
        for size in (8000, 32000)
    }
    cases = bench_quality.faulty(bench_quality.clean_pairs("dev"))
    books = sorted(bench_align.TRANSREAD.glob("*.fr"))
    aligned = [line for path in books for line in bench_align._lines(path)]
    aligned += [line for fr, _, _ in bench_align._perturbed_laws(range(1, 6)) for line in fr]
    scored = [c.source for c in cases]
    finders: dict[str, Backoff | None] = {
        "without": None,
        "prefix backoff (no pieces)": prefix_backoff(lexicon),
        **{f"piece backoff, {s // 1000}k": piece_backoff(m, lexicon) for s, m in models.items()},
    }
    quality_rows, align_rows = [], []
    for name, find in finders.items():
        quality_rows.append(
            quality_row(name, backed_off(lexicon, scored, find) if find else lexicon, cases)
        )
        align_rows.append(align_row(name, backed_off(lexicon, aligned, find) if find else lexicon))
    joint = pieces.load(
        pieces.train((s.lower() for f, e in corpus[:200_000] for s in (f, e)), vocab_size=16000)
    )
    plain = similarity.bag
    similarity.bag = _bag_with_pieces(joint)  # type: ignore[assignment]
    try:
        align_rows.append(align_row("piece features, joint 16k", lexicon))
    finally:
        similarity.bag = plain  # type: ignore[assignment]
    table(
        "Sub-word pieces in pair quality (bench/quality.py dev split: flagged)",
        ["lexicon", "clean", "misaligned", "numbers", "untranslated", "truncated"],
        quality_rows,
    )
    table(
        "Sub-word pieces in alignment (strict F1; laws perturbed dev seeds 1-5 positional)",
        ["lexicon", "TransRead", "laws perturbed dev 1-5", "cpu s"],
        align_rows,
    )


if __name__ == "__main__":
    main()
