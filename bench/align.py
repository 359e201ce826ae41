"""Alignment benchmark: strict/lax bead P/R/F1 on TransRead FR–EN, Text+Berg DE–FR (with the MT
shipped for Bleualign: DE→FR only, and DE→FR + FR→DE), and the 60 Canadian law document pairs
(plain and perturbed), plus speed. `python -m bench.align [transread|textberg|laws|all|dev]`.

`dev` (not part of `all`) scores the data the aligner's weights were chosen on: the Text+Berg
dev document (`eval1957` with its shipped DE→FR MT, gold `dev/dev.defr`) and the laws
perturbed with another seed (1) than the benchmark's (7); also with seeds 1 to 5 together, whose
mean is steadier than one seed's.

TransRead and the laws are aligned as an empty TM aligns them: with the base lexicon that
ships with tm alone (`tm.quality.base`: IBM-1 words both ways and short segments seen whole,
learned from the laws corpus less the 60 benchmark documents, by document id, and the UN
devset's second half; never a test set or an alignment gold). Before issue 18 the benchmark
learned its own lexicon (Dice words from the laws sample50k less the benchmark documents'
lines plus the WMT news, UN, Tatoeba and FLORES test sets; the same segments): TransRead
0.921 then, 0.905 with the base, whose words know the law and the UN but not the novels'
everyday vocabulary the news and Tatoeba sentences brought (the issue rules test sets out);
the laws moved by ±0.001.

The perturbed laws are scored by content, as the team decided (ARCHITECTURE.md, "Decisions on
open questions"): identical lines are interchangeable, a wrong bead pairing the same texts as a
gold bead takes its place (`_interchangeable`: the TM stores the same pairs either way); the
strict positional score is printed beside, and the expected score of an aligner right wherever
lines differ, which in a run of identical "[Repealed, …]" lines knows the merged lines and how
many English lines lost their French but not which (`_ceiling`). With the base lexicon, dev
seeds 1-5: by content 0.977, positional 0.962, ceiling 0.985; seed 7: 0.977, 0.962, 0.990
(with no lexicon at all, what an empty TM had before: seed 7 by content 0.954, positional
0.932, and TransRead 0.866). So identical
lines cost this aligner 0.015 positionally (any aligner 0.010-0.015), and the other 0.023 is
lines glued to a neighbour whose French has their words (1-2 instead of 1-1 + 0-1, about 11 a
seed), merged headings the lexicon cannot link, and law lines whose English was split
differently from the French in the source data. What moved it (dev seeds 1-5, positional,
with the benchmark's former lexicon): the layout costs (`alignments.layout`, dev seed 1 0.924
→ 0.952: a heading grouped with a section needs a heading or a break in the other side's
line), segments in the lexicon (0.952 → 0.957: "Short Title Interpretation" finds "Titre
abrégé"), and competitive linking (`alignments.linking`, 0.957 → 0.960: a line glued to a bead
whose single line its sibling alone translates is left alone).

Sub-word pieces (issue 18; `python -m bench.pieces` prints the tables), with the base lexicon,
dev seeds 1-5 positional and TransRead (measured, not tuned on): an unknown French word glossed
as the known word sharing its first sentencepiece piece (unigram models of 8k and 32k pieces on
the laws' and UN's French) ±0 and TransRead 0.905 / 0.907, as the known word sharing its
longest prefix (5 letters at least) ±0 and 0.907; pieces of 4 letters or more of a joint
French–English model (16k) as features beside the words and prefixes −0.001 and TransRead
0.903, 12% more time. Inflections the laws have not seen are few (0.8% of the law documents'
content words are unknown, 5% of the UN's), 5-letter prefixes already match most of them and
the cognates, and what TransRead lacks (24% unknown: `avais`, `répondit`, names) is
vocabulary, which no segmentation supplies. So no sub-word model ships.

Tried without gain (dev seeds 1-5 unless said): `support` 0.15-0.5 and its share 0.3-0.4; a
stronger length weight, for every bead (0.1: −0.004), for groups only (0.09: −0.001), with Gale
& Church's variance estimated per document (dev seed 1 −0.008), or as a heavy-tailed log(1 + δ²)
term (−0.001 to −0.017); the deletion cost 0.8-0.9 (−0.002 to −0.005); a cost on 1-1 beads whose
French line has twins paired elsewhere (dev seed 1 −0.017); back glosses from the lexicon's
English→French side (±0); an IBM-1 lexicon (−0.001, TransRead +0.006) or one from the 445k-pair
laws corpus (±0, TransRead −0.005); an in-order split score for 1-2/2-1 beads; the cosine with
the part of a group's end member orthogonal to its sibling (Gram-Schmidt on the stored dot
products, −0.007); a cost on a group whose member ends with punctuation where the single line
has no stop (+0.001, Text+Berg test −0.016 and TransRead 40% slower); a count of sentences or
bracketed notes per side that must agree (−0.002 to −0.022); a Dice-like lexical term sensitive
to the two sides' feature mass (±0.002); the cosine relative to the document's typical one (0 to
−0.007); a structured perceptron over the cost weights (F1 fell as the cost margins grew);
competitive linking on 2-2 beads too (+0.0007, Text+Berg dev −0.004); placing deletions in the
middle of runs of identical lines (+0.0004); `margin` 0.2 or 0.4 (±0, −0.005); glossing each
French word with its 1 or 3 best renderings instead of 2 (−0.002, −0.001; TransRead 40%
slower with 3); a lexicon self-trained on each document (word pairs of the first pass's
confident 1-1 beads added to the gloss: −0.001 to ±0); the lexical term scaled up (×1.3:
−0.005) or measured against the typical cosine (−0.005 to −0.04); a squared log length ratio
for every bead (0.1-0.3: −0.002, laws −0.002 at 0.3); a line that is one text twice ("[Repealed,
…] [Repealed, …]") counted as two lines that the other side must match (−0.006: the merges in
runs of identical lines are then found, but each run's dropped line is placed further from
where it was); a cost on 1-2 and 2-1 beads whose cosine beats neither single line's (−0.011
to −0.05: a heading merged into its section adds next to nothing to the cosine either); a wider
first (120) or second (12) band (±0). Text+Berg and TransRead moved by at most ±0.001 with each
adopted change.

`dev` ends with where the dev seeds' positional F1 goes (`errors`): each stretch where the
alignment differs from the gold, by kind, with the F1 if every stretch of that kind were right.
Dev seeds 1-5 with the base lexicon (0.962): identical lines +0.020 (of which the ceiling says
0.015 no aligner can have), English orphans glued to a neighbour's bead +0.010, French lines
left alone +0.003, orphans placed wrong +0.002, the rest +0.003. Scored by content (the
target), 0.015 of the identical lines' 0.020 comes back (0.977).
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from alignments import Bead, align, by_kind, parse, score
from bench.common import SHARED, table
from tm.quality import base
from tm.quality.lexicon import Lexicon

GOLD = SHARED / "alignment-gold"
TRANSREAD = GOLD / "transread-limsi-en-fr" / "derived"
TEXTBERG = GOLD / "textberg-de-fr"
LAWS = SHARED / "canada-laws-fr-en" / "documents"
TARGET_F1 = {
    "transread": 0.85,
    "textberg": 0.85,
    "textberg-both-mt": 0.85,
    "laws": 0.97,
    "laws-perturbed": 0.97,
}


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def lexicon() -> Lexicon:
    """The base lexicon that ships with tm (`tm.quality.base`): the benchmark aligns as an
    empty TM does."""
    return base.lexicon()


def _row(
    name: str,
    gold: list[list[Bead]],
    test: list[list[Bead]],
    seconds: float | None,
    note: str = "(dev)",
) -> list[object]:
    s = score(gold, test)
    target = TARGET_F1.get(name)
    return [
        name,
        len(gold),
        sum(len(g) for g in gold),
        *(f"{v:.3f}" for v in (s.precision, s.recall, s.f1)),
        *(f"{v:.3f}" for v in (s.lax_precision, s.lax_recall, s.lax_f1)),
        "" if seconds is None else round(seconds, 2),
        f"≥ {target}: {'met' if s.f1 >= target else 'MISSED'}" if target else note,
    ]


def _kinds(title: str, gold: list[list[Bead]], test: list[list[Bead]]) -> None:
    rows = [
        [kind, g, t, round(p, 3), round(r, 3)] for kind, (g, t, p, r) in by_kind(gold, test).items()
    ]
    table(title, ["bead", "gold", "found", "strict P", "strict R"], rows)


def transread(lex: Lexicon) -> tuple[list[object], list[list[Bead]], list[list[Bead]]]:
    books = sorted(p.name.removesuffix(".fr-en.ref") for p in TRANSREAD.glob("*.fr-en.ref"))
    data = [
        (_lines(TRANSREAD / f"{b}.fr"), _lines(TRANSREAD / f"{b}.en"), TRANSREAD / f"{b}.fr-en.ref")
        for b in books
    ]
    started = time.process_time()
    test = [align(fr, en, lexicon=lex) for fr, en, _ in data]
    seconds = time.process_time() - started
    gold = [parse(_lines(ref)) for _, _, ref in data]
    return _row("transread", gold, test, seconds), gold, test


def _articles(path: Path, lines_of: Path | None = None) -> list[list[str]]:
    """The 7 articles of an eval1989 file (split at `.EOA` lines of `path`); with `lines_of`,
    the lines of that line-parallel file (the MT) at the same places."""
    source = _lines(path)
    other = _lines(lines_of) if lines_of else source
    articles: list[list[str]] = [[]]
    for line, kept in zip(source, other, strict=True):
        if line.strip() == ".EOA":
            articles.append([])
        else:
            articles[-1].append(kept)
    return [a for a in articles if a]


def textberg(
    *, both: bool, dev: bool = False
) -> tuple[list[object], list[list[Bead]], list[list[Bead]]]:
    """Text+Berg test: German → French, glossed with the shipped DE→FR MT (`europarlfull`),
    and with `both` also the shipped FR→DE MT of the French side; with `dev`, the dev
    document (`eval1957`) instead."""
    folder = TEXTBERG / "bleualign-eval"
    base = "eval1957" if dev else "eval1989"
    german = _articles(folder / f"{base}.de")
    french = _articles(folder / f"{base}.fr")
    forward = _articles(folder / f"{base}.de", folder / f"{base}.europarlfull.fr")
    backward = _articles(folder / f"{base}.fr", folder / f"{base}.europarlfull.de")
    expected = (
        [TEXTBERG / "dev" / "dev.fr"]
        if dev
        else [TEXTBERG / "test" / f"test{k}.fr" for k in range(len(french))]
    )
    for k, (article, path) in enumerate(zip(french, expected, strict=True)):
        if [s.strip() for s in article] != [s.strip() for s in _lines(path)]:
            raise RuntimeError(f"{base} article {k} differs from {path.name}")
    started = time.process_time()
    test = [
        align(de, fr, glosses=mt, back_glosses=back if both else None)
        for de, fr, mt, back in zip(german, french, forward, backward, strict=True)
    ]
    seconds = time.process_time() - started
    gold = [parse(_lines(path.with_suffix(".defr"))) for path in expected]
    name = ("textberg-dev" if dev else "textberg") + ("-both-mt" if both else "")
    return _row(name, gold, test, seconds), gold, test


def _perturb(
    fr: list[str], en: list[str], rng: random.Random
) -> tuple[list[str], list[str], list[Bead]]:
    """Merge ~10% of adjacent English lines and remove ~5% of French lines; the gold follows."""
    gold: list[Bead] = []
    new_fr: list[str] = []
    new_en: list[str] = []
    i = 0
    while i < len(fr):
        if rng.random() < 0.05:
            gold.append(Bead((), (len(new_en),)))
            new_en.append(en[i])
            i += 1
        elif i + 1 < len(fr) and rng.random() < 0.1:
            gold.append(Bead((len(new_fr), len(new_fr) + 1), (len(new_en),)))
            new_fr += [fr[i], fr[i + 1]]
            new_en.append(en[i] + " " + en[i + 1])
            i += 2
        else:
            gold.append(Bead((len(new_fr),), (len(new_en),)))
            new_fr.append(fr[i])
            new_en.append(en[i])
            i += 1
    return new_fr, new_en, gold


def _law_pairs() -> list[tuple[list[str], list[str]]]:
    documents = sorted(d for d in LAWS.iterdir() if d.is_dir())
    return [(_lines(d / "fr.txt"), _lines(d / "en.txt")) for d in documents]


def _perturbed_laws(seeds: Sequence[int]) -> list[tuple[list[str], list[str], list[Bead]]]:
    perturbed = []
    for seed in seeds:
        rng = random.Random(seed)
        perturbed += [_perturb(fr, en, rng) for fr, en in _law_pairs()]
    return perturbed


def _texts(fr: list[str], en: list[str], bead: Bead) -> tuple[tuple[str, ...], ...]:
    return tuple(fr[i] for i in bead.french), tuple(en[j] for j in bead.english)


def _interchangeable(
    fr: list[str], en: list[str], gold: list[Bead], test: list[Bead]
) -> list[Bead]:
    """`test` with each wrong bead that pairs the same texts as a gold bead no other test
    bead found (a "[Repealed, …]" line paired with its twin's "[Abrogé, …]") given that gold
    bead's places: identical lines counted as interchangeable."""
    found = {(b.french, b.english) for b in test}
    left: dict[tuple[tuple[str, ...], ...], list[Bead]] = {}
    for b in gold:
        if (b.french, b.english) not in found:
            left.setdefault(_texts(fr, en, b), []).append(b)
    exact = {(b.french, b.english) for b in gold}
    out = []
    for b in test:
        twins = left.get(_texts(fr, en, b)) if (b.french, b.english) not in exact else None
        out.append(twins.pop(0) if twins else b)
    return out


def _runs(fr: list[str], en: list[str], gold: list[Bead]) -> list[tuple[int, int]]:
    """(first, stop) of the gold beads of each run of at least two beads whose French lines
    are all one text X and English lines one text Y, or "Y Y" (two merged)."""
    runs = []
    k = 0
    while k < len(gold):
        first = gold[k]
        if len(first.french) != 1 or len(first.english) != 1:
            k += 1
            continue
        x, y = fr[first.french[0]], en[first.english[0]]
        stop = k + 1
        while (
            stop < len(gold)
            and all(fr[i] == x for i in gold[stop].french)
            and all(en[j] in (y, f"{y} {y}") for j in gold[stop].english)
        ):
            stop += 1
        if stop - k > 1:
            runs.append((k, stop))
        k = stop
    return runs


def _ceiling(perturbed: list[tuple[list[str], list[str], list[Bead]]], draws: int = 20) -> float:
    """Expected strict F1 of an aligner right wherever lines differ: in a run of identical
    lines it knows the merged lines and how many English lines lost their French, but not
    which (they are drawn at random, `draws` times)."""
    rng = random.Random(0)
    total = 0.0
    gold = [g for *_, g in perturbed]
    places = [_runs(fr, en, g) for fr, en, g in perturbed]
    for _ in range(draws):
        guessed = []
        for (_, en, g), runs in zip(perturbed, places, strict=True):
            beads = list(g)
            for first, stop in reversed(runs):
                french = sorted(i for b in g[first:stop] for i in b.french)
                english = sorted(j for b in g[first:stop] for j in b.english)
                merged = {j for j in english if en[j] != en[english[0]]}
                singles = [j for j in english if j not in merged]
                orphans = set(rng.sample(singles, len(english) + len(merged) - len(french)))
                run, at = [], 0
                for j in english:
                    take = 0 if j in orphans else 2 if j in merged else 1
                    run.append(Bead(tuple(french[at : at + take]), (j,)))
                    at += take
                beads[first:stop] = run
            guessed.append(beads)
        total += score(gold, guessed).f1
    return total / draws


def _regions(gold: list[Bead], test: list[Bead]) -> Iterator[tuple[int, int, int, int]]:
    """(gold start, gold stop, test start, stop) of each stretch where the two alignments
    differ, between boundaries they share (a bead's end on both sides)."""
    ends: dict[tuple[int, int], int] = {}
    i = j = 0
    for k, bead in enumerate(gold):
        i, j = i + len(bead.french), j + len(bead.english)
        ends[i, j] = k + 1
    g0 = t0 = 0
    i = j = 0
    for k, bead in enumerate(test):
        i, j = i + len(bead.french), j + len(bead.english)
        g1 = ends.get((i, j))
        if g1 is None:
            continue
        if [(b.french, b.english) for b in gold[g0:g1]] != [
            (b.french, b.english) for b in test[t0 : k + 1]
        ]:
            yield g0, g1, t0, k + 1
        g0, t0 = g1, k + 1


ERRORS = (
    "identical lines",
    "French line left alone",
    "English orphan glued to a neighbour",
    "English orphan placed wrong",
    "merged English line split",
    "other",
)


def _error(gold: list[Bead], test: list[Bead], in_run: bool) -> str:
    """Which of `ERRORS` a differing stretch (`gold`, `test` beads) is."""
    found = {b.kind for b in test}
    wanted = {b.kind for b in gold}
    if in_run:
        return ERRORS[0]
    if "1-0" in found:
        return ERRORS[1]
    if "0-1" in wanted:
        return ERRORS[2] if "0-1" not in found else ERRORS[3]
    return ERRORS[4] if "2-1" in wanted and "2-1" not in found else ERRORS[5]


def errors(
    perturbed: list[tuple[list[str], list[str], list[Bead]]], test: list[list[Bead]]
) -> None:
    """Print where the perturbed laws' strict F1 goes: the stretches where the alignment
    differs from the gold, by kind (`_error`), and the F1 if those of one kind were right."""
    gold = [g for *_, g in perturbed]
    base = score(gold, test).f1
    kinds: dict[str, list[tuple[int, int, int, int, int]]] = {kind: [] for kind in ERRORS}
    for d, ((fr, en, g), t) in enumerate(zip(perturbed, test, strict=True)):
        runs = _runs(fr, en, g)
        for g0, g1, t0, t1 in _regions(g, t):
            in_run = any(first < g1 and g0 < stop for first, stop in runs)
            kinds[_error(g[g0:g1], t[t0:t1], in_run)].append((d, g0, g1, t0, t1))
    rows: list[list[object]] = []
    for kind, found in kinds.items():
        mended = [list(t) for t in test]
        for d, g0, g1, t0, t1 in sorted(found, key=lambda r: -r[3]):  # later stretches first
            mended[d][t0:t1] = gold[d][g0:g1]
        rows.append([kind, len(found), f"+{score(gold, mended).f1 - base:.4f}"])
    table(
        f"Laws perturbed: where the positional strict F1 {base:.3f} goes",
        ["stretch", "count", "F1 if right"],
        rows,
    )


def laws_perturbed(
    lex: Lexicon, *, seeds: Sequence[int], name: str, context: bool = False, where: bool = False
) -> tuple[list[list[object]], list[list[Bead]], list[list[Bead]]]:
    """The law documents with lines merged and removed at random (`_perturb`), once per seed
    (documents of several seeds are scored together), scored by content: identical lines are
    interchangeable (`_interchangeable`: two beads pairing the same texts store the same TM
    pair), with the strict positional score beside. With `context`, one more row: the
    expected score of an aligner right wherever lines differ (`_ceiling`). With `where`, the
    table of where the positional F1 goes (`errors`)."""
    perturbed = _perturbed_laws(seeds)
    started = time.process_time()
    test = [align(fr, en, lexicon=lex) for fr, en, _ in perturbed]
    seconds = time.process_time() - started
    gold = [g for *_, g in perturbed]
    by_content = [
        _interchangeable(fr, en, g, t) for (fr, en, g), t in zip(perturbed, test, strict=True)
    ]
    rows = [
        _row(name, gold, by_content, seconds),
        _row("  positional (identical lines told apart)", gold, test, None, "(beside)"),
    ]
    if context:
        ceiling = ["  ceiling: right wherever lines differ", len(gold), sum(len(g) for g in gold)]
        rows.append([*ceiling, "", "", f"{_ceiling(perturbed):.3f}", "", "", "", "", "(context)"])
    if where:
        errors(perturbed, test)
    return rows, gold, test


def laws(lex: Lexicon) -> list[list[object]]:
    pairs = _law_pairs()
    rows = []
    started = time.process_time()
    test = [align(fr, en, lexicon=lex) for fr, en in pairs]
    seconds = time.process_time() - started
    gold = [[Bead((k,), (k,)) for k in range(len(fr))] for fr, _ in pairs]
    rows.append(_row("laws", gold, test, seconds))
    found, gold, test = laws_perturbed(lex, seeds=[7], name="laws-perturbed", context=True)
    rows += found
    _kinds("Laws perturbed per bead type", gold, test)
    return rows


HEADERS = [
    "set",
    "docs",
    "gold beads",
    "P",
    "R",
    "F1",
    "lax P",
    "lax R",
    "lax F1",
    "cpu s",
    "target",
]


def main() -> None:
    chosen = set(sys.argv[2:] if sys.argv[1:2] == ["align"] else sys.argv[1:]) or {"all"}
    lex = lexicon()
    rows: list[list[object]] = []
    if chosen & {"transread", "all"}:
        row, gold, test = transread(lex)
        rows.append(row)
        _kinds("TransRead FR–EN per bead type", gold, test)
    if chosen & {"textberg", "all"}:
        row, gold, test = textberg(both=False)
        rows.append(row)
        _kinds("Text+Berg DE–FR (DE→FR MT) per bead type", gold, test)
        row, gold, test = textberg(both=True)
        rows.append(row)
        _kinds("Text+Berg DE–FR (MT both ways) per bead type", gold, test)
    if chosen & {"laws", "all"}:
        rows += laws(lex)
    if "dev" in chosen:
        row, gold, test = textberg(both=False, dev=True)
        rows.append(row)
        _kinds("Text+Berg dev (DE→FR MT) per bead type", gold, test)
        found, gold, test = laws_perturbed(lex, seeds=[1], name="laws-perturbed-dev")
        rows += found
        _kinds("Laws perturbed (dev seed) per bead type", gold, test)
        # seed 1 alone moves by ±0.005 between settings that are equal on average
        found, _, _ = laws_perturbed(
            lex, seeds=range(1, 6), name="laws-perturbed-dev-1..5", context=True, where=True
        )
        rows += found
    table(
        f"Sentence alignment (strict/lax, Vecalign counting; an empty TM: the base lexicon "
        f"alone, {len(lex):,} words, {len(lex.segments.french):,} segments)",
        HEADERS,
        rows,
    )


if __name__ == "__main__":
    main()
