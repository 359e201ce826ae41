"""The learned lexicon: Dice and IBM-1 estimates, glosses, glossary terms first, storage."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import numpy as np
import pytest

from service.pipelines import quality
from tm import TranslationMemory
from tm.quality.learning import _Cooccurrences, _Corpus, learn, learn_segments
from tm.quality.lexicon import Lexicon, Segments
from tm.store import corpus
from tm.store import quality as quality_store
from tm.store.database import connect, writing
from tm.store.lexicons import Lexicons, load, save
from tm.text.tokenise import words

PAIRS = [
    ("le chat dort", "the cat sleeps"),
    ("le chien dort", "the dog sleeps"),
    ("le chat mange", "the cat eats"),
    ("le chien mange", "the dog eats"),
    ("un chat noir", "a black cat"),
    ("un chien noir", "a black dog"),
    ("l'OTAN se réunit", "NATO meets"),
    ("l'OTAN décide", "NATO decides"),
]


@pytest.mark.parametrize("iterations", [0, 5])
def test_learn(iterations: int) -> None:
    lexicon = learn(PAIRS, iterations=iterations)
    assert lexicon.get("chat")[0] == "cat"
    assert lexicon.get("chien")[0] == "dog"
    assert lexicon.get("otan")[0] == "nato"
    assert lexicon.get("noir")[0] in {"black", "a"}


@pytest.mark.parametrize("iterations", [0, 5])
def test_learn_both_ways(iterations: int) -> None:
    """`reverse` adds each English word's French renderings; the French side is unchanged."""
    both = learn(PAIRS, iterations=iterations, reverse=True)
    assert both.translations == learn(PAIRS, iterations=iterations).translations
    assert both.reverse["cat"][0] == "chat"
    assert both.reverse["dog"][0] == "chien"
    assert "otan" in both.reverse["nato"]  # as often as `l`: `l'OTAN`
    assert not learn(PAIRS).reverse


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le chat dort.", "the cat sleeps"),
        ("Le Premier ministre dort", "the prime minister sleeps"),
        ("Jean dort 12 heures", "jean sleeps 12 heures"),
        ("", ""),
    ],
)
def test_gloss(text: str, expected: str) -> None:
    lexicon = Lexicon({"le": ("the",), "chat": ("cat",), "dort": ("sleeps",)})
    lexicon = lexicon.merged({"Premier ministre": ["Prime Minister"]})
    assert lexicon.gloss(text) == expected


def test_glossary_first() -> None:
    lexicon = Lexicon({"porte": ("door", "carries")}).merged({"porte": ["gate"]})
    assert lexicon.get("porte") == ("gate", "door", "carries")


def test_empty() -> None:
    assert len(learn([])) == 0
    assert words("L'homme-orchestre, 1 000.") == ["l", "homme", "orchestre", "1", "000"]


def test_save_and_load() -> None:
    db = connect(":memory:")
    assert load(db) is None
    lexicon = learn(PAIRS)
    save(db, lexicon)
    save(db, lexicon)
    assert load(db) == lexicon


def test_load_reuses_a_parsed_lexicon_until_another_is_stored(tmp_path: Path) -> None:
    """Connections to the same file share the parsed lexicon through one cache (the service
    opens one per request); storing another one is seen by the next load."""
    path = tmp_path / "tm.db"
    first, second = connect(path), connect(path)
    cache = Lexicons()
    save(first, Lexicon({"conseil": ("council",)}))
    loaded = load(first, cache=cache)
    assert loaded is not None and load(second, cache=cache) is loaded
    assert load(second) is not loaded  # without the cache: read again
    save(second, Lexicon({"conseil": ("board",)}))
    again = load(first, cache=cache)
    assert again is not loaded and again is not None
    assert again.translations["conseil"] == ("board",)


HEADINGS = [
    ("Titre abrégé", "Short title"),
    ("Titre abrégé", "Short Title"),
    ("Titre abrégé", "Short title"),
    ("Définitions", "Interpretation"),
    ("Définitions", "Definitions"),
    ("Définitions", "Interpretation"),
    ("Définitions", "Definitions"),
    ("Rapport annuel", "Annual report"),  # once: not known with min_count=2
    ("Reconduction du mandat", "Re-appointment"),
    ("Reconduction du mandat", "Re-appointment"),
    ("Le ministre est chargé de l'application de la présente loi.", "The Minister is responsible."),
]

SEGMENTS = [
    # (French, English, agreement)
    ("Titre abrégé", "Short title", 1.0),
    ("TITRE ABRÉGÉ", "Short title.", 1.0),
    ("Titre abrégé", "Powers of the Minister", -1.0),
    ("Pouvoirs du ministre", "Short title", -1.0),  # the English side is known
    ("Définitions", "Interpretation", 1.0),
    ("Définitions", "Definitions", 1.0),
    ("Rapport annuel", "Annual report", 0.0),
    ("Rapport annuel", "Powers of the Minister", 0.0),
    ("Le ministre est chargé de l'application de la présente loi.", "Short title", -1.0),
    ("Reconduction du mandat", "Reappointment", 1.0),  # hyphens and spaces aside
    ("Reconduction du mandat", "Appointment", -1.0),
]


@pytest.mark.parametrize(("french", "english", "agreement"), SEGMENTS)
def test_segments(french: str, english: str, agreement: float) -> None:
    segments = learn_segments(HEADINGS, min_count=2)
    assert segments.agreement(words(french), words(english)) == agreement


def test_segments_kept_by_count_and_share() -> None:
    once = learn_segments(HEADINGS, min_count=1)
    assert once.french["rapport annuel"] == ("annual report",)
    assert once.english["short title"] == ("titre abrégé",)
    assert "le ministre est chargé de l application de la présente loi" not in once.french
    rare = learn_segments([*HEADINGS, *[("Définitions", "Interpretation")] * 40], min_share=0.1)
    assert rare.french["définitions"] == ("interpretation",)
    assert not learn_segments([]) and not Segments()


def test_save_and_load_segments() -> None:
    db = connect(":memory:")
    lexicon = learn(PAIRS).with_segments(learn_segments(HEADINGS))
    save(db, lexicon, key="with segments")
    loaded = load(db, key="with segments")
    assert loaded == lexicon and loaded is not None and loaded.segments
    assert loaded.merged({"rapport": ["report"]}).segments == lexicon.segments
    words_only = Lexicon({"format": ("format",)})
    assert Lexicon.from_bytes(words_only.to_bytes()) == words_only


def test_save_and_load_both_ways() -> None:
    db = connect(":memory:")
    lexicon = learn(PAIRS, reverse=True)
    save(db, lexicon, key="both ways")
    loaded = load(db, key="both ways")
    assert loaded == lexicon and loaded is not None and loaded.reverse
    assert loaded.merged({"rapport": ["report"]}).reverse == lexicon.reverse


def test_reads_a_lexicon_stored_before_the_reverse_side() -> None:
    stored = {"format": 2, "translations": {"chat": ["cat"]}, "french": {}, "english": {}}
    old = Lexicon.from_bytes(zlib.compress(json.dumps(stored).encode("utf-8")))
    assert old == Lexicon({"chat": ("cat",)}) and not old.reverse


def _releases() -> list[tuple[str, str]]:
    """The demo releases' line pairs (real press-release text, about 340 pairs)."""
    folder = Path(__file__).resolve().parents[1] / "data" / "releases"
    pairs: list[tuple[str, str]] = []
    for french in sorted(folder.glob("*.fr")):
        english = french.with_suffix(".en")
        lines = zip(
            french.read_text("utf-8").splitlines(),
            english.read_text("utf-8").splitlines(),
            strict=True,
        )
        pairs += [(f, e) for f, e in lines if f.strip() and e.strip()]
    return pairs


def _model1_searching_every_iteration(
    table: _Cooccurrences, iterations: int, *, english_given_french: bool
) -> np.ndarray:
    """IBM Model 1 as `learning` computed it before it kept each range's support positions and
    word groups: the positions searched again, the groups worked out again, every iteration."""
    corpus, support = table.corpus, table.support
    given, offsets = (
        (table.french_of, corpus.english_offsets)
        if english_given_french
        else (table.english_of, corpus.french_offsets)
    )
    t = np.full(len(support), 1.0)
    for _ in range(iterations):
        expected = np.zeros(len(support))
        for first, last in table.ranges:
            codes, e_pos, f_pos = table.codes(first, last)
            index = np.searchsorted(support, codes)
            share = t[index]
            group = (e_pos if english_given_french else f_pos) - offsets[first]
            share = share / np.bincount(group, weights=share)[group]
            expected += np.bincount(index, weights=share, minlength=len(support))
        t = expected / np.bincount(given, weights=expected)[given]
    return t


@pytest.mark.parametrize("chunk", [5_000, 2_000_000])
def test_kept_positions_give_the_same_model_to_the_bit(chunk: int) -> None:
    """Learning keeps what each EM iteration used to search again (4-5× faster on a 50k-pair
    sample): the probabilities are the same floats, so the lexicon is the same."""
    corpus = _Corpus.read(_releases(), max_words=80, min_count=2)
    assert corpus is not None
    table = _Cooccurrences(corpus, chunk)
    assert (len(table.ranges) > 3) == (chunk == 5_000)  # several ranges, and one
    for english_given_french in (True, False, True):  # directions alternate, groups change
        kept = table.model1(4, english_given_french=english_given_french)
        again = _model1_searching_every_iteration(
            _Cooccurrences(corpus, chunk), 4, english_given_french=english_given_french
        )
        assert np.array_equal(kept, again)


def test_the_lexicon_does_not_depend_on_the_chunk_size() -> None:
    pairs = _releases()
    small = learn(pairs, iterations=5, top=5, reverse=True, chunk=5_000)
    large = learn(pairs, iterations=5, top=5, reverse=True)
    assert small.translations and small == large


def _stored(folder: Path, pairs: list[tuple[str, str]]) -> TranslationMemory:
    folder.mkdir()
    lines = folder / "pairs.tsv"
    lines.write_text("".join(f"{french}\t{english}\n" for french, english in pairs), "utf-8")
    memory = TranslationMemory.open(folder / "tm.db")
    memory.import_files([lines])
    return memory


def test_a_relearned_lexicon_is_the_same_every_time_whatever_the_storage_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Relearning samples the TM's trusted pairs: the same ones, in the same order, from run to
    run and whichever order the pairs were stored in (`ORDER BY random()` made two relearns
    of one TM flag different pairs), with one or two processes, and whatever the pairs' flags."""
    pairs = _releases()
    monkeypatch.setattr(quality, "LEARN_SAMPLE", len(pairs) * 2 // 3)  # a strict subset
    with (
        _stored(tmp_path / "a", pairs) as first,
        _stored(tmp_path / "b", pairs[::-1]) as reversed_,
    ):
        assert first.count() == reversed_.count() > quality.LEARN_SAMPLE
        sample = corpus.sample(first.db, quality.LEARN_SAMPLE)
        assert len(set(sample)) == quality.LEARN_SAMPLE
        assert corpus.sample(first.db, quality.LEARN_SAMPLE) == sample
        assert corpus.sample(reversed_.db, quality.LEARN_SAMPLE) == sample
        learned = quality.learned_lexicon(first).to_bytes()
        assert learned == quality.learned_lexicon(first, workers=2).to_bytes()
        assert learned == quality.learned_lexicon(reversed_).to_bytes()
        # what a relearn flags does not change what the next one learns (else relearns one
        # after the other flip pairs to and fro); what a maintainer rejects does
        ids = [segment.id for segment in first.segments()]
        with writing(first.db):
            quality_store.record_many(first.db, [(i, 0.1, "misaligned", True) for i in ids[::3]])
        assert quality.learned_lexicon(first).to_bytes() == learned
        first.review(ids[::3], action="reject", author="marie", note="misaligned")
        assert corpus.sample(first.db, quality.LEARN_SAMPLE) != sample
