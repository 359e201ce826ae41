"""The aligner on a small French/English pair, bad input, and the Vecalign-style scorer."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alignments import Bead, align, aligner, by_kind, parse, score
from alignments.aligner import KINDS
from tm.errors import InvalidInput
from tm.quality.lexicon import Lexicon, Segments

DATA = Path(__file__).parent / "data"

LEXICON = {
    "conseil": ["council"],
    "atlantique": ["atlantic"],
    "nord": ["north"],
    "réuni": ["met"],
    "aujourd": ["today"],
    "hui": ["today"],
    "ministres": ["ministers"],
    "défense": ["defence"],
    "examiné": ["reviewed"],
    "décidé": ["decided"],
    "augmenter": ["increase"],
    "aide": ["aid"],
    "militaire": ["military"],
    "secrétaire": ["secretary"],
    "général": ["general"],
    "salué": ["welcomed"],
    "otan": ["nato"],
    "restera": ["will", "remain"],
    "unie": ["united"],
    "forte": ["strong"],
    "alliés": ["allies"],
    "discuté": ["discussed"],
    "budget": ["budget"],
    "commun": ["common"],
    "prochaine": ["next"],
    "réunion": ["meeting"],
    "juin": ["june"],
    "le": ["the"],
    "la": ["the"],
    "les": ["the"],
}


def _read(name: str) -> list[str]:
    return (DATA / name).read_text(encoding="utf-8").splitlines()


def test_small_pair_matches_gold() -> None:
    beads = align(_read("pair.fr"), _read("pair.en"), lexicon=LEXICON)
    gold = parse(_read("pair.ref"))
    assert [(b.french, b.english) for b in beads] == [(b.french, b.english) for b in gold]
    assert all(0.0 <= b.confidence <= 1.0 for b in beads)
    assert beads[4].deletion and beads[4].confidence == 0.0


def test_lexicon_object_and_glosses() -> None:
    french, english = _read("pair.fr"), _read("pair.en")
    with_object = align(french, english, lexicon=Lexicon({k: tuple(v) for k, v in LEXICON.items()}))
    assert with_object == align(french, english, lexicon=LEXICON)
    glossed = align(french, english, glosses=[Lexicon().gloss(s) for s in english[:8]])
    assert len(glossed) >= 1
    with pytest.raises(InvalidInput, match="glosses"):
        align(french, english, glosses=["x"])
    with pytest.raises(InvalidInput, match="back glosses"):
        align(french, english, back_glosses=["x"])
    # the English "back-translated" as itself: still the gold alignment
    both = align(french, english, lexicon=LEXICON, back_glosses=english)
    assert [(b.french, b.english) for b in both] == [(b.french, b.english) for b in with_object]


FR = _read("pair.fr")
EN = _read("pair.en")
# The gold pair with lines merged or removed on one side, and the beads expected where it
# changed (the rest keeps the gold alignment, renumbered).
EDITED = [
    # two English lines merged into one: a 2-1 bead
    ("English 6+7 merged", FR, [*EN[:6], EN[6] + " " + EN[7]], "[6, 7]:[6]"),
    # the merged line also holds the gold 2-1: a 3-1 bead
    ("English 0+1 merged", FR, [EN[0] + " " + EN[1], *EN[2:]], "[0, 1, 2]:[0]"),
    ("French 5+6 merged", [*FR[:5], FR[5] + " " + FR[6], FR[7]], EN, "[5]:[5, 6]"),
    ("French 5+6+7 merged", [*FR[:5], " ".join(FR[5:])], EN, "[5]:[5, 6, 7]"),
    # beads of more than three sentences on one side
    (
        "French 4..7 merged, extra English",
        [*FR[:4], " ".join(FR[4:])],
        [*EN[:4], *EN[5:]],
        "[4]:[3, 4, 5, 6]",
    ),
    ("English 4..7 merged", FR, [*EN[:4], " ".join(EN[4:])], "[5, 6, 7]:[4]"),
    # two English lines merged next to the English-only paragraph (gold 4): still a 2-1
    ("English 5+6 merged", FR, [*EN[:5], EN[5] + " " + EN[6], EN[7]], "[5, 6]:[5]"),
    # a French sentence removed: its English is left alone (0-1), not paired with another
    ("French 4 removed", [*FR[:4], *FR[5:]], EN, "[]:[3]"),
    ("French 7 removed", FR[:7], EN, "[]:[7]"),
]


@pytest.mark.parametrize(("edit", "french", "english", "bead"), EDITED)
def test_edited_pair(edit: str, french: list[str], english: list[str], bead: str) -> None:
    beads = align(french, english, lexicon=LEXICON)
    assert bead in [b.format() for b in beads], edit
    assert [i for b in beads for i in b.french] == list(range(len(french)))
    assert [j for b in beads for j in b.english] == list(range(len(english)))


LAW_LEXICON = {
    "loi": ["act"],
    "conseil": ["council"],
    "ports": ["harbours"],
    "port": ["harbour"],
    "titre": ["title"],
    "abrégé": ["short"],
    "définitions": ["definitions"],
    "présente": ["this"],
    "ministre": ["minister"],
    "transports": ["transport"],
    "dispositions": ["provisions"],
    "emportent": ["prevail"],
    "incompatibles": ["inconsistent"],
    "autre": ["other"],
    "toute": ["any"],
    "désigne": ["means"],
    "mandat": ["mandate"],
    "administre": ["manage"],
    "fixe": ["fix"],
    "droits": ["dues"],
    "rapport": ["report"],
    "annuel": ["annual"],
    "année": ["year"],
    "chaque": ["every"],
}
LAW_FR = _read("law.fr")
LAW_EN = _read("law.en")
# A short law with marginal notes (headings) before its sections, edited as in EDITED: the
# heading whose French was dropped stays alone even though the section shares its words, and
# a heading merged into its section's line stays with it (layout costs, `alignments.layout`).
LAW_EDITED = [
    # "Act prevails" before "The provisions of this Act prevail …", facing "… l'emportent …"
    ("French note 5 removed", [*LAW_FR[:5], *LAW_FR[6:]], LAW_EN, ["[]:[5]", "[5]:[6]"]),
    ("French note 7 removed", [*LAW_FR[:7], *LAW_FR[8:]], LAW_EN, ["[6]:[6]", "[]:[7]"]),
    ("French note 9 removed", [*LAW_FR[:9], *LAW_FR[10:]], LAW_EN, ["[8]:[8]", "[]:[9]"]),
    # "Act prevails The provisions …": the note runs into its section
    (
        "English 5+6 merged",
        LAW_FR,
        [*LAW_EN[:5], LAW_EN[5] + " " + LAW_EN[6], *LAW_EN[7:]],
        ["[4]:[4]", "[5, 6]:[5]"],
    ),
    (
        "English 7+8 merged",
        LAW_FR,
        [*LAW_EN[:7], LAW_EN[7] + " " + LAW_EN[8], *LAW_EN[9:]],
        ["[7, 8]:[7]"],
    ),
    # "… harbour dues. Annual report": a section followed by the next note
    (
        "English 8+9 merged",
        LAW_FR,
        [*LAW_EN[:8], LAW_EN[8] + " " + LAW_EN[9], *LAW_EN[10:]],
        ["[8, 9]:[8]", "[10]:[9]"],
    ),
]


@pytest.mark.parametrize(("edit", "french", "english", "expected"), LAW_EDITED)
def test_edited_law(edit: str, french: list[str], english: list[str], expected: list[str]) -> None:
    beads = align(french, english, lexicon=LAW_LEXICON)
    assert set(expected) <= {b.format() for b in beads}, edit
    assert [i for b in beads for i in b.french] == list(range(len(french)))
    assert [j for b in beads for j in b.english] == list(range(len(english)))


def test_unedited_law_is_one_to_one() -> None:
    beads = align(LAW_FR, LAW_EN, lexicon=LAW_LEXICON)
    assert [b.format() for b in beads] == [f"[{k}]:[{k}]" for k in range(len(LAW_FR))]


@pytest.mark.parametrize("chunk", [1, 7, 40])
def test_pricing_the_band_in_chunks_changes_nothing(
    chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # bead costs are computed for many rows at once; a chunk ending inside a group's rows
    # or a heading's reach must not change a bead or its confidence
    english = [*LAW_EN[:5], LAW_EN[5] + " " + LAW_EN[6], *LAW_EN[7:]]
    french = [*LAW_FR[:9], *LAW_FR[10:]]
    whole = align(french, english, lexicon=LAW_LEXICON)
    monkeypatch.setattr(aligner, "CHUNK", chunk)
    assert align(french, english, lexicon=LAW_LEXICON) == whole
    assert "[5, 6]:[5]" in {b.format() for b in whole}


@settings(max_examples=40, deadline=None)
@given(
    picks=st.lists(st.integers(0, 7), min_size=1, max_size=12),
    merges=st.lists(st.booleans(), min_size=12, max_size=12),
)
def test_beads_cover_both_sides_in_order(picks: list[int], merges: list[bool]) -> None:
    # any sequence of fixture sentences (repeated, reordered, English lines merged)
    french = [FR[k] for k in picks]
    english: list[str] = []
    for k, merge in zip(picks, merges, strict=False):
        if merge and english:
            english[-1] += " " + EN[k]
        else:
            english.append(EN[k])
    beads = align(french, english, lexicon=LEXICON)
    assert [i for b in beads for i in b.french] == list(range(len(french)))
    assert [j for b in beads for j in b.english] == list(range(len(english)))
    assert all((len(b.french), len(b.english)) in KINDS for b in beads)
    assert all(0.0 <= b.confidence <= 1.0 for b in beads)


def test_lengths_alone_without_shared_words() -> None:
    # no lexicon and no word in common: the costs measured against the document's typical
    # cosine stay off, and the length model finds the 2-1 bead
    french = [
        "Aaaa bbbb cccc dddd eeee ffff gggg.",
        "Hhhh iiii jjjj kkkk.",
        "Llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt.",
        "Uuuu vvvv.",
    ]
    english = [
        "One two three four five six seven. Eight nine ten eleven.",
        "Twelve thirteen fourteen fifteen sixteen seventeen ab cd.",
        "Xy zw.",
    ]
    assert [b.format() for b in align(french, english)] == ["[0, 1]:[0]", "[2]:[1]", "[3]:[2]"]


@pytest.mark.parametrize(
    ("french", "english", "expected"),
    [
        ([], [], []),
        (["Un."], [], [Bead((0,), (), 0.0)]),
        ([], ["One.", "Two."], [Bead((), (0,), 0.0), Bead((), (1,), 0.0)]),
        (["Un."], ["One."], [Bead((0,), (0,), 0.0)]),
    ],
)
def test_degenerate(french: list[str], english: list[str], expected: list[Bead]) -> None:
    assert [(b.french, b.english) for b in align(french, english)] == [
        (b.french, b.english) for b in expected
    ]


def test_wildly_different_lengths() -> None:
    french = [f"Phrase numéro {k} du document." for k in range(3)]
    english = [f"Sentence number {k} of the document." for k in range(200)]
    beads = align(french, english)
    assert sorted(i for b in beads for i in b.french) == [0, 1, 2]
    assert sorted(j for b in beads for j in b.english) == list(range(200))


GOLD = [Bead((0,), (0,)), Bead((1, 2), (1,)), Bead((), (2,)), Bead((3,), (3,))]
SCORES = [
    # identical: perfect
    (GOLD, (1.0, 1.0, 1.0, 1.0)),
    # 1-1 instead of 2-1 and a 1-0: strict misses, lax keeps the partial overlaps
    (
        [Bead((0,), (0,)), Bead((1,), (1,)), Bead((2,), ()), Bead((), (2,)), Bead((3,), (3,))],
        (3 / 5, 2 / 3, 4 / 5, 1.0),
    ),
    # everything shifted: nothing right
    ([Bead((0,), (1,)), Bead((1, 2), (3,)), Bead((3,), (0,))], (0.0, 0.0, 0.0, 0.0)),
]


@pytest.mark.parametrize(("test", "expected"), SCORES)
def test_score(test: list[Bead], expected: tuple[float, float, float, float]) -> None:
    s = score([GOLD], [test])
    assert (s.precision, s.recall, s.lax_precision, s.lax_recall) == pytest.approx(expected)


def test_by_kind_and_parse() -> None:
    kinds = by_kind([GOLD], [GOLD])
    assert kinds["2-1"] == (1, 1, 1.0, 1.0)
    assert parse(["[0]:[0]", "", "[1, 2]:[]", " []:[3] "]) == [
        Bead((0,), (0,)),
        Bead((1, 2), ()),
        Bead((), (3,)),
    ]
    assert Bead((1, 2), ()).format() == "[1, 2]:[]"
    with pytest.raises(InvalidInput, match="not a bead line") as raised:
        parse(["[0]:[0]", "0-0"], file="x.beads")
    assert raised.value.line == 2


def test_a_heading_known_whole_in_the_tm_is_found_inside_a_merged_english_line() -> None:
    """Word by word, "Titre abrégé" says nothing of "Short Title"; as a known segment (a
    heading seen whole in the TM) it does, so the merged English heading takes both lines."""
    french = [
        "Loi sur les arsenaux",
        "Titre abrégé",
        "Interprétation",
        "Les définitions qui suivent s’appliquent à la présente loi.",
        "Siège social",
        "Le siège social de la société est fixé à Ottawa.",
    ]
    english = [
        "Arsenals Act",
        "Short Title Interpretation",
        "The following definitions apply in this Act.",
        "Head Office",
        "The head office of the corporation shall be in Ottawa.",
    ]
    glosses = {
        "loi": ("act",),
        "les": ("the",),
        "définitions": ("definitions",),
        "suivent": ("following",),
        "appliquent": ("apply",),
        "présente": ("this",),
        "siège": ("seat",),
        "social": ("social",),
        "société": ("corporation",),
        "ottawa": ("ottawa",),
    }
    segments = Segments({"titre abrégé": ("short title",), "siège social": ("head office",)}, {})
    word_by_word = align(french, english, lexicon=Lexicon(glosses))
    assert Bead((1,), ()) in [Bead(b.french, b.english) for b in word_by_word]
    with_segments = align(french, english, lexicon=Lexicon(glosses, segments))
    assert [(b.french, b.english) for b in with_segments] == [
        ((0,), (0,)),
        ((1, 2), (1,)),
        ((3,), (2,)),
        ((4,), (3,)),
        ((5,), (4,)),
    ]
