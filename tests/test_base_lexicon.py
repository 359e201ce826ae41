"""The base lexicon that ships with tm: the merge rule (a TM's own over the base), what a new TM
knows from its first pair, and `tm lexicon build`, which remakes the file from its corpora."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from tests.conftest import cli
from tm import TranslationMemory
from tm.errors import InvalidInput
from tm.quality import base
from tm.quality.lexicon import Lexicon, Segments
from tm.quality.pairs import assess_one

OWN = Lexicon(
    {"titre": ("title",), "chat": ("cat",)},
    Segments({"titre abrégé": ("short title",)}, {"short title": ("titre abrégé",)}),
    {"title": ("titre",)},
)
BASE = Lexicon(
    {"titre": ("under", "title", "heading"), "chien": ("dog",)},
    Segments({"titre abrégé": ("title",), "définitions": ("definitions",)}, {}),
    {"dog": ("chien",), "title": ("titre", "intitulé")},
)


def test_own_over_base() -> None:
    """The TM's own renderings first, the base's others after; what only one knows is kept."""
    merged = OWN.over(BASE)
    assert merged.get("titre") == ("title", "under", "heading")
    assert merged.get("chat") == ("cat",) and merged.get("chien") == ("dog",)
    assert merged.reverse["title"] == ("titre", "intitulé") and merged.reverse["dog"] == ("chien",)
    assert merged.segments.french["titre abrégé"] == ("short title", "title")
    assert merged.segments.french["définitions"] == ("definitions",)
    assert merged.segments.english == {"short title": ("titre abrégé",)}


def test_over_an_empty_side_is_the_other() -> None:
    assert Lexicon({}).over(BASE) is BASE
    assert OWN.over(Lexicon({})) is OWN
    assert Lexicon({}).empty and not BASE.empty


def test_the_base_ships_with_tm() -> None:
    """Words both ways and headings, learned from the laws of Canada and the UN dev set."""
    lexicon = base.lexicon()
    assert len(lexicon) > 20_000 and len(lexicon.reverse) > 20_000
    assert "minister" in lexicon.get("ministre")
    assert "ministre" in lexicon.reverse["minister"]
    assert "short title" in lexicon.segments.french["titre abrégé"]
    assert base.lexicon() is lexicon  # read once a process


WORDS_ALONE = [
    Lexicon({"loi": ("law",)}),  # the words-only layout
    Lexicon({"loi": ("law", "act")}, Segments({"titre": ("title",)}), {"law": ("loi",)}),
    Lexicon({'a"}, "french": {': ("x",)}, Segments({"b": ("y",)})),  # the next key, in a word
    Lexicon({}, Segments({"titre": ("title",)})),
    Lexicon(),
]


@pytest.mark.parametrize("lexicon", WORDS_ALONE)
def test_the_words_alone_are_read_as_the_whole_reads_them(lexicon: Lexicon) -> None:
    alone = Lexicon.words_from_bytes(lexicon.to_bytes())
    assert alone.translations == Lexicon.from_bytes(lexicon.to_bytes()).translations
    assert not alone.segments and not alone.reverse


def test_qa_reads_the_base_words_alone() -> None:
    """QA asks the base lexicon for its French→English words only: read without the rest,
    they are the whole lexicon's."""
    assert base.words().translations == base.lexicon().translations
    assert not base.words().segments and not base.words().reverse
    assert base.words() is base.words()


def test_a_new_tm_checks_with_the_base(tmp_path: Path) -> None:
    """From its first pair a TM has the base lexicon; once it learns its own, its own comes
    first where it knows a word."""
    with TranslationMemory.open(tmp_path / "tm.db") as memory:
        assert memory.stored_lexicon() is None
        assert memory.lexicon() is base.lexicon()
        memory.save_lexicon(Lexicon({"ministre": ("secretary",)}))
        merged = memory.lexicon()
    assert merged.get("ministre")[0] == "secretary" and "minister" in merged.get("ministre")
    assert merged.get("loi") == base.lexicon().get("loi")


def test_a_correct_pair_in_a_new_tm_is_not_flagged(tmp_path: Path) -> None:
    """Issue 18: a correct law pair in a new TM scored 0 and was flagged; with the base it is
    a good pair, and a misaligned one is still flagged."""
    source = "Le ministre peut, par règlement, fixer les droits à payer pour les services."
    target = "The Minister may, by regulation, fix the fees to be paid for the services."
    wrong = "This Act comes into force on a day to be fixed by order of the Governor in Council."
    with TranslationMemory.open(tmp_path / "tm.db") as memory:
        saved = memory.add(source, target)
        assert saved.quality is not None and saved.quality > 0.5
        assert not assess_one(source, target, lexicon=memory.lexicon()).flagged
        assert assess_one(source, wrong, lexicon=memory.lexicon()).flags == ("misaligned",)


LAWS = [
    ("Le ministre peut prendre des règlements.", "The Minister may make regulations.", "A-1"),
    ("Le ministre dépose un rapport.", "The Minister tables a report.", "A-1"),
    ("Titre abrégé", "Short title", "A-1"),
    ("Le rapport est public.", "The report is public.", "B-2"),
    ("Le ministre publie le rapport.", "The Minister publishes the report.", "B-2"),
    ("Le cormoran niche ici.", "The cormorant nests here.", "HELD"),
    ("Le cormoran pêche.", "The cormorant fishes.", "HELD"),
]


def _corpora(root: Path) -> tuple[Path, Path]:
    """A laws folder and a UN folder laid out as the shared data lays them out; document
    HELD is a benchmark document."""
    laws, un = root / "laws", root / "un"
    (laws / "corpus").mkdir(parents=True)
    (laws / "documents" / "HELD").mkdir(parents=True)
    for name, column in (("fr", 0), ("en", 1)):
        with gzip.open(laws / "corpus" / f"canada-laws.{name}.gz", "wt", encoding="utf-8") as f:
            f.writelines(row[column] + "\n" for row in LAWS)
    with gzip.open(laws / "corpus" / "canada-laws.ids.gz", "wt", encoding="utf-8") as f:
        f.writelines(f"{row[2]}\tSection:{n}\n" for n, row in enumerate(LAWS))
    un.mkdir()
    dev = ["Le Conseil de sécurité se réunit.", "The Security Council meets."]
    for name, text in (("fr", dev[0]), ("en", dev[1])):
        # the first half is bench/quality.py's dev split: only the lines after it are read
        lines = ["Le premier." if name == "fr" else "The first."] * 2000 + [text] * 3
        (un / f"UNv1.0.devset.{name}").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return laws, un


def test_build_remakes_the_lexicon_without_the_benchmark_documents(tmp_path: Path) -> None:
    laws, un = _corpora(tmp_path)
    out = tmp_path / "lexicon.bin"
    code, printed = cli(
        tmp_path / "tm.db",
        "lexicon",
        "build",
        "--laws",
        str(laws),
        "--un",
        str(un),
        "--out",
        str(out),
        "--json",
    )
    assert code == 0
    report = json.loads(printed)
    assert report["law_pairs"] == 5 and report["held_out_documents"] == 1
    assert report["un_pairs"] == 3 and report["bytes"] == out.stat().st_size
    learned = Lexicon.from_bytes(out.read_bytes())
    assert learned.get("ministre")[0] == "minister"
    assert "cormoran" not in learned and "cormorant" not in learned.reverse
    assert "premier" not in learned  # the UN dev set's first half
    assert learned.segments.french["titre abrégé"] == ("short title",)
    assert learned.reverse["minister"][0] == "ministre"


def test_build_refuses_a_folder_without_the_corpus(tmp_path: Path) -> None:
    _, un = _corpora(tmp_path)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InvalidInput, match=r"canada-laws\.fr\.gz"):
        cli(
            tmp_path / "tm.db",
            *("lexicon", "build", "--laws", str(empty), "--un", str(un)),
            *("--out", str(tmp_path / "x.bin")),
        )
    assert not (tmp_path / "x.bin").exists()


def test_build_help_has_an_example() -> None:
    code, printed = cli(Path("unused.db"), "lexicon", "build", "--help")
    assert code == 0 and "Example: tm lexicon build" in printed


@pytest.mark.parametrize("name", ["ministre", "loi", "règlement"])
def test_the_base_reads_both_ways(name: str) -> None:
    english = base.lexicon().get(name)[0]
    assert name in base.lexicon().reverse[english]


def test_an_empty_tm_aligns_with_the_base(tmp_path: Path) -> None:
    """Alignment from the first pair: the lexicon an empty TM aligns with is the base's."""
    from service.pipelines.alignment import lexicon as alignment_lexicon

    with TranslationMemory.open(tmp_path / "tm.db") as memory:
        words = alignment_lexicon(memory)
    assert "minister" in words.get("ministre")
    assert "short title" in words.segments.french["titre abrégé"]
