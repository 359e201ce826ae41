"""Coverage-guided fuzzing (atheris, libFuzzer) of the readers of what users upload: TMX,
XLIFF (import and pretranslation input), TBX, CSV/TSV (termbases and bitext), Markdown and
DOCX. A reader may refuse its input only with `InvalidInput` (the documented error); any other
exception, an input taking over 5 s, or over 2 GB of memory is a crash. Each reader runs in its
own process for a bounded time, from seeds in tests/data.

`python -m stress.fuzz READER SECONDS FOLDER` runs one (the suite calls it)."""

from __future__ import annotations

import contextlib
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from stress.report import Row

DATA = Path("tests/data")
OUT = Path("build/stress").absolute()  # crashing inputs are kept there
XLF = DATA / "pretranslation"
SEEDS: dict[str, list[Path | bytes]] = {
    "tmx": [DATA / "sample.tmx", DATA / "admin-import.tmx"],
    "xliff": [XLF / "export.xlf", XLF / "export2.xlf"],
    "xliff input": [XLF / "export.xlf", XLF / "segmented.xlf"],
    "tbx": [DATA / "glossary-v2.tbx", DATA / "termbase-dc4025.xml"],
    "csv": [DATA / "glossary.csv", DATA / "service-glossary.csv", DATA / "engine.fr-en.tsv"],
    "markdown": [
        b"# Titre ##\n\nUn **paragraphe** sur\ndeux lignes avec [un lien](http://x).\n\n"
        b"- premier *point*\n- second `point`\n\n1. num\xc3\xa9rot\xc3\xa9\n\nSous-titre\n---\n"
        b"> citation\n\n| a | b |\n|---|---|\n| c | d |\n```\ncode\n```\n"
    ],
    "docx": [],  # made from a package of the tests' kind in _seed_docx
}


def _target(reader: str) -> Callable[[bytes], None]:
    """The function atheris calls: `reader` on the bytes, written to a file where it reads one."""
    from tm.errors import InvalidInput

    folder = Path(tempfile.mkdtemp(prefix="tm-fuzz-"))
    suffix = {"tmx": ".tmx", "xliff": ".xlf", "xliff input": ".xlf", "tbx": ".tbx", "csv": ".csv"}

    def read(data: bytes) -> None:
        path = folder / f"input{suffix.get(reader, '')}"
        path.write_bytes(data)
        if reader in ("tmx", "xliff"):
            from tm.formats import reader as formats

            for source in formats.group([path]):
                list(formats.read(source, origin="fuzz", skipped=[]))
        elif reader == "xliff input":
            from tm.formats import xliff_input

            xliff_input.load(path)
        elif reader == "tbx":
            from glossaries import isocat, tbx

            (isocat if isocat.MARKER in data[:4096] else tbx).read(path)
        elif reader == "csv":
            from glossaries import tables
            from tm.formats import bitext

            for name in ("glossary.csv", "bitext.tsv"):
                (folder / name).write_bytes(data)
            for call in (
                lambda: tables.read(folder / "glossary.csv"),
                lambda: list(bitext.read_table(folder / "bitext.tsv", origin="fuzz")),
            ):
                with contextlib.suppress(InvalidInput):
                    call()
        else:
            from tm.formats.documents import paragraphs_from_bytes

            paragraphs_from_bytes(data, name="input.md" if reader == "markdown" else "input.docx")

    def target(data: bytes) -> None:
        with contextlib.suppress(InvalidInput):
            read(data)

    return target


def _seed_docx() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="r1" Target="word/document.xml" Type="http://schemas.openxmlformats'
            '.org/officeDocument/2006/relationships/officeDocument"/></Relationships>',
        )
        package.writestr(
            "word/document.xml",
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>Bonjour.</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r>"
            "<w:t>Cellule</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>",
        )
    return buffer.getvalue()


def fuzz(reader: str, seconds: int, folder: Path) -> None:
    """Run atheris on one reader (in this process: libFuzzer exits it when done)."""
    import atheris

    label = re.sub(r"\W", "-", reader)
    OUT.mkdir(parents=True, exist_ok=True)
    corpus = folder / label
    corpus.mkdir(parents=True, exist_ok=True)
    seeds = SEEDS[reader] or [_seed_docx()]
    for number, seed in enumerate(seeds):
        data = seed.read_bytes() if isinstance(seed, Path) else seed
        (corpus / f"seed-{number}").write_bytes(data)
    with atheris.instrument_imports():
        target = _target(reader)
        target(b"")  # import the reader's modules inside the instrumented block
    arguments = [
        sys.argv[0],
        str(corpus),
        f"-max_total_time={seconds}",
        "-timeout=5",
        "-rss_limit_mb=2048",
        "-max_len=65536",
        f"-artifact_prefix={OUT}/crash-{label}-",
        "-print_final_stats=1",
    ]
    atheris.Setup(arguments, target)
    atheris.Fuzz()


def run(work: Path, *, seconds: int = 60) -> list[Row]:
    """Each reader fuzzed for `seconds` in its own process: one row per reader."""
    try:
        import atheris  # noqa: F401
    except ImportError:
        return [
            Row(
                "fuzz",
                reader,
                "atheris not installed (pip install -e '.[stress]')",
                "",
                False,
                True,
            )
            for reader in SEEDS
        ]
    rows = []
    for reader in SEEDS:
        done = subprocess.run(
            [sys.executable, "-m", "stress.fuzz", reader, str(seconds), str(work)],
            capture_output=True,
            text=True,
            timeout=seconds * 3 + 120,
            check=False,
        )
        runs = re.search(r"stat::number_of_executed_units: (\d+)", done.stderr)
        coverage = re.findall(r"cov: (\d+)", done.stderr)
        crashed = re.findall(r"(?:Uncaught Python exception|ERROR: libFuzzer): ?(.*)", done.stderr)
        problem = crashed[0][:80] if crashed else ""
        if not crashed and done.returncode:
            problem = done.stderr.strip().splitlines()[-1][:80] if done.stderr.strip() else "?"
        measured = (
            f"{int(runs.group(1)) if runs else 0:,} inputs in {seconds} s, "
            f"coverage {coverage[-1] if coverage else '?'}, "
            + (f"crash: {problem}" if problem else "0 crashes")
        )
        rows.append(Row("fuzz", reader, measured, "0 crashes but InvalidInput", not problem))
    return rows


if __name__ == "__main__":
    fuzz(sys.argv[1], int(sys.argv[2]), Path(sys.argv[3]))
