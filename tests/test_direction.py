"""Language direction checked everywhere: a side in the wrong language (or in neither) is
refused before anything is written, with what to swap, by `tm import` (line-parallel and
TSV/CSV), `tm align` and `tm glossary import`, and through HTTP (422); `--swap` (HTTP `swap`)
stores them the right way round. A glossary given to `tm import` is pointed to `tm glossary
import`. A French document quoting English is French."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import cli
from fastapi.testclient import TestClient

from glossaries import Glossary
from service import Settings, keys
from service.http import create_app
from tm import TranslationMemory
from tm.errors import InvalidInput
from tm.store.segments import now
from tm.text.language import reading

ROOT = Path(__file__).resolve().parents[1]
FRENCH = [
    "Le Conseil de l'Atlantique Nord s'est réuni aujourd'hui à Bruxelles.",
    "Les ministres ont examiné la situation de la sécurité dans la région.",
    "Ils ont décidé de renforcer la défense collective des Alliés.",
    "Le secrétaire général a salué cette décision et les efforts des partenaires.",
]
ENGLISH = [
    "The North Atlantic Council met today in Brussels.",
    "The ministers reviewed the security situation in the region.",
    "They decided to strengthen the collective defence of the Allies.",
    "The Secretary General welcomed this decision and the efforts of the partners.",
]
GERMAN = [
    "Der Nordatlantikrat ist heute in Brüssel zusammengetreten.",
    "Die Minister haben die Sicherheitslage in der Region geprüft.",
    "Sie haben beschlossen, die kollektive Verteidigung der Verbündeten zu stärken.",
    "Der Generalsekretär hat diese Entscheidung und die Bemühungen der Partner begrüßt.",
]
QUOTING = [  # French quoting English: French
    "Le ministre a déclaré : « We will stand by our commitments ».",
    "Le rapport, intitulé « The State of the Alliance », a été publié par le Conseil.",
    "Il a cité la devise des Alliés et les mesures qui en découlent pour la défense.",
    "Le Conseil a pris note de cette déclaration et des décisions des ministres.",
]
QUOTING_AT_LENGTH = [  # more English function words than French: not refused all the same
    "Le ministre a déclaré : « We will stand by our commitments to the Alliance ».",
    "Le rapport, intitulé « The State of the Alliance », a été publié en anglais.",
    "Il a cité la devise : « One for all and all for one in the defence of the Allies ».",
    "Le Conseil a pris note de cette déclaration et des mesures qui en découlent.",
]
CODE = [
    "def review(db, ids, *, action):",
    "    wanted = list(dict.fromkeys(ids))",
    "    for segment_id in wanted: self.index.refresh(db)",
    "    return len(wanted) if isinstance(ids, list) else None",
]
NUMBERS = ["1 000,5", "2023-11-28", "42", "17,5 %"]


@pytest.mark.parametrize(
    ("texts", "language"),
    [
        (FRENCH, "fr"),
        (ENGLISH, "en"),
        (QUOTING, "fr"),
        (GERMAN, "neither"),
        (CODE, "neither"),
        (NUMBERS, "neither"),
        (["Bonjour."], None),  # too little to tell
    ],
)
def test_what_a_side_reads_as(texts: list[str], language: str | None) -> None:
    assert reading("\n".join(texts)).language == language


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), "utf-8")
    return path


def test_swapped_line_parallel_files_are_refused_and_swap_stores_them(
    tmp_path: Path, memory: TranslationMemory
) -> None:
    french = write(tmp_path / "x.fr", ENGLISH)
    write(tmp_path / "x.en", FRENCH)
    with pytest.raises(InvalidInput) as refused:
        memory.import_files([french])
    message = str(refused.value)
    assert "x.fr looks English" in message and "x.en looks French" in message
    assert "rename them (x.fr ↔ x.en), or use --swap" in message
    assert memory.count() == 0
    assert memory.import_files([french], swap=True).imported == 4
    assert [s.source for s in memory.segments()] == FRENCH


def test_swap_on_a_right_way_round_pair_is_refused(tmp_path: Path) -> None:
    french = write(tmp_path / "x.fr", FRENCH)
    write(tmp_path / "x.en", ENGLISH)
    with pytest.raises(InvalidInput, match="leave out --swap") as refused:
        cli(tmp_path / "tm.db", "import", str(french), "--swap")
    assert "with --swap, x.en is the French side" in str(refused.value)
    assert cli(tmp_path / "tm.db", "import", str(french))[0] == 0


@pytest.mark.parametrize(
    ("english", "why"),
    [
        (GERMAN, "x.en is neither French nor English"),
        (CODE, "x.en is neither French nor English"),
        (NUMBERS, "x.en is neither French nor English (no words: numbers or symbols only)"),
        (FRENCH, "x.en looks French, not English"),
    ],
)
def test_a_side_in_neither_language_or_twice_french_is_refused(
    tmp_path: Path, memory: TranslationMemory, english: list[str], why: str
) -> None:
    french = write(tmp_path / "x.fr", FRENCH)
    write(tmp_path / "x.en", english)
    with pytest.raises(InvalidInput, match=re.escape(why)):
        memory.import_files([french])
    assert memory.count() == 0


@pytest.mark.parametrize("french", [QUOTING, QUOTING_AT_LENGTH])
def test_french_quoting_english_is_imported(
    tmp_path: Path, memory: TranslationMemory, french: list[str]
) -> None:
    path = write(tmp_path / "x.fr", french)
    write(tmp_path / "x.en", ENGLISH)
    assert memory.import_files([path]).imported == 4


@pytest.mark.parametrize("header", ["", "fr\ten\n"])
def test_a_swapped_table_is_refused_and_swap_reads_it(
    tmp_path: Path, memory: TranslationMemory, header: str
) -> None:
    """A table whose French column reads English was read the other way round with only a note
    in the report (headerless) or imported as English→French pairs (with a header)."""
    table = tmp_path / "r.tsv"
    table.write_text(
        header + "".join(f"{en}\t{fr}\n" for fr, en in zip(FRENCH, ENGLISH, strict=True)), "utf-8"
    )
    with pytest.raises(InvalidInput) as refused:
        memory.import_files([table])
    message = str(refused.value)
    assert "r.tsv: column 1" in message and "looks English" in message
    assert "swap the columns, or use --swap" in message and memory.count() == 0
    assert memory.import_files([table], swap=True).imported == 4
    assert {s.source for s in memory.segments()} == set(FRENCH)


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("terms.csv", "fr,en,note\nOTAN,NATO,acronym\n", "columns 'note' besides French"),
        ("omegat.tsv", "OTAN\tNATO\tacronyme\nAlliés\tAllies\tpluriel\n", "third column"),
    ],
)
def test_a_glossary_given_to_import_is_refused(
    tmp_path: Path, memory: TranslationMemory, name: str, content: str, why: str
) -> None:
    path = tmp_path / name
    path.write_text(content, "utf-8")
    with pytest.raises(InvalidInput, match=why) as refused:
        memory.import_files([path])
    assert "tm glossary import" in str(refused.value) and memory.count() == 0


def test_the_demo_glossary_csv_given_to_import_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="looks like a glossary") as refused:
        cli(tmp_path / "tm.db", "import", str(ROOT / "data" / "glossary" / "glossary.csv"))
    assert "'concept', 'fr_status'" in str(refused.value)
    assert "tm glossary import" in str(refused.value)


def test_swap_is_refused_for_a_tmx(tmp_path: Path, sample_tmx: Path) -> None:
    with pytest.raises(InvalidInput, match="languages of a TMX"):
        cli(tmp_path / "tm.db", "import", str(sample_tmx), "--swap")


def test_align_refuses_swapped_documents_before_learning_or_storing(tmp_path: Path) -> None:
    db = tmp_path / "tm.db"
    french = write(tmp_path / "x.en.txt", FRENCH)
    english = write(tmp_path / "x.fr.txt", ENGLISH)
    with pytest.raises(InvalidInput) as refused:  # given the other way round
        cli(db, "align", str(english), str(french), "--store")
    message = str(refused.value)
    assert "x.fr.txt looks English" in message and "x.en.txt looks French" in message
    assert "give the files the other way round, or use --swap" in message
    with TranslationMemory.open(db) as memory:
        assert memory.count() == 0 and memory.stored_lexicon() is None
    code, _ = cli(db, "align", str(english), str(french), "--store", "--swap", "--force")
    assert code == 0
    with TranslationMemory.open(db) as memory:
        assert {s.source for s in memory.segments()} <= set(FRENCH) and memory.count() >= 3


def test_align_keeps_a_french_document_quoting_english(tmp_path: Path) -> None:
    french = write(tmp_path / "x.fr.txt", QUOTING_AT_LENGTH)
    english = write(tmp_path / "x.en.txt", ENGLISH)
    code, out = cli(tmp_path / "tm.db", "align", str(french), str(english), "--presplit")
    assert code == 0 and len(out.splitlines()) >= 3


def test_glossary_import_refuses_swapped_terms_and_swap_imports_them(
    tmp_path: Path, memory: TranslationMemory
) -> None:
    rows = [
        ("secrétaire général de l'Organisation", "Secretary General of the Organization"),
        ("ministre de la Défense", "Minister of Defence"),
        ("défense collective des Alliés", "collective defence of the Allies"),
        ("Conseil de l'Atlantique Nord", "North Atlantic Council"),
    ]
    path = tmp_path / "terms.csv"
    path.write_text("fr;en\n" + "".join(f"{en};{fr}\n" for fr, en in rows), "utf-8")
    glossary = Glossary.open(memory.db)
    with pytest.raises(InvalidInput, match="the English terms looks French") as refused:
        glossary.import_file(path, author="test")
    assert "use --swap" in str(refused.value)
    assert glossary.count() == {"concepts": 0, "fr_terms": 0, "en_terms": 0}
    glossary.import_file(path, author="test", swap=True)
    french = {t.text for c in glossary.concepts() for t in c.terms if t.language == "fr"}
    assert french == {fr for fr, _en in rows}


@pytest.fixture
def admin(db_path: Path) -> dict[str, str]:
    with TranslationMemory.open(db_path) as memory:
        keys.ensure_schema(memory.db)
        secret = keys.create(memory.db, role="admin", name="admin", now=now())[0]
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def client(db_path: Path, admin: dict[str, str]) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(db=db_path, allowed_hosts=("testserver",)))) as test_client:
        yield test_client


def lines(texts: list[str]) -> bytes:
    return "".join(t + "\n" for t in texts).encode()


def test_http_import_align_and_glossary_refuse_swapped_sides_with_422(
    client: TestClient, admin: dict[str, str], db_path: Path
) -> None:
    swapped = [("files", ("x.fr", lines(ENGLISH))), ("files", ("x.en", lines(FRENCH)))]
    refused = client.post("/import", files=swapped, headers=admin)
    assert refused.status_code == 422 and "x.fr looks English" in refused.json()["detail"]
    assert client.get("/jobs", headers=admin).json() == []  # no job started
    documents = {"french": ("a.fr.txt", lines(ENGLISH)), "english": ("a.en.txt", lines(FRENCH))}
    refused = client.post("/align", files=documents, headers=admin)
    assert refused.status_code == 422 and "a.fr.txt looks English" in refused.json()["detail"]
    terms = "fr;en\n" + "".join(f"{en};{fr}\n" for fr, en in zip(FRENCH, ENGLISH, strict=True))
    refused = client.post(
        "/glossary/import", files={"file": ("t.csv", terms.encode())}, headers=admin
    )
    assert refused.status_code == 422 and "swap=true" in refused.json()["detail"]
    started = client.post("/import", files=swapped, data={"swap": "true"}, headers=admin)
    assert started.status_code == 202
    job = client.app.state.jobs.wait(started.json()["id"])  # type: ignore[attr-defined]
    assert job.state == "done"
    with TranslationMemory.open(db_path) as memory:
        assert [s.source for s in memory.segments()] == FRENCH
