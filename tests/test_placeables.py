"""Placeables: recognition in French and English, values, English rendering, masking."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tm.placeables import Placeable, find_english, find_french, mask, same_value, to_english

NBSP = "\u00a0"
NNBSP = "\u202f"

# (French text, [(kind, text, value, English rendering), ...])
FRENCH = [
    ("1 000", [("number", "1 000", "1000", "1,000")]),
    (f"1{NBSP}000,5", [("number", f"1{NBSP}000,5", "1000.5", "1,000.5")]),
    (f"1{NNBSP}000{NNBSP}000", [("number", f"1{NNBSP}000{NNBSP}000", "1000000", "1,000,000")]),
    ("0,75", [("number", "0,75", "0.75", "0.75")]),
    ("-5,5", [("number", "-5,5", "-5.5", "-5.5")]),
    ("une baisse de −3", [("number", "−3", "-3", "-3")]),
    ("article 5", [("number", "5", "5", "5")]),
    ("2500 personnes", [("number", "2500", "2500", "2500")]),
    ("25 000 personnes", [("number", "25 000", "25000", "25,000")]),
    (
        "les 11 et 12 juillet",
        [("number", "11", "11", "11"), ("date", "12 juillet", "--07-12", "12 July")],
    ),
    ("article 5 2023", [("number", "5", "5", "5"), ("year", "2023", "2023", "2023")]),
    ("3 millions de personnes", [("number", "3 millions", "3000000", "3 million")]),
    ("2,5 %", [("percent", "2,5 %", "2.5%", "2.5%")]),
    (f"12,5{NNBSP}%", [("percent", f"12,5{NNBSP}%", "12.5%", "12.5%")]),
    ("12,5%", [("percent", "12,5%", "12.5%", "12.5%")]),
    ("12,5 pour cent", [("percent", "12,5 pour cent", "12.5%", "12.5%")]),
    ("3 millions d'euros", [("amount", "3 millions d'euros", "3000000 EUR", "€3 million")]),
    ("3 millions d’euros", [("amount", "3 millions d’euros", "3000000 EUR", "€3 million")]),
    ("5 M€", [("amount", "5 M€", "5000000 EUR", "€5 million")]),
    ("5M€", [("amount", "5M€", "5000000 EUR", "€5 million")]),
    ("5 k€", [("amount", "5 k€", "5000 EUR", "€5,000")]),
    (
        "2,5 milliards de dollars",
        [("amount", "2,5 milliards de dollars", "2500000000 USD", "$2.5 billion")],
    ),
    ("1 000 €", [("amount", "1 000 €", "1000 EUR", "€1,000")]),
    ("12,50 €", [("amount", "12,50 €", "12.5 EUR", "€12.50")]),
    ("1 000 euros", [("amount", "1 000 euros", "1000 EUR", "€1,000")]),
    (
        "10 000 dollars canadiens",
        [("amount", "10 000 dollars canadiens", "10000 CAD", "CAD 10,000")],
    ),
    ("10 000 $ CA", [("amount", "10 000 $ CA", "10000 CAD", "CAD 10,000")]),
    (
        "4 millions de francs suisses",
        [("amount", "4 millions de francs suisses", "4000000 CHF", "CHF 4 million")],
    ),
    (
        "2 millions de livres sterling",
        [("amount", "2 millions de livres sterling", "2000000 GBP", "£2 million")],
    ),
    ("CAD 10 000", [("amount", "CAD 10 000", "10000 CAD", "CAD 10,000")]),
    ("28 novembre 2023", [("date", "28 novembre 2023", "2023-11-28", "28 November 2023")]),
    (
        f"28{NBSP}novembre{NBSP}2023",
        [("date", f"28{NBSP}novembre{NBSP}2023", "2023-11-28", "28 November 2023")],
    ),
    ("le 1er mars", [("date", "1er mars", "--03-01", "1 March")]),
    ("1er mars 2024", [("date", "1er mars 2024", "2024-03-01", "1 March 2024")]),
    ("mardi 28 novembre 2023", [("date", "28 novembre 2023", "2023-11-28", "28 November 2023")]),
    ("28/11/2023", [("date", "28/11/2023", "2023-11-28", "28 November 2023")]),
    ("2023-11-28", [("date", "2023-11-28", "2023-11-28", "28 November 2023")]),
    ("3 février", [("date", "3 février", "--02-03", "3 February")]),
    ("15 août 2024", [("date", "15 août 2024", "2024-08-15", "15 August 2024")]),
    ("15 aout", [("date", "15 aout", "--08-15", "15 August")]),
    ("31 décembre", [("date", "31 décembre", "--12-31", "31 December")]),
    ("31 DÉCEMBRE 2023", [("date", "31 DÉCEMBRE 2023", "2023-12-31", "31 December 2023")]),
    ("Mars 2024", [("date", "Mars 2024", "2024-03", "March 2024")]),
    ("29 février", [("date", "29 février", "--02-29", "29 February")]),
    ("31 février", [("number", "31", "31", "31")]),
    ("14 h 30", [("time", "14 h 30", "14:30", "2:30 p.m.")]),
    (f"14{NNBSP}h{NNBSP}30", [("time", f"14{NNBSP}h{NNBSP}30", "14:30", "2:30 p.m.")]),
    ("14 h", [("time", "14 h", "14:00", "2 p.m.")]),
    ("14h30", [("time", "14h30", "14:30", "2:30 p.m.")]),
    ("9 h 05", [("time", "9 h 05", "09:05", "9:05 a.m.")]),
    ("14:30", [("time", "14:30", "14:30", "2:30 p.m.")]),
    ("à 14 heures", [("time", "14 heures", "14:00", "2 p.m.")]),
    ("pendant 2 heures", [("number", "2", "2", "2")]),
    ("12 h", [("time", "12 h", "12:00", "12 noon")]),
    ("0 h", [("time", "0 h", "00:00", "12 midnight")]),
    ("0 h 30", [("time", "0 h 30", "00:30", "12:30 a.m.")]),
    ("12 h 15", [("time", "12 h 15", "12:15", "12:15 p.m.")]),
    ("5 ha", [("number", "5", "5", "5")]),
    ("1er", [("ordinal", "1er", "1", "1st")]),
    ("1re", [("ordinal", "1re", "1", "1st")]),
    ("1ère", [("ordinal", "1ère", "1", "1st")]),
    ("2e", [("ordinal", "2e", "2", "2nd")]),
    ("2ᵉ", [("ordinal", "2ᵉ", "2", "2nd")]),
    ("2ème", [("ordinal", "2ème", "2", "2nd")]),
    ("3e", [("ordinal", "3e", "3", "3rd")]),
    ("11e", [("ordinal", "11e", "11", "11th")]),
    ("21e", [("ordinal", "21e", "21", "21st")]),
    ("112e", [("ordinal", "112e", "112", "112th")]),
    ("XXIe siècle", []),
    ("en 2023", [("year", "2023", "2023", "2023")]),
    ("en 1850", [("number", "1850", "1850", "1850")]),
    ("1939-1945", [("year", "1939", "1939", "1939"), ("year", "1945", "1945", "1945")]),
    ("A400M", []),
    ("F-35", []),
    ("G7", []),
    ("COVID-19", []),
    ("S/RES/2334", []),
    ("section 3.2.1", []),
    ("2023/24", []),
    ("10km", []),
    (
        "Le 28 novembre 2023 à 14 h 30, 1 500 soldats et 3 M€.",
        [
            ("date", "28 novembre 2023", "2023-11-28", "28 November 2023"),
            ("time", "14 h 30", "14:30", "2:30 p.m."),
            ("number", "1 500", "1500", "1,500"),
            ("amount", "3 M€", "3000000 EUR", "€3 million"),
        ],
    ),
]

ENGLISH = [
    ("1,000.5", [("number", "1,000.5", "1000.5")]),
    ("1,000,000", [("number", "1,000,000", "1000000")]),
    ("-3.5", [("number", "-3.5", "-3.5")]),
    ("3 million people", [("number", "3 million", "3000000")]),
    ("items 1,2", []),
    ("2.5%", [("percent", "2.5%", "2.5%")]),
    ("2.5 per cent", [("percent", "2.5 per cent", "2.5%")]),
    ("2.5 percent", [("percent", "2.5 percent", "2.5%")]),
    ("€3 million", [("amount", "€3 million", "3000000 EUR")]),
    ("€3m", [("amount", "€3m", "3000000 EUR")]),
    ("3 million euros", [("amount", "3 million euros", "3000000 EUR")]),
    ("$2.5 billion", [("amount", "$2.5 billion", "2500000000 USD")]),
    ("US$3bn", [("amount", "US$3bn", "3000000000 USD")]),
    ("CAD 10,000", [("amount", "CAD 10,000", "10000 CAD")]),
    ("C$10,000", [("amount", "C$10,000", "10000 CAD")]),
    ("10,000 Canadian dollars", [("amount", "10,000 Canadian dollars", "10000 CAD")]),
    ("£2 million", [("amount", "£2 million", "2000000 GBP")]),
    ("28 November 2023", [("date", "28 November 2023", "2023-11-28")]),
    ("November 28, 2023", [("date", "November 28, 2023", "2023-11-28")]),
    ("1 March", [("date", "1 March", "--03-01")]),
    ("March 1", [("date", "March 1", "--03-01")]),
    ("1st March 2024", [("date", "1st March 2024", "2024-03-01")]),
    ("the 1st of March", [("date", "1st of March", "--03-01")]),
    ("March 2024", [("date", "March 2024", "2024-03")]),
    ("28/11/2023", [("date", "28/11/2023", "2023-11-28")]),
    ("2:30 p.m.", [("time", "2:30 p.m.", "14:30")]),
    ("2.30 pm", [("time", "2.30 pm", "14:30")]),
    ("2pm", [("time", "2pm", "14:00")]),
    ("9:05 a.m.", [("time", "9:05 a.m.", "09:05")]),
    ("12:30 a.m.", [("time", "12:30 a.m.", "00:30")]),
    ("14:30", [("time", "14:30", "14:30")]),
    ("12 noon", [("time", "12 noon", "12:00")]),
    ("12 midnight", [("time", "12 midnight", "00:00")]),
    ("1st", [("ordinal", "1st", "1")]),
    ("22nd", [("ordinal", "22nd", "22")]),
    ("the 21st century", [("ordinal", "21st", "21")]),
    ("in 2023", [("year", "2023", "2023")]),
    ("the 1990s", []),
    ("A400M, F-35, G7, COVID-19, S/RES/2334", []),
    ("you may 5", [("number", "5", "5")]),
]


@pytest.mark.parametrize(("text", "expected"), FRENCH)
def test_find_french(text: str, expected: list[tuple[str, str, str, str]]) -> None:
    found = find_french(text)
    assert [(p.kind, p.text, p.value, to_english(p)) for p in found] == expected
    for placeable in found:
        assert text[placeable.start : placeable.end] == placeable.text


@pytest.mark.parametrize(("text", "expected"), ENGLISH)
def test_find_english(text: str, expected: list[tuple[str, str, str]]) -> None:
    found = find_english(text)
    assert [(p.kind, p.text, p.value) for p in found] == expected
    for placeable in found:
        assert text[placeable.start : placeable.end] == placeable.text


# (French, English) pairs that agree by value, as the quality checks compare them.
AGREEING = [
    ("1 000,5", "1,000.5"),
    ("28 novembre", "28 November"),
    ("28 novembre 2023", "November 28, 2023"),
    ("28/11/2023", "28 November 2023"),
    ("3 millions d'euros", "EUR 3,000,000"),
    ("12,5 %", "12.5 per cent"),
    ("14 h", "2 p.m."),
    ("1er", "1st"),
    ("2023", "2023"),
    ("2 000", "2000"),
]


@pytest.mark.parametrize(("french", "english"), AGREEING)
def test_same_value_across_languages(french: str, english: str) -> None:
    (a,) = find_french(french)
    (b,) = find_english(english)
    assert same_value(a, b)
    assert same_value(b, a)


def test_same_value_rejects_different_values_and_kinds() -> None:
    (percent,) = find_french("12 %")
    (number,) = find_english("12")
    (other,) = find_english("13%")
    assert not same_value(percent, number)
    assert not same_value(percent, other)
    assert same_value(Placeable("number", "12,50", 0, 5, "12.50"), number) is False
    assert same_value(Placeable("number", "12,0", 0, 4, "12.0"), number)


def test_to_english_from_a_hand_built_placeable() -> None:
    assert to_english(Placeable("amount", "x", 0, 1, "3000000 EUR")) == "€3,000,000"
    assert to_english(Placeable("date", "x", 0, 1, "--03-01")) == "1 March"
    assert to_english(Placeable("time", "x", 0, 1, "14:30")) == "2:30 p.m."
    assert to_english(Placeable("ordinal", "x", 0, 1, "3")) == "3rd"
    assert to_english(Placeable("percent", "x", 0, 1, "12.5%")) == "12.5%"


def test_mask() -> None:
    text = "Le 1er mars à 14 h, 3 M€ et 2,5 % de plus."
    assert mask(text, find_french(text)) == "Le ⟦date⟧ à ⟦time⟧, ⟦amount⟧ et ⟦percent⟧ de plus."
    assert mask("sans nombre", []) == "sans nombre"


# ---------------------------------------------------------------- round trips

MONTHS_FR = (
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre"
).split()
SPACES = st.sampled_from([" ", NBSP, NNBSP])


@st.composite
def french_numbers(draw: st.DrawFn, *, signed: bool = True) -> str:
    integer = draw(st.integers(min_value=0, max_value=10**12))
    space = draw(SPACES)
    digits = f"{integer:,}".replace(",", space) if integer >= 10_000 else str(integer)
    decimals = draw(st.integers(min_value=0, max_value=3))
    if decimals:
        fraction = draw(st.integers(min_value=0, max_value=10**decimals - 1))
        digits += "," + str(fraction).zfill(decimals)
    return ("-" if signed and draw(st.booleans()) else "") + digits


@st.composite
def french_dates(draw: st.DrawFn) -> str:
    space = draw(SPACES)
    day = draw(st.integers(min_value=1, max_value=28))
    month = draw(st.sampled_from(MONTHS_FR))
    year = draw(st.integers(min_value=1000, max_value=2999))
    return draw(
        st.sampled_from(
            [
                f"{'1er' if day == 1 else day} {month}",
                f"{day}{space}{month}{space}{year}",
                f"{day:02d}/{MONTHS_FR.index(month) + 1:02d}/{year}",
                f"{month} {year}",
            ]
        )
    )


@st.composite
def french_times(draw: st.DrawFn) -> str:
    space = draw(SPACES)
    hour = draw(st.integers(min_value=0, max_value=23))
    minutes = draw(st.sampled_from(["", f"{space}05", "30", f"{space}59"]))
    return f"{hour}{space}h{minutes}"


@st.composite
def french_amounts(draw: st.DrawFn) -> str:
    space = draw(SPACES)
    number = draw(french_numbers(signed=False))
    unit = draw(
        st.sampled_from(
            ["%", "€", "millions d'euros", "M€", "milliards de dollars canadiens", "$ CA"]
        )
    )
    return f"{number}{space}{unit}"


french_placeables = st.one_of(
    french_numbers(),
    french_amounts(),
    french_dates(),
    french_times(),
    st.builds(
        lambda n, suffix: f"{n}{suffix}",
        st.integers(min_value=1, max_value=999),
        st.sampled_from(["e", "ᵉ", "ème"]),
    ),
    st.integers(min_value=1900, max_value=2100).map(str),
)


@given(french_placeables)
def test_localise_then_parse_keeps_the_value(text: str) -> None:
    (placeable,) = find_french(text)
    assert placeable.text == text
    english = to_english(placeable)
    found = find_english(english)
    assert len(found) == 1, (text, english, found)
    assert found[0].text == english
    assert same_value(placeable, found[0]), (text, english, placeable, found[0])


@given(french_numbers())
def test_french_number_value(text: str) -> None:
    (placeable,) = find_french(text)
    digits = text.replace(",", ".").translate({ord(c): None for c in f" {NBSP}{NNBSP}"})
    assert float(placeable.value) == pytest.approx(float(digits))
