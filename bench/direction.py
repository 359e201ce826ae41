"""Language direction: swapped and wrong-language inputs refused, right ones never (issue 18).

Each input goes through the check the product runs before any write, never a copy of it:
- documents (`tm align`): `service.pipelines.alignment.read_pair` on each of the 60 law
  document pairs (../shared/data/canada-laws-fr-en/documents, a unit a line), the demo archive
  (data/archive), the seed release and the demo's new release (French only: as the French
  side of a pair, and swapped, beside a law document's English);
- line-parallel (`tm import X.fr X.en`) and TSV, headerless and with an `fr<TAB>en` header
  (`tm.formats.check`): the same law documents, the demo releases (data/releases), the UN test
  set and FLORES devtest (one file pair each);
- glossaries (`tm glossary import`): `glossaries.direction.checked` on the demo glossary (CSV
  and TBX), the laws' 12,506 defined terms and TerminoRel (CSV), each parsed by the product;
  and the CSVs given to `tm import` (a glossary's header: refused with a pointer).
Every input is checked as it is (its right way round: a refusal is a false alarm) and swapped
(French and English exchanged: a refusal naming the swap is a detection). Then inputs in
neither language as the English side of each law document: German (Text+Berg test set),
Python (this project's modules), numbers only (each line's digits); and French quoting English:
the French of each law document with 1 line in 5, or 1 in 3, replaced by its English.

Targets (issue 18): 100% of the swapped law documents detected in all three forms; 0 false
alarms on the right-way-round ones, the seed release and the demo data.
Run: `.venv/bin/python -m bench.direction` (about a minute).
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.common import ROOT, SHARED, table
from glossaries import direction, tables, tbx
from service.pipelines.alignment import read_pair
from tm.errors import InvalidInput
from tm.formats import ImportFile, check

LAWS = SHARED / "canada-laws-fr-en" / "documents"
SEED = SHARED.parent / "seed" / "release-2023-11-28.fr.txt"
GERMAN = SHARED / "alignment-gold" / "textberg-de-fr" / "test"
SWAPPED = "the sides are swapped"


@dataclass
class Tally:
    """One row: inputs checked, swapped ones detected, right ones refused (false alarms)."""

    name: str
    form: str
    inputs: int = 0
    detected: int | None = 0
    """Swapped (or wrong-language) inputs refused; None where there are none."""
    false_alarms: int = 0
    seconds: float = 0.0
    example: str = ""


def outcome(attempt: Callable[[], object]) -> str | None:
    """The refusal's message, or None when the input is accepted."""
    try:
        attempt()
    except InvalidInput as error:
        return str(error)
    return None


def tally(
    name: str, form: str, cases: Iterator[tuple[Callable[[], object], Callable[[], object]]]
) -> Tally:
    """Check each (right way round, swapped) pair of attempts."""
    row = Tally(name, form)
    started = time.perf_counter()
    for right, swapped in cases:
        row.inputs += 1
        alarm = outcome(right)
        if alarm is not None:
            row.false_alarms += 1
            row.example = row.example or alarm
        refused = outcome(swapped)
        row.detected = (row.detected or 0) + (refused is not None and SWAPPED in refused)
        if refused is None or SWAPPED not in refused:
            row.example = row.example or f"swap not detected: {refused}"
    row.seconds = time.perf_counter() - started
    return row


def law_documents() -> list[tuple[str, list[str], list[str]]]:
    found = []
    for folder in sorted(LAWS.iterdir()):
        french = (folder / "fr.txt").read_text("utf-8").splitlines()
        english = (folder / "en.txt").read_text("utf-8").splitlines()
        found.append((folder.name, french, english))
    return found


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), "utf-8")
    return path


def parallel(folder: Path, name: str, french: list[str], english: list[str]) -> ImportFile:
    return ImportFile(
        "parallel", (write(folder / f"{name}.fr", french), write(folder / f"{name}.en", english))
    )


def tsv(folder: Path, name: str, french: list[str], english: list[str], header: bool) -> ImportFile:
    rows = ["fr\ten"] if header else []
    rows += [f"{fr}\t{en}" for fr, en in zip(french, english, strict=True) if fr and en]
    return ImportFile("table", (write(folder / f"{name}.tsv", rows),))


def document_cases(
    folder: Path, documents: list[tuple[str, list[str], list[str]]]
) -> Iterator[tuple[Callable[[], object], Callable[[], object]]]:
    for name, french, english in documents:
        fr = write(folder / f"{name}.fr.txt", french)
        en = write(folder / f"{name}.en.txt", english)
        yield (lambda fr=fr, en=en: read_pair(fr, en)), (lambda fr=fr, en=en: read_pair(en, fr))


def file_cases(
    folder: Path, documents: list[tuple[str, list[str], list[str]]], form: str
) -> Iterator[tuple[Callable[[], object], Callable[[], object]]]:
    for name, french, english in documents:
        if form == "parallel":
            right = parallel(folder, name, french, english)
            swapped = parallel(folder, name + "-swapped", english, french)
        else:
            header = form == "tsv with header"
            right = tsv(folder, name, french, english, header)
            swapped = tsv(folder, name + "-swapped", english, french, header)
        yield (lambda r=right: check(r)), (lambda s=swapped: check(s))


def read_lines(path: Path) -> list[str]:
    return path.read_text("utf-8").splitlines()


def demo_documents() -> list[tuple[str, list[str], list[str]]]:
    releases = sorted((ROOT / "data" / "releases").glob("*.fr"))
    return [(p.stem, read_lines(p), read_lines(p.with_suffix(".en"))) for p in releases]


def archive_documents() -> list[tuple[str, list[str], list[str]]]:
    found = []
    for french in sorted((ROOT / "data" / "archive").glob("*.fr.txt")):
        english = french.with_name(french.name.replace(".fr.", ".en."))
        found.append((french.name.split(".")[0], read_lines(french), read_lines(english)))
    return found


def corpus(name: str, french: Path, english: Path) -> list[tuple[str, list[str], list[str]]]:
    return [(name, read_lines(french), read_lines(english))]


def whole_corpus() -> Tally:
    """The 445k-pair laws corpus (gzipped line-parallel files), as `tm import` checks it: what
    the check adds to the largest import (it reads the first `SIDE_WORDS` words of a side)."""
    french = SHARED / "canada-laws-fr-en" / "corpus" / "canada-laws.fr.gz"
    english = french.with_name("canada-laws.en.gz")
    right, swapped = (
        ImportFile("parallel", (french, english)),
        ImportFile("parallel", (english, french)),
    )
    return tally(
        "laws corpus (445,359 pairs, gz)",
        "parallel",
        iter([(lambda: check(right), lambda: check(swapped))]),
    )


def glossary_cases() -> list[Tally]:
    """The glossaries: each parsed by the product, checked as it is and swapped."""
    files = [
        ("demo glossary (CSV)", ROOT / "data" / "glossary" / "glossary.csv"),
        ("demo glossary (TBX)", ROOT / "data" / "glossary" / "glossary.tbx"),
        (
            "laws' defined terms",
            SHARED / "canada-laws-defined-terms-fr-en" / "canada-laws-defined-terms.fr-en.csv",
        ),
        ("TerminoRel (CSV)", SHARED / "terminorel-ulb-fr-en" / "terminorel-ulb.fr-en.csv"),
    ]
    rows = []
    for name, path in files:
        if not path.exists():
            continue
        parsed = tbx.read(path) if path.suffix == ".tbx" else tables.read(path)
        cases = iter(
            [
                (
                    lambda p=parsed, f=str(path): direction.checked(p, f),
                    lambda p=parsed, f=str(path): direction.checked(direction.swapped(p), f),
                )
            ]
        )
        rows.append(tally(name, "glossary import", cases))
    return rows


def glossaries_given_to_import() -> Tally:
    """Glossary CSVs given to `tm import`: each should be refused with a pointer."""
    row = Tally("glossary CSVs given to tm import", "tm import")
    for path in (
        ROOT / "data" / "glossary" / "glossary.csv",
        SHARED / "canada-laws-defined-terms-fr-en" / "canada-laws-defined-terms.fr-en.csv",
    ):
        row.inputs += 1
        refused = outcome(lambda p=path: check(ImportFile("table", (p,))))
        row.detected = (row.detected or 0) + (
            refused is not None and "tm glossary import" in refused
        )
    return row


def neither(folder: Path, documents: list[tuple[str, list[str], list[str]]]) -> list[Tally]:
    """Each law document's French with an English side in neither language: a whole German
    text (cycled), a whole Python module of tm/ (over 2 kB, cycled), its own digits."""
    german = [read_lines(p) for p in sorted(GERMAN.glob("*.de"))]
    code = [read_lines(p) for p in sorted((ROOT / "tm").rglob("*.py")) if p.stat().st_size > 2000]
    kinds: dict[str, Callable[[int, list[str]], list[str]]] = {
        "a German text": lambda i, english: german[i % len(german)],
        "a Python module": lambda i, english: code[i % len(code)],
        "numbers only": lambda i, english: [
            "".join(c for c in line if c.isdigit() or c == " ") or "0" for line in english
        ],
    }
    rows = []
    for kind, make in kinds.items():
        row = Tally(f"law documents, English side {kind}", "parallel")
        started = time.perf_counter()
        for number, (name, french, english) in enumerate(documents):
            pair = parallel(folder, f"{name}-{kind[-3:]}", french, make(number, english))
            refused = outcome(lambda pair=pair: check(pair))
            row.inputs += 1
            row.detected = (row.detected or 0) + (
                refused is not None and "neither French nor English" in refused
            )
            if refused is None or "neither" not in refused:
                row.example = row.example or f"{name}: {refused or 'accepted'}"
        row.seconds = time.perf_counter() - started
        rows.append(row)
    return rows


def quoting(folder: Path, documents: list[tuple[str, list[str], list[str]]]) -> list[Tally]:
    """French documents quoting English: 1 line in `every` replaced by its English."""
    rows = []
    for every in (5, 3, 2):
        row = Tally(f"law documents, French with 1 line in {every} English", "documents")
        row.detected = None
        started = time.perf_counter()
        for name, french, english in documents:
            mixed = [
                en if i % every == every - 1 else fr
                for i, (fr, en) in enumerate(zip(french, english, strict=True))
            ]
            fr = write(folder / f"{name}-mixed{every}.fr.txt", mixed)
            en = write(folder / f"{name}-mixed{every}.en.txt", english)
            row.inputs += 1
            alarm = outcome(lambda fr=fr, en=en: read_pair(fr, en))
            if alarm is not None:
                row.false_alarms += 1
                row.example = row.example or alarm
        row.seconds = time.perf_counter() - started
        rows.append(row)
    return rows


def seed() -> Tally:
    """The seed release and the demo's new release (French only), each as the French side
    (accepted) and as the English side (refused), beside the English of a law document."""
    row = Tally("seed + demo new release (French only)", "documents")
    releases = [SEED, *sorted((ROOT / "data" / "new").glob("*.fr.txt"))]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        english = write(Path(folder) / "law.en.txt", read_lines(LAWS / "B-1.7" / "en.txt"))
        for release in releases:
            row.inputs += 1
            alarm = outcome(lambda r=release: read_pair(r, english))
            row.false_alarms += alarm is not None
            row.example = row.example or alarm or ""
            refused = outcome(lambda r=release: read_pair(english, r))
            row.detected = (row.detected or 0) + (refused is not None and SWAPPED in refused)
    row.seconds = time.perf_counter() - started
    return row


def main() -> None:
    if not LAWS.exists():
        print(f"no data at {LAWS}: the benchmark needs ../shared/data", file=sys.stderr)
        return
    documents = law_documents()
    rows: list[Tally] = []
    with tempfile.TemporaryDirectory(prefix="tm-direction-") as name:
        folder = Path(name)
        rows.append(
            tally("60 law documents", "documents (tm align)", document_cases(folder, documents))
        )
        for form in ("parallel", "tsv", "tsv with header"):
            rows.append(tally("60 law documents", form, file_cases(folder, documents, form)))
        rows.append(
            tally(
                "demo releases (23)", "parallel", file_cases(folder, demo_documents(), "parallel")
            )
        )
        rows.append(
            tally(
                "demo archive (3)",
                "documents (tm align)",
                document_cases(folder, archive_documents()),
            )
        )
        rows.append(seed())
        un = SHARED / "un-pc-v1-testsets-fr-en"
        rows.append(
            tally(
                "UN test set (4,000 lines)",
                "parallel",
                file_cases(
                    folder,
                    corpus("un", un / "UNv1.0.testset.fr", un / "UNv1.0.testset.en"),
                    "parallel",
                ),
            )
        )
        flores = SHARED / "general-testsets-fr-en"
        rows.append(
            tally(
                "FLORES devtest (1,012 lines)",
                "tsv",
                file_cases(
                    folder,
                    corpus(
                        "flores", flores / "flores200-devtest.fr", flores / "flores200-devtest.en"
                    ),
                    "tsv",
                ),
            )
        )
        rows.append(whole_corpus())
        rows += glossary_cases()
        rows.append(glossaries_given_to_import())
        rows += neither(folder, documents)
        rows += quoting(folder, documents)
    table(
        "Language direction (tm.text.language; refused before any write)",
        [
            "input",
            "form",
            "inputs",
            "swapped (or wrong) refused",
            "right way round refused",
            "s",
            "first miss or alarm",
        ],
        [
            (
                r.name,
                r.form,
                r.inputs,
                "—" if r.detected is None else f"{r.detected}/{r.inputs}",
                r.false_alarms,
                r.seconds,
                r.example[:120],
            )
            for r in rows
        ],
    )


if __name__ == "__main__":
    main()
