"""Glossary compliance of English translations."""

from __future__ import annotations

from pathlib import Path

import pytest

from glossaries import tables
from glossaries.compliance import check
from glossaries.recognition import Recogniser, build

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="module")
def recogniser() -> Recogniser:
    return build(tables.read(DATA / "glossary.csv").concepts)


# (source, target, [(code, severity, target text or None, suggestion)])
CASES = [
    ("Les Alliés se sont réunis.", "The Allies met.", []),
    ("Un Allié a parlé.", "An ally spoke.", [("glossary-term-case", "info", "ally", "Ally")]),
    ("Un Allié a parlé.", "An Ally spoke.", []),
    (
        "Les Alliés se sont réunis.",
        "The members met.",
        [("glossary-term-missing", "warning", None, "Ally")],
    ),
    (
        "La défense collective.",
        "Collective defense.",
        [("glossary-term-forbidden", "error", "Collective defense", "collective defence")],
    ),
    ("La défense collective.", "Collective defences.", []),
    (
        "Le secrétaire général.",
        "The Secretary-General.",
        [("glossary-term-forbidden", "error", "Secretary-General", "Secretary General")],
    ),
    ("Le secrétaire général.", "The Secretary General’s office.", []),
    (
        "La porte-parole a dit.",
        "The spokesman said.",
        [("glossary-term-forbidden", "error", "spokesman", "spokesperson")],
    ),
    (
        "Le ministre des affaires étrangères.",
        "The Minister of Foreign Affairs.",
        [("glossary-source-deprecated", "info", None, "ministre des Affaires étrangères")],
    ),
    ("Les forces alliées.", "The Allied forces.", []),
    (
        "Le sommet de Vilnius.",
        "The summit.",
        [("glossary-term-missing", "warning", None, "Vilnius Summit")],
    ),
]


@pytest.mark.parametrize(("source", "target", "expected"), CASES)
def test_check(
    recogniser: Recogniser,
    source: str,
    target: str,
    expected: list[tuple[str, str, str | None, str]],
) -> None:
    findings = check(source, target, recogniser)
    got = [
        (
            f.code,
            f.severity,
            target[f.target_span[0] : f.target_span[1]] if f.target_span else None,
            f.suggestion,
        )
        for f in findings
    ]
    assert got == expected
    for finding in findings:
        assert finding.source_span is not None


def test_check_accepts_hits(recogniser: Recogniser) -> None:
    source = "Les Alliés"
    assert check(source, "The Allies", recogniser.find(source)) == []
