"""Rule-based QA findings: one row per rule, with the code, severity, spans and fix."""

from __future__ import annotations

import pytest

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
    (
        "Une hausse.",
        "An increase of 3%.",
        [("placeable-extra", "warning", (15, 17), "check the value against the French")],
    ),
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
