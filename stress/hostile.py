"""Every hostile input of issue 19, sent to a real `tm serve`: each must be answered (refused,
or for the backtracking texts handled) within 1 s, the server's RSS may grow by 100 MB at
most, and `/health` must answer within 100 ms throughout."""

from __future__ import annotations

import io
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from stress.report import Row
from stress.server import Server, Watch, serve, tm

SECONDS = 1.0
GROWTH = 100 * 1024 * 1024
HEALTH = 0.100

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="r1" Target="word/document.xml" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument"/></Relationships>'
)
COMMENT = "<!--" + "x" * 70_000 + "-->\n"
XXE = '<!DOCTYPE {root} [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
LAUGHS = (
    '<!DOCTYPE {root} [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
    + "]>\n"
)


def docx(document: str, *, bomb: int = 0) -> bytes:
    """A DOCX package; `bomb` bytes of zeros in a media part (1 GiB packs into about 1 MB)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("_rels/.rels", RELS)
        package.writestr("word/document.xml", document)
        if bomb:
            with package.open("word/media/image1.png", "w") as part:
                zeros = bytes(1 << 24)
                for _ in range(bomb // len(zeros)):
                    part.write(zeros)
    return buffer.getvalue()


def _document(prolog: str, text: str) -> str:
    return (
        f'<?xml version="1.0"?>\n{prolog.format(root="w:document")}<w:document xmlns:w="{W}">'
        f"<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
    )


def _tmx(prolog: str, text: str) -> bytes:
    return (
        f'<?xml version="1.0"?>\n{prolog.format(root="tmx")}<tmx version="1.4"><header '
        'srclang="fr" segtype="sentence" o-tmf="x" adminlang="en" datatype="plaintext" '
        'creationtool="x" creationtoolversion="1"/><body><tu><tuv xml:lang="fr"><seg>'
        f'{text}</seg></tuv><tuv xml:lang="en"><seg>x</seg></tuv></tu></body></tmx>'
    ).encode()


def _tbx(prolog: str, text: str) -> bytes:
    return (
        f'<?xml version="1.0"?>\n{prolog.format(root="martif")}<martif type="TBX" xml:lang="fr">'
        '<text><body><termEntry id="C1"><langSet xml:lang="fr"><tig><term>'
        f"{text}</term></tig></langSet></termEntry></body></text></martif>"
    ).encode()


def _xliff(prolog: str, text: str, *, target: str = "") -> bytes:
    return (
        f'<?xml version="1.0"?>\n{prolog.format(root="xliff")}<xliff version="1.2" '
        'xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="x" source-language="fr" '
        'target-language="en" datatype="plaintext"><body><trans-unit id="1"><source>'
        f"{text}</source>{target}</trans-unit></body></file></xliff>"
    ).encode()


@dataclass(frozen=True)
class Outcome:
    """What the server did: an HTTP status or a job's end state, and how long it took."""

    answer: str
    seconds: float
    refused: bool


Send = Callable[[Server], Outcome]


def status(expected: int, method: str, path: str, **options: object) -> Send:
    def run(server: Server) -> Outcome:
        answer = server.send(method, path, **options)  # type: ignore[arg-type]
        return Outcome(str(answer.status), answer.seconds, answer.status == expected)

    return run


def upload(expected: int, path: str, files: list[tuple[str, str, bytes]]) -> Send:
    def run(server: Server) -> Outcome:
        answer = server.upload(path, files)
        return Outcome(str(answer.status), answer.seconds, answer.status == expected)

    return run


def failed_job(path: str, files: list[tuple[str, str, bytes]], message: str) -> Send:
    """A job upload refused with `message`, at once (413, 422) or by its job failing (the time
    is until it failed)."""

    def run(server: Server) -> Outcome:
        answer = server.upload(path, files)
        if answer.status != 202:  # refused before a job was queued: as good
            refused = answer.status in (413, 422) and message in answer.body.decode("utf-8")
            return Outcome(str(answer.status), answer.seconds, refused)
        job, seconds = server.job(answer)
        refused = job["state"] == "failed" and message in str(job.get("error", ""))
        return Outcome(f"job {job['state']}", seconds, refused)

    return run


def skipped_job(path: str, files: list[tuple[str, str, bytes]], reason: str) -> Send:
    """An import whose job ends done with one unit skipped for `reason` (the rest imported);
    the time is until it ended."""

    def run(server: Server) -> Outcome:
        answer = server.upload(path, files)
        if answer.status != 202:
            return Outcome(str(answer.status), answer.seconds, False)
        job, seconds = server.job(answer)
        result = job.get("result")
        skipped = result.get("skipped", []) if isinstance(result, dict) else []
        handled = job["state"] == "done" and any(reason in str(s) for s in skipped)
        return Outcome(f"job {job['state']}, {len(skipped)} skipped", seconds, handled)

    return run


def _chunks() -> object:
    for _ in range(60):
        yield b"x" * (1 << 20)


JSON = {"Content-Type": "application/json"}
ENTITY_DOCX = docx(_document(XXE, "&xxe;"))


def cases() -> list[tuple[str, Send]]:
    """(name, what to send) for each hostile input."""
    bomb = docx(_document("", "Texte."), bomb=1 << 30)
    spaces = b'{"source": "a", "target": "a' + b" " * 19_990 + b'x"}'
    digits = b'{"source": "' + b"a1" * 9_990 + b'", "target": "x"}'
    other = ("english", "other.en.txt", b"Text.")
    draft = _xliff(XXE, "a", target="<target>&xxe;</target>")
    four = b"The board sat. " * 280_000  # 4.2 MB of short lines
    long_line = "Le conseil " + "a " * 12_500 + "siégé."
    return [
        (
            "Markdown heading, 2.5 KB (38 s before)",
            upload(200, "/pretranslate", [("files", "titre.md", b"# a" + b" " * 2500 + b"x")]),
        ),
        (
            "run of dots (exponential before)",
            upload(200, "/pretranslate", [("files", "toc.txt", b"Sommaire" + b"." * 60 + b"x")]),
        ),
        (
            "QA on 20,000 spaces (quadratic before)",
            status(200, "POST", "/check", body=spaces, headers=JSON),
        ),
        (
            "placeables in 20,000 chars (quadratic)",
            status(200, "POST", "/check", body=digits, headers=JSON),
        ),
        (
            f"DOCX zip bomb, {len(bomb) >> 10} KB → 1 GiB",
            upload(413, "/pretranslate", [("files", "bombe.docx", bomb)]),
        ),
        (
            "DOCX zip bomb to /align",
            failed_job("/align", [("french", "b.fr.docx", bomb), other], "zip bomb"),
        ),
        (
            "DOCX with an entity, /pretranslate",
            upload(422, "/pretranslate", [("files", "note.docx", ENTITY_DOCX)]),
        ),
        (
            "DOCX with an entity, /align",
            failed_job("/align", [("french", "n.fr.docx", ENTITY_DOCX), other], "DTD declarations"),
        ),
        (
            "TMX: external entity after 70 KB",
            failed_job("/import", [("files", "x.tmx", _tmx(COMMENT + XXE, "&xxe;"))], "DTD"),
        ),
        (
            "TMX: billion laughs",
            failed_job("/import", [("files", "l.tmx", _tmx(LAUGHS, "&i;"))], "DTD declarations"),
        ),
        (
            "TBX: external entity after 70 KB",
            upload(422, "/glossary/import", [("file", "x.tbx", _tbx(COMMENT + XXE, "&xxe;"))]),
        ),
        (
            "XLIFF to pretranslate: entity",
            upload(422, "/pretranslate", [("files", "x.xlf", _xliff(COMMENT + XXE, "&xxe;"))]),
        ),
        (
            "/evaluate: XLIFF with an entity",
            upload(422, "/evaluate", [("hyp", "h.xlf", draft), ("ref", "r.txt", b"x")]),
        ),
        (
            "/evaluate 4 MB + 4 MB (116 s, 1.8 GB before)",
            upload(413, "/evaluate", [("hyp", "h.txt", four), ("ref", "r.txt", four)]),
        ),
        (
            "/evaluate 21 MB (read 20 MB of it before)",
            upload(413, "/evaluate", [("hyp", "h.txt", four * 5), ("ref", "r.txt", b"x")]),
        ),
        (
            "/pretranslate 10 MB one line (82 s, 2 GB before)",
            upload(
                413,
                "/pretranslate",
                [("files", "long.txt", "Le conseil a siégé. ".encode() * 500_000)],
            ),
        ),
        (
            "import: a 25,000-character segment",
            skipped_job(
                "/import",
                [
                    ("files", "long.fr", f"Le conseil a siégé.\n{long_line}\n".encode()),
                    ("files", "long.en", b"The board sat.\nThe board sat.\n"),
                ],
                "20,000",
            ),
        ),
        ("JSON NaN", status(422, "POST", "/lookup", body=_json(b"NaN"), headers=JSON)),
        ("JSON Infinity", status(422, "POST", "/lookup", body=_json(b"Infinity"), headers=JSON)),
        ("JSON 1e309", status(422, "POST", "/lookup", body=_json(b"1e309"), headers=JSON)),
        ("/segments/9223372036854775808", status(422, "GET", "/segments/9223372036854775808")),
        ("invalid UTF-8 in a query string", status(422, "GET", "/concordance?q=%FF%FE")),
        ("60 MB chunked body", status(413, "POST", "/lookup", body=_chunks(), headers=JSON)),
        ("?key= in the URL", status(400, "GET", "/health?key=tm_x", role=None)),
        (
            "Host: evil.example",
            status(400, "GET", "/health", headers={"Host": "evil.example"}, role=None),
        ),
    ]


def _json(threshold: bytes) -> bytes:
    return b'{"text": "Loi sur les banques.", "threshold": ' + threshold + b"}"


def _warm(server: Server) -> None:
    for _ in range(3):
        server.send("POST", "/lookup", body=b'{"text": "Loi sur les banques."}', headers=JSON)
        server.upload("/pretranslate", [("files", "warm.md", b"# Titre\n\nTexte.")])


def run(work: Path) -> list[Row]:
    """Serve a TM of 10,000 laws pairs (or the test fixtures without ../shared) and send each
    hostile input, watching memory and `/health`."""
    db = work / "hostile.db"
    laws = Path("../shared/data/canada-laws-fr-en/corpus")
    if (laws / "canada-laws.sample50k.fr").exists():
        for side in ("fr", "en"):
            lines = (laws / f"canada-laws.sample50k.{side}").read_text("utf-8").splitlines()
            (work / f"laws.{side}").write_text("\n".join(lines[:10_000]) + "\n", "utf-8")
        tm(db, "import", str(work / "laws.fr"), str(work / "laws.en"), "--no-score")
    else:
        tm(db, "import", "tests/data/sample.tmx", "--no-score")
    rows = []
    with serve(db, log=work / "hostile-server.log") as server:
        # the index built and every route's code loaded before the first case, in every
        # worker process (the kernel hands each connection to one: a few at once reach all)
        warming = [threading.Thread(target=_warm, args=(server,)) for _ in range(4)]
        for thread in warming:
            thread.start()
        for thread in warming:
            thread.join()
        server.settle()
        for name, send in cases():
            with Watch(server) as watch:
                outcome = send(server)
            rows.append(
                Row(
                    "hostile",
                    name,
                    f"{outcome.answer}, {outcome.seconds * 1000:.0f} ms, RSS "
                    f"+{watch.growth / 2**20:.0f} MB, /health ≤ {watch.health_max * 1000:.0f} ms",
                    "as expected, ≤ 1 s, +100 MB, /health ≤ 100 ms",
                    outcome.refused
                    and outcome.seconds <= SECONDS
                    and watch.growth <= GROWTH
                    and watch.health_max <= HEALTH
                    and watch.health_failures == 0,
                )
            )
    return rows
