"""End to end in headless Chromium: a real `tm serve` on a free loopback port, the web page
driven by Playwright through Debian's `/usr/bin/chromium` (never a downloaded browser)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx
import pytest

from glossaries import Glossary
from service import keys
from tm import Status, TranslationMemory, Unit
from tm.retrieval.concordance import CANDIDATES
from tm.store import quality as quality_store
from tm.store.segments import now

pytestmark = pytest.mark.browser

DATA = Path(__file__).parent / "data"
CHROMIUM = Path(os.environ.get("TM_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000
DOUBTED = ("Le Comité militaire s'est réuni à huis clos.", "The meeting is adjourned.")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Served:
    """A running `tm serve`: its base URL and a key per role (named after the role)."""

    base: str
    keys: dict[str, str]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A `tm serve` process over a TM built from the fixtures."""
    db = tmp_path_factory.mktemp("browser") / "tm.db"
    with TranslationMemory.open(db) as memory:
        memory.import_files([DATA / "sample.tmx"])
        doubted = memory.add(*DOUBTED).id  # a pair the quality check flagged
        # The English of a sample.tmx pair again, from another French: one merged suggestion.
        memory.add(
            "La séance s'est tenue le 28 novembre 2023.",
            "The meeting took place on 28 November 2023.",
            origin="web",
        )
        quality_store.record(memory.db, doubted, 0.05, "misaligned", Status.FLAGGED)
        # More segments holding "bordereau" than a concordance search checks.
        memory.import_units(
            [
                Unit(source=f"Bordereau d'envoi n° {i}.", target=f"Dispatch note No. {i}.")
                for i in range(CANDIDATES + 1)
            ]
        )
        Glossary.open(memory.db).import_file(DATA / "service-glossary.csv", author="fixture")
        keys.ensure_schema(memory.db)
        secrets = {
            role: keys.create(memory.db, role=role, name=f"{role}-test", now=now())[0]
            for role in ("admin", "translator")
        }
    secret = secrets["admin"]
    port = free_port()
    command = [sys.executable, "-m", "service", "--db", str(db), "serve", "--port", str(port)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60  # a bound on a busy machine, not a target
        while True:
            try:
                if httpx.get(base + "/health", headers={"X-API-Key": secret}).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                _out, errors = process.communicate(timeout=5)
                pytest.fail(f"tm serve did not start: {errors.decode(errors='replace')}")
            time.sleep(0.1)
        yield Served(base, secrets)
    finally:
        process.terminate()
        process.wait(timeout=10)
        if process.stderr:
            process.stderr.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip(f"no Chromium at {CHROMIUM}: install it with `apt-get install -y chromium`")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is in the dev extra")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield launched
        launched.close()


def open_page(browser: object, server: Served, role: str) -> tuple[object, object]:
    """A fresh browser context and the page opened with the `role` key: (context, page)."""
    context = browser.new_context(accept_downloads=True)  # type: ignore[attr-defined]
    opened = context.new_page()
    opened.set_default_timeout(TIMEOUT_MS)
    opened.goto(f"{server.base}/#key={server.keys[role]}")
    return context, opened


@pytest.fixture
def page(browser: object, server: Served) -> Iterator[object]:
    """The page as an administrator."""
    context, opened = open_page(browser, server, "admin")
    yield opened
    context.close()  # type: ignore[attr-defined]


@pytest.fixture
def translator_page(browser: object, server: Served) -> Iterator[object]:
    context, opened = open_page(browser, server, "translator")
    yield opened
    context.close()  # type: ignore[attr-defined]


def test_suggestions_and_highlights_appear_as_you_type(page: object) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    assert "key=" not in page.url, "the key is taken out of the address bar"
    page.get_by_label("Phrase française à traduire").press_sequentially(
        "Le secrétaire général a présidé la réunion de l'OTAN.", delay=5
    )
    first = page.locator(".suggestion").first
    expect(first.locator(".target")).to_have_text("The Secretary General chaired the meeting.")
    expect(first.locator(".score")).to_contain_text("%")
    expect(first.locator(".band")).to_contain_text("tranche")
    expect(first.locator("mark.diff")).to_have_count(0)  # the TM source has nothing extra
    expect(page.locator("#query-view mark.term")).to_have_count(2)
    expect(page.locator("#query-view mark.term").last).to_have_attribute("title", "OTAN → NATO")
    expect(page.locator("#terms")).to_contain_text("Secretary General")
    expect(first.locator(".findings")).to_contain_text("« OTAN » doit être traduit par « NATO »")


def test_an_adapted_date_is_marked_and_identical_suggestions_are_one(page: object) -> None:
    """The adapted English shows what was taken from the text, with the TM's original beside
    it; two pairs with the same English are one suggestion with a count (issue 20)."""
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.get_by_label("Phrase française à traduire").fill("La réunion s'est tenue le 3 mars 2024.")
    first = page.locator(".suggestion").first
    expect(first.locator(".target")).to_have_text(
        "The meeting took place on 3 March 2024 (mémoire : 28 November 2023)."
    )
    expect(first.locator(".target mark.adapted")).to_have_text("3 March 2024")
    expect(first.locator(".target .original")).to_contain_text("28 November 2023")
    expect(first.locator(".badge.merged")).to_have_text("× 2 paires identiques")
    expect(page.locator(".suggestion .target", has_text="3 March 2024")).to_have_count(1)
    first.get_by_role("button", name="Reprendre cette traduction").click()
    expect(page.get_by_label("Traduction anglaise")).to_have_value(
        "The meeting took place on 3 March 2024."
    )


def test_diff_marks_what_the_tm_source_has_that_the_query_lacks(page: object) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.get_by_label("Seuil", exact=True).fill("50")  # a 62 % match
    page.get_by_label("Phrase française à traduire").fill("Le secrétaire général a présidé.")
    first = page.locator(".suggestion").first
    expect(first.locator(".source")).to_contain_text("Le secrétaire général a présidé la réunion.")
    expect(first.locator("mark.diff")).to_have_text(["la réunion"])  # the engine's edit span


def test_save_a_translation_then_find_it(page: object) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.get_by_label("Phrase française à traduire").fill("Les partenaires ont salué la décision.")
    page.get_by_label("Traduction anglaise").fill("Partners welcomed the decision.")
    page.get_by_role("button", name="Enregistrer dans la mémoire").click()
    expect(page.locator("#status")).to_contain_text("Traduction enregistrée")
    expect(page.locator(".suggestion .target").first).to_have_text(
        "Partners welcomed the decision."
    )
    expect(page.locator(".suggestion .score").first).to_have_text("100 %")
    page.get_by_label("Expression").fill("salué")
    page.get_by_role("button", name="Rechercher").first.click()
    expect(page.locator("#concordance-results mark.hit")).to_have_text(["salué"])


def test_a_too_common_phrase_is_said_in_french(page: object) -> None:
    """The concordance tab says when older segments were not checked, and why (issue 19)."""
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.get_by_label("Expression").fill("bordereau")
    page.get_by_role("button", name="Rechercher").first.click()
    note = page.locator("#concordance-note")
    expect(note).to_be_visible()
    french = f"{CANDIDATES:,}".replace(",", "\u202f")  # 2 000, as fr-FR groups digits
    expect(note).to_contain_text(f"L'expression est très courante : seuls les {french} segments")
    expect(note).to_contain_text("ajoutez un mot pour affiner la recherche")
    page.get_by_label("Expression").fill("Vilnius")
    page.get_by_role("button", name="Rechercher").first.click()
    expect(page.locator("#concordance-results mark.hit").first).to_have_text("Vilnius")
    expect(note).to_be_hidden()


def test_glossary_search_history_and_edit(page: object) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.get_by_role("tab", name="Glossaire").click()
    page.get_by_label("Rechercher un terme").fill("secretaire")
    page.get_by_label("Rechercher un terme").press("Enter")
    expect(page.locator("#glossary-results .concept")).to_have_count(1)  # one card: C003
    concept = page.locator("#glossary-results .concept")
    expect(concept.locator(".term-row")).to_have_count(3)
    expect(concept.locator(".side-en")).to_contain_text("Secretary-General")
    expect(concept.locator(".side-en")).to_contain_text("déconseillé")
    expect(concept.locator(".side-fr")).to_contain_text("secrétaire général")
    page.get_by_role("button", name="Modifier Secretary General").click()
    page.get_by_label("Note").fill("Sans trait d’union.")
    page.locator("#term-form").get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#status")).to_contain_text("enregistré")
    page.get_by_role("button", name="Historique de Secretary General").click()
    expect(page.locator("#history li")).to_have_count(2)
    expect(page.locator("#history li").last).to_contain_text("modification")


def test_pretranslate_a_release(page: object, tmp_path: Path) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    release = tmp_path / "release.fr.txt"
    release.write_text("Le secrétaire général a présidé la réunion.\n", "utf-8")
    page.get_by_role("tab", name="Prétraduction").click()
    page.get_by_label("Fichiers français").set_input_files(str(release))
    page.get_by_role("button", name="Prétraduire").click()
    expect(page.locator("#drafts a").first).to_have_text("Télécharger release.fr.txt.xlf")
    expect(page.locator("#analysis")).to_contain_text("Total du lot")
    with page.expect_download() as download:
        page.locator("#drafts a").first.click()
    saved = tmp_path / "draft.xlf"
    download.value.save_as(saved)
    assert "The Secretary General chaired the meeting." in saved.read_text("utf-8")


def test_admin_imports_a_tmx_follows_the_job_and_exports(page: object, tmp_path: Path) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    expect(page.locator("#whoami")).to_contain_text("administrateur")
    page.get_by_role("tab", name="Administration").click()
    page.get_by_label("Fichiers à importer").set_input_files(str(DATA / "admin-import.tmx"))
    page.get_by_label("Origine des segments importés").fill("archives-2024")
    page.get_by_role("button", name="Importer", exact=True).click()
    job = page.locator("#jobs tbody tr").first
    expect(job).to_have_attribute("data-state", "done")
    expect(job.locator(".state")).to_have_text("terminé")
    expect(job).to_contain_text("3 segments importés · 0 doublon")
    expect(page.locator("#status")).to_contain_text("Import terminé : 3 segments importés")

    broken = tmp_path / "broken.tmx"
    broken.write_text("<tmx><body><tu>", "utf-8")
    page.get_by_label("Fichiers à importer").set_input_files(str(broken))
    page.get_by_role("button", name="Importer", exact=True).click()
    failed = page.locator("#jobs tbody tr").first
    expect(failed).to_have_attribute("data-state", "failed")
    expect(failed.locator("td.error")).to_contain_text("broken.tmx")
    expect(page.locator("#status")).to_contain_text("Import en échec")
    expect(page.locator("#jobs tbody tr")).to_have_count(2)

    with page.expect_download() as download:
        page.get_by_role("button", name="Exporter toute la mémoire en TMX").click()
    saved = tmp_path / "export.tmx"
    download.value.save_as(saved)
    exported = saved.read_text("utf-8")
    assert "The next session will be held in Vilnius in June." in exported
    assert "The Secretary General chaired the meeting." in exported


def test_admin_aligns_a_document_pair(page: object, tmp_path: Path) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    french, english = tmp_path / "note.fr.txt", tmp_path / "note.en.txt"
    french.write_text("Les Alliés se sont réunis à Riga. Ils ont salué l'accord.\n", "utf-8")
    english.write_text("Allies met in Riga. They welcomed the agreement.\n", "utf-8")
    page.get_by_role("tab", name="Administration").click()
    page.get_by_label("Document français").set_input_files(str(french))
    page.get_by_label("Document anglais publié").set_input_files(str(english))
    page.get_by_label("Enregistrer même un alignement peu sûr").check()
    page.get_by_role("button", name="Aligner", exact=True).click()
    job = page.locator("#jobs tbody tr").first
    expect(job).to_have_attribute("data-state", "done")
    expect(job).to_contain_text("note : 2 paires enregistrées sur 2")
    expect(job.locator("progress")).to_have_attribute("max", "2")


def test_admin_evaluates_a_draft_and_reads_why_a_bad_pair_is_refused(
    page: object, tmp_path: Path
) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    draft, published, short = (tmp_path / name for name in ("draft.txt", "en.txt", "short.txt"))
    draft.write_text("The Secretary General chaired the meeting.\nA sentence.\n", "utf-8")
    published.write_text("The Secretary General chaired the meeting.\nA new sentence.\n", "utf-8")
    short.write_text("The Secretary General chaired the meeting.\n", "utf-8")
    page.get_by_role("tab", name="Administration").click()
    page.get_by_label("Prétraduction à évaluer").set_input_files(str(draft))
    page.get_by_label("Version anglaise publiée").set_input_files(str(published))
    page.get_by_role("button", name="Évaluer", exact=True).click()
    total = page.locator('#evaluation tr[data-band="total"]')
    expect(total.locator("td").first).to_have_text("2")
    expect(total.locator(".bleu")).not_to_have_text("")
    expect(page.locator("#signatures")).to_contain_text("tok:13a")
    expect(page.locator("#evaluation-segments tbody tr")).to_have_count(2)

    page.get_by_label("Prétraduction à évaluer").set_input_files(str(short))
    page.get_by_role("button", name="Évaluer", exact=True).click()
    expect(page.locator("#status")).to_contain_text(  # paired by the aligner, not refused
        "Appariement : alignés par l’aligneur de tm : 1 segments de la prétraduction"
    )
    empty = tmp_path / "empty.txt"
    empty.write_text("\n", "utf-8")
    page.get_by_label("Version anglaise publiée").set_input_files(str(empty))
    page.get_by_role("button", name="Évaluer", exact=True).click()
    expect(page.locator("#status")).to_have_text(
        "Entrée refusée : empty.txt: ne contient aucun texte à évaluer"
    )


def test_a_translator_key_does_not_see_the_administration_view(translator_page: object) -> None:
    from playwright.sync_api import Page, expect

    page = translator_page
    assert isinstance(page, Page)
    expect(page.locator("#whoami")).to_have_text("Clé « translator-test » : traducteur")
    expect(page.get_by_role("tab", name="Administration")).to_have_count(0)
    expect(page.locator("#view-admin")).to_be_hidden()
    expect(page.get_by_role("tab")).to_have_count(3)
    page.get_by_label("Clé d’API").fill("tm_not-a-key")
    page.get_by_role("button", name="Enregistrer la clé").click()
    expect(page.locator("#whoami")).to_have_text("Clé refusée")
    expect(page.locator("#status")).to_contain_text("Clé d’API requise ou inconnue")


def test_a_doubted_pair_is_shown_with_its_reason_and_a_maintainer_rejects_it(
    page: object, server: Served
) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    admin = {"X-API-Key": server.keys["admin"]}
    (doubted,) = [
        m["id"]
        for m in httpx.post(
            server.base + "/lookup", json={"text": DOUBTED[0]}, headers=admin
        ).json()["matches"]
        if m["target"] == DOUBTED[1]
    ]
    expect(page.locator("#whoami")).to_contain_text("administrateur")
    page.get_by_label("Phrase française à traduire").fill(DOUBTED[0])
    first = page.locator(".suggestion").first
    expect(first.locator(".target")).to_have_text(DOUBTED[1])
    expect(first.locator(".score")).to_have_text("99 %")
    expect(first.locator(".badge")).to_have_text("paire douteuse")
    expect(first.locator(".findings")).to_contain_text(
        "le contrôle de qualité doute de cette paire (mal alignée)"
    )
    expect(first).to_contain_text("paire douteuse −1 (mal alignée)")
    first.get_by_role("button", name="Rejeter cette paire").click()
    first.get_by_label("Motif du rejet").fill("pas la traduction")
    first.get_by_role("button", name="Confirmer le rejet").click()
    expect(page.locator("#status")).to_contain_text("rejetée : elle ne sera plus proposée")
    expect(page.locator(".suggestion .target", has_text=DOUBTED[1])).to_have_count(0)
    found = httpx.post(server.base + "/lookup", json={"text": DOUBTED[0]}, headers=admin)
    assert DOUBTED[1] not in [m["target"] for m in found.json()["matches"]]
    (audit,) = httpx.get(f"{server.base}/segments/{doubted}/reviews", headers=admin).json()
    assert (audit["author"], audit["action"], audit["note"]) == (
        "admin-test",
        "reject",
        "pas la traduction",
    )


def test_a_translator_sees_no_review_button(translator_page: object) -> None:
    from playwright.sync_api import Page, expect

    page = translator_page
    assert isinstance(page, Page)
    expect(page.locator("#whoami")).to_contain_text("traducteur")
    page.get_by_label("Phrase française à traduire").fill(
        "Le secrétaire général a présidé la réunion."
    )
    expect(page.locator(".suggestion").first).to_be_visible()
    expect(page.get_by_role("button", name="Rejeter cette paire")).to_have_count(0)


def test_admin_is_told_the_documents_are_swapped_and_swaps_them(
    page: object, tmp_path: Path
) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    french, english = tmp_path / "memo.fr.txt", tmp_path / "memo.en.txt"
    french.write_text(
        "The Allies met in Riga and they welcomed the agreement of the day.\n", "utf-8"
    )
    english.write_text(
        "Les Alliés se sont réunis à Riga et ils ont salué l'accord du jour.\n", "utf-8"
    )
    page.get_by_role("tab", name="Administration").click()
    page.get_by_label("Document français").set_input_files(str(french))
    page.get_by_label("Document anglais publié").set_input_files(str(english))
    page.get_by_role("button", name="Aligner", exact=True).click()
    expect(page.locator("#status")).to_contain_text("Entrée refusée : memo.fr.txt looks English")
    expect(page.locator("#status")).to_contain_text("the sides are swapped")
    page.get_by_label("Les deux documents sont inversés").check()
    page.get_by_label("Enregistrer même un alignement peu sûr").check()
    page.get_by_role("button", name="Aligner", exact=True).click()
    job = page.locator("#jobs tbody tr").first
    expect(job).to_have_attribute("data-state", "done")
    expect(job).to_contain_text("memo : 1 paire enregistrée sur 1")


def test_the_page_runs_under_its_content_security_policy(browser: object, server: Served) -> None:
    """Every answer carries a strict CSP (own scripts and styles only): the page loads, works
    and triggers no violation."""
    from playwright.sync_api import Page, expect

    context = browser.new_context()  # type: ignore[attr-defined]
    opened = context.new_page()
    assert isinstance(opened, Page)
    violations: list[str] = []
    opened.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    answer = opened.goto(f"{server.base}/#key={server.keys['admin']}")
    assert answer is not None
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    assert answer.headers["x-frame-options"] == "DENY"
    opened.get_by_label("Phrase française à traduire").press_sequentially(
        "Le secrétaire général a présidé la réunion.", delay=5
    )
    expect(opened.locator(".suggestion").first).to_be_visible(timeout=TIMEOUT_MS)
    opened.get_by_role("tab", name="Administration").click()
    assert violations == []
    context.close()  # type: ignore[attr-defined]


# ---------------------------------------------------------------- issue 20: the page


def test_the_page_speaks_french(page: object, tmp_path: Path) -> None:
    """A QA finding, a penalty, an API error and the analysis headers, in French (the page
    asks for it with Accept-Language; the API answers English by default)."""
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.get_by_label("Seuil", exact=True).fill("50")
    page.get_by_label("Phrase française à traduire").fill(
        "le secrétaire général a présidé la réunion de l'OTAN."
    )
    first = page.locator(".suggestion").first
    expect(first.locator(".findings")).to_contain_text("« OTAN » doit être traduit par « NATO »")
    expect(first.locator(".penalties")).to_contain_text("casse différente −1 (Le → le)")

    release = tmp_path / "release.fr.txt"
    release.write_text("Une phrase inconnue du tout.\nUne phrase inconnue du tout.\n", "utf-8")
    page.get_by_role("tab", name="Prétraduction").click()
    page.get_by_label("Fichiers français").set_input_files(str(release))
    page.get_by_role("button", name="Prétraduire").click()
    headers = page.locator("#analysis thead th[data-category]")
    expect(headers.first).to_have_text("101 % (contexte)")
    expect(headers.nth(1)).to_have_text("100 %")  # 101 first, as in the CLI's table
    expect(page.locator('#analysis th[data-category="none"]')).to_have_text("sans correspondance")
    expect(page.locator('#analysis th[data-category="repetitions"]')).to_have_text("répétitions")

    page.get_by_label("Clé d’API").fill("tm_not-a-key")
    page.get_by_role("button", name="Enregistrer la clé").click()
    expect(page.locator("#status")).to_have_text(
        "Clé d’API requise ou inconnue : clé d’API inconnue ou révoquée"
    )


def test_a_refused_glossary_edit_is_told_at_the_form(page: object, server: Served) -> None:
    """A 412 (someone edited first) and a 403 (the key lost its rights) show in the edit form,
    in view, not at the top of the scrolled page; the status clears when the tab changes."""
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    page.set_viewport_size({"width": 900, "height": 500})
    page.get_by_role("tab", name="Glossaire").click()
    page.get_by_role("button", name="Rechercher", exact=True).click()  # every concept
    row = page.locator('.term-row:has(.term-text:text-is("defence spending"))')
    row.get_by_role("button", name="Modifier defence spending").click()
    form = row.locator("#term-form")
    expect(form).to_be_visible()  # opened at the row
    admin = {"X-API-Key": server.keys["admin"]}
    term = page.locator("#term-id").input_value()
    current = httpx.get(f"{server.base}/glossary/terms/{term}", headers=admin)
    httpx.patch(
        f"{server.base}/glossary/terms/{term}",
        json={"note": "changed meanwhile"},
        headers=admin | {"If-Match": current.headers["etag"]},
    ).raise_for_status()
    page.get_by_label("Note").fill("mine")
    form.get_by_role("button", name="Enregistrer").click()
    message = form.locator(".form-message")
    expect(message).to_contain_text("Modifié entre-temps par quelqu’un d’autre")
    expect(message).to_contain_text("a changé depuis sa lecture")
    expect(message).to_be_in_viewport()
    expect(page.locator("#status")).to_have_text("")

    page.evaluate(f"localStorage.setItem('tm.key', '{server.keys['translator']}')")
    form.get_by_role("button", name="Enregistrer").click()
    expect(message).to_contain_text("Rôle insuffisant : cette action demande le rôle terminologue")
    expect(message).to_be_in_viewport()

    page.evaluate(f"localStorage.setItem('tm.key', '{server.keys['admin']}')")
    page.get_by_label("Clé d’API").fill("tm_not-a-key")
    page.get_by_role("button", name="Enregistrer la clé").click()
    expect(page.locator("#status")).not_to_have_text("")
    page.get_by_role("tab", name="Traduction", exact=True).click()
    expect(page.locator("#status")).to_have_text("")


def test_the_glossary_shows_concepts_and_what_each_change_did(
    page: object, translator_page: object
) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page) and isinstance(translator_page, Page)
    page.get_by_role("tab", name="Glossaire").click()
    page.get_by_label("Rechercher un terme").fill("Atlantique")
    page.get_by_label("Rechercher un terme").press("Enter")
    card = page.locator('.concept[data-concept="C004"]')
    expect(card.locator(".side-fr")).to_contain_text("Conseil de l'Atlantique Nord")
    expect(card.locator(".side-en")).to_contain_text("North Atlantic Council")
    expect(card.locator(".side-en")).to_contain_text("privilégié")
    row = card.locator(".side-en .term-row")
    row.get_by_role("button", name="Modifier North Atlantic Council").click()
    expect(row.locator("#term-form")).to_be_visible()
    page.get_by_label("Note").fill("NAC en abrégé.")
    page.locator("#term-form").get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#status")).to_contain_text("enregistré")
    page.get_by_role("button", name="Historique de North Atlantic Council").click()
    last = page.locator("#history li").last
    expect(last).to_contain_text("admin-test")
    expect(last.locator(".change")).to_have_text("note : «  » → « NAC en abrégé. »")

    translator_page.get_by_role("tab", name="Glossaire").click()
    translator_page.get_by_label("Rechercher un terme").fill("Atlantique")
    translator_page.get_by_label("Rechercher un terme").press("Enter")
    expect(translator_page.locator('.concept[data-concept="C004"]')).to_be_visible()
    expect(
        translator_page.get_by_role("button", name="Historique de North Atlantic Council")
    ).to_be_visible()
    expect(
        translator_page.get_by_role("button", name="Modifier North Atlantic Council")
    ).to_have_count(0)


def test_a_batch_with_a_failed_file_is_not_reported_done(page: object, tmp_path: Path) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    good, broken = tmp_path / "note.fr.txt", tmp_path / "broken.docx"
    good.write_text("Le secrétaire général a présidé la réunion.\n", "utf-8")
    broken.write_bytes(b"PK\x03\x04 not a zip at all")
    page.get_by_role("tab", name="Prétraduction").click()
    page.get_by_label("Fichiers français").set_input_files([str(good), str(broken)])
    page.get_by_role("button", name="Prétraduire").click()
    expect(page.locator("#drafts li.error")).to_contain_text("broken.docx")
    status = page.locator("#status")
    expect(status).to_contain_text("1 fichier(s) sur 2 en échec")
    expect(status).not_to_contain_text("terminée")
    expect(status).not_to_have_class("status ok")
    assert "/tmp" not in page.locator("main").inner_text()


def test_a_plain_text_draft_from_the_page(page: object, tmp_path: Path) -> None:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    release = tmp_path / "release.fr.txt"
    release.write_text("Le secrétaire général a présidé la réunion.\n", "utf-8")
    page.get_by_role("tab", name="Prétraduction").click()
    page.get_by_label("Fichiers français").set_input_files(str(release))
    page.get_by_label("Format").select_option(label="Texte")
    page.get_by_role("button", name="Prétraduire").click()
    expect(page.locator("#drafts a").first).to_have_text("Télécharger release.fr.txt.en.txt")
    with page.expect_download() as download:
        page.locator("#drafts a").first.click()
    saved = tmp_path / "draft.txt"
    download.value.save_as(saved)
    assert saved.read_text("utf-8").strip() == "The Secretary General chaired the meeting."


def test_the_api_docs_work_offline_under_their_policy(browser: object, server: Served) -> None:
    """Chromium here has no internet: Swagger UI comes from the service itself."""
    from playwright.sync_api import Page, expect

    context = browser.new_context()  # type: ignore[attr-defined]
    opened = context.new_page()
    assert isinstance(opened, Page)
    problems: list[str] = []
    opened.on(
        "console",
        lambda message: problems.append(message.text) if message.type == "error" else None,
    )
    outside: list[str] = []
    opened.on(
        "request",
        lambda request: (
            outside.append(request.url) if not request.url.startswith(server.base) else None
        ),
    )
    opened.goto(f"{server.base}/docs")
    expect(opened.locator(".swagger-ui .info .title")).to_contain_text("tm", timeout=TIMEOUT_MS)
    expect(opened.locator(".opblock").first).to_be_visible()
    assert outside == []
    assert problems == []
    context.close()  # type: ignore[attr-defined]
