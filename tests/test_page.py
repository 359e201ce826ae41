"""What the web page relies on, over HTTP (TestClient, real SQLite): who a write is recorded
under, the defaults the page shares with the CLI, the draft formats it offers, /docs without a
CDN, messages in the language asked (the page itself is driven in tests/test_browser.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import get_args

import pytest
import typer
from fastapi.testclient import TestClient

from glossaries import Glossary
from service import Settings, keys
from service.http import create_app
from service.http.schemas.translator import LookupRequest
from service.main import app as cli
from service.pipelines import lookup, pretranslation
from tm import TranslationMemory
from tm.drafting import analysis
from tm.store.segments import now

DATA = Path(__file__).parent / "data"
PAGE = Path(__file__).parents[1] / "service" / "http" / "static" / "index.html"
NAMES = {"translator": "translator-3", "maintainer": "maintainer-7", "admin": "admin-1"}


@pytest.fixture
def secrets(db_path: Path, sample_tmx: Path) -> dict[str, str]:
    with TranslationMemory.open(db_path) as memory:
        memory.import_files([sample_tmx])
        Glossary.open(memory.db).import_file(DATA / "service-glossary.csv", author="setup")
        keys.ensure_schema(memory.db)
        return {
            role: keys.create(memory.db, role=role, name=name, now=now())[0]
            for role, name in NAMES.items()
        }


@pytest.fixture
def client(db_path: Path, secrets: dict[str, str]) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(db=db_path, allowed_hosts=("testserver",)))) as test_client:
        yield test_client


def as_role(secrets: dict[str, str], role: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secrets[role]}"}


# ---------------------------------------------------------------- names in the audit trail


def test_a_saved_segment_records_the_keys_name(client: TestClient, secrets: dict[str, str]) -> None:
    translator = as_role(secrets, "translator")
    pair = {"source": "Les partenaires ont salué l'accord.", "target": "Partners welcomed it."}
    saved = client.post("/segments", json=pair, headers=translator)
    assert saved.status_code == 201
    assert saved.json()["author"] == "translator-3"
    same = client.post("/segments", json=pair | {"author": "translator-3"}, headers=translator)
    assert same.status_code == 201, "repeating one's own name is allowed"
    corrected = client.put(
        f"/segments/{saved.json()['id']}",
        json=pair | {"target": "Partners welcomed the agreement."},
        headers=as_role(secrets, "maintainer"),
    )
    assert corrected.json()["author"] == "maintainer-7"


@pytest.mark.parametrize("method", ["post", "put"])
def test_a_translator_cannot_sign_as_someone_else(
    client: TestClient, secrets: dict[str, str], method: str
) -> None:
    translator = as_role(secrets, "translator")
    pair = {"source": "Le Conseil s'est réuni.", "target": "The Council met."}
    first = client.post("/segments", json=pair, headers=translator).json()
    forged = pair | {"author": "admin (Chief Terminologist)"}
    url = "/segments" if method == "post" else f"/segments/{first['id']}"
    answer = client.request(method.upper(), url, json=forged, headers=translator)
    assert answer.status_code == 422
    assert "set by the server" in answer.json()["detail"]
    assert client.get(f"/segments/{first['id']}", headers=translator).json()["author"] == (
        "translator-3"
    )


def test_glossary_edits_and_reviews_record_the_keys_name(
    client: TestClient, secrets: dict[str, str]
) -> None:
    maintainer = as_role(secrets, "maintainer")
    added = client.post(
        "/glossary/terms",
        json={"text": "bouclier", "language": "fr", "note": ""},
        headers=maintainer,
    )
    assert added.status_code == 201, added.text
    term = added.json()["id"]
    edited = client.patch(
        f"/glossary/terms/{term}",
        json={"note": "au sens militaire"},
        headers=maintainer | {"If-Match": added.headers["ETag"]},
    )
    assert edited.status_code == 200, edited.text
    history = client.get(f"/glossary/terms/{term}/history", headers=maintainer).json()
    assert {change["author"] for change in history} == {"maintainer-7"}
    found = client.post(
        "/lookup", json={"text": "Le secrétaire général a présidé la réunion."}, headers=maintainer
    )
    segment = found.json()["matches"][0]["id"]
    rejected = client.post(
        "/segments/reject", json={"ids": [segment], "note": "non"}, headers=maintainer
    )
    assert rejected.status_code == 200, rejected.text
    (review,) = client.get(f"/segments/{segment}/reviews", headers=maintainer).json()
    assert review["author"] == "maintainer-7"


# ---------------------------------------------------------------- defaults shared with the CLI


def cli_default(command: str, option: str) -> object:
    click = typer.main.get_command(cli)
    found = click.commands[command]  # type: ignore[attr-defined]
    (param,) = [p for p in found.params if p.name == option]
    return param.default


def page_value(element: str) -> str:
    (value,) = re.findall(rf'<input id="{element}"[^>]*\svalue="([^"]+)"', PAGE.read_text())
    return value


def test_the_page_the_api_and_the_cli_share_their_default_thresholds(client: TestClient) -> None:
    assert LookupRequest.model_fields["threshold"].default == lookup.THRESHOLD
    assert cli_default("lookup", "threshold") == lookup.THRESHOLD
    assert float(page_value("threshold")) == lookup.THRESHOLD
    assert cli_default("pretranslate", "threshold") == pretranslation.THRESHOLD
    assert float(page_value("pt-threshold")) == pretranslation.THRESHOLD
    form = client.get("/openapi.json").json()["components"]["schemas"]
    (body,) = [v for k, v in form.items() if k.startswith("Body_pretranslate")]
    assert body["properties"]["threshold"]["default"] == pretranslation.THRESHOLD


def test_the_analysis_says_its_band_order_101_first(
    client: TestClient, secrets: dict[str, str]
) -> None:
    answer = client.post(
        "/pretranslate",
        files=[("files", ("release.fr.txt", b"Le secretaire general a preside la reunion.\n"))],
        headers=as_role(secrets, "translator"),
    )
    assert answer.status_code == 200, answer.text
    order = answer.json()["analysis"]["order"]
    assert order == list(analysis.CATEGORIES)
    assert order[:2] == ["101", "100"]


# ---------------------------------------------------------------- draft formats


def test_every_format_the_page_offers_is_one_the_route_takes(
    client: TestClient, secrets: dict[str, str]
) -> None:
    offered = re.findall(
        r'<option value="([^"]+)"',
        PAGE.read_text().split('id="pt-format"')[1].split("</select>")[0],
    )
    assert offered == list(pretranslation.FORMATS) == list(get_args(pretranslation.Format))
    for format in offered:
        answer = client.post(
            "/pretranslate",
            files=[("files", ("release.fr.txt", b"Le secretaire general a preside.\n"))],
            data={"format": format},
            headers=as_role(secrets, "translator"),
        )
        assert answer.status_code == 200, (format, answer.text)


def test_a_plain_text_draft(client: TestClient, secrets: dict[str, str]) -> None:
    release = "Le secrétaire général a présidé la réunion.\n\nUne phrase nouvelle.\n"
    answer = client.post(
        "/pretranslate",
        files=[("files", ("release.fr.txt", release.encode()))],
        data={"format": "txt"},
        headers=as_role(secrets, "translator"),
    )
    assert answer.status_code == 200, answer.text
    (draft,) = answer.json()["drafts"]
    assert draft["output"] == "release.fr.txt.en.txt"
    assert draft["content"].splitlines()[0] == "The Secretary General chaired the meeting."


# ---------------------------------------------------------------- offline pages


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/"])
def test_the_pages_load_nothing_from_another_host(client: TestClient, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200
    html = page.text
    assert not re.findall(r"""(?:src|href)=["']?(?:https?:)?//""", html), "an external host"
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assets += re.findall(r"""(?:url|Url)\s*:\s*['"]([^'"]+)['"]""", html)  # the UI's bundles
    assert any(a.endswith(".js") for a in assets)
    for asset in assets:
        if asset.startswith("/") and not asset.startswith("//"):
            assert client.get(asset).status_code == 200, asset
    policy = page.headers["content-security-policy"]
    assert "http" not in policy, "the policy names no other host"


def test_the_service_has_a_favicon(client: TestClient) -> None:
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/")
    assert 'rel="icon"' in client.get("/").text
    assert client.get("/static/favicon.svg").status_code == 200


# ---------------------------------------------------------------- messages in the language asked

FRENCH = {"Accept-Language": "fr-FR,fr;q=0.9,en;q=0.5"}


def test_findings_and_penalties_in_english_by_default_in_french_when_asked(
    client: TestClient, secrets: dict[str, str]
) -> None:
    translator = as_role(secrets, "translator")
    pair = {"source": "Le secrétaire général a parlé.", "target": "The Secretary General spoke ?"}
    english = client.post("/check", json=pair, headers=translator).json()["findings"]
    french = client.post("/check", json=pair, headers=translator | FRENCH).json()["findings"]
    assert [f["code"] for f in english] == [f["code"] for f in french] == ["french-spacing"]
    assert english[0]["message"] == "space before “?” (French typography)"
    assert french[0]["message"] == "espace avant « ? » (typographie française)"
    text = {"text": "le secrétaire général a présidé la réunion.", "threshold": 50}
    (penalty,) = client.post("/lookup", json=text, headers=translator | FRENCH).json()["matches"][
        0
    ]["penalties"]
    assert (penalty["code"], penalty["label"], penalty["detail"]) == (
        "case",
        "casse différente",
        "Le → le",
    )


def test_errors_in_the_language_asked_with_a_stable_code(
    client: TestClient, secrets: dict[str, str]
) -> None:
    translator = as_role(secrets, "translator")
    refused = client.post(
        "/glossary/terms", json={"text": "x", "language": "fr"}, headers=translator | FRENCH
    )
    assert refused.status_code == 403
    assert refused.json() == {
        "detail": "cette action demande le rôle terminologue ; la clé a le rôle traducteur",
        "code": "error/role-short",
    }
    english = client.post(
        "/glossary/terms", json={"text": "x", "language": "fr"}, headers=translator
    )
    assert (
        english.json()["detail"] == "this action needs the maintainer role; the key has translator"
    )
    invalid = client.post("/lookup", json={"text": "x", "limit": 99}, headers=translator | FRENCH)
    assert invalid.status_code == 422
    (item,) = invalid.json()["detail"]
    assert (item["type"], item["msg"]) == ("less_than_equal", "doit être inférieur ou égal à 50")
    unknown = client.get("/whoami", headers={"Authorization": "Bearer tm_nope"} | FRENCH)
    assert unknown.json()["detail"] == "clé d’API inconnue ou révoquée"


def test_the_analysis_headers_in_french(client: TestClient, secrets: dict[str, str]) -> None:
    answer = client.post(
        "/pretranslate",
        files=[("files", ("release.fr.txt", b"Une phrase.\nUne phrase.\n"))],
        headers=as_role(secrets, "translator") | FRENCH,
    )
    categories = answer.json()["analysis"]["categories"]
    assert categories["none"] == "sans correspondance"
    assert categories["repetitions"] == "répétitions"
    english = client.post(
        "/pretranslate",
        files=[("files", ("release.fr.txt", b"Une phrase.\n"))],
        headers=as_role(secrets, "translator"),
    )
    assert english.json()["analysis"]["categories"]["none"] == "no match"


def test_the_notes_on_a_suggestion_in_french(client: TestClient, secrets: dict[str, str]) -> None:
    translator = as_role(secrets, "translator")
    pair = {
        "source": "La réunion aura lieu les 11 et 12 octobre 2023 à Bruxelles.",
        "target": "The meeting will be held on 11 and 12 October 2023 in Brussels.",
    }
    assert client.post("/segments", json=pair, headers=translator).status_code == 201
    query = {"text": "La réunion aura lieu le 14 février 2024 à Bruxelles.", "threshold": 50}
    english = client.post("/lookup", json=query, headers=translator).json()["matches"][0]
    french = client.post("/lookup", json=query, headers=translator | FRENCH).json()["matches"][0]
    assert english["notes"] and len(english["notes"]) == len(french["notes"])
    assert "not substituted" in english["notes"][0]
    assert "non remplacée" in french["notes"][0]


def test_how_an_evaluation_paired_the_texts_in_french(
    client: TestClient, secrets: dict[str, str]
) -> None:
    files = [
        ("hyp", ("draft.txt", b"The Council met.\nIt agreed.\n")),
        ("ref", ("published.txt", b"The Council met.\nIt agreed on a plan.\n")),
    ]
    translator = as_role(secrets, "translator")
    english = client.post("/evaluate", files=files, headers=translator).json()
    french = client.post("/evaluate", files=files, headers=translator | FRENCH).json()
    assert english["pairing"] == "one to one, in order (2 segments)"
    assert french["pairing"] == "un à un, dans l’ordre (2 segments)"


UNRELATED_FR = (
    "Le Conseil a adopté le budget pour 2024. Les ministres ont discuté de la sécurité "
    "énergétique. La prochaine réunion aura lieu à Vilnius en juin. Le secrétaire général a "
    "salué les progrès accomplis.\n"
)
UNRELATED_EN = (
    "Prices of apples rose sharply in the autumn. The football team lost three matches in a "
    "row. Heavy rain flooded several streets downtown. A new museum opened near the harbour "
    "last week.\n"
)


def test_a_failed_jobs_error_in_french(client: TestClient, secrets: dict[str, str]) -> None:
    admin = as_role(secrets, "admin")
    started = client.post(
        "/align",
        files={
            "french": ("note.fr.txt", UNRELATED_FR.encode()),
            "english": ("note.en.txt", UNRELATED_EN.encode()),
        },
        headers=admin,
    )
    assert started.status_code == 202, started.text
    client.app.state.jobs.wait(started.json()["id"])  # type: ignore[attr-defined]
    english = client.get(started.json()["url"], headers=admin).json()
    french = client.get(started.json()["url"], headers=admin | FRENCH).json()
    assert english["state"] == french["state"] == "failed"
    assert "probably not translations of each other" in english["error"]
    assert french["error"].startswith("note.fr.txt: confiance de l’alignement")
    assert "ne sont probablement pas la traduction" in french["error"]
    listed = client.get("/jobs", headers=admin | FRENCH).json()
    assert listed[0]["error"] == french["error"]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_evaluation_of_nothing_is_refused_in_the_language_asked(
    client: TestClient, secrets: dict[str, str], language: str
) -> None:
    answer = client.post(
        "/evaluate",
        files=[("hyp", ("draft.txt", b"Hello.\n")), ("ref", ("empty.txt", b"\n"))],
        headers=as_role(secrets, "translator") | {"Accept-Language": language},
    )
    assert answer.status_code == 422
    expected = {"en": "holds no text to score", "fr": "ne contient aucun texte à évaluer"}
    assert answer.json() == {"detail": f"empty.txt: {expected[language]}", "code": "error/no-text"}
