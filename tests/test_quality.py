"""Pair quality: flags with reasons on small hand-made pairs, and number agreement."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tm.quality.learning import learn_segments
from tm.quality.lexicon import Lexicon
from tm.quality.pairs import REVERSE_AT_MOST, assess, assess_one
from tm.text.numerals import numbers_agree

LEXICON = Lexicon(
    {
        "le": ("the",),
        "la": ("the",),
        "les": ("the",),
        "ministre": ("minister",),
        "présente": ("this",),
        "loi": ("act", "law"),
        "conseil": ("council",),
        "sécurité": ("security",),
        "réuni": ("met",),
        "bruxelles": ("brussels",),
        "navire": ("ship", "vessel"),
        "port": ("port",),
        "droits": ("fees", "rights"),
        "payables": ("payable",),
        "capitaine": ("master",),
        "chargé": ("responsible",),
        "application": ("administration",),
        "titre": ("title",),
        "abrégé": ("short",),
        "rapport": ("report",),
        "annuel": ("annual",),
        "définitions": ("definitions",),
        "pouvoirs": ("powers",),
        "du": ("of", "the"),
        "parlement": ("parliament",),
        "entrée": ("coming", "into"),
        "vigueur": ("force",),
        "en": ("in",),
        "idem": ("same",),
        "peut": ("may",),
        "désigner": ("designate",),
        "personnes": ("persons",),
        "personne": ("person",),
        "suivantes": ("following",),
        "toute": ("any",),
        "compétente": ("competent",),
    }
)

FLAGS = [
    (
        "Le ministre est chargé de l'application de la présente loi.",
        "The Minister is responsible for the administration of this Act.",
        (),
    ),
    (
        "Le Conseil de sécurité s'est réuni à Bruxelles le 28 novembre 2023.",
        "The Security Council met in Brussels on 28 November 2023.",
        (),
    ),
    (
        "Le Conseil de sécurité s'est réuni à Bruxelles le 28 novembre 2023.",
        "The Security Council met in Brussels on 29 November 2023.",
        ("numbers",),
    ),
    (
        "Le ministre est chargé de l'application de la présente loi.",
        "Le ministre est chargé de l'application de la présente loi.",
        ("untranslated",),
    ),
    ("Titre abrégé", "Titre abrégé", ("untranslated",)),
    (
        "Le ministre est chargé de l'application de la présente loi.",
        "Fees payable by the master of the ship in the port are due on arrival.",
        ("misaligned",),
    ),
    (
        "Le ministre est chargé de l'application de la présente loi et des règlements pris en "
        "vertu de celle-ci par le gouverneur en conseil.",
        "The Minister is responsible",
        ("truncated",),
    ),
    ("Le ministre est chargé de l'application de la présente loi.", "", ("untranslated",)),
    # Latin both languages write alike
    ("Idem", "Idem", ()),
]

# Short headings: thin lexical evidence, so the model leans on length, punctuation and case.
HEADINGS = [
    ("Titre abrégé", "Short title", ()),
    ("Entrée en vigueur", "Coming into force", ()),
    ("Définitions", "Definitions", ()),
    ("Pouvoirs du ministre", "Powers of the Minister", ()),
    ("Titre abrégé", "Powers of the Minister", ("misaligned",)),
    ("Définitions", "Annual report to Parliament", ("misaligned",)),
    ("Pouvoirs du ministre", "Annual report to Parliament", ("misaligned",)),
    ("Rapport annuel", "the Minister may designate;", ("misaligned",)),
]


@pytest.mark.parametrize(("source", "target", "flags"), FLAGS)
def test_flags(source: str, target: str, flags: tuple[str, ...]) -> None:
    assert assess_one(source, target, lexicon=LEXICON).flags == flags


@pytest.mark.parametrize(("source", "target", "flags"), HEADINGS)
def test_short_headings(source: str, target: str, flags: tuple[str, ...]) -> None:
    assert assess_one(source, target, lexicon=LEXICON).flags == flags


def test_known_segments_settle_headings_the_words_miss() -> None:
    """`Définitions` / `Interpretation` is how Canadian statutes head their definitions: the
    words say nothing, the known segment vouches for it (and against another English)."""
    headings = [("Définitions", "Interpretation"), ("Définitions", "Definitions")] * 2
    known = LEXICON.with_segments(learn_segments(headings))
    pairs = [("Définitions", "Interpretation"), ("Définitions", "Annual report to Parliament")]
    right_alone, wrong_alone = assess(pairs, lexicon=LEXICON)
    right, wrong = assess(pairs, lexicon=known)
    assert right.misalignment < right_alone.misalignment < wrong_alone.misalignment
    assert wrong_alone.misalignment < wrong.misalignment
    assert not right.flagged and wrong.flags == ("misaligned",)


def test_english_words_french_renderings_explain_what_the_french_words_miss() -> None:
    """No French word of `Contrôle d'application` renders `Enforcement`, but `enforcement` is
    rendered `application` (`Lexicon.reverse`): the pair is covered, another English is not."""
    both = Lexicon(LEXICON.translations, reverse={"enforcement": ("exécution", "application")})
    pairs = [("Contrôle d'application", "Enforcement"), ("Contrôle d'application", "Minister")]
    right_alone, wrong_alone = assess(pairs, lexicon=LEXICON)
    right, wrong = assess(pairs, lexicon=both)
    assert right_alone.coverage == 0.0 < 0.5 < right.coverage  # `contrôle` stays unexplained
    assert right.misalignment < right_alone.misalignment
    assert wrong == wrong_alone and wrong.flags == ("misaligned",)
    assert not right.flagged


def test_long_pairs_are_covered_one_way() -> None:
    """Past `REVERSE_AT_MOST` content words a side, only French→English renderings count."""
    source = "Contrôle d'application " + " ".join(["ministre"] * REVERSE_AT_MOST)
    target = "Enforcement " + " ".join(["minister"] * REVERSE_AT_MOST)
    both = Lexicon(LEXICON.translations, reverse={"enforcement": ("application",)})
    one_way, two_ways = (
        assess_one(source, target, lexicon=LEXICON),
        assess_one(source, target, lexicon=both),
    )
    assert two_ways.coverage == one_way.coverage < 1.0


def test_misalignment_probability_ranks_pairs() -> None:
    right, wrong = assess(
        [("Titre abrégé", "Short title"), ("Titre abrégé", "Powers of the Minister")],
        lexicon=LEXICON,
    )
    assert 0 <= right.misalignment < 0.5 < wrong.misalignment <= 1
    assert right.score > wrong.score


STATUTE_STYLES = [
    # an English lead-in drops the French colon; a list item closes on "; or" / "; and"
    ("Le ministre peut désigner les personnes suivantes :", "The Minister may designate", False),
    ("Le ministre peut désigner les personnes suivantes.", "The Minister may designate", True),
    ("le ministre peut désigner toute personne compétente;", "may designate a person; or", False),
]


@pytest.mark.parametrize(("source", "target", "cut"), STATUTE_STYLES)
def test_statute_styles_are_not_cut(source: str, target: str, cut: bool) -> None:
    result = assess_one(source, target, lexicon=LEXICON)
    assert result.flagged is cut
    assert "truncated" not in result.flags or cut


def test_no_lexicon_no_model_flag() -> None:
    (result,) = assess([("Titre abrégé", "Powers of the Minister")])
    assert result.misalignment == 0.0 and "misaligned" not in result.flags


def test_batch_equals_one_by_one() -> None:
    pairs = [(s, t) for s, t, _ in FLAGS + HEADINGS if t]
    assert assess(pairs, lexicon=LEXICON) == [assess_one(s, t, lexicon=LEXICON) for s, t in pairs]


def test_good_pair_scores_higher_than_misaligned() -> None:
    good, bad = assess(
        [
            (FLAGS[0][0], FLAGS[0][1]),
            (FLAGS[0][0], "Fees payable by the master of the ship in the port are due on arrival."),
        ],
        lexicon=LEXICON,
    )
    assert 0 <= bad.score < good.score <= 1
    assert good.reason == "" and bad.reason == "misaligned"


NUMBERS = [
    ("1 000,5 tonnes", "1,000.5 tonnes", True),
    ("1 000,5 tonnes", "1,000 tonnes", False),
    ("à 14 h 30", "at 2:30 p.m.", True),
    ("à 9 h 30", "at 9.30 a.m.", True),
    ("l'exercice 1995-1996", "the 1995-96 fiscal year", True),
    ("DORS/2013-19, art. 6", "SOR/2013-19, s. 6", True),
    ("12. Le Conseil a décidé", "The Council decided", True),
    ("4 postes", "four posts", True),
    ("quatre postes", "4 posts", True),
    ("4 postes", "5 posts", False),
    ("l'article 158.11(3)", "section 158.11(3)", True),
    ("Avis publié", "Notice under subsection (1) published", True),
    ("Zone : 1 641 294 km2", "Zone: 1,641,294 km2", True),
    ("sans chiffres", "no digits", True),
    ("À 3 h 00, un groupe", "At 0300, the group", True),
    ("au début des années 60", "in the early 1960s", True),
    ("dans les années 1960", "in the 1960s", True),
    ("le document no 0123", "document No. 0123", True),
    ("à 4 h", "at 0300", False),
    ("les îles Falkland (Malvinas)1, Gibraltar", "Falkland Islands (Malvinas), Gibraltar", True),
    ("les femmes de 15-64 ans", "women aged 1564", True),  # a dash lost in the English
    ("la stratégie 20142020", "the 2014-2020 strategy", True),
    ("la résolution 1591 (2005)", "resolution 1591 (2005) … resolution 1591", True),
    ("utiliser 1'espace", "use space", True),  # a scanned l
    ("1,5 tonne", "1,5 tonnes", False),  # an English comma is not a decimal point
    ("1,5 tonne", "1.5 tonnes", True),
    ("2 février 2015", "3 February 2015", False),
    ("au plus tard le vingt-cinquième jour", "no later than 25 days", True),
    ("un milliard de dollars", "$1,000,000,000", True),
    ("1 000 000 000 $", "$1 billion", True),
    ("1,5 milliard de dollars", "$1.5 billion", True),
    ("1,5 milliard de dollars", "$2.5 billion", False),
    ("1,5 milliard de dollars", "1,5 milliard de dollars", False),  # French left in the English
    ("le programme suivant", "the post2015 agenda", True),  # a code: no `015` in `post2015`
    ("le rapport du Comité consultatif8", "the report of the Advisory Committee,9 and", True),
    ("le rapport du Comité, 9 membres", "the report of the Committee, 8 members", False),
    ("Une trentaine d'entreprises", "Around 30 companies", True),
    ("Une vingtaine d'entreprises", "Around 30 companies", False),
]


@pytest.mark.parametrize(("source", "target", "agree"), NUMBERS)
def test_numbers_agree(source: str, target: str, agree: bool) -> None:
    assert numbers_agree(source, target) is agree


_PIECES = st.sampled_from(
    "1 1,5 2 000 0300 30 1960s 15-64 (1) milliard billion million h at p.m. années vingt "
    "cinquième twenty-first : ; 1' l' Malvinas) -".split()
)
_TEXTS = st.lists(_PIECES, max_size=8).map(" ".join)


@given(_TEXTS, _TEXTS)
def test_numbers_agree_on_any_text(source: str, target: str) -> None:
    assert numbers_agree(source, target) in (True, False)
    assert numbers_agree(source, source) in (True, False)


def test_empty_batch() -> None:
    assert assess([]) == []


# The numbers that flag a pair: a French value the English lacks or changes; a value the
# English only adds (a year, a page reference) is QA's finding, not a flag.
NUMBER_FLAGS = [
    ("Seuls 21 pays ont présenté un rapport.", "Only 22 countries reported.", True),
    ("La France les a ratifiés en 1996.", "France ratified them in the same year.", True),
    ("En 2015, puis en 2015.", "In 2015, then in 2013.", True),  # one of two changed
    ("Le Bureau a mené la première mission.", "OAI led its first mission in 2014.", False),
    ("Trois rapports d'audit.", "Three of the 16 audit reports.", False),
]


@pytest.mark.parametrize(("source", "target", "flagged"), NUMBER_FLAGS)
def test_numbers_flag_what_the_french_loses(source: str, target: str, flagged: bool) -> None:
    assert ("numbers" in assess_one(source, target, lexicon=LEXICON).flags) is flagged


def test_unknown_words_are_no_evidence() -> None:
    """A pair the model doubts but whose words the lexicon does not know is uncertain, not
    flagged: scored in the middle, stored with `uncertain` as its reason."""
    source = "Les hirondelles reviennent chaque printemps dans les vieilles granges."
    target = "Swallows come back every spring to the old barns."
    known = Lexicon(
        {"le": ("the",), "les": ("the",)},
        reverse={"the": ("le",)},
    )
    (result,) = assess([(source, target)], lexicon=known)
    assert result.misalignment > 0.67  # the model alone would flag it
    assert not result.flagged and result.uncertain
    assert result.level == "uncertain" and result.reason == "uncertain"
    assert result.score == 0.5
    # known words that contradict the English are evidence
    (wrong,) = assess([(FLAGS[0][0], FLAGS[5][1])], lexicon=LEXICON)
    assert wrong.level == "flagged" and not wrong.uncertain


def test_levels() -> None:
    good = assess_one(FLAGS[0][0], FLAGS[0][1], lexicon=LEXICON)
    assert good.level == "ok" and good.reason == ""
