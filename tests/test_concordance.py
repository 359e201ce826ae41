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
    hits = filled.concordance(expression, side=side).hits
    texts = [hit.source if side == "source" else hit.target for hit in hits]
    assert len(texts) == len(expected)
    for text, start in zip(texts, expected, strict=True):
        assert text.startswith(start)


def test_spans_newest_first_and_counterpart(filled: TranslationMemory) -> None:
    filled.add("Ministre des Finances", "Minister of Finance")
    hits = filled.concordance("ministre des finances").hits
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
    hits = memory.concordance("dissuasion et défense").hits
    assert hits[0].source == "Dissuasion et défense."
    assert len(hits) == 6  # not "dissuasion, la défense et…": each word of the phrase is needed
    for hit in hits[1:]:
        start, end = hit.spans[0]
        assert hit.source[start:end] == "dissuasion et de défense"
    english = memory.concordance("deterrence defence", side="target").hits
    assert len(english) == 7 and english[0].target == "Deterrence, defence and dialogue."


def test_the_text_index_follows_every_write(memory: TranslationMemory) -> None:
    """The full-text index is the store's: adds, corrections and deletions show at once."""
    first = memory.add(
        "Le Conseil de l'Atlantique Nord s'est réuni.", "The North Atlantic Council met."
    )
    assert [h.id for h in memory.concordance("atlantique nord").hits] == [first.id]
    memory.db.execute(
        "UPDATE segments SET source = 'Le Comité militaire s''est réuni.' WHERE id = ?", [first.id]
    )
    assert memory.concordance("atlantique nord").hits == ()
    assert [h.id for h in memory.concordance("comité militaire").hits] == [first.id]
    memory.db.execute("DELETE FROM segments WHERE id = ?", [first.id])
    assert memory.concordance("comité militaire").hits == ()


def test_concordance_shows_no_placeholders(memory: TranslationMemory, sample_tmx) -> None:  # type: ignore[no-untyped-def]
    memory.import_files([sample_tmx])
    (hit,) = memory.concordance("bouton pour continuer").hits
    assert hit.source == "Cliquez sur le bouton pour continuer."
    start, end = hit.spans[0]
    assert hit.source[start:end] == "bouton pour continuer"
    (english,) = memory.concordance("button", side="target").hits
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
    assert [h.source for h in memory.concordance("la de le").hits] == ["Il parle de la de le."]
    rows, stopped_by = segments.matching_text(
        memory.db, "source", ["la", "de"], prefixes=False, phrase=False, limit=10, seconds=5
    )
    assert len(rows) == 10 and stopped_by == segments.Stop.CANDIDATES
    rows, stopped_by = segments.matching_text(
        memory.db, "source", ["la", "de"], prefixes=False, phrase=False, limit=100, seconds=0
    )
    assert stopped_by == segments.Stop.TIME  # the time limit stops it
    assert concordance.CANDIDATES <= 2000


def test_an_interrupted_search_keeps_the_rows_read_before(memory: TranslationMemory) -> None:
    """The time limit interrupts the query while its rows are read: those read before the
    interrupt are the newest candidates, kept and checked."""
    from tm.store import segments

    memory.import_units(
        [Unit(source=f"La part {i} de le total.", target=f"Share {i}.") for i in range(300)]
    )
    # No time at all: SQLite's progress handler interrupts after its first 1,000 steps, when
    # the newest rows have been read.
    rows, stopped_by = segments.matching_text(
        memory.db, "source", ["part"], prefixes=False, phrase=False, limit=1000, seconds=0
    )
    assert stopped_by == segments.Stop.TIME
    assert 0 < len(rows) < 300
    newest = [row[0] for row in memory.db.conn.execute("SELECT id FROM segments ORDER BY id DESC")]
    assert [row[0] for row in rows] == newest[: len(rows)]


def test_a_common_phrase_says_the_search_stopped_early(memory: TranslationMemory) -> None:
    """A phrase held by more segments than are checked: the answer says so, with how many of
    the newest were checked, instead of silently showing part of the hits (issue 19)."""
    memory.import_units(
        [
            Unit(
                source=f"Le ministre a signé l'accord n° {i}.",
                target=f"The minister signed agreement No. {i}.",
                changed=f"2024-01-{1 + i % 28:02d}T00:00:00Z",
            )
            for i in range(30)
        ]
    )
    bounded = memory.concordance("ministre", limit=5, candidates=12)
    assert not bounded.complete and bounded.stopped_by == "candidates"
    assert bounded.checked == 12 and len(bounded.hits) == 5
    whole = memory.concordance("ministre", limit=5, candidates=30)
    assert whole.complete and whole.stopped_by is None and whole.checked == 30
    assert memory.concordance("ministre", side="target", candidates=31).complete
    assert not memory.concordance("minister", side="target", candidates=29).complete
