"""Term recognition: inflection, elision, case, apostrophes, whole tokens, longest match."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from glossaries import tables
from glossaries.recognition import Recogniser, build, word_key

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def recogniser() -> Recogniser:
    return build(tables.read(DATA / "glossary.csv").concepts)


# (text, [(matched text, glossary term, status, concept)])
CASES = [
    (
        "Les Alliés ont salué l'Alliance.",
        [("Alliés", "Allié", "preferred", "C3"), ("Alliance", "Alliance", "preferred", "C2")],
    ),
    (
        "d'OTAN et d’OTAN",
        [("OTAN", "OTAN", "preferred", "C1"), ("OTAN", "OTAN", "preferred", "C1")],
    ),
    ("les forces alliées", [("alliées", "allié", "preferred", "C4")]),
    (
        "ministres des Affaires étrangères",
        [
            (
                "ministres des Affaires étrangères",
                "ministre des Affaires étrangères",
                "preferred",
                "C5",
            )
        ],
    ),
    (
        "le ministre des affaires étrangères",
        [
            (
                "ministre des affaires étrangères",
                "ministre des affaires étrangères",
                "deprecated",
                "C5",
            )
        ],
    ),
    (
        "MINISTRES DES AFFAIRES ÉTRANGÈRES",
        [
            (
                "MINISTRES DES AFFAIRES ÉTRANGÈRES",
                "ministre des Affaires étrangères",
                "preferred",
                "C5",
            )
        ],
    ),
    (
        "la secrétaire générale adjointe",
        [("secrétaire générale adjointe", "secrétaire générale adjointe", "admitted", "C7")],
    ),
    (
        "les secrétaires généraux",
        [("secrétaires généraux", "secrétaire général", "preferred", "C6")],
    ),
    (
        "le secrétaire général adjoint",
        [("secrétaire général adjoint", "secrétaire général adjoint", "preferred", "C7")],
    ),
    (
        "les chefs d’état-major de la défense",
        [
            (
                "chefs d’état-major de la défense",
                "chef d'état-major de la défense",
                "preferred",
                "C9",
            )
        ],
    ),
    (
        "OTANIEN, sommets, le sommet de Vilnius",
        [
            ("sommets", "sommet", "preferred", "C11"),
            ("sommet de Vilnius", "sommet de Vilnius", "preferred", "C12"),
        ],
    ),
    ("la porte-parole; la porte parole", [("porte-parole", "porte-parole", "preferred", "C10")]),
    (
        "Les Alliés\u00a0: défense\u202fcollective",
        [
            ("Alliés", "Allié", "preferred", "C3"),
            ("défense\u202fcollective", "défense collective", "preferred", "C8"),
        ],
    ),
    ("Aucun terme ici.", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_find(recogniser: Recogniser, text: str, expected: list[tuple[str, str, str, str]]) -> None:
    hits = recogniser.find(text)
    assert [(h.text, h.fr, h.status, h.concept) for h in hits] == expected
    for hit in hits:
        assert text[hit.start : hit.end] == hit.text


def test_spans_point_into_decomposed_text(recogniser: Recogniser) -> None:
    text = "Les Allie\u0301s et l'OTAN"  # é as e + combining acute
    hits = recogniser.find(text)
    assert [text[h.start : h.end] for h in hits] == ["Allie\u0301s", "OTAN"]


def test_hit_carries_english_and_alternatives(recogniser: Recogniser) -> None:
    (hit,) = recogniser.find("Alliés")
    assert (hit.en, hit.alternatives, hit.accepted) == ("Ally", ("C4",), ("Ally", "Allied"))
    (hit,) = recogniser.find("porte-parole")
    assert hit.forbidden == ("spokesman",)


KEYS = [
    ("ministres", "ministr"),
    ("ministre", "ministr"),
    ("Alliées", "allie"),
    ("allié", "allie"),
    ("généraux", "general"),
    ("générale", "general"),
    ("étrangères", "etranger"),
    ("armée", "arme"),
    ("arme", "arm"),
    ("bureaux", "bureau"),
    ("directrice", "directeu"),
    ("directeurs", "directeu"),
    ("canadiennes", "canadien"),
    ("actives", "actif"),
    ("l'", "l'"),
    ("OTAN", "otan"),
]


@pytest.mark.parametrize(("word", "key"), KEYS)
def test_word_key(word: str, key: str) -> None:
    assert word_key(word) == key


PIECES = [
    "Alliés",
    "l’",
    "OTAN",
    "d'",
    "ministres",
    "des",
    "Affaires",
    "étrangères",
    "défense",
    "e\u0301",
    "collective",
    " ",
    "\u00a0",
    ",",
    "sommet",
    "de",
    "Vilnius",
    "-",
    "porte",
    "parole",
    "x",
]


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_hits_are_ordered_disjoint_spans_of_the_original(
    recogniser: Recogniser, pieces: list[str]
) -> None:
    text = "".join(pieces)
    hits = recogniser.find(text)
    previous_end = 0
    for hit in hits:
        assert previous_end <= hit.start < hit.end <= len(text)
        assert text[hit.start : hit.end] == hit.text
        previous_end = hit.end
