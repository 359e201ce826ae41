"""Pair-quality flags on real pairs with injected faults, scoring speed, leave-one-out leverage.

Data (read-only, ../shared/data): 1,000 UN pairs (UNv1.0 testset, documents with ≥ 2 lines)
and 1,000 Canadian law pairs (odd-numbered of the 60 held-out document pairs). Faulty copies:
targets shuffled within their document (misaligned), targets cut at a word boundary
(truncated), target = source (untranslated), one digit changed in the target (numbers), and a
preferred glossary term replaced by its deprecated variant (glossary, data/glossary).
The lexicon is the base lexicon that ships with tm (`tm.quality.base`, what a new TM checks
with): IBM-1 words both ways and known segments learned from the laws corpus less the 60
evaluation documents (by document id) and the UN devset's second half, which neither split
reads. Before issue 18 the benchmark learned its own from a 200k sample of the laws corpus,
the UN devset's second half and the WMT news test sets (test split then: clean 1.90%,
misaligned 96.79%, numbers 99.37%, untranslated 96.05%, truncated 82.15%); with the base
lexicon and flags on evidence: 1.25%, 96.84%, 98.53% (a value the English only adds no longer
flags), 95.90% (a name copied as it is, `Côte d'Ivoire`, is no longer untranslated), 81.59%.
Thresholds were chosen, and the misalignment model (tm/quality/misalignment.py) fitted, on a
development split (UN devset first half, even-numbered law documents): `--split dev`.
bench/quality_tm.py adds issue 18's tables (a new TM's imports; a 50k laws TM checking UN
pairs); `python -m bench.pieces` what sub-word pieces buy here (nothing that pays).

Targets (issue 5): recall ≥ 95% for misaligned, numbers and untranslated with ≤ 2% of clean
pairs flagged; ≥ 10,000 pairs/s scoring.
Run: `.venv/bin/python -m bench.quality [--split dev|test]`;
`.venv/bin/python -m bench.quality --split dev --fit` prints the misalignment model's weights
fitted on the dev split (constants in tm/quality/misalignment.py) and the bar chosen there
(`tm.quality.pairs.Thresholds.misaligned`); and
`.venv/bin/python -m bench.quality --leave-one-out` (needs build/bench/laws.db from
bench.importing; practical only with the engine's index: the foundation's scan takes 1–5 s a
lookup, 3,885 lookups).
"""

from __future__ import annotations

import csv
import random
import re
import statistics
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench import quality_tm
from bench.common import ROOT, SHARED, WORK, table
from tm.quality import base
from tm.quality.lexicon import Lexicon
from tm.quality.misalignment import fit
from tm.quality.pairs import assess, inputs
from tm.text.numerals import numbers

UN = SHARED / "un-pc-v1-testsets-fr-en"
LAWS = SHARED / "canada-laws-fr-en"
GLOSSARY = ROOT / "data" / "glossary" / "glossary.csv"


@dataclass(frozen=True)
class Case:
    source: str
    target: str
    fault: str  # "clean" or the fault injected
    document: str


def _lines(path: Path) -> list[str]:
    return path.read_text("utf-8").split("\n")


def _un(name: str, part: slice) -> list[tuple[str, str, str]]:
    french = _lines(UN / f"UNv1.0.{name}.fr")
    english = _lines(UN / f"UNv1.0.{name}.en")
    ids = [line.split(" ")[0] for line in _lines(UN / f"UNv1.0.{name}.ids")]
    rows = list(zip(french, english, ids, strict=False))[part]
    per_document: dict[str, int] = defaultdict(int)
    for _f, _e, doc in rows:
        per_document[doc] += 1
    return [(f, e, d) for f, e, d in rows if f and e and per_document[d] >= 2]


def _laws(parity: int) -> list[tuple[str, str, str]]:
    rows = []
    folders = sorted(p for p in (LAWS / "documents").iterdir() if p.is_dir())
    for folder in folders[parity::2]:
        french = _lines(folder / "fr.txt")
        english = _lines(folder / "en.txt")
        rows += [(f, e, folder.name) for f, e in zip(french, english, strict=False) if f and e]
    return rows


def clean_pairs(split: str, *, count: int = 1000, seed: int = 5) -> list[tuple[str, str, str]]:
    """`count` UN and `count` law pairs, whole documents taken in a seeded random order."""
    un = _un("testset", slice(0, 4000)) if split == "test" else _un("devset", slice(0, 2000))
    laws = _laws(1 if split == "test" else 0)
    chosen: list[tuple[str, str, str]] = []
    for rows in (un, laws):
        documents: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for row in rows:
            documents[row[2]].append(row)
        names = sorted(documents)
        random.Random(seed).shuffle(names)
        taken: list[tuple[str, str, str]] = []
        for name in names:
            if len(taken) >= count:
                break
            taken += documents[name][: count - len(taken)]
        chosen += taken
    return chosen


def _deprecated_terms() -> list[tuple[str, str]]:
    """(preferred English, deprecated English) pairs of the same concept."""
    preferred: dict[str, str] = {}
    deprecated: dict[str, list[str]] = defaultdict(list)
    with GLOSSARY.open(encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            if row["en"] and row["en_status"] == "preferred":
                preferred.setdefault(row["concept"], row["en"])
            elif row["en"] and row["en_status"] in ("deprecated", "superseded"):
                deprecated[row["concept"]].append(row["en"])
    return [(preferred[c], d) for c, ds in deprecated.items() if c in preferred for d in ds]


def faulty(rows: list[tuple[str, str, str]], *, seed: int = 7) -> list[Case]:
    """The clean pairs and one faulty copy per fault type where the fault applies."""
    rng = random.Random(seed)
    cases = [Case(f, e, "clean", d) for f, e, d in rows]
    by_document: dict[str, list[int]] = defaultdict(list)
    for index, (_f, _e, document) in enumerate(rows):
        by_document[document].append(index)
    for indexes in by_document.values():
        if len(indexes) < 2:
            continue
        moved = indexes[1:] + indexes[:1]  # a derangement within the document
        rng.shuffle(moved)
        while any(a == b for a, b in zip(indexes, moved, strict=True)):
            rng.shuffle(moved)
        for a, b in zip(indexes, moved, strict=True):
            if rows[a][1] != rows[b][1]:
                cases.append(Case(rows[a][0], rows[b][1], "misaligned", rows[a][2]))
    terms = _deprecated_terms()
    for f, e, d in rows:
        tokens = e.split()
        if len(tokens) >= 4:
            keep = max(1, int(len(tokens) * rng.uniform(0.3, 0.7)))
            cases.append(Case(f, " ".join(tokens[:keep]), "truncated", d))
        cases.append(Case(f, f, "untranslated", d))
        # a digit of a number the French has too (not a list number of the English only)
        shared = numbers(f, french=True)
        positions = [
            m.start() + offset
            for m in re.finditer(r"\d+(?:[.,]\d+)*", e)
            if m.start() > 4 and m.group().replace(",", "") in shared
            for offset, char in enumerate(m.group())
            if char.isdigit()
        ]
        if positions:
            where = rng.choice(positions)
            changed = str((int(e[where]) + rng.randint(1, 9)) % 10)
            cases.append(Case(f, e[:where] + changed + e[where + 1 :], "numbers", d))
        for good, bad in terms:
            if re.search(rf"\b{re.escape(good)}\b", e):
                cases.append(Case(f, re.sub(rf"\b{re.escape(good)}\b", bad, e), "glossary", d))
                break
    return cases


def _glossary_flags(cases: list[Case]) -> list[bool]:
    """Whether glossary compliance (glossaries.compliance, data/glossary) reports a deprecated
    English term in the target."""
    from glossaries import Glossary
    from glossaries.compliance import FORBIDDEN_TARGET, check
    from tm.store.database import connect

    db = connect(":memory:")
    glossary = Glossary.open(db)
    glossary.import_file(GLOSSARY, author="bench")
    recogniser = glossary.recogniser()
    return [
        any(f.code == FORBIDDEN_TARGET for f in check(c.source, c.target, recogniser))
        for c in cases
    ]


def lexicon() -> Lexicon:
    """The base lexicon that ships with tm (`tm.quality.base`: the laws corpus less the 60
    benchmark documents, whose pairs both splits take, and the UN devset's second half, which
    neither split reads): what a new TM checks with."""
    return base.lexicon()


RUNS = 5
"""Timed scoring runs: this machine's speed varies from run to run, the median is steadier."""

DEV_CLEAN_FLAGGED = 1.9
"""The share (%) of clean dev pairs the misaligned bar may let be flagged for any reason: a
margin under the 2% target."""


def _corpus(document: str) -> str:
    """`UN` for a UN document symbol (`2015/s/2015/305`), `laws` for a law's id (`C-15`)."""
    return "UN" if "/" in document else "laws"


def fit_model(cases: list[Case], learned: Lexicon) -> tuple[tuple[float, ...], float, float]:
    """Fit `tm.quality.misalignment` on clean against misaligned cases (those no rule flags), and
    choose the bar: the lowest (in steps of 0.005) that keeps clean pairs flagged for any
    reason ≤ `DEV_CLEAN_FLAGGED`% in each corpus (UN, laws: a new TM's pairs are often of one
    kind). Returns (weights, bias, bar)."""
    chosen = [c for c in cases if c.fault in ("clean", "misaligned")]
    rows, ruled = inputs([(c.source, c.target) for c in chosen], lexicon=learned)
    keep = ~np.array(ruled)
    labels = np.array([c.fault == "misaligned" for c in chosen])
    weights, bias = fit(rows[keep], labels[keep])
    chance = 1.0 / (1.0 + np.exp(-(rows @ np.array(weights) + bias)))
    corpora = np.array([_corpus(c.document) for c in chosen])
    for step in range(100, 200):
        bar = step * 0.005
        flagged = np.array(ruled) | (chance > bar)
        clean = [~labels & (corpora == name) for name in ("UN", "laws")]
        if all(100 * (flagged & one).sum() / one.sum() <= DEV_CLEAN_FLAGGED for one in clean):
            return weights, bias, round(bar, 3)
    return weights, bias, 1.0


def main() -> None:
    split = "dev" if "--split" in sys.argv and "dev" in sys.argv else "test"
    rows = clean_pairs(split)
    started = time.perf_counter()
    learned = lexicon()
    learn_seconds = time.perf_counter() - started
    cases = faulty(rows)
    if "--fit" in sys.argv:
        if split != "dev":
            raise SystemExit("fit on the dev split only: --split dev --fit")
        weights, bias, bar = fit_model(cases, learned)
        print(f"WEIGHTS = {weights}\nBIAS = {bias}\nThresholds.misaligned = {bar}")
        return
    pairs = [(c.source, c.target) for c in cases]
    assess(pairs[:200], lexicon=learned)  # warm-up
    walls, cpus = [], []
    for _ in range(RUNS):  # each run starts cold: word caches live for one call
        started, cpu = time.perf_counter(), time.process_time()
        results = assess(pairs, lexicon=learned)
        walls.append(len(pairs) / (time.perf_counter() - started))
        cpus.append(len(pairs) / (time.process_time() - cpu))
    glossary_flags = _glossary_flags(cases)
    kinds = ["clean", "misaligned", "numbers", "untranslated", "truncated", "glossary"]
    targets = {"clean": "≤ 2%", "misaligned": "≥ 95%", "numbers": "≥ 95%", "untranslated": "≥ 95%"}
    out = []
    for kind in kinds:
        chosen = [
            (r, g)
            for c, r, g in zip(cases, results, glossary_flags, strict=True)
            if c.fault == kind
        ]
        count = max(len(chosen), 1)
        flagged = sum(r.flagged for r, _ in chosen)
        reason = sum(kind in r.flags for r, _ in chosen)
        glossary = sum(g for _, g in chosen)
        out.append(
            [
                kind,
                len(chosen),
                f"{100 * flagged / count:.2f}% ({flagged:,})",
                f"{100 * reason / count:.2f}%" if kind not in ("clean", "glossary") else "—",
                f"{100 * glossary / count:.1f}%",
                targets.get(kind, "—"),
            ]
        )
    table(
        f"Pair quality flags ({split} split: {len(rows)} clean pairs, bench/quality.py)",
        [
            "pairs",
            "count",
            "quality-flagged (any reason)",
            "flagged with this reason",
            "glossary: deprecated term found",
            "target",
        ],
        out,
    )
    faulty_flagged = sum(
        1 for c, r in zip(cases, results, strict=True) if c.fault != "clean" and r.flagged
    )
    clean_flagged = sum(
        1 for c, r in zip(cases, results, strict=True) if c.fault == "clean" and r.flagged
    )
    table(
        "Pair quality: precision and speed",
        ["measure", "value"],
        [
            [
                "precision of quality flags (flagged pairs that are faulty)",
                f"{100 * faulty_flagged / max(faulty_flagged + clean_flagged, 1):.1f}%",
            ],
            ["pairs scored", len(pairs)],
            [
                f"scoring pairs/s, wall clock, median of {RUNS} runs (target ≥ 10,000)",
                f"{statistics.median(walls):,.0f} (runs {min(walls):,.0f}–{max(walls):,.0f})",
            ],
            [
                "scoring pairs/s, CPU time of this process, median",
                f"{statistics.median(cpus):,.0f} (runs {min(cpus):,.0f}–{max(cpus):,.0f})",
            ],
            [
                "base lexicon: French words / seconds to load",
                f"{len(learned):,} / {learn_seconds:.1f}",
            ],
        ],
    )
    un = [row for row in rows if _corpus(row[2]) == "UN"]
    quality_tm.new_tm([row for row in rows if _corpus(row[2]) == "laws"], un)
    faults: dict[str, list[tuple[str, str]]] = {"untranslated": [], "numbers": []}
    for case in cases:
        if case.fault in faults and _corpus(case.document) == "UN":
            faults[case.fault].append((case.source, case.target))
    quality_tm.check_un(un, faults)
    if "--show" in sys.argv:
        for kind in ("clean", "misaligned"):
            print(f"\n# {kind}: {'flagged' if kind == 'clean' else 'missed'}")
            for c, r in zip(cases, results, strict=True):
                if c.fault == kind and r.flagged == (kind == "clean"):
                    print(r, "|", c.source[:90], "|", c.target[:90])


def leave_one_out_laws() -> None:
    """Leave-one-out over the 60 law document pairs with the 445k laws TM (build/bench/laws.db,
    made by bench/importing.py): each document pretranslated without itself, scored against
    its own English."""
    from service.pipelines.quality import leave_one_out
    from tm import TranslationMemory

    path = WORK / "laws.db"
    if not path.exists():
        print(f"skipped leave-one-out: {path} missing (run bench.importing first)")
        return
    documents = []
    for folder in sorted(p for p in (LAWS / "documents").iterdir() if p.is_dir()):
        pairs = [
            (f, e)
            for f, e in zip(_lines(folder / "fr.txt"), _lines(folder / "en.txt"), strict=False)
            if f and e
        ]
        documents.append((folder.name, pairs))
    with TranslationMemory.open(path) as memory:
        in_tm = sum(
            memory.db.conn.execute(
                "SELECT count(*) FROM segments WHERE document = ?", (name,)
            ).fetchone()[0]
            > 0
            for name, _ in documents
        )
        started = time.perf_counter()
        memory.lookup(documents[0][1][0][0], limit=1)  # builds the index, if the engine has one
        warm = time.perf_counter() - started
        started = time.perf_counter()
        result = leave_one_out(memory, documents)
        seconds = time.perf_counter() - started
    total = result.evaluation.total
    rows = [["all", total.segments, total.bleu, total.chrf, total.ter]]
    rows += [
        [f"band {name}", scores.segments, scores.bleu, scores.chrf, scores.ter]
        for name, scores in result.evaluation.bands.items()
    ]
    table(
        f"Leave-one-out over {len(documents)} law documents ({in_tm} of them in the TM, "
        f"excluded from their own lookups), 445k TM",
        ["segments", "count", "BLEU", "chrF++", "TER"],
        rows,
    )
    print(f"signatures: {result.evaluation.signatures}")
    print(f"first lookup (index build) {warm:.1f} s; {total.segments} lookups in {seconds:.1f} s")
    worst = sorted(result.documents, key=lambda d: d.scores.chrf)
    table(
        "Leave-one-out per document (5 lowest and 5 highest chrF++)",
        ["document", "segments", "BLEU", "chrF++", "exact", "fuzzy", "none"],
        [
            [d.document, d.scores.segments, d.scores.bleu, d.scores.chrf, d.exact, d.fuzzy, d.none]
            for d in worst[:5] + worst[-5:]
        ],
    )


if __name__ == "__main__":
    WORK.mkdir(parents=True, exist_ok=True)
    if "--leave-one-out" in sys.argv:
        leave_one_out_laws()
    else:
        main()
