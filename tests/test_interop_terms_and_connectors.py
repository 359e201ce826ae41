"""Glossaries from other tools in and out, and the MyMemory route read as a stock connector reads
it (issue 17)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from lxml import etree
from rapidfuzz.distance import Levenshtein

from glossaries import Glossary
from service import keys
from service.http.app import create_app
from service.settings import Settings
from tm import TranslationMemory
from tm.errors import InvalidInput
from tm.store.database import connect

INTEROP = Path(__file__).parent / "data" / "interop"


# -- glossaries ------------------------------------------------------------------------------


def test_omegat_glossary_imports_source_target_comment(tmp_path: Path) -> None:
    glossary = Glossary.open(connect(tmp_path / "g.db"))
    report = glossary.import_file(INTEROP / "omegat-glossary.txt", author="test")
    assert report.terms_added == 6
    (concept,) = [c for c in glossary.concepts() if c.in_language("fr")[0].text == "dissuasion"]
    assert [(t.language, t.text, t.note) for t in concept.terms] == [
        ("fr", "dissuasion", "nuclear and conventional"),
        ("en", "deterrence", "nuclear and conventional"),
    ]


def test_tbx_data_categories_are_kept_at_their_level(tmp_path: Path) -> None:
    glossary = Glossary.open(connect(tmp_path / "g.db"))
    glossary.import_file(INTEROP / "termbase.tbx", author="test")
    (concept,) = glossary.concepts()
    assert (concept.subject, concept.note) == ("defence policy", "Core concept of the Alliance.")
    assert concept.fr_definition.startswith("Fait de décourager")  # the langSec's definition
    (fr,) = concept.in_language("fr")
    assert (fr.part_of_speech, fr.grammatical_gender, fr.term_type) == (
        "noun",
        "feminine",
        "fullForm",
    )
    assert (fr.source, fr.context[:16]) == ("Glossaire OTAN 2023", "La dissuasion et")
    english = {t.text: t for t in concept.in_language("en")}
    assert english["deterrence"].definition == "The action of discouraging an attack."
    assert english["deterrence"].geographical_usage == "en-GB"
    assert english["dissuasion"].status == "deprecated"
    glossary.export(tmp_path / "out.tbx")
    written = (tmp_path / "out.tbx").read_text("utf-8")
    for value in ("grammaticalGender", "geographicalUsage", "Fait de décourager", "fullForm"):
        assert value in written


def _terms(glossary: Glossary) -> list[tuple[object, ...]]:
    return [
        (c.id, c.subject, c.definition, c.note, c.fr_definition, t.language, t.text, *t.details())
        for c in glossary.concepts()
        for t in c.terms
    ]


@pytest.mark.parametrize("suffix", [".tbx", ".csv", ".tsv"])
@pytest.mark.parametrize("name", ["termbase.tbx", "omegat-glossary.txt"])
def test_every_export_reimports_to_the_same_terms(tmp_path: Path, name: str, suffix: str) -> None:
    first = Glossary.open(connect(tmp_path / "first.db"))
    first.import_file(INTEROP / name, author="test")
    first.export(tmp_path / f"out{suffix}")
    second = Glossary.open(connect(tmp_path / "second.db"))
    second.import_file(tmp_path / f"out{suffix}", author="test")
    assert _terms(second) == _terms(first)


def test_termbase_without_french_is_refused_and_nothing_written(tmp_path: Path) -> None:
    glossary = Glossary.open(connect(tmp_path / "g.db"))
    with pytest.raises(InvalidInput, match=r"no French terms.*de, en") as raised:
        glossary.import_file(INTEROP / "no-french.tbx", author="test")
    assert raised.value.file == str(INTEROP / "no-french.tbx")
    assert glossary.count() == {"concepts": 0, "fr_terms": 0, "en_terms": 0}
    assert glossary.history() == []


# -- MyMemory connectors ---------------------------------------------------------------------


@pytest.fixture
def client(db_path: Path) -> Iterator[tuple[TestClient, str]]:
    with TranslationMemory.open(db_path) as memory:
        memory.import_files([INTEROP / "omegat-project.tmx"])
        memory.add("La prochaine réunion aura lieu en février.", "The next meeting is in February.")
        keys.ensure_schema(memory.db)
        secret = keys.create(memory.db, role="translator", name="cat", now="2024-01-01T00:00:00Z")[
            0
        ]
    with TestClient(create_app(Settings(db=db_path, allowed_hosts=("testserver",)))) as test_client:  # type: ignore[call-arg]
        yield test_client, secret


def omegat_best_translation(tmx: str, text: str, source: str, target: str) -> str:
    """OmegaT's MyMemory client reading an `of=tmx` answer, re-expressed: drop the DOCTYPE line,
    escape every `&` (a workaround for MyMemory's entities), take each `tu`'s first `seg` text
    of the `tuv` whose `lang` attribute starts with the language code, keep the target of the
    source with the fewest token edits from the query (both non-empty; 0 stops the search),
    then undo the entities and trim."""
    tmx = tmx.replace('<!DOCTYPE tmx SYSTEM "tmx11.dtd">', "").replace("&", "&amp;")
    root = etree.fromstring(tmx.encode("utf-8"))
    best, lowest = "", None
    for tu in root.iter("tu"):
        texts = {}
        for code in (source, target):
            tuv = next((v for v in tu.findall("tuv") if v.get("lang", "").startswith(code)), None)
            seg = tuv.find("seg") if tuv is not None else None
            texts[code] = (seg.text or "") if seg is not None else ""
        distance = Levenshtein.distance(
            re.findall(r"\w+|\S", text), re.findall(r"\w+|\S", texts[source])
        )
        if (lowest is None or distance < lowest) and texts[source] and texts[target]:
            lowest, best = distance, texts[target]
        if distance == 0:
            break
    return html.unescape(best).strip()


def test_a_stock_connector_reads_the_tmx_answer(client: tuple[TestClient, str]) -> None:
    test_client, secret = client
    query = "Les Alliés ont livré des systèmes de défense aérienne supplémentaires."
    answer = test_client.get(
        "/api/get",
        params={"q": query, "langpair": "fr|en", "of": "tmx", "mt": "0"},  # no key in a URL
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert answer.status_code == 200
    assert omegat_best_translation(answer.text, query, "fr", "en") == (
        "Allies delivered additional air defence systems."  # no <t1> left in the answer
    )


def test_json_answer_variant_and_errors(client: tuple[TestClient, str]) -> None:
    test_client, secret = client
    headers = {"Authorization": f"Bearer {secret}"}
    found = test_client.get(
        "/api/get",
        params={"q": "La prochaine réunion aura lieu en février.", "langpair": "fr|en-US"},
        headers=headers,
    ).json()
    assert found["responseStatus"] == 200
    assert found["responseData"] == {
        "translatedText": "The next meeting is in February.",
        "match": 1.0,
    }
    assert {m["target"] for m in found["matches"]} == {"en-US"}
    for params, reason in [
        ({"q": "Hello", "langpair": "en|de"}, "LANGUAGE PAIR"),
        ({"q": " ", "langpair": "fr|en"}, "NO QUERY"),
    ]:
        wrong = test_client.get("/api/get", params=params, headers=headers)
        body = wrong.json()
        assert (wrong.status_code, body["responseStatus"]) == (200, 403)
        assert reason in body["responseDetails"] == body["responseData"]["translatedText"]
