"""Real exchange files in, real exchange files out (issue 17).

Every file of `../shared/data/exchange-files` (TMX 1.1–1.4b, XLIFF 1.0–2.0, OmegaT glossaries,
TBX written by OmegaT, Okapi, Translate Toolkit and the OASIS XLIFF 2 examples) and the
vendor-style files written for tm in `tests/data/interop` (Trados `.sdlxliff`, memoQ, Okapi)
goes through import, export and pretranslation. One table per format, one row per file:

- **import**: `accepted` (pairs or terms stored), `refused` (a clear `file: message`, nothing
  written), `crashed` (anything but tm's own error). What should be stored comes from a reader
  written here, independent of tm's: TMX pairs of every French variant with every English one
  (plain text, inline codes left out) with their metadata (`tu`/`tuv` attributes, `prop`,
  `note`); XLIFF segments with a confirmed target (not `translate="no"` on the unit or any
  enclosing group/file, not a draft state, Trados `sdl:seg conf` confirmed, memoQ `mq:status`
  confirmed; a file without a French side refused); glossary terms of French and English.
  `lost` counts what should be stored and is not; `wrong` what is stored and should not be (a
  pair the file does not hold, a `translate="no"` unit, a draft stored as confirmed, one-sided
  concepts from a termbase with no French side).
- **round trip**: import → export → import. TMX: the second import holds the same pairs and
  the export every metadata fact of the file; glossaries: each export (TBX, CSV, TSV)
  re-imports to the same terms with every data category. `dtd` says whether each TMX export
  is valid against the TMX 1.4 DTD.
- **draft**: XLIFF files are pretranslated (from a TM holding each of their segments with an
  English-looking target, so that every segment has a match and every existing target is
  tempted). A file whose languages are not French→English is first relabelled fr-FR→en-GB
  (language attributes only). `kept` is the share of the input's characters found in order in
  the draft (a pretty-printed draft loses its whitespace); `changed` counts existing targets
  (with content) that are not identical in the draft; `xsd` the draft's schema errors that the
  input did not have (XLIFF 1.2 strict, XLIFF 2.0 core and modules; 1.0/1.1 have no schema);
  `tmx` whether `--format tmx` drafts are DTD-valid.

Targets (issue 17): 0 crashed, 0 lost, 0 wrong, 0 existing targets changed, 100% of TMX exports
DTD-valid, 100% of drafts of valid inputs valid.

Run: `make bench` or `.venv/bin/python -m bench.interop [--only NAME-PART]`.
"""

from __future__ import annotations

import difflib
import re
import shutil
import sys
import tempfile
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from bench.common import ROOT, SHARED, table

FILES = SHARED / "exchange-files"
SCHEMAS = FILES / "schemas"
XLIFF_12_XSD = SHARED / "schemas" / "xliff-1.2" / "xliff-core-1.2-strict.xsd"
MADE = ROOT / "tests" / "data" / "interop"
FOLDERS = {
    "tmx": "TMX",
    "xliff12": "XLIFF 1.x",
    "xliff2": "XLIFF 2",
    "xliff2-invalid": "XLIFF 2 (invalid by the spec)",
    "glossary-tsv": "glossaries",
    "tbx": "glossaries",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XLIFF_12 = "urn:oasis:names:tc:xliff:document:1.2"
XLIFF_2 = "urn:oasis:names:tc:xliff:document:2.0"
SDL = "http://sdl.com/FileTypes/SdlXliff/1.0"
MQ = "MQXliff"
CODES = {"bpt", "ept", "ph", "it", "ut", "x", "bx", "ex", "sc", "ec", "sm", "em", "cp"}
UNCONFIRMED = {
    "new",
    "needs-translation",
    "needs-adaptation",
    "needs-l10n",
    "needs-review-translation",
    "needs-review-adaptation",
    "needs-review-l10n",
    "initial",
    "needs-work",
    "needs-review",
    "rejected",
    "unreviewed",
}
SDL_CONFIRMED = {"Translated", "ApprovedTranslation", "ApprovedSignOff"}
MQ_CONFIRMED = {"Confirmed", "ManuallyConfirmed", "Proofread", "Reviewer1Confirmed"}


def local(element: Any) -> str:
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def french(code: str) -> bool:
    return re.split(r"[-_]", code.strip().lower())[0] in ("fr", "fra", "fre")


def english(code: str) -> bool:
    return re.split(r"[-_]", code.strip().lower())[0] in ("en", "eng")


def parse(path: Path) -> etree._ElementTree:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.parse(str(path), parser)


# -- what a file holds, read here independently of tm ---------------------------------------


def text_of(element: Any) -> str:
    """Text of a segment without its inline codes (their content is native code)."""
    parts = [element.text or ""]
    for child in element:
        name = local(child)
        if name and name not in CODES:
            parts.append(text_of(child))
        parts.append(child.tail or "")
    return "".join(parts)


def facts(element: Any, prefix: str) -> set[tuple[str, ...]]:
    """Metadata of a `tu` or `tuv`: its attributes, props and notes (with their attributes)."""
    found: set[tuple[str, ...]] = set()
    for key, value in element.attrib.items():
        if key in (XML_LANG, "lang"):
            continue
        value = re.sub(r"\D", "", value) if key.endswith("date") else value
        found.add((prefix, "@" + key, value))
    for child in element:
        if local(child) in ("prop", "note"):
            extras = sorted((k.rpartition("}")[2], v) for k, v in child.attrib.items())
            found.add((prefix, local(child), child.text or "", repr(extras)))
    return found


def tmx_pairs(path: Path) -> dict[tuple[str, str], set[tuple[str, ...]]] | None:
    """(French, English) → metadata facts; None when the file has no French–English pair."""
    pairs: dict[tuple[str, str], set[tuple[str, ...]]] = {}
    for tu in parse(path).getroot().iter("{*}tu", "tu"):
        variants = [
            (v.get(XML_LANG) or v.get("lang") or "", v)
            for v in tu
            if local(v) == "tuv" and v.find("seg") is not None
        ]
        for fr_code, fr in variants:
            for en_code, en in variants:
                if not (french(fr_code) and english(en_code)):
                    continue
                pair = (text_of(fr.find("seg")), text_of(en.find("seg")))
                if pair[0].strip() and pair[1].strip():
                    known = facts(tu, "tu") | facts(fr, "fr") | facts(en, "en")
                    pairs.setdefault(pair, set()).update(known)
    return pairs or None


def _closest(element: Any, attribute: str) -> str:
    holder = element
    while holder is not None:
        if holder.get(attribute):
            return str(holder.get(attribute))
        holder = holder.getparent()
    return ""


def _locked(unit: Any) -> bool:
    """`translate="no"` on the unit or its nearest ancestor saying yes or no (inherited)."""
    holder = unit
    while holder is not None:
        if holder.get("translate") in ("yes", "no"):
            return bool(holder.get("translate") == "no")
        holder = holder.getparent()
    return False


def xliff_segments(path: Path) -> Iterator[dict[str, Any]]:
    """Every segment of an XLIFF file: unit, key, source and target elements, state."""
    root = parse(path).getroot()
    if root.get("version", "").startswith("2"):
        for unit in root.iter(f"{{{XLIFF_2}}}unit"):
            for number, segment in enumerate(unit.iter(f"{{{XLIFF_2}}}segment"), start=1):
                yield {
                    "unit": unit,
                    "key": (unit.get("id"), segment.get("id") or str(number)),
                    "source": segment.find(f"{{{XLIFF_2}}}source"),
                    "target": segment.find(f"{{{XLIFF_2}}}target"),
                    "confirmed": segment.get("state", "") != "initial",
                    "locked": _locked(unit),
                }
        return
    for unit in root.iter("{*}trans-unit", "trans-unit"):
        source = next((c for c in unit if local(c) == "source"), None)
        target = next((c for c in unit if local(c) == "target"), None)
        state = target.get("state", "") if target is not None else ""
        status = unit.get(f"{{{MQ}}}status")
        confirmed = state not in UNCONFIRMED and (status is None or status in MQ_CONFIRMED)
        seg_source = next((c for c in unit if local(c) == "seg-source"), None)
        marks = [] if seg_source is None else _marks(seg_source)
        if not marks:
            yield {
                "unit": unit,
                "key": (unit.get("id"), ""),
                "source": source,
                "target": target,
                "confirmed": confirmed,
                "locked": _locked(unit),
            }
            continue
        targets = {} if target is None else {m.get("mid"): m for m in _marks(target)}
        sdl = {s.get("id"): s.get("conf", "") for s in unit.iter(f"{{{SDL}}}seg")}
        for mark in marks:
            mid = mark.get("mid")
            yield {
                "unit": unit,
                "key": (unit.get("id"), mid),
                "source": mark,
                "target": targets.get(mid),
                "confirmed": confirmed and (not sdl or sdl.get(mid) in SDL_CONFIRMED),
                "locked": _locked(unit),
            }


def _marks(holder: Any) -> list[Any]:
    return [m for m in holder.iter() if local(m) == "mrk" and m.get("mtype") == "seg"]


def xliff_languages(path: Path) -> tuple[str, str]:
    root = parse(path).getroot()
    if root.get("version", "").startswith("2"):
        return root.get("srcLang", ""), root.get("trgLang", "")
    file = next((f for f in root if local(f) == "file"), None)
    if file is None:
        return "", ""
    return file.get("source-language", ""), file.get("target-language", "")


def xliff_pairs(path: Path) -> dict[tuple[str, str], set[tuple[str, ...]]] | None:
    source, target = xliff_languages(path)
    forward = french(source) and (not target or english(target))
    backward = english(source) and french(target)
    if not (forward or backward):
        return None
    pairs: dict[tuple[str, str], set[tuple[str, ...]]] = {}
    for found in xliff_segments(path):
        if found["source"] is None or found["target"] is None:
            continue
        if found["locked"] or not found["confirmed"]:
            continue
        pair = (text_of(found["source"]), text_of(found["target"]))
        if pair[0].strip() and pair[1].strip():
            pairs[pair if forward else (pair[1], pair[0])] = set()
    return pairs


GLOSSARY_CATEGORIES = (
    "definition",
    "context",
    "note",
    "source",
    "subjectField",
    "partOfSpeech",
    "termType",
    "administrativeStatus",
    "grammaticalGender",
    "geographicalUsage",
)


def glossary_terms(path: Path) -> dict[tuple[str, str], set[str]] | None:
    """(language, term) → data category values; None when the termbase has no French side."""
    if path.suffix == ".tbx":
        terms: dict[tuple[str, str], set[str]] = {}
        for entry in parse(path).getroot().iter("{*}termEntry", "{*}conceptEntry"):
            shared = {_category(e) for e in entry if _category(e)}
            for section in (e for e in entry if local(e) in ("langSet", "langSec")):
                language = re.split(r"[-_]", (section.get(XML_LANG) or "").lower())[0]
                near = {_category(e) for e in section if _category(e)}
                for term in section.iter("{*}term"):
                    holder = term.getparent()
                    if local(holder) == "termGrp":
                        holder = holder.getparent()
                    own = {_category(e) for e in holder.iter() if _category(e)}
                    if language in ("fr", "en"):
                        terms[(language, " ".join((term.text or "").split()))] = (
                            shared | near | own
                        ) - {""}
        return terms if any(language == "fr" for language, _ in terms) else None
    raw = path.read_bytes()
    text = raw.decode("utf-16") if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else raw.decode()
    delimiter = "," if path.suffix == ".csv" else "\t"
    import csv
    import io

    terms = {}
    for row in csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter):
        if not row or row[0].lstrip().startswith("#") or len(row) < 2:
            continue
        fr, en = row[0].strip(), row[1].strip()
        comment = row[2].strip() if len(row) > 2 else ""
        noted = {f"note={comment}"} if comment else set()
        if fr:
            terms[("fr", fr)] = noted
        if en:
            terms[("en", en)] = noted
    return terms or None


def _category(element: Any) -> str:
    kind = element.get("type", "") if local(element) in ("descrip", "termNote", "admin") else ""
    if local(element) == "note":
        kind = "note"
    return f"{kind}={' '.join((element.text or '').split())}" if kind in GLOSSARY_CATEGORIES else ""


# -- validity ----------------------------------------------------------------------------------

_SCHEMAS: dict[str, Any] = {}


def dtd_errors(path: Path) -> list[str]:
    """Errors of a TMX file against the TMX 1.4 DTD."""
    if "dtd" not in _SCHEMAS:
        _SCHEMAS["dtd"] = etree.DTD(str(SCHEMAS / "omegat__tmx14.dtd"))
    dtd = _SCHEMAS["dtd"]
    if dtd.validate(parse(path)):
        return []
    return [f"{e.line}: {e.message}" for e in dtd.error_log]


def xsd_errors(path: Path) -> list[str] | None:
    """Schema errors of an XLIFF 1.2 or 2.0 file (line numbers left out); None without one."""
    root = parse(path).getroot()
    namespace = etree.QName(root).namespace
    if namespace == XLIFF_12:
        if "1.2" not in _SCHEMAS:
            _SCHEMAS["1.2"] = etree.XMLSchema(etree.parse(str(XLIFF_12_XSD)))
        schema = _SCHEMAS["1.2"]
    elif namespace == XLIFF_2:
        if "2.0" not in _SCHEMAS:
            folder = SCHEMAS / "local-patched"
            imports = "".join(
                f'<xs:import namespace="{etree.parse(str(xsd)).getroot().get("targetNamespace")}"'
                f' schemaLocation="{xsd.as_uri()}"/>'
                for xsd in sorted(folder.glob("*.xsd"))
                if xsd.name != "xml.xsd"
            )
            wrapper = (
                '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" '
                f'targetNamespace="urn:tm:bench">{imports}</xs:schema>'
            )
            _SCHEMAS["2.0"] = etree.XMLSchema(etree.fromstring(wrapper, base_url=folder.as_uri()))
        schema = _SCHEMAS["2.0"]
    else:
        return None
    if schema.validate(etree.ElementTree(root)):
        return []
    return sorted({re.sub(r"line \d+", "", e.message) for e in schema.error_log})


# -- running tm on a file ----------------------------------------------------------------------


@dataclass
class Row:
    """What happened to one file."""

    name: str
    verdict: str = ""
    message: str = ""
    expected: int = 0
    stored: int = 0
    lost: int = 0
    wrong: int = 0
    trip: str = "–"
    dtd: str = "–"
    draft: str = "–"
    kept: str = "–"
    existing: int = 0
    changed: int = 0
    xsd: str = "–"
    tmx: str = "–"
    notes: list[str] = field(default_factory=list)


def _guard(row: Row, stage: str, work: Callable[[], None]) -> None:
    from tm.errors import TMError

    try:
        work()
    except TMError as error:
        row.notes.append(f"{stage} refused: {error}")
        if stage == "import":
            row.verdict, row.message = "refused", str(error)
    except Exception as error:
        row.verdict = "CRASHED"
        row.message = f"{stage}: {type(error).__name__}: {error}"
        row.notes.append(traceback.format_exc(limit=3))


def stored_pairs(db: Path) -> dict[tuple[str, str], Any]:
    from tm import TranslationMemory
    from tm.text.inline import plain

    with TranslationMemory.open(db) as memory:
        return {(plain(s.source), plain(s.target)): s for s in memory.segments()}


def run_bitext(path: Path, work: Path, kind: str) -> Row:
    """Import, export, re-import a TMX or XLIFF file; pretranslate an XLIFF file."""
    from tm import TranslationMemory

    row = Row(path.name)
    expected = (tmx_pairs if kind == "tmx" else xliff_pairs)(path)
    row.expected = len(expected or {})
    db = work / "first.db"

    def importing() -> None:
        with TranslationMemory.open(db) as memory:
            memory.import_files([path])
        row.verdict = "accepted"

    _guard(row, "import", importing)
    if row.verdict == "accepted":
        stored = stored_pairs(db)
        row.stored = len(stored)
        row.lost = len(set(expected or {}) - set(stored))
        row.wrong = len(set(stored) - set(expected or {}))
        _guard(row, "round trip", lambda: round_trip(row, db, work, expected or {}))
    elif row.verdict == "refused" and expected:
        row.lost = len(expected)
    if kind != "tmx" and row.verdict != "CRASHED":
        _guard(row, "draft", lambda: draft(row, path, work))
    return row


def round_trip(row: Row, db: Path, work: Path, expected: dict[Any, set[Any]]) -> None:
    from tm import TranslationMemory

    exported, again = work / "export.tmx", work / "again.db"
    with TranslationMemory.open(db) as memory:
        memory.export(exported)
    errors = dtd_errors(exported)
    row.dtd = "valid" if not errors else f"INVALID ({len(errors)}: {errors[0][:60]})"
    with TranslationMemory.open(again) as memory:
        memory.import_files([exported])
    first, second = stored_pairs(db), stored_pairs(again)
    missing = set(first) - set(second)
    meta = tmx_pairs(exported) or {}
    gone = {f for pair, facts in expected.items() for f in facts - meta.get(pair, set())}
    lost_facts = len(gone)
    if gone:
        row.notes.append(f"metadata lost: {sorted(gone)[:3]}")
    counted = [
        (len(a.source_tags), len(a.target_tags)) == (len(b.source_tags), len(b.target_tags))
        for key, a in first.items()
        for b in [second.get(key)]
        if b is not None
    ]
    again_export = work / "again.tmx"
    with TranslationMemory.open(again) as memory:
        memory.export(again_export)
    stable = _body(again_export) == _body(exported)
    parts = []
    if missing or len(second) != len(first):
        parts.append(f"pairs {len(first)}→{len(second)}")
    if lost_facts:
        parts.append(f"{lost_facts} metadata lost")
        row.lost += lost_facts
    if not all(counted):
        parts.append(f"codes differ in {counted.count(False)} pairs")
    if not stable:
        parts.append("second export differs")
    row.trip = "same" if not parts else "; ".join(parts)


def _body(path: Path) -> str:
    """An export without its creation dates (a pair without a date gets the time of export)."""
    return re.sub(r'(creation|change)date="[^"]*"', "", path.read_text("utf-8"))


RELABEL = (
    (re.compile(r'(source-language|srcLang)=(["\'])[^"\']*\2'), r"\1=\2fr-FR\2"),
    (re.compile(r'(target-language|trgLang)=(["\'])[^"\']*\2'), r"\1=\2en-GB\2"),
)


def relabelled(path: Path, work: Path) -> Path:
    """The file with its language attributes set to fr-FR → en-GB (nothing else changed)."""
    source, target = xliff_languages(path)
    if french(source) and (not target or english(target)):
        return path
    raw = path.read_bytes()
    encoding = "utf-16" if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8"
    text = raw.decode(encoding)
    for pattern, replacement in RELABEL:
        text = pattern.sub(replacement, text)
    out = work / "relabelled" / path.name
    out.parent.mkdir(exist_ok=True)
    out.write_bytes(text.encode(encoding))
    return out


def canonical(element: Any) -> str:
    if element is None:
        return ""
    return etree.tostring(element, with_tail=False).decode()


def draft(row: Row, path: Path, work: Path) -> None:
    """Pretranslate the (relabelled) file from a TM that holds each of its segments."""
    from service.pipelines.pretranslation import pretranslate
    from tm import TranslationMemory

    source = relabelled(path, work)
    segments = list(xliff_segments(source))
    pairs = []
    for found in segments:
        text = text_of(found["source"]) if found["source"] is not None else ""
        if text.strip():
            pairs.append((text, "EN " + text))
    tm_db = work / "draft.db"
    with TranslationMemory.open(tm_db) as memory:
        for fr, en in pairs:
            memory.add(fr, en, origin="bench")
        batch = pretranslate(memory, [source], out=work / "draft", threshold=50, workers=1)
        tmx_batch = pretranslate(
            memory, [source], out=work / "draft-tmx", threshold=50, workers=1, format="tmx"
        )
    if batch.failed:
        row.draft = "refused"
        row.notes.append(f"draft refused: {batch.failed[0].error}")
        return
    output = batch.files[0].output
    assert output is not None
    row.draft = "written"
    before = {f["key"]: f for f in segments}
    after = {f["key"]: f for f in xliff_segments(output)}
    for key, found in before.items():
        target = found["target"]
        if (target is not None and text_of(target).strip()) or (target is not None and len(target)):
            row.existing += 1
            if canonical(target) != canonical(after.get(key, {}).get("target")):
                row.changed += 1
        elif found["locked"]:
            filled = after.get(key, {}).get("target")
            if filled is not None and text_of(filled).strip():
                row.wrong += 1
                row.notes.append(f"translate=no segment {key} filled")
    original = source.read_bytes().decode(
        "utf-16" if source.read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8", "replace"
    )
    written = output.read_bytes().decode("utf-8", "replace")
    matcher = difflib.SequenceMatcher(None, original, written, autojunk=False)
    kept = sum(block.size for block in matcher.get_matching_blocks())
    row.kept = f"{100 * kept / max(len(original), 1):.1f}%"
    in_errors, out_errors = xsd_errors(source), xsd_errors(output)
    if in_errors is None or out_errors is None:
        row.xsd = "no schema"
    else:
        new = sorted(set(out_errors) - set(in_errors))
        row.xsd = ("valid" if not out_errors else "no new error") if not new else f"NEW {len(new)}"
        if new:
            row.notes.append(f"new schema errors: {new[:2]}")
        if not in_errors and out_errors:
            row.xsd = f"INVALID ({len(out_errors)})"
    if not tmx_batch.failed and tmx_batch.files[0].output is not None:
        errors = dtd_errors(tmx_batch.files[0].output)
        row.tmx = "valid" if not errors else f"INVALID ({len(errors)})"
        if errors:
            row.notes.append(f"tmx draft: {errors[0][:100]}")


# -- glossaries ------------------------------------------------------------------------------


def run_glossary(path: Path, work: Path) -> Row:
    from glossaries import Glossary
    from tm.store.database import connect

    row = Row(path.name)
    expected = glossary_terms(path)
    row.expected = len(expected or {})
    db = work / "glossary.db"

    def importing() -> None:
        Glossary.open(connect(db)).import_file(path, author="bench")
        row.verdict = "accepted"

    _guard(row, "import", importing)
    if row.verdict != "accepted":
        if row.verdict == "refused" and expected:
            row.lost = len(expected)
        return row
    stored = terms_of(db)
    row.stored = len(stored)
    keys = set(expected or {})
    row.lost = len(keys - set(stored))
    row.wrong = len(set(stored) - keys)
    for key, categories in (expected or {}).items():
        have = stored.get(key, set())
        row.lost += len({c for c in categories if c.split("=", 1)[1] not in have})
    _guard(row, "round trip", lambda: glossary_trip(row, db, work))
    return row


def terms_of(db: Path) -> dict[tuple[str, str], set[str]]:
    """(language, term) → every value stored with it (its own and its concept's)."""
    from glossaries import Glossary
    from tm.store.database import connect

    found: dict[tuple[str, str], set[str]] = {}
    for concept in Glossary.open(connect(db)).concepts():
        shared = {str(v) for v in vars(concept).values() if isinstance(v, str) and v}
        for extra in getattr(concept, "sections", ()) or ():
            shared |= {str(v) for v in vars(extra).values() if isinstance(v, str) and v}
        for term in concept.terms:
            own = {str(v) for k, v in vars(term).items() if isinstance(v, str) and v}
            statuses = {
                "preferred": "preferredTerm-admn-sts",
                "admitted": "admittedTerm-admn-sts",
                "deprecated": "deprecatedTerm-admn-sts",
                "superseded": "supersededTerm-admn-sts",
            }
            own.add(statuses.get(term.status, term.status))
            for part in term.note.split("; "):
                own.add(part)
            found[(term.language, term.text)] = own | shared
    return found


def full_terms(db: Path) -> set[tuple[Any, ...]]:
    from glossaries import Glossary
    from tm.store.database import connect

    rows = set()
    for concept in Glossary.open(connect(db)).concepts():
        head = tuple(
            sorted((k, str(v)) for k, v in vars(concept).items() if k not in ("terms", "id"))
        )
        for term in concept.terms:
            fields = tuple(
                sorted(
                    (k, str(v))
                    for k, v in vars(term).items()
                    if k not in ("id", "version", "changed", "author", "concept")
                )
            )
            rows.add((head, fields))
    return rows


def glossary_trip(row: Row, db: Path, work: Path) -> None:
    from glossaries import Glossary
    from tm.store.database import connect

    first = full_terms(db)
    results = []
    for suffix in (".tbx", ".csv", ".tsv"):
        exported = work / f"export{suffix}"
        Glossary.open(connect(db)).export(exported)
        again = work / f"again{suffix}.db"
        try:
            Glossary.open(connect(again)).import_file(exported, author="bench")
        except Exception as error:
            results.append(f"{suffix} refused ({type(error).__name__})")
            row.lost += len(first)
            continue
        second = full_terms(again)
        if second != first:
            results.append(f"{suffix} {len(first - second)} differ")
            row.lost += len(first - second)
    row.trip = "same" if not results else "; ".join(results)


# -- the tables --------------------------------------------------------------------------------


def inputs(only: str) -> list[tuple[str, Path]]:
    found = [
        (FOLDERS[folder.name], path)
        for folder in sorted(FILES.iterdir())
        if folder.name in FOLDERS
        for path in sorted(folder.iterdir())
    ]
    if MADE.is_dir():
        found += [("made for tm (vendor style)", p) for p in sorted(MADE.iterdir()) if p.is_file()]
    return [(kind, path) for kind, path in found if only in path.name]


def run(path: Path) -> Row:
    work = Path(tempfile.mkdtemp(prefix="interop-"))
    try:
        name = path.name.lower()
        if name.endswith(".tmx"):
            return run_bitext(path, work, "tmx")
        if name.endswith((".xlf", ".xliff", ".sdlxliff", ".mqxliff")):
            return run_bitext(path, work, "xliff")
        return run_glossary(path, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main() -> None:
    if not FILES.is_dir():
        print(f"skipped: {FILES} is absent")
        return
    only = next((a for a in sys.argv[1:] if not a.startswith("-")), "")
    verbose = "--verbose" in sys.argv
    rows: dict[str, list[Row]] = {}
    for kind, path in inputs(only):
        rows.setdefault(kind, []).append(run(path))
    headers = ["file", "import", "expected", "stored", "lost", "wrong", "round trip", "dtd"]
    headers += ["draft", "kept", "existing", "changed", "xsd", "tmx"]
    for kind, found in rows.items():
        table(
            f"interop: {kind}",
            headers,
            [
                [
                    r.name[:48],
                    r.verdict,
                    r.expected,
                    r.stored,
                    r.lost,
                    r.wrong,
                    r.trip[:40],
                    r.dtd[:30],
                    r.draft,
                    r.kept,
                    r.existing,
                    r.changed,
                    r.xsd,
                    r.tmx,
                ]
                for r in found
            ],
        )
        if verbose:
            for r in found:
                for note in [r.message, *r.notes]:
                    if note:
                        print(f"  {r.name}: {note[:400]}")
    every = [r for found in rows.values() for r in found]
    exports = [r for r in every if r.dtd != "–"]
    tmx_drafts = [r for r in every if r.tmx != "–"]
    valid_inputs = [r for r in every if r.xsd not in ("–", "no schema")]
    totals = [
        ["files", len(every), ""],
        ["accepted", sum(r.verdict == "accepted" for r in every), ""],
        ["refused with a message", sum(r.verdict == "refused" for r in every), ""],
        ["crashed", sum(r.verdict == "CRASHED" for r in every), "0"],
        ["data lost (items)", sum(r.lost for r in every), "0"],
        ["silently wrong (items)", sum(r.wrong for r in every), "0"],
        ["round trips not the same", sum(r.trip not in ("same", "–") for r in every), "0"],
        [
            "TMX exports DTD-valid",
            f"{sum(r.dtd == 'valid' for r in exports)}/{len(exports)}",
            "100%",
        ],
        [
            "--format tmx drafts DTD-valid",
            f"{sum(r.tmx == 'valid' for r in tmx_drafts)}/{len(tmx_drafts)}",
            "100%",
        ],
        [
            "XLIFF drafts with no new schema error",
            f"{sum(r.xsd in ('valid', 'no new error') for r in valid_inputs)}/{len(valid_inputs)}",
            "100%",
        ],
        ["existing targets", sum(r.existing for r in every), ""],
        ["existing targets changed by pretranslation", sum(r.changed for r in every), "0"],
    ]
    table("interop: totals", ["measure", "value", "target"], totals)


if __name__ == "__main__":
    main()
