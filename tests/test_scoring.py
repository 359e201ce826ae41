"""The explained score: base formula, penalties, edits, placeable adaptation."""

from __future__ import annotations

import pytest

from tm.retrieval.adaptation import adapt
from tm.retrieval.scoring import analyse, score

SOURCE = "Le Conseil a adopté le budget."
LONG = " ".join(f"mot{i}" for i in range(300))

# (query, TM source, expected score, expected penalty codes)
SCORES = [
    ("identical", SOURCE, SOURCE, 100.0, []),
    ("one word changed", "Le Conseil a rejeté le budget.", SOURCE, 83.33, []),
    ("word added", "Le Conseil a adopté le nouveau budget.", SOURCE, 85.71, []),
    ("case only", "le conseil a adopté le budget.", SOURCE, 99.0, ["case"]),
    ("accents only", "Le Conseil a adopte le budget.", SOURCE, 99.0, ["accents"]),
    ("case and accents", "le Conseil a ADOPTE le budget.", SOURCE, 98.0, ["case", "accents"]),
    ("punctuation only", "Le Conseil a adopté le budget !", SOURCE, 99.0, ["punctuation"]),
    ("spacing only", "Voir l' article.", "Voir l'article.", 99.0, ["spacing"]),
    ("typography is not a difference", "L’OTAN se réunit.", "L'OTAN se réunit.", 100.0, []),
    (
        "number changed",
        "Le rapport comprend 1 300 pages.",
        "Le rapport comprend 1 250 pages.",
        99.0,
        ["placeable"],
    ),
    (
        "date changed",
        "La réunion aura lieu le 3 mars 2024.",
        "La réunion aura lieu le 28 novembre 2023.",
        99.0,
        ["placeable"],
    ),
    (
        "two placeables changed",
        "Hausse de 4 % à 14 h 30.",
        "Hausse de 2,5 % à 10 h.",
        98.0,
        ["placeable", "placeable"],
    ),
    ("empty", "", "", 100.0, []),
    ("empty query", "", SOURCE, 0.0, ["punctuation"]),
    ("very long, one word changed", LONG.replace("mot7 ", "autre "), LONG, 99.67, []),
    ("nothing in common", "Merci beaucoup.", SOURCE, 0.0, []),
]


@pytest.mark.parametrize(
    ("query", "source", "expected", "codes"),
    [case[1:] for case in SCORES],
    ids=[case[0] for case in SCORES],
)
def test_score_and_penalties(query: str, source: str, expected: float, codes: list[str]) -> None:
    scored = score(analyse(query), analyse(source))
    assert scored.score == expected
    assert [p.code for p in scored.penalties] == codes
    assert all(p.points == 1 for p in scored.penalties)


def test_edits_are_token_spans_of_both_sides() -> None:
    scored = score(analyse("Le Conseil a rejeté le nouveau budget."), analyse(SOURCE))
    assert [(e.op, e.source_text, e.query_text) for e in scored.edits] == [
        ("replace", "adopté", "rejeté"),
        ("insert", "", "nouveau"),
    ]
    first = scored.edits[0]
    assert (first.query_start, first.query_end, first.source_start, first.source_end) == (
        3,
        4,
        3,
        4,
    )


def test_placeable_is_one_typed_token() -> None:
    tokens = analyse("Le 28 novembre 2023, 1 000,5 tonnes.").tokens
    assert [(t.kind, t.key) for t in tokens] == [
        ("word", "le"),
        ("placeable", "⟨date⟩"),
        ("punctuation", ","),
        ("placeable", "⟨number⟩"),
        ("word", "tonnes"),
        ("punctuation", "."),
    ]


# (query, TM source, TM target, adapted target, notes)
ADAPTATIONS = [
    (
        "Le Conseil a adopté 15 mesures le 3 mars 2024.",
        "Le Conseil a adopté 12 mesures le 28 novembre 2023.",
        "The Council adopted 12 measures on 28 November 2023.",
        "The Council adopted 15 measures on 3 March 2024.",
        [],
    ),
    (
        "Une hausse de 2,5 % à 14 h 30.",
        "Une hausse de 3,5 % à 10 h 15.",
        "An increase of 3.5% at 10:15 a.m.",
        "An increase of 2.5% at 2:30 p.m.",
        [],
    ),
    (
        "Un financement de 5 millions d'euros.",
        "Un financement de 3 millions d'euros.",
        "Funding of €3 million.",
        "Funding of €5 million.",
        [],
    ),
    (
        "Le Conseil a adopté 15 mesures.",
        "Le Conseil a adopté 12 mesures.",
        "The Council adopted twelve measures.",
        "The Council adopted twelve measures.",
        ["placeable 12 not found in target: not substituted"],
    ),
]


@pytest.mark.parametrize(("query", "source", "target", "adapted", "notes"), ADAPTATIONS)
def test_adapted_target(
    query: str, source: str, target: str, adapted: str, notes: list[str]
) -> None:
    scored = score(analyse(query), analyse(source))
    assert adapt(target, scored.changes) == (adapted, notes)


def test_index_keys_are_the_keys_score_compares() -> None:
    from conftest import fixture_pairs, variants

    from tm.retrieval.scoring import index_keys
    from tm.text.normalise import normalise

    texts = [fr for fr, _en in fixture_pairs() + variants(300, seed=3)]
    texts += ["Voir <t1/>l'article 5<t2/>, 1 000,5 t.", "", "…", "Le 1er mars, à 14 h 30 !"]
    for text in texts:
        assert analyse(text).index_keys() == index_keys(normalise(text)), text
