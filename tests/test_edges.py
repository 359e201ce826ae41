"""The same request through both edges gives the same result: each pipeline run over HTTP
(FastAPI's TestClient, an admin key) and through the `tm` command (typer's CliRunner) on the
same input, and the answers (and, for the jobs that write, the stored pairs) compared."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import DATA, cli
from fastapi.testclient import TestClient

from glossaries import Glossary
from service import Settings, keys
from service.http import create_app
from tm import Status, TranslationMemory, Unit
from tm.retrieval.concordance import CANDIDATES
from tm.store import quality as quality_store
from tm.store.segments import now

OPENED = (
    "Le secrétaire général de l'OTAN a ouvert la séance.",
    "The NATO Secretary-General opened the session.",  # the glossary deprecates the hyphen
)
RELEASE = (DATA / "pretranslation" / "release.fr.txt").read_text("utf-8") + OPENED[0] + "\n"
NEW_PAIRS = (
    "Les Alliés ont tenu parole.\tAllies kept their word.\n"
    "Le sommet aura lieu le 12 juillet 2024.\tThe summit will take place on 14 July 2024.\n"
    "Le budget annuel a été adopté.\tLe budget annuel a été adopté.\n"
)
CHECKED = (
    "Le secrétaire général de l'OTAN a parlé le 28 novembre.",
    "The NATO Secretary-General spoke on 29 November.",
)


def seed(db: Path) -> str:
    """A TM with the checked-in pairs and termbase; returns an admin key."""
    with TranslationMemory.open(db) as memory:
        memory.import_files([DATA / "sample.tmx"], origin="press")
        memory.import_files([DATA / "pretranslation" / "memory.fr"], origin="press")
        memory.add(*OPENED, origin="press")
        Glossary.open(memory.db).import_file(DATA / "service-glossary.csv", author="setup")
        keys.ensure_schema(memory.db)
        return keys.create(memory.db, role="admin", name="admin", now=now())[0]


@dataclass
class Edge:
    """One TM file, reached through the web (`client`) or the command line (`run`)."""

    db: Path
    client: TestClient
    folder: Path

    def run(self, *args: str) -> str:
        code, out = cli(self.db, *args)
        assert code == 0, out
        return out

    def json(self, *args: str) -> Any:
        return json.loads(self.run(*args, "--json"))

    def job(self, url: str, **request: Any) -> dict[str, Any]:
        started = self.client.post(url, **request)
        assert started.status_code == 202, started.text
        job = self.client.app.state.jobs.wait(started.json()["id"])  # type: ignore[attr-defined]
        assert job.state == "done", job.error
        result: dict[str, Any] = job.result
        return result


@pytest.fixture
def edges(tmp_path: Path) -> Iterator[tuple[Edge, Edge]]:
    """Two TMs seeded alike: the web edge works on the first, the command line on the second
    (for the jobs that write; the read-only ones use the first for both)."""
    made = []
    for name in ("web", "cli"):
        folder = tmp_path / name
        folder.mkdir()
        secret = seed(folder / "tm.db")
        made.append((folder, secret))
    (web_folder, secret), (cli_folder, _) = made
    with TestClient(
        create_app(Settings(db=web_folder / "tm.db", allowed_hosts=("testserver",)))
    ) as client:
        client.headers["Authorization"] = f"Bearer {secret}"
        yield (
            Edge(web_folder / "tm.db", client, web_folder),
            Edge(cli_folder / "tm.db", client, cli_folder),
        )


def rows(db: Path) -> list[tuple[Any, ...]]:
    """Every stored pair as the pipelines left it (dates aside: the two TMs differ there)."""
    with TranslationMemory.open(db) as memory:
        return [
            (
                *(s.id, s.source, s.target, s.origin, s.document, s.position, s.quality, s.status),
                json.dumps(s.properties, sort_keys=True),
            )
            for s in memory.segments()
        ]


def like(answer: Any, model: Any) -> Any:
    """`answer` with only the fields the web answer `model` has (the command line may say
    more), recursively; lists of another length are left whole so that they differ."""
    if isinstance(answer, dict) and isinstance(model, dict):
        return {key: like(answer[key], model[key]) for key in model if key in answer}
    if isinstance(answer, list) and isinstance(model, list) and len(answer) == len(model):
        return [like(a, m) for a, m in zip(answer, model, strict=True)]
    return answer


# Each case: the web call, the command-line call, and a check that what is compared holds
# something (so that two empty answers cannot agree).


def import_web(web: Edge) -> Any:
    files = [("files", ("new.tsv", NEW_PAIRS.encode()))]
    return web.job("/import", files=files, data={"origin": "edges"}), rows(web.db)


def import_cli(command: Edge) -> Any:
    (command.folder / "new.tsv").write_text(NEW_PAIRS, "utf-8")
    report = command.json("import", str(command.folder / "new.tsv"), "--origin", "edges")
    return report, rows(command.db)


def import_holds(answer: Any) -> bool:
    report, stored = answer
    new = [row for row in stored if row[3] == "edges"]
    scored = all(row[6] is not None for row in new)
    flagged = {row[7] for row in new} == {"ok", "flagged"}
    # the seed's pairs, imported unscored, are left alone (all but the one `add` scored)
    untouched = sum(row[6] is None for row in stored) == len(stored) - len(new) - 1
    return report["scored"] == 3 and len(new) == 3 and scored and flagged and untouched


def align_web(web: Edge) -> Any:
    files = {
        "french": ("pair.fr.txt", (DATA / "pair.fr").read_bytes()),
        "english": ("pair.en.txt", (DATA / "pair.en").read_bytes()),
    }
    result = web.job("/align", files=files, data={"origin": "archive", "force": "true"})
    counts = [result[k] for k in ("stored", "duplicates", "flagged", "deletions")]
    return counts, rows(web.db)


def align_cli(command: Edge) -> Any:
    for side in ("fr", "en"):
        (command.folder / f"pair.{side}.txt").write_bytes((DATA / f"pair.{side}").read_bytes())
    report = command.json(
        "align",
        str(command.folder / "pair.fr.txt"),
        str(command.folder / "pair.en.txt"),
        "--store",
        "--origin",
        "archive",
        "--force",
    )["stored"]
    counts = [report[k] for k in ("stored", "duplicates", "flagged", "deletions")]
    return counts, rows(command.db)


def align_holds(answer: Any) -> bool:
    counts, stored = answer
    aligned = [json.loads(row[8]) for row in stored if row[3] == "archive"]
    # each pair's bead confidence, which the lexicon (the glossary's terms here) shapes
    return (
        counts[0] == 7 and len(aligned) == 7 and all("alignment_confidence" in p for p in aligned)
    )


def pretranslate_web(web: Edge) -> Any:
    answer = web.client.post(
        "/pretranslate",
        files=[("files", ("release.fr.txt", RELEASE.encode()))],
        data={"threshold": "75", "format": "xliff"},
    ).json()
    return answer["drafts"][0]["content"], answer["analysis"]


def pretranslate_cli(command: Edge) -> Any:
    (command.folder / "release.fr.txt").write_text(RELEASE, "utf-8")
    out = command.folder / "draft"
    command.run(
        "pretranslate",
        str(command.folder / "release.fr.txt"),
        "--out",
        str(out),
        "--threshold",
        "75",
        "--format",
        "xliff",
        "--workers",
        "1",
    )
    analysis = json.loads((out / "analysis.json").read_text("utf-8"))
    return (out / "release.fr.txt.xlf").read_text("utf-8"), analysis


def pretranslate_holds(answer: Any) -> bool:
    draft, _analysis = answer
    notes = ("term: secrétaire général → Secretary General", "error: glossary-term-forbidden: ")
    return all(note in draft for note in notes)


def check_web(web: Edge) -> Any:
    source, target = CHECKED
    return web.client.post("/check", json={"source": source, "target": target}).json()


def check_cli(command: Edge) -> Any:
    source, target = CHECKED
    return command.json("check", "--source", source, "--target", target)


def check_holds(answer: Any) -> bool:
    codes = {f["code"] for f in answer["findings"]}
    return {"glossary-term-forbidden", "placeable-mismatch"} <= codes and len(answer["terms"]) == 2


LOOKED_UP = "Le secrétaire général de l'OTAN a ouvert la séance !"


def lookup_web(web: Edge) -> Any:
    return web.client.post("/lookup", json={"text": LOOKED_UP, "limit": 3}).json()


def lookup_cli(command: Edge) -> Any:
    return command.json("lookup", LOOKED_UP, "--limit", "3")


def lookup_holds(answer: Any) -> bool:
    findings = [f for m in answer["matches"] for f in m["findings"]]
    return bool(answer["matches"]) and bool(findings) and len(answer["terms"]) == 2


def concordance_web(web: Edge) -> Any:
    return web.client.get("/concordance", params={"q": "secrétaire général", "side": "both"}).json()


def concordance_cli(command: Edge) -> Any:
    return command.json("concordance", "secrétaire général", "--side", "both")


def concordance_holds(answer: Any) -> bool:
    found = answer["occurrences"]
    return len(found) >= 2 and all(o["source_spans"] for o in found)


def doubt(db: Path) -> None:
    """Pair 2 flagged by the quality check, as `tm quality rescore` would."""
    with TranslationMemory.open(db) as memory:
        quality_store.record(memory.db, 2, 0.1, "misaligned", Status.FLAGGED)


def review_web(web: Edge) -> Any:
    doubt(web.db)
    done = web.client.post("/segments/reject", json={"ids": [1, 3], "note": "wrong"}).json()
    changed = [{k: v for k, v in r.items() if k != "at"} for r in done["changed"]]
    return changed, web.client.get("/quality/report").json(), rows(web.db)


def review_cli(command: Edge) -> Any:
    doubt(command.db)
    done = command.json("quality", "reject", "1", "3", "--note", "wrong", "--author", "admin")
    changed = [{k: v for k, v in r.items() if k != "at"} for r in done["changed"]]
    return changed, command.json("quality", "report"), rows(command.db)


def review_holds(answer: Any) -> bool:
    changed, report, stored = answer
    statuses = [status for i, status in sorted((row[0], row[7]) for row in stored) if i <= 3]
    return (
        [(r["segment"], r["after"], r["author"]) for r in changed]
        == [(1, "rejected", "admin"), (3, "rejected", "admin")]
        and (report["rejected"], report["flagged"], report["pairs"][0]["id"]) == (2, 1, 2)
        and statuses == ["rejected", "flagged", "rejected"]
    )


@dataclass(frozen=True)
class Case:
    web: Callable[[Edge], Any]
    cli: Callable[[Edge], Any]
    holds: Callable[[Any], bool]
    writes: bool = False


CASES = {
    "import": Case(import_web, import_cli, import_holds, writes=True),
    "alignment": Case(align_web, align_cli, align_holds, writes=True),
    "pretranslation": Case(pretranslate_web, pretranslate_cli, pretranslate_holds),
    "check": Case(check_web, check_cli, check_holds),
    "lookup": Case(lookup_web, lookup_cli, lookup_holds),
    "concordance": Case(concordance_web, concordance_cli, concordance_holds),
    "review": Case(review_web, review_cli, review_holds, writes=True),
}


@pytest.mark.parametrize("name", list(CASES))
def test_both_edges_give_the_same_result(name: str, edges: tuple[Edge, Edge]) -> None:
    case = CASES[name]
    web, command = edges
    if not case.writes:
        command = Edge(web.db, web.client, command.folder)
    from_web = json.loads(json.dumps(case.web(web)))
    from_cli = json.loads(json.dumps(case.cli(command)))
    assert case.holds(from_web), from_web
    assert like(from_cli, from_web) == from_web


def test_a_common_phrase_says_on_both_edges_that_the_search_stopped_early(
    edges: tuple[Edge, Edge],
) -> None:
    """More segments hold "ministre" than a search checks: the web and the command line both
    say the answer is incomplete, why, and how to narrow it (issue 19: it was silent)."""
    web, _ = edges
    with TranslationMemory.open(web.db) as memory:
        memory.import_units(
            [
                Unit(source=f"Le ministre a signé l'accord n° {i}.", target=f"Agreement {i}.")
                for i in range(CANDIDATES + 1)
            ]
        )
    answers = []
    for side in ("source", "both"):
        from_web = web.client.get("/concordance", params={"q": "ministre", "side": side}).json()
        from_cli = web.json("concordance", "ministre", "--side", side)
        assert like(from_cli, from_web) == from_web
        answers.append(from_web)
    french, both = answers
    assert not french["complete"] and french["stopped"] == [
        {"side": "source", "reason": "candidates", "checked": CANDIDATES}
    ]
    assert french["note"] == (
        f"the phrase is very common: only the {CANDIDATES:,} newest segments holding its "
        "words on the French side were checked; add a word to narrow it"
    )
    assert not both["complete"] and "on the French side" in both["note"]  # English: 1 segment
    narrow = web.client.get("/concordance", params={"q": "secrétaire général"}).json()
    assert narrow["complete"] and narrow["note"] is None and narrow["stopped"] == []
    assert narrow["occurrences"]
    described = web.client.get("/openapi.json").json()["components"]["schemas"]
    fields = described["ConcordanceResponse"]["properties"]
    assert {"complete", "note", "stopped"} <= set(fields)
    assert all(fields[name]["description"] for name in ("complete", "note", "stopped"))
