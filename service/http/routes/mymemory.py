"""The MyMemory-compatible lookup, for CAT tools' MyMemory connectors (OmegaT, Weblate…).

MyMemory answers `GET /api/get?q=…&langpair=fr|en` (older clients call `/get`); tm answers both
the same way: JSON with `responseData.translatedText`, `responseStatus`, `responseDetails` and
`matches`, or with `of=tmx` the matches as a TMX document (each `tuv` with `xml:lang` and the
`lang` that MyMemory's TMX carries and connectors read). Errors come in MyMemory's shape too
(HTTP 200, the code in `responseStatus`, the reason in `responseDetails` and in
`translatedText`), so a connector shows the reason instead of failing. The target language is
the request's variant (`fr|en-US` answers `en-US`). Texts are plain: tm's inline placeholders
never leave.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from lxml import etree

from service.http.auth import Memory, Reader
from service.http.schemas.translator import MyMemoryResponse
from service.http.validation import Clean, Queries
from tm import Match
from tm.text.inline import plain
from tm.text.language import is_english, is_french

router = APIRouter(tags=["CAT tools"])
LIMIT = 10
THRESHOLD = 50


def _codes(langpair: str) -> tuple[str, str] | None:
    """The answer's language codes (MyMemory always gives a region), None if not fr|en."""
    source, _, target = langpair.partition("|")
    if not (is_french(source) and is_english(target)):
        return None
    return (source if "-" in source else "fr-FR"), (target if "-" in target else "en-GB")


def error(status: int, details: str) -> dict[str, Any]:
    """A MyMemory error answer."""
    return {
        "responseData": {"translatedText": details, "match": 0},
        "responseStatus": status,
        "responseDetails": details,
        "quotaFinished": False,
        "mtLangSupported": None,
        "responderId": None,
        "exception_code": None,
        "matches": [],
    }


def answer(found: list[Match], source: str, target: str) -> dict[str, Any]:
    """A MyMemory answer for tm's matches, best first."""
    matches = [
        {
            "id": str(m.id),
            "segment": plain(m.source),
            "translation": plain(m.adapted_target or m.target),
            "source": source,
            "target": target,
            "quality": str(round(100 * m.quality)) if m.quality is not None else "0",
            "reference": m.document or None,
            "usage-count": 0,
            "subject": m.origin or "All",
            "created-by": m.origin or "tm",
            "last-updated-by": m.origin or "tm",
            "create-date": m.created,
            "last-update-date": m.changed,
            "match": round(min(m.score, 100) / 100, 2),
        }
        for m in found
    ]
    best = matches[0] if matches else None
    return {
        **error(200, ""),
        "responseData": {
            "translatedText": best["translation"] if best else "",
            "match": best["match"] if best else 0,
        },
        "matches": matches,
    }


def tmx(found: list[Match], source: str, target: str) -> bytes:
    """The matches as a TMX 1.4 document, as MyMemory's `of=tmx` gives them."""
    root = etree.Element("tmx", version="1.4")
    etree.SubElement(
        root,
        "header",
        creationtool="tm",
        creationtoolversion="0.1.0",
        segtype="sentence",
        adminlang="en",
        srclang=source,
        datatype="plaintext",
        attrib={"o-tmf": "tm"},
    )
    body = etree.SubElement(root, "body")
    for match in found:
        tu = etree.SubElement(body, "tu", tuid=str(match.id))
        for code, text in ((source, match.source), (target, match.adapted_target or match.target)):
            tuv = etree.SubElement(tu, "tuv", lang=code)
            tuv.set("{http://www.w3.org/XML/1998/namespace}lang", code)
            etree.SubElement(tuv, "seg").text = plain(text)
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True)


@router.get("/api/get", response_model=MyMemoryResponse)
@router.get("/get", response_model=MyMemoryResponse)
def mymemory(
    memory: Memory,
    _role: Reader,
    queries: Queries,
    q: Annotated[str, Query(description="Text to translate"), Clean] = "",
    langpair: Annotated[str, Query(description="Language pair, e.g. fr|en or fr|en-US")] = "fr|en",
    of: Annotated[str, Query(description="Answer format: json (default) or tmx")] = "json",
) -> Any:
    """MyMemory-compatible lookup: tm's best matches for a French text, in MyMemory's JSON (or
    TMX with `of=tmx`); errors in MyMemory's shape (but a text over TM_MAX_QUERY_CHARS is a
    422, as elsewhere)."""
    queries(q)
    codes = _codes(langpair)
    if codes is None:
        return error(
            403,
            f"INVALID LANGUAGE PAIR {langpair!r}: THIS TM TRANSLATES FRENCH TO ENGLISH "
            "(LANGPAIR=FR|EN)",
        )
    if not q.strip():
        return error(403, "NO QUERY SPECIFIED. EXAMPLE REQUEST: GET?Q=BONJOUR&LANGPAIR=FR|EN")
    found = memory.lookup(q, limit=LIMIT, threshold=THRESHOLD)
    if of.lower() == "tmx":
        return Response(tmx(found, *codes), media_type="application/xml")
    return answer(found, *codes)
