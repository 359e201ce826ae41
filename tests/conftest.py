"""Shared fixtures: a fresh TM file per test and the checked-in FR/EN samples."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from service import keys
from tm import TranslationMemory
from tm.retrieval import ranking
from tm.retrieval.matching import judge
from tm.retrieval.scoring import analyse
from tm.store.segments import now

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"

# Property tests assert results, not speed: speed is the benchmarks' job (bench/). Hypothesis's
# per-example deadline (200 ms) failed examples of test_index and test_regexes whenever the
# machine was busy with other work, though their answers were right.
settings.register_profile("tm", deadline=None)
settings.load_profile("tm")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "tm.db"


@pytest.fixture
def memory(db_path: Path) -> Iterator[TranslationMemory]:
    with TranslationMemory.open(db_path) as opened:
        yield opened


@pytest.fixture
def secrets(db_path: Path, sample_tmx: Path) -> dict[str, str]:
    """A TM holding the sample TMX, with one API key per role, named by its role: role → key."""
    with TranslationMemory.open(db_path) as memory:
        memory.import_files([sample_tmx])
        keys.ensure_schema(memory.db)
        return {
            role: keys.create(memory.db, role=role, name=role, now=now())[0] for role in keys.ROLES
        }


@pytest.fixture
def sample_tmx() -> Path:
    return DATA / "sample.tmx"


def fixture_pairs() -> list[tuple[str, str]]:
    """The checked-in FR/EN pairs written for the engine tests."""
    lines = (DATA / "engine.fr-en.tsv").read_text(encoding="utf-8").splitlines()
    return [(fr, en) for fr, en in (line.split("\t") for line in lines)]


def variants(count: int, *, seed: int) -> list[tuple[str, str]]:
    """`count` deterministic variants of the fixture pairs: 0–3 word edits (replace, delete,
    insert), numbers changed, halves of two sentences recombined."""
    import random

    pairs = fixture_pairs()
    words = sorted({w for fr, _en in pairs for w in fr.split()})
    chance = random.Random(seed)
    out: list[tuple[str, str]] = []
    for _ in range(count):
        fr, en = chance.choice(pairs)
        tokens = fr.split()
        if chance.random() < 0.15:
            other = chance.choice(pairs)[0].split()
            tokens = tokens[: len(tokens) // 2] + other[len(other) // 2 :]
        for _edit in range(chance.randint(0, 3)):
            where = chance.randrange(len(tokens))
            action = chance.random()
            if action < 0.4:
                tokens[where] = chance.choice(words)
            elif action < 0.6 and len(tokens) > 3:
                del tokens[where]
            elif action < 0.8:
                tokens.insert(where, chance.choice(words))
            else:
                tokens[where] = str(chance.randint(2, 999))
        out.append((" ".join(tokens), en))
    return out


def cli(db: Path, *args: str) -> tuple[int, str]:
    """Run `tm --db DB ARGS…` in process: exit code and stdout (unexpected errors re-raised)."""
    from typer.testing import CliRunner

    from service.main import app

    result = CliRunner().invoke(app, ["--db", str(db), *args], catch_exceptions=True)
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.stdout


class BruteForce:
    """Every segment judged as lookups judge it (`tm.retrieval.matching.judge`: the score less
    the flagged penalty, rejected pairs left out), ranked by `tm.retrieval.ranking.key`
    (word-key Levenshtein as a pre-filter only where it cannot change the result: the final
    score is never above the base)."""

    def __init__(self, memory: TranslationMemory) -> None:
        self.vocab: dict[str, str] = {}
        self.analysed = [(segment, analyse(segment.source)) for segment in memory.segments()]
        self.strings = [self.encode(a.keys) for _segment, a in self.analysed]

    def encode(self, keys: list[str]) -> str:
        return "".join(self.vocab.setdefault(k, chr(0x4E00 + len(self.vocab))) for k in keys)

    def lookup(self, text: str, *, limit: int, threshold: float) -> list[tuple[float, int]]:
        return _brute_force(self, text, limit=limit, threshold=threshold)


def _brute_force(
    brute: BruteForce, text: str, *, limit: int, threshold: float
) -> list[tuple[float, int]]:
    query = analyse(text)
    analysed = brute.analysed
    mine = brute.encode(query.keys)
    theirs = brute.strings
    distances = process.cdist([mine], theirs, scorer=Levenshtein.distance)[0]
    found = []
    for (segment, source), distance in zip(analysed, distances, strict=True):
        longest = max(len(query.keys), len(source.keys))
        if longest and 100 * (1 - distance / longest) < threshold - 0.01:
            continue
        judged = judge(query, segment, source=source)
        if judged is not None and judged.score >= threshold:
            recency = ranking.recency(segment.changed)
            flagged = segment.status == "flagged"
            found.append(
                ranking.key(judged.score, recency, segment.quality, segment.id, flagged=flagged)
            )
    found.sort()
    return [(-item[0], item[4]) for item in found[:limit]]
