"""The learned lexicon: Dice and IBM-1 estimates, glosses, glossary terms first, storage."""

from __future__ import annotations

from pathlib import Path

import pytest

from tm.database import connect
from tm.lexicon import Lexicon, learn, load, save, words

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
    """Connections to the same file share the parsed lexicon (the service opens one per
    request); storing another one is seen by the next load."""
    path = tmp_path / "tm.db"
    first, second = connect(path), connect(path)
    save(first, Lexicon({"conseil": ("council",)}))
    loaded = load(first)
    assert loaded is not None and load(second) is loaded
    save(second, Lexicon({"conseil": ("board",)}))
    again = load(first)
    assert again is not loaded and again is not None
    assert again.translations["conseil"] == ("board",)
