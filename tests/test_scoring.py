"""The explained score: base formula, penalties, edits, placeable adaptation."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tm.placeables import find_french, to_english
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
    # Date expressions are units (issue 20): a list, a range, a month-year and a bare year
    # are substituted whole, member by member when the forms agree, or left alone with a note.
    (  # the TM's range holds the query's date: the range is kept, and said (found by hypothesis)
        "La réunion se tiendra le 14 janvier à Ottawa.",
        "La réunion se tiendra du 13 au 14 janvier à Ottawa.",
        "The meeting will be held from 13 to 14 January in Ottawa.",
        "The meeting will be held from 13 to 14 January in Ottawa.",
        ["date 13 au 14 janvier of the TM source is not in the text: the English keeps it"],
    ),
    (
        "Le Conseil se réunira le 14 février 2024.",
        "Le Conseil se réunira les 11 et 12 octobre 2023.",
        "The Council will meet on 11 and 12 October 2023.",
        "The Council will meet on 11 and 12 October 2023.",
        ["date 11 et 12 octobre 2023 differs in form from 14 février 2024: not substituted"],
    ),
    (
        "Le Conseil se réunira le 14 février 2024.",
        "Le Conseil se réunira en octobre 2023.",
        "The Council will meet in October 2023.",
        "The Council will meet in October 2023.",
        ["date octobre 2023 differs in form from 14 février 2024: not substituted"],
    ),
    (
        "Le Conseil se réunira les 3 et 4 mai 2024.",
        "Le Conseil se réunira les 11 et 12 octobre 2023.",
        "The Council will meet on 11 and 12 October 2023.",
        "The Council will meet on 3 and 4 May 2024.",
        [],
    ),
    (
        "Le Conseil siégera du 3 au 5 mai.",
        "Le Conseil siégera du 10 au 12 juin.",
        "The Council will sit from 10 to 12 June.",
        "The Council will sit from 3 to 5 May.",
        [],
    ),
    (
        "Le Conseil siégera du 3 mai au 5 juin 2024.",
        "Le Conseil siégera du 3 au 5 juin 2023.",
        "The Council will sit from 3 to 5 June 2023.",
        "The Council will sit from 3 to 5 June 2023.",
        ["date 3 au 5 juin 2023 differs in form from 3 mai au 5 juin 2024: not substituted"],
    ),
    (
        "Le Conseil siégera en mars 2024.",
        "Le Conseil siégera en octobre 2023.",
        "The Council will sit in October 2023.",
        "The Council will sit in March 2024.",
        [],
    ),
    (
        "Le rapport couvre 2024.",
        "Le rapport couvre 2022 et 2023.",
        "The report covers 2022 and 2023.",
        "The report covers 2022 and 2023.",
        ["date 2022 et 2023 differs in form from 2024: not substituted"],
    ),
    (
        "Le rapport couvre 2024.",
        "Le rapport couvre 2023.",
        "The report covers 2023.",
        "The report covers 2024.",
        [],
    ),
]


@pytest.mark.parametrize(("query", "source", "target", "adapted", "notes"), ADAPTATIONS)
def test_adapted_target(
    query: str, source: str, target: str, adapted: str, notes: list[str]
) -> None:
    scored = score(analyse(query), analyse(source))
    assert adapt(target, scored) == (adapted, notes)


def test_index_keys_are_the_keys_score_compares() -> None:
    from conftest import fixture_pairs, variants

    from tm.retrieval.scoring import index_keys
    from tm.text.normalise import normalise

    texts = [fr for fr, _en in fixture_pairs() + variants(300, seed=3)]
    texts += ["Voir <t1/>l'article 5<t2/>, 1 000,5 t.", "", "…", "Le 1er mars, à 14 h 30 !"]
    for text in texts:
        assert analyse(text).index_keys() == index_keys(normalise(text)), text


# French date forms and their English, as a translator writes them: (French, English).
_MONTHS_FR = "janvier février mars avril mai juin juillet août septembre octobre novembre".split()


@st.composite
def date_forms(draw: st.DrawFn) -> tuple[str, str, str]:
    """A French date expression with its preposition, its English with the preposition, and
    the English of the expression alone (what an adapted target must hold)."""
    form = draw(st.sampled_from(["dmy", "dm", "my", "year", "list", "range", "span", "years"]))
    month = draw(st.integers(0, len(_MONTHS_FR) - 2))
    day = draw(st.integers(1, 27))
    year = draw(st.integers(1990, 2030))
    fr_month, en_month = _MONTHS_FR[month], _english_month(month)
    french, english = {
        "dmy": (f"le {day} {fr_month} {year}", f"{day} {en_month} {year}"),
        "dm": (f"le {day} {fr_month}", f"{day} {en_month}"),
        "my": (f"en {fr_month} {year}", f"{en_month} {year}"),
        "year": (f"en {year}", f"{year}"),
        "list": (
            f"les {day} et {day + 1} {fr_month} {year}",
            f"{day} and {day + 1} {en_month} {year}",
        ),
        "range": (f"du {day} au {day + 1} {fr_month}", f"{day} to {day + 1} {en_month}"),
        "span": (
            f"du {day} {fr_month} au {day} {_MONTHS_FR[month + 1]} {year}",
            f"{day} {en_month} to {day} {_english_month(month + 1)} {year}",
        ),
        "years": (f"en {year} et {year + 1}", f"{year} and {year + 1}"),
    }[form]
    preposition = {"le": "on", "les": "on", "du": "from", "en": "in"}[french.split()[0]]
    return french, f"{preposition} {english}", english


def _english_month(index: int) -> str:
    return to_english(find_french(f"1er {_MONTHS_FR[index]}")[0]).split()[1]


@settings(max_examples=400, deadline=None)
@given(query=date_forms(), source=date_forms())
def test_adapted_dates_are_whole_expressions_or_left_alone(
    query: tuple[str, str, str], source: tuple[str, str, str]
) -> None:
    """The adapted English holds exactly the query's date expression in English, or it is
    the TM target unchanged with a note: never a mix ("on 11 and 14 February 2024")."""
    template_fr, template_en = (
        "La réunion se tiendra {} à Ottawa.",
        "The meeting will be held {} in Ottawa.",
    )
    target = template_en.format(source[1])
    scored = score(analyse(template_fr.format(query[0])), analyse(template_fr.format(source[0])))
    adapted, notes = adapt(target, scored)
    if adapted == target and query[2] != source[2]:
        assert notes, (query, source)
    else:
        preposition = source[1].split()[0]
        assert adapted == template_en.format(f"{preposition} {query[2]}"), (query, source, notes)
