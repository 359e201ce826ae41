"""Concordance: phrase search tolerant of inflection, case and accents, with spans."""

from __future__ import annotations

import pytest
from conftest import fixture_pairs

from tm import InvalidInput, TranslationMemory, Unit

# (expression, side, sources or targets expected, in order)
SEARCHES = [
    ("ministre des finances", "source", ["Le ministre des Finances a présenté le rapport"]),
    (
        "MINISTRES",
        "source",
        [
            "Le ministre peut conclure",
            "Le ministre doit déposer",
            "Les ministres se sont réunis",
            "Le ministre des Finances",
        ],
    ),
    ("reglement", "source", ["Le présent règlement entre en vigueur"]),
    ("security council", "target", ["The Security Council will meet urgently"]),
    ("secretary", "target", ["The Secretary General chaired the"]),  # its stem: "secretari"
    ("budgets adoptés", "source", []),
]


@pytest.fixture
def filled(memory: TranslationMemory) -> TranslationMemory:
    pairs = fixture_pairs()
    memory.import_units(
        [
            Unit(source=fr, target=en, changed=f"2023-01-{1 + i % 28:02d}T00:00:00Z")
            for i, (fr, en) in enumerate(pairs)
        ]
    )
    return memory


@pytest.mark.parametrize(("expression", "side", "expected"), SEARCHES)
def test_concordance(
    filled: TranslationMemory, expression: str, side: str, expected: list[str]
) -> None:
    hits = filled.concordance(expression, side=side)
    texts = [hit.source if side == "source" else hit.target for hit in hits]
    assert len(texts) == len(expected)
    for text, start in zip(texts, expected, strict=True):
        assert text.startswith(start)


def test_spans_newest_first_and_counterpart(filled: TranslationMemory) -> None:
    filled.add("Ministre des Finances", "Minister of Finance")
    hits = filled.concordance("ministre des finances")
    assert hits[0].source == "Ministre des Finances"
    assert hits[0].counterpart == "Minister of Finance"
    assert hits[0].spans == ((0, 21),)
    second = hits[1]
    start, end = second.spans[0]
    assert second.source[start:end] == "ministre des Finances"
    assert second.counterpart == ""


@pytest.mark.parametrize(("expression", "side"), [("", "source"), ("!", "source"), ("x", "left")])
def test_bad_concordance(memory: TranslationMemory, expression: str, side: str) -> None:
    with pytest.raises(InvalidInput):
        memory.concordance(expression, side=side)


def test_function_words_between_the_words_exact_phrase_first(memory: TranslationMemory) -> None:
    """The README's "dissuasion et défense" found 0 in a TM holding "dissuasion et de défense"
    five times (issue 20)."""
    for year in range(2019, 2024):
        memory.add(
            f"La posture de dissuasion et de défense de l'OTAN en {year}.",
            f"NATO's deterrence and defence posture in {year}.",
        )
    memory.add("Dissuasion et défense.", "Deterrence and defence.")
    memory.add("La dissuasion, la défense et le dialogue.", "Deterrence, defence and dialogue.")
    hits = memory.concordance("dissuasion et défense")
    assert hits[0].source == "Dissuasion et défense."
    assert len(hits) == 6  # not "dissuasion, la défense et…": each word of the phrase is needed
    for hit in hits[1:]:
        start, end = hit.spans[0]
        assert hit.source[start:end] == "dissuasion et de défense"
    english = memory.concordance("deterrence defence", side="target")
    assert len(english) == 7 and english[0].target == "Deterrence, defence and dialogue."


def test_the_text_index_follows_every_write(memory: TranslationMemory) -> None:
    """The full-text index is the store's: adds, corrections and deletions show at once."""
    first = memory.add(
        "Le Conseil de l'Atlantique Nord s'est réuni.", "The North Atlantic Council met."
    )
    assert [h.id for h in memory.concordance("atlantique nord")] == [first.id]
    memory.db.execute(
        "UPDATE segments SET source = 'Le Comité militaire s''est réuni.' WHERE id = ?", [first.id]
    )
    assert memory.concordance("atlantique nord") == []
    assert [h.id for h in memory.concordance("comité militaire")] == [first.id]
    memory.db.execute("DELETE FROM segments WHERE id = ?", [first.id])
    assert memory.concordance("comité militaire") == []


def test_concordance_shows_no_placeholders(memory: TranslationMemory, sample_tmx) -> None:  # type: ignore[no-untyped-def]
    memory.import_files([sample_tmx])
    (hit,) = memory.concordance("bouton pour continuer")
    assert hit.source == "Cliquez sur le bouton pour continuer."
    start, end = hit.spans[0]
    assert hit.source[start:end] == "bouton pour continuer"
    (english,) = memory.concordance("button", side="target")
    assert english.target == "Click the button to continue."


def test_a_phrase_of_common_words_is_bounded(memory: TranslationMemory) -> None:
    """`q="la de le"` scanned the whole TM (26 s at 200k segments; issue 19): candidates come
    from the text index, at most `CANDIDATES`, within `SECONDS`."""
    from tm.retrieval import concordance
    from tm.store import segments

    memory.import_units(
        [
            Unit(source=f"La part {i} de le total.", target=f"Share {i} of the total.")
            for i in range(60)
        ]
    )
    memory.add("Il parle de la de le.", "He speaks of la de le.")
    assert [h.source for h in memory.concordance("la de le")] == ["Il parle de la de le."]
    rows, complete = segments.matching_text(
        memory.db, "source", ["la", "de"], prefixes=False, phrase=False, limit=10, seconds=5
    )
    assert len(rows) == 10 and not complete
    rows, complete = segments.matching_text(
        memory.db, "source", ["la", "de"], prefixes=False, phrase=False, limit=100, seconds=0
    )
    assert not complete  # the time limit stops it
    assert concordance.CANDIDATES <= 2000
