"""The message catalogue (tm.messages): every message in English and French with the same
fields, the language an Accept-Language header asks for, findings that carry their key."""

from __future__ import annotations

import string

import pytest

from glossaries.compliance import check as glossary_check
from glossaries.recognition import TermHit
from tm import messages
from tm.quality import qa

LANGUAGES = [
    (None, "en"),
    ("", "en"),
    ("fr", "fr"),
    ("fr-CA", "fr"),
    ("en-GB,fr;q=0.5", "en"),
    ("de, fr;q=0.8, en;q=0.7", "fr"),
    ("en;q=0.2, fr;q=0.9", "fr"),
    ("fr;q=0, en", "en"),
    ("de", "en"),
    ("fr;q=abc", "en"),
]


@pytest.mark.parametrize(("header", "expected"), LANGUAGES)
def test_the_language_asked(header: str | None, expected: str) -> None:
    assert messages.language(header) == expected


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(messages.CATALOGUE))
def test_each_message_has_both_languages_with_the_same_fields(key: str) -> None:
    english, french = messages.CATALOGUE[key]
    assert english.strip() and french.strip()
    assert fields(english) == fields(french)


PAIRS = [
    ("Le rapport compte 1 250 pages.", "The report has 1,205 pages."),
    ("Le rapport compte 1 250 pages.", "The report has pages."),
    ("Les Alliés se sont-ils réunis ?", "Did the Allies meet ?"),
    ("Les Alliés se sont réunis.", "The « Allies » met met."),
    ("Les Alliés se sont réunis.", "Les Alliés se sont réunis."),
    ("<t1>Les Alliés</t1> se sont réunis. <t2/>", "The Allies met."),
    ("<t1>Les Alliés</t1> se sont réunis. <t2/> <t2/>", "<t1>The Allies met.</t1> <t3/>"),
    ("Les Alliés se sont réunis.", ""),
    ("Une phrase assez longue pour que le rapport des longueurs compte vraiment.", "Yes."),
]


@pytest.mark.parametrize(("source", "target"), PAIRS)
def test_qa_findings_say_in_french_what_they_say_in_english(source: str, target: str) -> None:
    found = qa.check(source, target)
    assert found, "each pair has a finding"
    for finding in found:
        assert finding.key and messages.known(finding.key)
        assert finding.text("en") == finding.message
        assert finding.text("fr") != finding.message
        assert finding.suggested("en") == finding.suggestion


def test_a_glossary_finding_in_french() -> None:
    hit = TermHit(
        start=0, end=4, text="OTAN", fr="OTAN", en="NATO", status="preferred",
        concept="C1", accepted=("NATO",),
    )  # fmt: skip
    (finding,) = glossary_check("OTAN.", "The Alliance.", [hit])
    assert finding.message == '"OTAN" should be translated "NATO"'
    assert finding.text("fr") == "« OTAN » doit être traduit par « NATO »"


def test_words_inside_a_message_are_translated() -> None:
    assert messages.say("placeable-missing", "fr", kind="percent", text="12 %") == (
        "pourcentage « 12 % » manque dans l’anglais"
    )
    assert messages.say("placeable-missing", "en", kind="percent", text="12 %") == (
        "percent “12 %” is missing from the English"
    )
    assert messages.word("misaligned, numbers", "fr") == "mal alignée, nombres discordants"
    assert messages.word("something else", "fr") == "something else"


NOTES = [
    ("context match: the neighbouring segment is identical too", "correspondance de contexte"),
    (
        "date 11 et 12 octobre 2023 differs in form from 14 février 2024: not substituted",
        "la date 11 et 12 octobre 2023 n’a pas la forme de 14 février 2024 : non remplacée",
    ),
    (
        "placeable 3 M€ not found in target: not substituted",
        "3 M€ introuvable dans la traduction : non remplacé",
    ),
    ("a note no template fits", "a note no template fits"),
]


@pytest.mark.parametrize(("english", "french"), NOTES)
def test_a_note_made_in_english_is_told_in_french(english: str, french: str) -> None:
    assert messages.recognised(english, "en", "note") == english
    assert messages.recognised(english, "fr", "note").startswith(french)
