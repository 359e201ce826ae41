"""Heading-like lines, full sentences and breaks inside a line (alignments.layout)."""

from __future__ import annotations

import numpy as np
import pytest

from alignments import layout

LINES = [
    # (line, heading, sentence, open ending)
    ("Act prevails", True, False, True),
    ("Titre abrégé", True, False, True),
    ("[Repealed, 2013, c. 40, s. 268]", False, False, False),
    ("This Act may be cited as the Harbour Council Act.", False, True, False),
    ("Loi sur le conseil des ports.", False, False, False),  # too short for a sentence
    ("the 1st day of July, 2020, or", False, True, False),  # a list item, closed
    ("dont le président et le premier dirigeant", False, False, True),  # not capitalised
    ("CHAPITRE II .", False, False, False),
    # two lines merged: a sentence, then a heading
    (
        "This Act is binding on His Majesty in right of Canada. Application of Part 2",
        False,
        False,
        True,
    ),
    # a long title: neither a heading nor a sentence
    (
        "Loi visant à interdire et à prévenir la discrimination génétique au Canada",
        False,
        False,
        False,
    ),
]


@pytest.mark.parametrize(("line", "is_heading", "is_sentence", "opens"), LINES)
def test_line_kinds(line: str, is_heading: bool, is_sentence: bool, opens: bool) -> None:
    assert layout.heading(line) is is_heading
    assert layout.sentence(line) is is_sentence
    assert layout.open_ending(line) is opens


BREAKS = [
    # (line, the words that follow each break)
    ("Lawful act Nothing in this Act makes unlawful", ["Nothing"]),
    ("Agent of Her Majesty The Commission is an agent", ["The"]),
    ("Remuneration The President is paid", ["The"]),
    ("Qualité de mandataire de Sa Majesté Pour l’application de la loi", ["Pour"]),
    ("La Commission peut nommer un inspecteur.", []),  # after a function word: a name
    ("Les dispositions de la présente loi l’emportent.", []),
    ("Le ministre de l’Environnement peut nommer", []),
]


@pytest.mark.parametrize(("line", "following"), BREAKS)
def test_breaks(line: str, following: list[str]) -> None:
    assert [line[at:].split()[0] for at in layout.breaks(line)] == following


def test_lines_table() -> None:
    lines = layout.lines(["Act prevails", "This Act prevails over any other Act of Parliament."])
    assert lines.heading.tolist() == [True, False, False]
    assert lines.sentence.tolist() == [False, True, False]
    assert lines.any_heading(0, 1) and not lines.any_heading(1, 3)
    assert np.isinf(lines.breaks[0]).all()
    # a candidate only: "any other Act" could be "… any other | Act …"
    assert lines.breaks[1][0] == len("This Act prevails over any other ")


@pytest.mark.parametrize(
    ("english", "expected"),
    [
        # the heading's break sits where its share of the French group's length ends
        (["Act prevails The provisions of this Act prevail over any other Act."], (0.0, 1.0)),
        # no break: the note would be glued to a section that merely shares its words
        (["The provisions of this Act prevail over any other Act, and so on."], (1.0, 0.0)),
    ],
)
def test_headings_confirmed_by_a_break(english: list[str], expected: tuple[float, float]) -> None:
    french = layout.lines(
        ["Primauté de la loi", "Les dispositions de la présente loi l’emportent sur toute loi."]
    )
    found = layout.headings(french, layout.lines(english), 2, 2, 1, np.array([1]))
    assert found is not None
    assert (found[0][0], found[1][0]) == expected


TITLE_CASE = [
    ("Financial Administration Act", True),
    ("Short Title", True),
    ("Powers, Duties and Functions of the Minister", True),
    ("Sa Majesté", False),  # one word besides function words
    ("Loi sur la pension de retraite des lieutenants-gouverneurs", False),
    ("This Act may be cited as the Harbour Council Act.", False),
]


@pytest.mark.parametrize(("line", "expected"), TITLE_CASE)
def test_title_case(line: str, expected: bool) -> None:
    assert layout.title_case(line) is expected


SECTION_FR = "Le conseil administre les ports et fixe les droits de port chaque année."
SECTION_EN = "The council shall manage the harbours and fix harbour dues every year."
ENDINGS = [
    # (French last line, English last line, disagree)
    (SECTION_FR, SECTION_EN, 0.0),
    ("Rapport annuel", "Annual report", 0.0),
    (SECTION_FR, "Annual report", 1.0),
    ("Rapport annuel", SECTION_EN, 1.0),
    # a merged English line ending with the next note: ends like the French note
    ("Rapport annuel", SECTION_EN + " Annual report", 0.0),
    ("Rapport annuel", "[Repealed, 2013, c. 40, s. 268]", 0.0),  # neither: no cost
]


@pytest.mark.parametrize(("french", "english", "expected"), ENDINGS)
def test_endings(french: str, english: str, expected: float) -> None:
    found = layout.endings(layout.lines([french]), layout.lines([english]), 1, np.array([1]))
    assert found.tolist() == [expected]


def test_heading_inside_one_group_only() -> None:
    # 2-3: the English group has a note between its sections, the French group none
    french = layout.lines([SECTION_FR, SECTION_FR])
    english = layout.lines([SECTION_EN, "Annual report", SECTION_EN])
    found = layout.headings(french, english, 2, 2, 3, np.array([3]))
    assert found is not None
    assert found[0].tolist() == [1.0]
    # the same note as the English group's last line: nothing to confirm
    english = layout.lines([SECTION_EN, SECTION_EN, "Annual report"])
    assert layout.headings(french, english, 2, 2, 2, np.array([3])) is None
