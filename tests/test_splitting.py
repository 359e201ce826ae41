"""Sentence splitting: a table of tricky French and English cases pins the behaviour."""

from __future__ import annotations

import pytest

from alignments.splitting import spans, split
from tm.errors import InvalidInput

FRENCH = [
    ("Le ministre est arrivé. Il a parlé.", ["Le ministre est arrivé.", "Il a parlé."]),
    ("M. Dupont est arrivé. Il a parlé.", ["M. Dupont est arrivé.", "Il a parlé."]),
    ("MM. Dupont et Durand sont là.", ["MM. Dupont et Durand sont là."]),
    ("Mme Tremblay et Mlle. Roy sont venues.", ["Mme Tremblay et Mlle. Roy sont venues."]),
    ("Voir l'art. 5 de la Loi. La suite.", ["Voir l'art. 5 de la Loi.", "La suite."]),
    ("Le règlement n° 12 s'applique. Fin.", ["Le règlement n° 12 s'applique.", "Fin."]),
    ("Des outils, p. ex. des marteaux. Puis.", ["Des outils, p. ex. des marteaux.", "Puis."]),
    (
        "Des pommes, des poires, etc. Ensuite on mange.",
        ["Des pommes, des poires, etc.", "Ensuite on mange."],
    ),
    ("Des pommes, etc. et des poires.", ["Des pommes, etc. et des poires."]),
    ("Voir cf. la page 3. Merci.", ["Voir cf. la page 3.", "Merci."]),
    ("Né en 52 av. J.-C. Il mourut jeune.", ["Né en 52 av. J.-C.", "Il mourut jeune."]),
    (
        "Le secrétaire général J. Stoltenberg a parlé.",
        ["Le secrétaire général J. Stoltenberg a parlé."],
    ),
    (
        "Le budget est de 1 000 000 $. Il augmente.",
        ["Le budget est de 1 000 000 $.", "Il augmente."],
    ),
    ("Le taux est de 12,5 %. Il baisse.", ["Le taux est de 12,5 %.", "Il baisse."]),
    ("Il a dit : « Non. » Puis il est parti.", ["Il a dit : « Non. »", "Puis il est parti."]),
    ("« Vraiment ? » demanda-t-il.", ["« Vraiment ? » demanda-t-il."]),
    ("Quoi ? Vous partez ?", ["Quoi ?", "Vous partez ?"]),
    ("Attendez ! Je viens.", ["Attendez !", "Je viens."]),
    ("Et puis… Rien.", ["Et puis…", "Rien."]),
    ("Et puis... plus rien.", ["Et puis... plus rien."]),
    ("Il hésita... Enfin il parla.", ["Il hésita...", "Enfin il parla."]),
    ("(Voir l'annexe.) La suite suit.", ["(Voir l'annexe.)", "La suite suit."]),
    ("1. Introduction", ["1. Introduction"]),
    (
        "a) Les membres votent. Le vote est secret.",
        ["a) Les membres votent.", "Le vote est secret."],
    ),
    ("II. Dispositions générales", ["II. Dispositions générales"]),
    ("Titre premier\nLe texte suit. Fin.", ["Titre premier", "Le texte suit.", "Fin."]),
    ("Le 1er janv. 2020, tout change.", ["Le 1er janv. 2020, tout change."]),
    ("La valeur 3.5 est fausse. Oui.", ["La valeur 3.5 est fausse.", "Oui."]),
    ("Dr. Martin et Pr. Roy sont là.", ["Dr. Martin et Pr. Roy sont là."]),
    ("Il l'a dit. « Je pars. »", ["Il l'a dit.", "« Je pars. »"]),
    ("Il a dit “oui.” Elle aussi.", ["Il a dit “oui.”", "Elle aussi."]),
    ("", []),
    ("   ", []),
]

ENGLISH = [
    ("The minister arrived. He spoke.", ["The minister arrived.", "He spoke."]),
    ("Mr. Smith and Mrs. Jones arrived.", ["Mr. Smith and Mrs. Jones arrived."]),
    ("Dr. Who is here. He waits.", ["Dr. Who is here.", "He waits."]),
    ("The U.S. Government agreed.", ["The U.S. Government agreed."]),
    ("Tools, e.g. hammers, are here.", ["Tools, e.g. hammers, are here."]),
    ("Tools, i.e. hammers. Then nails.", ["Tools, i.e. hammers.", "Then nails."]),
    ("See Regulation No. 12 now. Done.", ["See Regulation No. 12 now.", "Done."]),
    ("Apples, pears, etc. Then we eat.", ["Apples, pears, etc.", "Then we eat."]),
    ("Secretary General J. Stoltenberg spoke.", ["Secretary General J. Stoltenberg spoke."]),
    ("The budget is $1,000,000.50. It grows.", ["The budget is $1,000,000.50.", "It grows."]),
    ('He said "No." Then he left.', ['He said "No."', "Then he left."]),
    ("He said “No.” Then he left.", ["He said “No.”", "Then he left."]),
    ("Really? Yes! Fine.", ["Really?", "Yes!", "Fine."]),
    ("See s. 5 of the Act. Next.", ["See s. 5 of the Act.", "Next."]),
    ("It is 3 p.m. Then we go.", ["It is 3 p.m.", "Then we go."]),
    ("Acme Inc. signed. They paid.", ["Acme Inc. signed.", "They paid."]),
    ("(See the annex.) Then read on.", ["(See the annex.)", "Then read on."]),
    ("2. Definitions", ["2. Definitions"]),
    ("He waited... Then he spoke.", ["He waited...", "Then he spoke."]),
    ("It was St. Lawrence Street.", ["It was St. Lawrence Street."]),
]


@pytest.mark.parametrize(("text", "expected"), FRENCH)
def test_french(text: str, expected: list[str]) -> None:
    assert split(text, language="fr") == expected


@pytest.mark.parametrize(("text", "expected"), ENGLISH)
def test_english(text: str, expected: list[str]) -> None:
    assert split(text, language="en") == expected


def test_spans_point_into_the_text() -> None:
    text = "  Un. Deux.  "
    assert [text[a:b] for a, b in spans(text, language="fr-CA")] == ["Un.", "Deux."]


def test_unknown_language_is_refused() -> None:
    with pytest.raises(InvalidInput, match="no sentence splitter"):
        split("Hallo. Welt.", language="de")
