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

import json
import os
import shutil
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import WORK, table
from bench.lookup import ensure_laws_db
from bench.pretranslate import DOCUMENTS, batch_files, held_out_files

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


def _timed(call: Callable[[], Any]) -> tuple[Any, float]:
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


def pretranslation_runs(db: Path, files: list[Path]) -> tuple[list[list[Any]], dict[str, float]]:
    from glossaries import Glossary
    from service.pipelines import batches, cluster, pretranslation, runs
    from service.pipelines.annotate import Annotator
    from tm import TranslationMemory

    rows: list[list[Any]] = []
    with TranslationMemory.open(db) as memory:
        memory.index.refresh(memory.db)  # loaded once, as a command would
        annotate = Annotator(Glossary.open(memory.db)).notes
        one, one_s = _timed(
            lambda: pretranslation.pretranslate(
                memory, files, out=FOLDER / "one", annotate=annotate, workers=1
            )
        )
        segments = sum(f.total.segments for f in one.analysis.files)
        expected = _drafts(one)
        rows.append(["one process", 1, "–", segments, one_s, segments / one_s, "", "", "reference"])
        pool, pool_s = _timed(
            lambda: pretranslation.pretranslate(
                memory, files, out=FOLDER / "pool", annotate=annotate, workers=2
            )
        )
        same = _drafts(pool) == expected
        rows.append(
            [
                "process pool (forked, shared index)",
                2,
                "–",
                segments,
                pool_s,
                segments / pool_s,
                "100%",
                "",
                same,
            ]
        )
        modes: list[tuple[str, str | None, int, bool]] = [
            ("batch engine: processes, own copies", None, 2, False),
            ("batch engine: processes, own copies", None, 4, False),
        ]
        running = _running_cluster(2)
        if running is not None:
            address = running.scheduler_address
            modes += [
                ("local Dask cluster, started by the run", cluster.LOCAL, 2, False),
                ("local Dask cluster, started by the run", cluster.LOCAL, 2, True),
                ("local Dask cluster, already running", address, 2, False),
                ("local Dask cluster, already running", address, 2, True),
            ]
        copy_s = 0.0
        for label, where, workers, reused in modes:
            out = FOLDER / f"{len(rows)}-{workers}"
            shutil.rmtree(out, ignore_errors=True)
            if not reused:  # the first run against this TM: no copy kept
                shutil.rmtree(db.with_name(db.name + ".copies"), ignore_errors=True)
            run, run_s = _timed(
                lambda where=where, workers=workers, out=out: batches.pretranslate(
                    memory, files, out=out, place=runs.Place(where, workers)
                )
            )
            copy_s = _copy_seconds(memory)
            rows.append(
                [
                    label,
                    workers,
                    "kept from the run before" if run.snapshot.reused else "made by the run",
                    segments,
                    run_s,
                    segments / run_s,
                    f"{pool_s / run_s:.0%}",
                    f"{segments / (run_s - copy_s):,.0f}" if where is None else "–",
                    _drafts(run.batch) == expected,
                ]
            )
        if running is not None:
            running.close()
        costs = _pretranslation_costs(memory, files, annotate, segments)
        costs["copy_s"] = copy_s
        costs["pool_rate"] = segments / pool_s
    return rows, costs


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


def main() -> None:
    load = os.getloadavg()
    db = ensure_laws_db()
    shutil.rmtree(FOLDER, ignore_errors=True)
    FOLDER.mkdir(parents=True)
    files = batch_files(FOLDER / "in-documents", 1_500) + held_out_files(
        FOLDER / "in-held-out", 1_000
    )
    pre_rows, pre = pretranslation_runs(db, files)
    table(
        f"Pretranslation against the laws TM (445k), {len(files)} files; load average at start "
        f"{load[0]:.1f} on {os.cpu_count()} CPUs (shared machine); batch runs include copying "
        f"the TM for their workers ({pre['copy_s']:.1f} s: database, log and index files)",
        [
            "run",
            "workers",
            "TM copy",
            "segments",
            "wall s",
            "segments/s",
            "of the pool's",
            "segments/s without the copy (Dask: – , its workers warm up during the copy)",
            "same drafts and report as one process",
        ],
        pre_rows,
    )
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
