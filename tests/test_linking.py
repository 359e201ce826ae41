"""Competitive linking: a line glued to its neighbour's bead but translated nowhere in the
single line facing them is found, and left alone by the aligner; true splits are kept."""

from __future__ import annotations

from alignments import Costs, align
from alignments.linking import english_tokens, french_tokens, glued, shares
from tm.quality.lexicon import Lexicon
from tm.text.tokenise import words

LEXICON = Lexicon(
    {
        "délai": ("period", "time"),
        "prescription": ("limitation",),
        "interrompu": ("interrupted",),
        "reconnaissance": ("acknowledgment", "recognition"),
        "créance": ("money", "debt"),
        "faite": ("made",),
        "personne": ("person",),
        "mandataire": ("mandatary", "agent"),
        "autre": ("other",),
        "représentant": ("representative",),
        "paiement": ("payment",),
        "partiel": ("partial",),
        "nouveau": ("new",),
        "commence": ("begins",),
        "date": ("day", "date"),
        "interruption": ("interruption",),
        "son": ("their", "his"),
    }
)
FRENCH = [
    "Le délai de prescription est interrompu par :",
    "la reconnaissance de la créance, faite par la personne ou par son mandataire ou autre "
    "représentant;",
    "le paiement partiel de la créance par la personne ou par son mandataire.",
    "Un nouveau délai commence à courir à la date de l’interruption.",
]
# the French of the first item ("a promise to pay …") was dropped
ENGLISH = [
    "The limitation period is interrupted by",
    "a promise to pay the money owing, made by the person or their agent, mandatary or other "
    "representative;",
    "an acknowledgment of the money owing, made by the person or their agent, mandatary or "
    "other representative;",
    "a partial payment of the money owing by the person or their agent.",
    "A new limitation period begins on the day of the interruption.",
]


def _french(text: str) -> list[frozenset[str]]:
    found = words(text)
    return french_tokens(found, [list(LEXICON.get(w)) for w in found])


def _english(text: str) -> list[frozenset[str]]:
    return english_tokens(words(text))


def test_the_better_covered_line_takes_the_shared_words_first() -> None:
    found = shares(_french(FRENCH[1]), [_english(ENGLISH[1]), _english(ENGLISH[2])])
    assert found[1] > 0.6
    assert found[0] < 0.3


def _glued(
    single: list[frozenset[str]], members: list[list[frozenset[str]]], explained: float = 0.5
) -> int | None:
    """`glued` with the aligner's default share and least words."""
    return glued(single, members, share=0.2, least=3, explained=explained)


def test_the_glued_item_is_found() -> None:
    members = [_english(ENGLISH[1]), _english(ENGLISH[2])]
    assert _glued(_french(FRENCH[1]), members) == 0


def test_both_halves_of_a_true_split_are_kept() -> None:
    single = _french(
        "la reconnaissance de la créance par la personne; le paiement partiel par son mandataire."
    )
    members = [
        _english("an acknowledgment of the money owing by the person;"),
        _english("a partial payment by their agent."),
    ]
    assert _glued(single, members) is None


def test_a_half_the_lexicon_cannot_link_is_kept_when_the_other_does_not_explain_all() -> None:
    """With a weak gloss each half of a true split may link little: the unlinked half is kept
    unless its sibling alone is the whole translation."""
    single = _french(
        "la reconnaissance de la créance et la dissipation franche des malentendus de chacun"
    )
    members = [
        _english("an acknowledgment of the money owing,"),
        _english("and a frank explanation cleared every misunderstanding."),
    ]
    assert _glued(single, members) is None
    assert _glued(single, members, explained=0.0) == 1


def test_the_aligner_leaves_the_glued_item_alone() -> None:
    without = align(FRENCH, ENGLISH, lexicon=LEXICON, costs=Costs(glued_share=-1.0))
    assert [(b.french, b.english) for b in without][1] == ((1,), (1, 2))
    beads = align(FRENCH, ENGLISH, lexicon=LEXICON)
    assert [(b.french, b.english) for b in beads] == [
        ((0,), (0,)),
        ((), (1,)),
        ((1,), (2,)),
        ((2,), (3,)),
        ((3,), (4,)),
    ]
    assert beads[1].confidence == 0.0
    assert beads[2].confidence > 0.5
