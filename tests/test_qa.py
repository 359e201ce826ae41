"""Rule-based QA findings: one row per rule, with the code, severity, spans and fix."""

from __future__ import annotations

import pytest

from tm.quality.lexicon import Lexicon
from tm.quality.qa import check

# (source, target, expected [(code, severity, target_span, suggestion)])
CASES: list[tuple[str, str, list[tuple[str, str, tuple[int, int] | None, str]]]] = [
    ("Le 28 novembre 2023, 1 000,5 tonnes.", "On 28 November 2023, 1,000.5 tonnes.", []),
    (
        "Le 28 novembre 2023, 1 000,5 tonnes.",
        "On 29 November 2023, 1,000.5 tonnes.",
        [("placeable-mismatch", "error", (3, 19), "28 November 2023")],
    ),
    (
        "Une hausse de 12,5 %.",
        "An increase.",
        [("placeable-missing", "error", None, "add 12.5%")],
    ),
    (  # a value the English only adds (a year, a page) is a note
        "Une hausse.",
        "An increase of 3%.",
        [("placeable-extra", "info", (15, 17), "check the value against the French")],
    ),
    (  # one of two French values changed
        "En 2015, puis en 2015.",
        "In 2015, then in 2013.",
        [("placeable-mismatch", "error", (17, 21), "2015")],
    ),
    (  # spelled out in English, as `tm.text.numerals` accepts it
        "La Force s'est retirée de 12 positions et de 4 postes.",
        "The Force withdrew from 12 positions and four posts.",
        [],
    ),
    (  # a paragraph number on one side only: list numbering
        "La Commission a décidé d'organiser cinq discussions.",
        "51. The Commission agreed to organize five discussions.",
        [("paragraph-number", "info", (0, 2), "number the paragraph on both sides, or neither")],
    ),
    (
        "17. La Commission a décidé d'organiser cinq discussions.",
        "18. The Commission agreed to organize five discussions.",
        [("paragraph-number", "warning", (0, 2), "17")],
    ),
    ("Pago Pago est un port.", "Pago Pago is a port.", []),
    ("Pourquoi ?", "Why ?", [("french-spacing", "warning", (3, 5), "?")]),
    ("Note :", "Note\u202f:", [("french-spacing", "warning", (4, 6), ":")]),
    (
        "Il a dit « oui ».",
        "He said « yes ».",
        [("french-quotes", "warning", (8, 10), "“"), ("french-quotes", "warning", (13, 15), "”")],
    ),
    ("Le chat.", "The the cat.", [("doubled-word", "warning", (3, 7), "")]),
    ("Il a eu tort.", "He had had enough.", []),
    ("<t1>Bonjour</t1> <t2/>", "<t1>Hello</t1>", [("tag-missing", "error", None, "insert <t2/>")]),
    ("<t1>Bonjour</t1>", "<t1>Hello</t1> <t3/>", [("tag-extra", "error", (15, 20), "remove it")]),
    (
        "<t1>Bonjour <t2>à tous</t2></t1>",
        "<t1>Hello <t2>everyone</t1></t2>",
        [("tag-order", "warning", (0, 32), "<t1> <t2> </t2> </t1>")],
    ),
    (
        "Le ministre est chargé de la présente loi.",
        "Le ministre est chargé de la présente loi.",
        [("untranslated", "error", (0, 42), "translate the segment")],
    ),
    (
        "La Commission des droits de la personne est saisie.",
        "The Commission des droits de la personne is seized.",
        [("partly-untranslated", "warning", (4, 40), "translate this part")],
    ),
    (
        "Le ministre est chargé de la présente loi.",
        " ",
        [("empty-target", "error", None, "translate the segment")],
    ),
    (
        "Le ministre est chargé de l'application de la présente loi.",
        "The Minister.",
        [("length-ratio", "warning", (0, 13), "compare with the French sentence by sentence")],
    ),
    ("Canada", "Canada", []),
]


@pytest.mark.parametrize(("source", "target", "expected"), CASES)
def test_findings(
    source: str, target: str, expected: list[tuple[str, str, tuple[int, int] | None, str]]
) -> None:
    found = [(f.code, f.severity, f.target_span, f.suggestion) for f in check(source, target)]
    assert found == expected


def test_findings_serialise() -> None:
    (finding,) = check("Pourquoi ?", "Why ?")
    assert finding.to_dict()["target_span"] == [3, 5]


def test_a_copied_name_is_no_untranslated_text_with_a_lexicon() -> None:
    """With a lexicon, a copy is untranslated when the lexicon translates one of its words
    into something else; names and cognates stay alike (issue 18)."""
    lexicon = Lexicon(
        {
            "ministre": ("minister",),
            "côte": ("coast",),
            "ivoire": ("ivoire", "ivory"),
            "prévention": ("prevention",),
            "introduction": ("introduction",),
            "nouvelle": ("new",),
            "zélande": ("zealand",),
        }
    )
    cases = [
        ("Le ministre est chargé de la présente loi.", True),
        ("Côte d'Ivoire", False),
        ("Amina Smaila (Nigéria)", False),
        ("D. Prévention", False),
        ("I. Introduction", False),
        ("Nouvelle-Zélande", True),  # a name, but the English one differs
    ]
    for text, untranslated in cases:
        codes = [f.code for f in check(text, text, lexicon=lexicon)]
        assert ("untranslated" in codes) is untranslated, text
    # without a lexicon, as before
    assert [f.code for f in check("Côte d'Ivoire", "Côte d'Ivoire")] == ["untranslated"]


def test_a_quoted_name_left_in_french_is_a_note() -> None:
    found = check(
        "Les Forces démocratiques de libération du Rwanda ont attaqué.",
        'The "Forces démocratiques de libération du Rwanda" attacked.',
    )
    assert [(f.code, f.severity) for f in found] == [("partly-untranslated", "info")]
