"""The command line as users wait for it (issue 21): wall time of the real `tm` commands in
fresh processes, start-up included, each run `--repeat` times (min and median shown).

- Start-up: `tm --help`, `tm stats` and `tm glossary find "…"` on a small TM (the demo releases
  and glossary), against `sqlite-utils --help` timed in the same run, run by run (target: no
  slower).
- The laws TM: every law pair except the first law documents of
  `canada-laws-fr-en/documents/` (about 1,000 of their lines; 444,571 pairs of 445,359), so
  that a release made of those documents and of UN text is text the TM has never seen.
  `tm import` of it, scoring included (target ≥ 20,000 pairs/s wall), then `tm quality rescore
  --relearn` (≤ 60 s), `tm lookup` cold (page cache dropped when this process may; ≤ 1.0 s)
  and warm, `tm serve` to its first `/health` answer (≤ 2 s), and `tm pretranslate` of the
  2,000-segment release (≥ 1,000 segments/s wall, start-up and index loading included).
- Progress: seconds from start to the first progress output on a pseudo-terminal, for
  `tm import` and `tm quality rescore --relearn` (≤ 1 s).

Run: `.venv/bin/python -m bench cli [--repeat N] [--skip-import] [--startup-only]` (about 10
minutes; the laws TM is made in build/bench/cli/ by the first import and reused with
--skip-import). tm's modules are byte-compiled first, as installing tm leaves them. The machine
may be shared: the load average at the start is printed with the table.
"""

from __future__ import annotations

import gzip
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench.common import ROOT, SHARED, WORK, table
from bench.index import drop_caches, serve

TM = [sys.executable, "-m", "service"]
FOLDER = WORK / "cli"
LAWS = SHARED / "canada-laws-fr-en"
UN = SHARED / "un-pc-v1-testsets-fr-en" / "UNv1.0.testset.fr"
QUERY = "Le ministre peut conclure des accords avec le gouvernement d'une province."
RELEASE_SEGMENTS = 2000
HELD_OUT_LINES = 1000


def held_out_documents() -> list[str]:
    """The first law documents (by name) until `HELD_OUT_LINES` lines: left out of the TM."""
    chosen, lines = [], 0
    for document in sorted((LAWS / "documents").iterdir()):
        if lines >= HELD_OUT_LINES:
            break
        chosen.append(document.name)
        lines += len((document / "fr.txt").read_text("utf-8").splitlines())
    return chosen


def corpus(folder: Path) -> Path:
    """laws.fr + laws.en: the laws corpus without the held-out documents."""
    french, english = folder / "laws.fr", folder / "laws.en"
    if french.exists() and english.exists():
        return french
    held = set(held_out_documents())
    folder.mkdir(parents=True, exist_ok=True)
    opened = [LAWS / "corpus" / f"canada-laws.{name}.gz" for name in ("fr", "en", "ids")]
    with (
        gzip.open(opened[0], "rt", encoding="utf-8") as fr_in,
        gzip.open(opened[1], "rt", encoding="utf-8") as en_in,
        gzip.open(opened[2], "rt", encoding="utf-8") as ids,
        french.open("w", encoding="utf-8") as fr,
        english.open("w", encoding="utf-8") as en,
    ):
        for f, e, ident in zip(fr_in, en_in, ids, strict=True):
            if ident.split("\t")[0] not in held:
                fr.write(f)
                en.write(e)
    return french


def release(folder: Path) -> list[Path]:
    """The held-out law documents' French and UN test-set lines: `RELEASE_SEGMENTS` lines."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    files, lines = [], 0
    for name in held_out_documents():
        path = folder / f"law-{name}.fr.txt"
        shutil.copy(LAWS / "documents" / name / "fr.txt", path)
        files.append(path)
        lines += len(path.read_text("utf-8").splitlines())
    un = UN.read_text("utf-8").splitlines()[: RELEASE_SEGMENTS - lines]
    (folder / "un-testset.fr.txt").write_text("\n".join(un) + "\n", "utf-8")
    return [*files, folder / "un-testset.fr.txt"]


def wall(command: list[str], *, before: Callable[[], object] | None = None) -> float:
    """Wall seconds of one command (output discarded; it must succeed)."""
    if before is not None:
        before()
    started = time.perf_counter()
    subprocess.run(
        command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - started


def repeated(times: int, run: Callable[[], float], per: float = 0) -> tuple[float, float]:
    """(min, median) of `times` runs' seconds, or with `per`, of `per` / seconds (a rate)."""
    runs = [run() for _ in range(times)]
    values = [per / seconds for seconds in runs] if per else runs
    return min(values), statistics.median(values)


def small_tm(folder: Path) -> Path:
    db = folder / "small.db"
    if not db.exists():
        folder.mkdir(parents=True, exist_ok=True)
        releases = sorted(str(p) for p in (ROOT / "data" / "releases").glob("*.fr"))
        glossary = str(ROOT / "data" / "glossary" / "glossary.tbx")
        subprocess.run([*TM, "--db", str(db), "import", *releases], check=True, cwd=ROOT,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        subprocess.run([*TM, "--db", str(db), "glossary", "import", glossary, "--author", "bench"],
                       check=True, cwd=ROOT, stdout=subprocess.DEVNULL)  # fmt: skip
    return db


def first_output(command: list[str]) -> float:
    """Seconds from start to the first bytes a command writes on a pseudo-terminal (its
    progress), the command then left to finish."""
    import pty
    import select

    master, slave = pty.openpty()
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdin=slave, stdout=slave, stderr=slave)
    os.close(slave)
    first = float("nan")
    while True:
        if not select.select([master], [], [], 1.0)[0]:
            if process.poll() is not None:
                break
            continue
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        if first != first:  # nan: nothing seen yet
            first = time.perf_counter() - started
    process.wait()
    os.close(master)
    return first


Row = list[object]


def row(figure: str, target: str, measured: tuple[float, float], met: bool, unit: str) -> Row:
    low, middle = measured
    return [figure, target, f"{low:.2f} / {middle:.2f} {unit}", "yes" if met else "NO"]


def startup_rows(repeat: int) -> list[Row]:
    """The start-up figures, interleaved run by run with the reference (a shared machine's load
    changes from second to second), 5 × `repeat` runs each."""
    db = str(small_tm(FOLDER))
    commands = {
        "sqlite-utils --help (the reference)": [str(Path(sys.executable).parent / "sqlite-utils"),
                                                "--help"],
        "tm --help": [*TM, "--help"],
        "tm stats (small TM)": [*TM, "--db", db, "stats"],
        'tm glossary find "…" (small TM)': [*TM, "--db", db, "glossary", "find", QUERY],
    }  # fmt: skip
    runs: dict[str, list[float]] = {label: [] for label in commands}
    for _ in range(5 * repeat):
        for label, command in commands.items():
            runs[label].append(wall(command))
    spread = {label: (min(r), statistics.median(r)) for label, r in runs.items()}
    reference = spread.pop("sqlite-utils --help (the reference)")
    rows = [row("sqlite-utils --help (the reference)", "", reference, True, "s")]
    for label, measured in spread.items():
        target = f"≤ {reference[1]:.2f} s (median)"
        rows.append(row(label, target, measured, measured[1] <= reference[1], "s"))
    return rows


def laws_rows(repeat: int, *, skip_import: bool) -> list[Row]:
    french = corpus(FOLDER)
    pairs = sum(1 for _ in french.open("rb"))
    db = FOLDER / "laws.db"
    files = [db, Path(f"{db}.index"), Path(f"{db}-wal"), Path(f"{db}-shm")]

    def fresh() -> None:
        for path in files:
            path.unlink(missing_ok=True)

    rows: list[Row] = []
    if not skip_import or not db.exists():
        rate = repeated(repeat, lambda: wall([*TM, "--db", str(db), "import", str(french)],
                                             before=fresh), per=pairs)  # fmt: skip
        rows.append(row(f"tm import, scoring included ({pairs:,} pairs)",
                        "≥ 20,000", rate, rate[1] >= 20_000, "pairs/s"))  # fmt: skip
    relearn = [*TM, "--db", str(db), "quality", "rescore", "--relearn"]
    seconds = repeated(repeat, lambda: wall(relearn))
    rows.append(row("tm quality rescore --relearn", "≤ 60 s", seconds, seconds[1] <= 60, "s"))
    lookup = [*TM, "--db", str(db), "lookup", QUERY]
    wall(lookup)  # the index built and saved, once
    how = drop_caches(files)
    cold = repeated(repeat, lambda: wall(lookup, before=lambda: drop_caches(files)))
    rows.append(row(f"tm lookup, cold ({how})", "≤ 1.0 s", cold, cold[1] <= 1.0, "s"))
    warm = repeated(repeat, lambda: wall(lookup))
    rows.append(row("tm lookup, warm", "", warm, True, "s"))
    health = repeated(repeat, lambda: serve(db, 1)[0])
    rows.append(row("tm serve: first /health (1 worker)", "≤ 2 s", health, health[1] <= 2, "s"))
    out = FOLDER / "draft"
    inputs = [str(p) for p in release(FOLDER / "release")]
    pretranslate = [*TM, "--db", str(db), "pretranslate", *inputs, "--out", str(out)]
    rate = repeated(repeat, lambda: wall(pretranslate, before=lambda: shutil.rmtree(out, True)),
                    per=RELEASE_SEGMENTS)  # fmt: skip
    rows.append(row(f"tm pretranslate ({RELEASE_SEGMENTS:,}-line release)",
                    "≥ 1,000", rate, rate[1] >= 1000, "segments/s"))  # fmt: skip
    return rows


def progress_rows(repeat: int) -> list[Row]:
    db = FOLDER / "progress.db"
    french = corpus(FOLDER)
    sample = FOLDER / "sample"
    sample.mkdir(parents=True, exist_ok=True)
    for side in ("fr", "en"):
        lines = (french.with_suffix(f".{side}")).open(encoding="utf-8")
        (sample / f"sample.{side}").write_text("".join(next(lines) for _ in range(50_000)), "utf-8")
    rows: list[Row] = []
    for label, args in [
        ("first progress: tm import (50k pairs)", ["import", str(sample / "sample.fr")]),
        ("first progress: tm quality rescore --relearn", ["quality", "rescore", "--relearn"]),
    ]:

        def run(args: list[str] = args) -> float:
            if args[0] == "import":
                for suffix in ("", "-wal", "-shm", ".index"):
                    Path(f"{db}{suffix}").unlink(missing_ok=True)
            return first_output([*TM, "--db", str(db), *args])

        seconds = repeated(repeat, run)
        rows.append(row(label, "≤ 1 s", seconds, seconds[1] <= 1.0, "s"))
    return rows


def byte_compiled() -> None:
    """Byte-compile tm's packages first, as installing them does (pip compiles a wheel's
    modules): a checkout run under PYTHONDONTWRITEBYTECODE, or read-only, would otherwise
    compile each module a command imports at every start (about 0.1 s of CPU for `tm
    lookup`), which no user of an installed tm pays."""
    import compileall

    for package in ("tm", "service", "glossaries", "alignments"):
        compileall.compile_dir(ROOT / package, quiet=1)


def main() -> None:
    repeat = int(sys.argv[sys.argv.index("--repeat") + 1]) if "--repeat" in sys.argv else 3
    byte_compiled()
    load = os.getloadavg()
    rows = startup_rows(repeat)
    if "--startup-only" not in sys.argv:
        rows += progress_rows(repeat)
        rows += laws_rows(repeat, skip_import="--skip-import" in sys.argv)
    table(
        f"tm at the command line: min / median of {repeat} runs ({5 * repeat} for start-up, "
        f"interleaved), wall time of the real command (start-up included, its modules "
        f"byte-compiled as an install leaves them); load average at start {load[0]:.1f} on "
        f"{os.cpu_count()} CPUs",
        ["figure", "target", "measured (min / median)", "met?"],
        rows,
    )


if __name__ == "__main__":
    main()
