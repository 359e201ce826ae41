"""Batch runs on workers (issue 22) against the 445k laws TM (build/bench/laws.db, made by
bench.lookup when absent): pretranslation of 2,500 segments (1,500 lines of the law documents,
1,000 held-out lines the TM has never seen) and alignment of the 60 law document pairs, each in
one process, on the process pool of `tm pretranslate --workers 2`, on the batch engine's
processes (2 and 4, each with its own copy of the TM: a simulated cluster) and on a local Dask
cluster of 2 workers, started by the run or already running. Each run of the batch engine makes
its copy of the TM, no copy kept from a run before; each Dask run is then run again, reading the
copy the run before kept (`tm.kept`: what an operator sees release after release against an
unchanged TM). Every output is compared byte for byte with one process's. Then, from
the measured per-segment and per-document costs (worker side and client side), the time for a
10M-segment archive on 8, 32 and 128 workers, on paper.

    .venv/bin/python -m bench.cluster
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import shutil
import sqlite3
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench.common import SHARED, WORK, table
from bench.lookup import ensure_laws_db
from bench.pretranslate import DOCUMENTS, HELD_OUT, batch_files, held_out_files

FOLDER = WORK / "cluster"
ARCHIVE = 10_000_000
SCALES = (8, 32, 128)


def _drafts(batch: Any) -> dict[str, bytes]:
    found = {r.path.name: r.output.read_bytes() for r in batch.files if r.output}
    report = json.loads(batch.report.read_text("utf-8"))
    report.pop("outputs")
    report.pop("tm_changed_during_run", None)
    found["analysis.json"] = json.dumps(report, sort_keys=True).encode()
    return found


def _conditions() -> str:
    """The load and CPUs beside a table's figures (a shared machine)."""
    load = os.getloadavg()
    return f"load average at the end {load[0]:.2f} / {load[1]:.2f} on {os.cpu_count()} CPUs"


def _timed(call: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


RELEASE = 20_000
"""Lines of the large job: text the laws TM was not built from (its 1,000 held-out lines, the UN
test sets, then WMT news), as files of `RELEASE_FILE` lines: a release cycle's thousands of
short files."""
RELEASE_FILE = 10
NEWS = sorted((SHARED / "wmt-news-testsets-fr-en").glob("*.fr"))
UN = sorted((SHARED / "un-pc-v1-testsets-fr-en").glob("*.fr"))


def release_files(folder: Path, lines: int = RELEASE) -> list[Path]:
    """The large job's files (`RELEASE`): none of their lines is in build/bench/laws.db."""
    folder.mkdir(parents=True, exist_ok=True)
    texts: list[str] = []
    for source in [HELD_OUT, *UN, *NEWS]:
        texts += [line for line in source.read_text("utf-8").splitlines() if line.strip()]
        if len(texts) >= lines:
            break
    texts = texts[:lines]
    files = []
    for number, start in enumerate(range(0, len(texts), RELEASE_FILE)):
        path = folder / f"release-{number:05d}.fr.txt"
        path.write_text("\n".join(texts[start : start + RELEASE_FILE]) + "\n", "utf-8")
        files.append(path)
    return files


def _cpu() -> tuple[float, float]:
    """CPU seconds so far of this process, and of all its children: those reaped, and those
    alive (a running cluster's workers; the forkserver a started cluster's workers are forked
    from, with the workers it has reaped)."""
    import psutil

    own = resource.getrusage(resource.RUSAGE_SELF)
    reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
    alive = 0.0
    for child in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            times = child.cpu_times()
            alive += times.user + times.system + times.children_user + times.children_system
    return own.ru_utime + own.ru_stime, reaped.ru_utime + reaped.ru_stime + alive


@dataclass
class Measured:
    """A row's runs, one per round: seconds, CPU (this process, children), % of the pool of
    the same round, whether each gave one process's drafts and report."""

    label: str
    workers: int
    copy: str
    seconds: list[float] = field(default_factory=list)
    client_cpu: list[float] = field(default_factory=list)
    children_cpu: list[float] = field(default_factory=list)
    of_pool: list[float] = field(default_factory=list)
    same: list[bool] = field(default_factory=list)

    def row(self, segments: int) -> list[Any]:
        rate = [segments / s for s in self.seconds]
        median = statistics.median(self.of_pool) if self.of_pool else 1.0
        low, high = min(self.seconds), max(self.seconds)
        cpu = statistics.median(self.client_cpu), statistics.median(self.children_cpu)
        return [
            self.label,
            self.workers,
            self.copy,
            len(self.seconds),
            f"{statistics.median(self.seconds):.2f} ({low:.2f}-{high:.2f})",
            f"{statistics.median(rate):,.0f} ({min(rate):,.0f}-{max(rate):,.0f})",
            f"{cpu[0]:.1f} + {cpu[1]:.1f}",
            f"{median:.0%} ({min(self.of_pool):.0%}-{max(self.of_pool):.0%})"
            if self.of_pool
            else "–",
            ("yes" if median >= 0.8 else "no") if self.of_pool else "",
            "yes" if all(self.same) else "NO",
        ]


def _measured(call: Callable[[], Any]) -> tuple[Any, float, float, float]:
    """`call`'s result, wall seconds, CPU of this process and of its children."""
    own, children = _cpu()
    result, seconds = _timed(call)
    own_after, children_after = _cpu()
    return result, seconds, own_after - own, children_after - children


def pretranslation_runs(
    db: Path, files: list[Path], rounds: int, *, engines: bool, name: str
) -> tuple[list[list[Any]], int, dict[str, float]]:
    """One process once (the reference), then `rounds` rounds of: the process pool, then each
    Dask row (and, in the first round, the batch engine's processes when `engines`): every
    figure of a row is set beside the pool's of its own round, under the same load."""
    from glossaries import Glossary
    from service.pipelines import batches, cluster, pretranslation, runs
    from service.pipelines.annotate import Annotator
    from tm import TranslationMemory

    with TranslationMemory.open(db) as memory:
        memory.index.refresh(memory.db)  # loaded once, as a command would
        annotate = Annotator(Glossary.open(memory.db)).notes
        one, one_s = _timed(
            lambda: pretranslation.pretranslate(
                memory, files, out=FOLDER / f"{name}-one", annotate=annotate, workers=1
            )
        )
        segments = sum(f.total.segments for f in one.analysis.files)
        expected = _drafts(one)
        reference = Measured("one process (once: the reference)", 1, "–", [one_s])
        reference.client_cpu, reference.children_cpu, reference.same = [0.0], [0.0], [True]
        pool = Measured("process pool (forked, shared index)", 2, "–")
        measured: dict[tuple[str, int, bool], Measured] = {}
        running = _running_cluster(2)
        modes: list[tuple[str, str | None, int, bool]] = []
        if running is not None:
            address = running.scheduler_address
            modes = [
                ("local Dask cluster, started by the run", cluster.LOCAL, 2, False),
                ("local Dask cluster, started by the run", cluster.LOCAL, 2, True),
                ("local Dask cluster, already running", address, 2, False),
                ("local Dask cluster, already running", address, 2, True),
            ]
        if engines:
            modes = [
                ("batch engine: processes, own copies", None, 2, False),
                ("batch engine: processes, own copies", None, 4, False),
                *modes,
            ]
        for number in range(rounds):
            load = os.getloadavg()
            print(f"{name}: round {number + 1} of {rounds}, load {load[0]:.2f}", flush=True)
            out = FOLDER / f"{name}-pool"
            shutil.rmtree(out, ignore_errors=True)
            run, pool_s, own, children = _measured(
                lambda out=out: pretranslation.pretranslate(
                    memory, files, out=out, annotate=annotate, workers=2
                )
            )
            pool.seconds.append(pool_s)
            pool.client_cpu.append(own)
            pool.children_cpu.append(children)
            pool.same.append(_drafts(run) == expected)
            for position, (label, where, workers, reused) in enumerate(modes):
                if where is None and number:
                    continue  # the batch engine's processes: once
                out = FOLDER / f"{name}-{position}-{workers}"
                shutil.rmtree(out, ignore_errors=True)
                if not reused:  # the first run against this TM: no copy kept
                    shutil.rmtree(db.with_name(db.name + ".copies"), ignore_errors=True)
                batch, run_s, own, children = _measured(
                    lambda where=where, workers=workers, out=out: batches.pretranslate(
                        memory, files, out=out, place=runs.Place(where, workers)
                    )
                )
                copy = "kept from the run before" if batch.snapshot.reused else "made by the run"
                row = measured.setdefault(
                    (label, workers, reused),
                    Measured(label, workers, copy),
                )
                row.seconds.append(run_s)
                row.client_cpu.append(own)
                row.children_cpu.append(children)
                row.of_pool.append(pool_s / run_s)
                row.same.append(_drafts(batch.batch) == expected)
        if running is not None:
            running.close()
        costs: dict[str, float] = {}
        if engines:
            costs = _pretranslation_costs(memory, files, annotate, segments)
            costs["copy_s"] = _copy_seconds(memory)
            costs["pool_rate"] = segments / statistics.median(pool.seconds)
    rows = [m.row(segments) for m in (reference, pool, *measured.values())]
    return rows, segments, costs


def _running_cluster(workers: int) -> Any:
    """A local Dask cluster started before the runs (as an operator's cluster is), or None
    without Dask."""
    from service.pipelines import cluster

    if not cluster.installed():
        return None
    import distributed

    return distributed.LocalCluster(
        n_workers=workers, threads_per_worker=1, dashboard_address=":0", silence_logs=40
    )


def _copy_seconds(memory: Any) -> float:
    """The time to copy the TM for workers (the backup and its index), measured once more."""
    from tm import copies

    folder = FOLDER / "copy-timing"
    shutil.rmtree(folder, ignore_errors=True)
    _, seconds = _timed(lambda: copies.make(memory, folder))
    for path in folder.iterdir():
        path.chmod(0o644)
    shutil.rmtree(folder, ignore_errors=True)
    return seconds


def _pretranslation_costs(
    memory: Any, files: list[Path], annotate: Any, segments: int
) -> dict[str, float]:
    """Seconds per segment: reading (client), filling first occurrences (worker: lookup,
    adaptation, notes), drafting and writing (client)."""
    from service.pipelines import pretranslation
    from service.pipelines.drafter import Pretranslator, first_occurrences, to_fill

    sources, read_s = _timed(lambda: [pretranslation.read(path) for path in files])
    worker = Pretranslator(memory, threshold=75, annotate=annotate)
    firsts = first_occurrences(sources)
    filled, fill_s = _timed(
        lambda: [
            [worker.fill(item) for item in to_fill(s, f)]
            for s, f in zip(sources, firsts, strict=True)
        ]
    )
    client = Pretranslator(memory, threshold=75)
    out = FOLDER / "costs"
    out.mkdir(parents=True, exist_ok=True)

    def draft_all() -> None:
        for source, positions, done in zip(sources, firsts, filled, strict=True):
            draft = client.draft(source, dict(zip(positions, done, strict=True)))
            pretranslation._write(source, draft, out / (source.path.name + ".xlf"), format="xliff")

    _, draft_s = _timed(draft_all)
    return {
        "read": read_s / segments,
        "worker": fill_s / segments,
        "client": draft_s / segments,
        "distinct": sum(map(len, firsts)) / segments,
    }


def _twin(db: Path, name: str) -> Path:
    path = FOLDER / name
    for stale in FOLDER.glob(name + "*"):
        stale.unlink()
    source = sqlite3.connect(db)
    target = sqlite3.connect(path)
    source.backup(target)
    target.close()
    source.close()
    return path


def _stored(path: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(path) as connection:
        return connection.execute(
            "SELECT id, source, target, origin, document, position, status, quality, properties "
            "FROM segments WHERE origin = 'bench-align' ORDER BY id"
        ).fetchall()


def alignment_runs(db: Path) -> tuple[list[list[Any]], dict[str, float]]:
    from service.pipelines import alignment, batches, cluster, runs
    from tm import TranslationMemory

    pairs = [(d.name, d / "fr.txt", d / "en.txt") for d in sorted(DOCUMENTS.iterdir())]
    with TranslationMemory.open(db) as memory:
        _, learn_s = _timed(lambda: alignment.lexicon(memory))  # stored once: every run reads it
    rows: list[list[Any]] = []
    twin = _twin(db, "align-one.db")
    with TranslationMemory.open(twin) as memory:
        one, one_s = _timed(
            lambda: alignment.align_and_store(memory, pairs, origin="bench-align", force=True)
        )
    expected = _stored(twin)
    documents = len(pairs)
    rows.append(
        [
            "one process (one transaction)",
            1,
            documents,
            one.report.stored,
            one_s,
            documents / one_s,
            "reference",
        ]
    )
    modes = [
        ("batch engine: processes, own copies", None, 2),
        ("batch engine: processes, own copies", None, 4),
    ]
    running = _running_cluster(2)
    if running is not None:
        modes.append(("local Dask cluster, started by the run", cluster.LOCAL, 2))
        modes.append(("local Dask cluster, already running", running.scheduler_address, 2))
    for label, where, workers in modes:
        twin = _twin(db, f"align-{len(rows)}-{workers}.db")
        with TranslationMemory.open(twin) as memory:
            run, run_s = _timed(
                lambda memory=memory, where=where, workers=workers: batches.align(
                    memory,
                    pairs,
                    place=runs.Place(where, workers),
                    origin="bench-align",
                    force=True,
                )
            )
        rows.append(
            [
                label,
                workers,
                documents,
                run.report.stored,
                run_s,
                documents / run_s,
                _stored(twin) == expected and not run.failed,
            ]
        )
    if running is not None:
        running.close()
    costs = _alignment_costs(db, pairs)
    costs["learn_s"] = learn_s
    return rows, costs


def _alignment_costs(db: Path, pairs: list[tuple[str, Path, Path]]) -> dict[str, float]:
    """Seconds per document: reading and checking (client), aligning (worker), storing
    (client, one transaction each); and segments per document."""
    from service.pipelines import alignment
    from tm import TranslationMemory

    documents, read_s = _timed(lambda: alignment.read_pairs(pairs))
    twin = _twin(db, "align-costs.db")
    with TranslationMemory.open(twin) as memory:
        words = alignment.lexicon(memory)
        aligned, align_s = _timed(lambda: [alignment.align_pair(d, words) for d in documents])
        _, store_s = _timed(
            lambda: [
                alignment.store(memory, [a], origin="bench-align", force=True) for a in aligned
            ]
        )
    count = len(pairs)
    return {
        "read": read_s / count,
        "worker": align_s / count,
        "client": store_s / count,
        "segments": sum(len(d.french) for d in documents) / count,
    }


def on_paper(pre: dict[str, float], align: dict[str, float]) -> list[list[Any]]:
    """Hours for ARCHIVE segments on W workers: the workers' share of the work, or the client's
    serial part when it is the longer (reading, drafting/storing), plus copying the TM."""
    rows = []
    documents = ARCHIVE / align["segments"]
    for workers in SCALES:
        workers_h = ARCHIVE * pre["worker"] * pre["distinct"] / workers / 3600
        client_h = ARCHIVE * (pre["read"] + pre["client"]) / 3600
        align_workers_h = documents * align["worker"] / workers / 3600
        align_client_h = documents * (align["read"] + align["client"]) / 3600
        rows.append(
            [
                workers,
                f"{workers_h:.2f}",
                f"{client_h:.2f}",
                f"{max(workers_h, client_h) + pre['copy_s'] / 3600:.2f}",
                f"{align_workers_h:.2f}",
                f"{align_client_h:.2f}",
                f"{max(align_workers_h, align_client_h):.2f}",
            ]
        )
    return rows


PRETRANSLATION_HEADERS = [
    "run",
    "workers",
    "TM copy",
    "runs",
    "wall s: median (min-max)",
    "segments/s: median (min-max)",
    "CPU s, median: this process (client; scheduler and nannies of a local cluster) + its "
    "children (workers)",
    "of the pool's in the same round: median (min-max)",
    "≥ 80%",
    "same drafts and report as one process",
]


def pretranslation_job(
    db: Path,
    files: list[Path],
    rounds: int,
    name: str,
    title: Callable[[int, dict[str, float]], str],
) -> dict[str, float]:
    """Run one job (`pretranslation_runs`; the batch engine's rows for the small job only)
    and print its table, titled by `title` (of its segments and costs); the costs."""
    rows, segments, costs = pretranslation_runs(
        db, files, rounds, engines=name == "small", name=name
    )
    table(title(segments, costs), PRETRANSLATION_HEADERS, rows)
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.cluster", description=__doc__)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds (3)")
    parser.add_argument(
        "--jobs", default="small,large", help="small (2,580 segments), large (20,000 lines)"
    )
    parser.add_argument("--no-align", action="store_true", help="pretranslation only")
    options = parser.parse_args()
    jobs = options.jobs.split(",")
    db = ensure_laws_db()
    shutil.rmtree(FOLDER, ignore_errors=True)
    FOLDER.mkdir(parents=True)
    pre: dict[str, float] = {}
    if "small" in jobs:
        files = batch_files(FOLDER / "in-documents", 1_500) + held_out_files(
            FOLDER / "in-held-out", 1_000
        )
        pre = pretranslation_job(
            db, files, options.rounds, "small",
            lambda segments, costs: (
                f"Small job: pretranslation against the laws TM (445k), {segments:,} segments "
                f"in {len(files)} files (1,500 lines of the law documents, 1,000 held-out "
                f"lines), {options.rounds} interleaved rounds; {_conditions()}; batch runs "
                "include copying the TM for their workers when it is made "
                f"({costs['copy_s']:.1f} s: database, log and index files)"
            ),
        )  # fmt: skip
    if "large" in jobs:
        files = release_files(FOLDER / "in-release")
        pretranslation_job(
            db, files, options.rounds, "large",
            lambda segments, _costs: (
                f"Large job: pretranslation against the laws TM (445k), {segments:,} segments "
                f"in {len(files):,} files of {RELEASE_FILE} lines none of which is in the TM "
                f"(its held-out lines, the UN test sets, WMT news), {options.rounds} "
                f"interleaved rounds; {_conditions()}"
            ),
        )  # fmt: skip
    if options.no_align or not pre:
        return
    align_rows, align = alignment_runs(db)
    table(
        f"Alignment of the 60 law document pairs, stored in a copy of the laws TM (lexicon "
        f"learned and stored first: {align['learn_s']:.1f} s)",
        [
            "run",
            "workers",
            "documents",
            "pairs stored",
            "wall s",
            "documents/s",
            "same stored pairs as one process",
        ],
        align_rows,
    )
    table(
        "Measured costs (one CPU, this machine)",
        ["job", "client: read s/unit", "worker s/unit", "client: write s/unit", "unit"],
        [
            [
                "pretranslation",
                f"{pre['read'] * 1000:.3f} ms",
                f"{pre['worker'] * 1000:.3f} ms",
                f"{pre['client'] * 1000:.3f} ms",
                f"segment ({pre['distinct']:.0%} distinct: looked up)",
            ],
            [
                "alignment",
                f"{align['read'] * 1000:.1f} ms",
                f"{align['worker'] * 1000:.1f} ms",
                f"{align['client'] * 1000:.1f} ms",
                f"document ({align['segments']:.0f} segments)",
            ],
        ],
    )
    table(
        f"On paper: a {ARCHIVE:,}-segment archive (hours; the longer of the workers' share and "
        "the client's serial reading and writing; pretranslation adds the TM copy)",
        [
            "workers",
            "pretranslate: workers h",
            "client h",
            "total h",
            "align: workers h",
            "client h",
            "total h",
        ],
        on_paper(pre, align),
    )


if __name__ == "__main__":
    main()
