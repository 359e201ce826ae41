"""Batch runs on workers (`--cluster`): the same drafts, report and stored pairs as one process,
on processes here and on a local Dask cluster; a killed worker loses nothing; a run resumes;
an unreachable scheduler, workers that cannot read the copy and a TM that changes during the
run are told. Tests that need Dask skip without it (`pip install 'tm[cluster]'`)."""

from __future__ import annotations

import json
import multiprocessing
import os
import platform
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from glossaries import Glossary
from service.pipelines import alignment, batches, cluster, pretranslation, runs, works
from service.pipelines.annotate import Annotator
from tests.conftest import cli
from tm import TranslationMemory, copies, kept
from tm.errors import InvalidInput
from tm.store import copies as store_copies

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data"
PRETRANSLATION = Path(__file__).parent / "data" / "pretranslation"
LAW = Path(__file__).parent / "data"
needs_dask = pytest.mark.skipif(not cluster.installed(), reason="Dask is not installed")


@pytest.fixture
def demo(memory: TranslationMemory) -> TranslationMemory:
    """The demo TM: 23 releases (379 pairs) and the 165-concept glossary."""
    memory.import_files(sorted((DEMO / "releases").glob("*.fr")), origin="press")
    Glossary.open(memory.db).import_file(DEMO / "glossary" / "glossary.tbx", author="demo")
    return memory


@pytest.fixture
def inputs(tmp_path: Path) -> list[Path]:
    """New releases, one twice under another name (repetitions across documents), the demo's
    releases as new text, and a file that fails."""
    folder = tmp_path / "in"
    folder.mkdir()
    found = [*sorted((DEMO / "new").glob("*.fr.txt")), PRETRANSLATION / "release.fr.txt"]
    copied = folder / "again.fr.txt"
    shutil.copyfile(PRETRANSLATION / "release.fr.txt", copied)
    for release in sorted((DEMO / "releases").glob("*.fr"))[:6]:
        target = folder / (release.stem + ".txt")
        shutil.copyfile(release, target)
        found.append(target)
    broken = folder / "empty.txt"
    broken.write_text("", "utf-8")
    twin = folder / "twin" / "again.fr.txt"  # the same name as another input: drafts mirror
    twin.parent.mkdir()
    shutil.copyfile(DEMO / "new" / sorted(p.name for p in (DEMO / "new").glob("*.fr.txt"))[0], twin)
    return [*found, copied, twin, broken]


def one_process(memory: TranslationMemory, paths: list[Path], out: Path) -> pretranslation.Batch:
    annotate = Annotator(Glossary.open(memory.db)).notes
    return pretranslation.pretranslate(memory, paths, out=out, annotate=annotate, workers=1)


def outputs(batch: pretranslation.Batch) -> dict[str, bytes]:
    """Every draft's bytes by input name, and the report without where the drafts went."""
    out = batch.report.parent
    found = {str(r.output.relative_to(out)): r.output.read_bytes() for r in batch.files if r.output}
    report = json.loads(batch.report.read_text("utf-8"))
    report.pop("outputs")
    found["analysis.json"] = json.dumps(report, sort_keys=True).encode()
    found["analysis.csv"] = batch.table.read_bytes()
    return found


@pytest.mark.parametrize("part", [batches.PART, 3])  # 3: documents sent as several tasks
def test_pretranslation_on_processes_is_the_batch_of_one_process(
    demo: TranslationMemory,
    inputs: list[Path],
    tmp_path: Path,
    part: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(batches, "PART", part)
    expected = one_process(demo, inputs, tmp_path / "one")
    seen: list[int] = []
    run = batches.pretranslate(
        demo, inputs, out=tmp_path / "pool", place=runs.Place(workers=2), progress=seen.append
    )
    assert outputs(run.batch) == outputs(expected)
    assert [r.error for r in run.batch.failed] == [r.error for r in expected.failed] != []
    assert sum(seen) == sum(f.total.segments for f in expected.analysis.files)
    assert run.snapshot.segments == demo.count() and not run.snapshot.changed
    assert "local process" in run.snapshot.engine
    assert run.snapshot.reused is False


@needs_dask
def test_pretranslation_on_a_local_dask_cluster_is_the_same(
    demo: TranslationMemory, inputs: list[Path], tmp_path: Path
) -> None:
    expected = one_process(demo, inputs, tmp_path / "one")
    run = batches.pretranslate(
        demo, inputs, out=tmp_path / "dask", place=runs.Place(cluster.LOCAL, workers=2)
    )
    assert "Dask" in run.snapshot.engine
    assert outputs(run.batch) == outputs(expected)


def test_a_run_started_again_skips_what_it_had_done(
    demo: TranslationMemory, inputs: list[Path], tmp_path: Path
) -> None:
    expected = one_process(demo, inputs, tmp_path / "one")
    out = tmp_path / "out"
    first = batches.pretranslate(demo, inputs, out=out, place=runs.Place(workers=2))
    assert first.skipped == 0
    # As if killed before its last documents: their drafts and journal lines are not there.
    journal = out / runs.Journal.NAME
    lines = journal.read_text("utf-8").splitlines()
    journal.write_text("\n".join(lines[:4]) + '\n{"input": "cut sh', "utf-8")
    for result in first.batch.files[3:]:
        if result.output:
            result.output.unlink()
    again = batches.pretranslate(demo, inputs, out=out, place=runs.Place(workers=2))
    assert again.skipped == 3 and not again.restarted
    assert outputs(again.batch) == outputs(expected)
    other = batches.pretranslate(demo, inputs, out=out, place=runs.Place(workers=2), threshold=90)
    assert other.skipped == 0 and other.restarted  # other settings: started over


def test_a_tm_changed_during_the_run_is_read_as_it_was(
    demo: TranslationMemory, inputs: list[Path], tmp_path: Path
) -> None:
    expected = one_process(demo, inputs, tmp_path / "one")
    source = "Les ministres de la Défense se sont réunis à Bruxelles aujourd'hui."

    def change(_count: int) -> None:
        with TranslationMemory.open(demo.path or "") as other:
            other.add(source, "A different English, stored during the run.")

    run = batches.pretranslate(
        demo, inputs, out=tmp_path / "out", place=runs.Place(workers=2), progress=change
    )
    assert run.snapshot.changed
    assert "the TM changed during the run" in run.snapshot.describe()
    found = outputs(run.batch)
    report = json.loads(found.pop("analysis.json"))
    assert "used the copy made when it started" in report.pop("tm_changed_during_run")
    wanted = outputs(expected)
    assert report == json.loads(wanted.pop("analysis.json"))
    assert found == wanted


def test_the_copy_is_read_only_and_looks_up_as_the_tm(
    demo: TranslationMemory, tmp_path: Path
) -> None:
    made = copies.make(demo, tmp_path / "copy")
    assert made.segments == demo.count() and made.indexed
    copied = copies.open_copy(made.path)
    text = "Les ministres des Affaires étrangères de l'OTAN se sont réunis à Bruxelles."
    assert copied.lookup(text, limit=3, threshold=50) == demo.lookup(text, limit=3, threshold=50)
    with pytest.raises(sqlite3.OperationalError):
        copied.db.conn.execute("DELETE FROM segments")
    copied.close()
    assert not os.access(made.path, os.W_OK) or os.geteuid() == 0
    assert not list((tmp_path / "copy").glob("*-wal"))
    demo.add("Une phrase ajoutée après la copie.", "A sentence added after the copy.")
    assert made.changed(demo) is False  # the same connection's own writes
    with TranslationMemory.open(demo.path or "") as other:
        other.add("Une autre phrase ajoutée.", "Another sentence added.")
    assert made.changed(demo)
    index = made.path.with_name("tm.db.index")
    index.chmod(0o644)
    index.write_bytes(index.read_bytes()[:-100])  # truncated: refused, never rebuilt there
    with pytest.raises(InvalidInput, match="index cannot be used"):
        copies.open_copy(made.path)


def test_a_copy_holds_the_commits_still_in_the_write_ahead_log(
    demo: TranslationMemory, tmp_path: Path
) -> None:
    demo.db.conn.execute("PRAGMA wal_autocheckpoint = 0")  # every commit stays in the log
    demo.add("Une phrase écrite dans le journal seulement.", "A sentence in the log only.")
    assert (demo.path or Path()).with_name("tm.db-wal").stat().st_size > 0
    made = copies.make(demo, tmp_path / "copy")
    assert sorted(made.path.parent.iterdir()) == [made.path, made.path.with_name("tm.db.index")]
    copied = copies.open_copy(made.path)
    assert stored(copied) == stored(demo) and made.segments == demo.count()
    copied.close()


@dataclass(frozen=True)
class Slow:
    """A work whose tasks take a while (to kill a worker in the middle) and fail on 'bad'."""

    seconds: float

    def open(self) -> int:
        return os.getpid()

    def run(self, pid: int, item: str) -> tuple[str, int]:
        if item == "bad":
            raise InvalidInput("bad input", file=item)
        time.sleep(self.seconds)
        return item, pid


def test_a_killed_pool_process_loses_nothing() -> None:
    pool = cluster.Pool(2)
    items = [f"d{n}" for n in range(12)] + ["bad"]
    results: list[Any] = []
    try:
        for result in pool.map(Slow(0.2), items):
            if not results:
                victim = multiprocessing.active_children()[0]
                os.kill(victim.pid or 0, signal.SIGKILL)
            results.append(result)
    finally:
        pool.close()
    assert [r[0] for r in results[:-1]] == items[:-1]
    assert results[-1] == cluster.Failed("bad: bad input")
    assert pool.restarts >= 1


@needs_dask
def test_a_killed_dask_worker_loses_nothing_and_stores_nothing_twice(
    demo: TranslationMemory, tmp_path: Path
) -> None:
    import distributed

    pairs = law_pairs(tmp_path)
    alignment.lexicon(demo)  # learned and stored first: both runs read it back
    twin = twin_of(demo, tmp_path)
    with TranslationMemory.open(twin) as one:
        expected = alignment.align_and_store(one, pairs, origin="laws", force=True)
        stored_one = stored(one)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, dashboard_address=":0", silence_logs=50
        ) as local,
        distributed.Client(local) as client,
    ):
        pids = list(client.run(os.getpid).values())
        killed: list[int] = []

        def kill(_count: int) -> None:
            if not killed:
                killed.append(pids[0])
                os.kill(pids[0], signal.SIGKILL)

        run = batches.align(
            demo,
            pairs,
            place=runs.Place(local.scheduler_address, timeout=20),
            origin="laws",
            force=True,
            progress=kill,
        )
    assert killed and not run.failed
    assert run.report == expected.report  # every document stored once: none counted twice
    assert stored(demo) == stored_one


def law_pairs(tmp_path: Path) -> list[tuple[str, Path, Path]]:
    """Six document pairs cut from the checked-in law sample."""
    french = (LAW / "law.fr").read_text("utf-8").splitlines()
    english = (LAW / "law.en").read_text("utf-8").splitlines()
    size = max(1, len(french) // 6)
    pairs = []
    for number in range(6):
        folder = tmp_path / "laws" / f"law{number}"
        folder.mkdir(parents=True)
        part = slice(number * size, (number + 1) * size)
        (folder / "fr.txt").write_text("\n".join(french[part]) + "\n", "utf-8")
        (folder / "en.txt").write_text("\n".join(english[part]) + "\n", "utf-8")
        pairs.append((f"law{number}", folder / "fr.txt", folder / "en.txt"))
    return pairs


def twin_of(memory: TranslationMemory, folder: Path) -> Path:
    """A copy of the TM's file as it is now (the WAL included)."""
    twin = folder / "twin.db"
    target = sqlite3.connect(twin)
    memory.db.conn.backup(target)
    target.close()
    return twin


def stored(memory: TranslationMemory) -> list[tuple[Any, ...]]:
    return [
        (s.id, s.source, s.target, s.origin, s.document, s.position, s.status, s.quality)
        for s in memory.segments()
    ]


def test_alignment_on_processes_stores_what_one_process_stores(
    demo: TranslationMemory, tmp_path: Path
) -> None:
    pairs = law_pairs(tmp_path)
    alignment.lexicon(demo)  # learned and stored first: both runs read it back
    twin = twin_of(demo, tmp_path)
    with TranslationMemory.open(twin) as one:
        expected = alignment.align_and_store(one, pairs, origin="laws", force=True)
        stored_one = stored(one)
    run = batches.align(demo, pairs, place=runs.Place(workers=2), origin="laws", force=True)
    assert run.report == expected.report and stored(demo) == stored_one
    assert [d.beads for d in run.documents] == [d.beads for d in expected.documents]
    again = batches.align(demo, pairs, place=runs.Place(workers=2), origin="laws", force=True)
    assert again.skipped == [name for name, _fr, _en in pairs]  # resumed: nothing left to do
    assert again.report.documents == 0 and stored(demo) == stored_one


@pytest.fixture
def settled(monkeypatch: pytest.MonkeyPatch) -> None:
    """A TM's state told at once after a write (`tm.store.copies.SETTLED`): a test writes its TM
    a moment before its runs."""
    monkeypatch.setattr(store_copies, "SETTLED", 0.0)


def kept_copies(memory: TranslationMemory) -> list[Path]:
    """The folders of the copies kept beside the TM."""
    return sorted((memory.path or Path()).with_name("tm.db.copies").glob("*/*/"))


def test_a_run_against_an_unchanged_tm_reads_the_copy_kept_by_the_run_before(
    demo: TranslationMemory, inputs: list[Path], tmp_path: Path, settled: None
) -> None:
    expected = outputs(one_process(demo, inputs, tmp_path / "one"))
    place = runs.Place(workers=2)
    first = batches.pretranslate(demo, inputs, out=tmp_path / "first", place=place)
    again = batches.pretranslate(demo, inputs, out=tmp_path / "again", place=place)
    assert (first.snapshot.reused, again.snapshot.reused) == (False, True)
    assert "made by an earlier run" in again.snapshot.describe()
    assert outputs(first.batch) == outputs(again.batch) == expected
    assert len(kept_copies(demo)) == 1
    source = "Les ministres de la Défense se sont réunis à Bruxelles aujourd'hui."

    def change(_count: int) -> None:
        with TranslationMemory.open(demo.path or "") as other:
            other.add(source, "A different English, stored during the run.")

    during = batches.pretranslate(
        demo, inputs, out=tmp_path / "during", place=place, progress=change
    )
    assert during.snapshot.reused and during.snapshot.changed  # read as it was
    found = outputs(during.batch)
    report = json.loads(found.pop("analysis.json"))
    assert "used the copy made when it started" in report.pop("tm_changed_during_run")
    assert report == json.loads(expected["analysis.json"])
    assert found == {k: v for k, v in expected.items() if k != "analysis.json"}
    changed = batches.pretranslate(demo, inputs, out=tmp_path / "changed", place=place)
    assert not changed.snapshot.reused and len(kept_copies(demo)) == 1  # the stale one removed
    assert outputs(changed.batch) == outputs(one_process(demo, inputs, tmp_path / "one-after"))
    assert outputs(changed.batch) != expected


def test_a_tm_written_a_moment_ago_is_copied_afresh(
    demo: TranslationMemory, tmp_path: Path
) -> None:
    """Within `SETTLED` seconds of a write, a second write could leave the files' times as they
    were: the TM's state cannot be told, so its copy is not kept."""
    demo.add("Une phrase écrite juste avant la copie.", "A sentence written just before.")
    assert store_copies.state(demo.db) == ""
    with kept.taken(demo, tmp_path / "copies") as first:
        assert not first.reused
    with kept.taken(demo, tmp_path / "copies") as again:
        assert not again.reused
    assert len(list((tmp_path / "copies").glob("*/*/"))) == 1


def test_the_state_of_a_tm_changes_with_every_commit(
    demo: TranslationMemory, settled: None
) -> None:
    before = store_copies.state(demo.db)
    assert before and store_copies.state(demo.db) == before
    with TranslationMemory.open(demo.path or "") as other:
        other.add("Une phrase de plus.", "One more sentence.")
    after = store_copies.state(demo.db)
    assert after not in ("", before)
    with TranslationMemory.open(demo.path or "") as other:  # a target alone: no watermark moves
        found = other.lookup("Une phrase de plus.", limit=1)[0]
        other.update(found.id, "Une phrase de plus.", "Yet one more.")
    assert store_copies.state(demo.db) not in ("", after)
    with TranslationMemory.open(":memory:") as in_memory:
        assert store_copies.state(in_memory.db) == ""


def _written(path: Path, data: bytes, *, at: int = 0) -> None:
    path.chmod(0o644)
    with path.open("r+b") as handle:
        handle.seek(at)
        handle.write(data)


def _foreign(path: Path, tmp_path: Path) -> None:
    """Another TM's copy, with its index, put in the place of the kept one."""
    with TranslationMemory.open(tmp_path / "other.db") as other:
        other.add("Une autre mémoire.", "Another memory.")
        made = copies.make(other, tmp_path / "other-copy")
    for name in (copies.NAME, f"{copies.NAME}.index"):
        (path.parent / name).chmod(0o644)
        shutil.copyfile(made.path.parent / name, path.parent / name)


DAMAGES = {
    "database overwritten": lambda path, _tmp: _written(path, b"\0" * 4096, at=8192),
    "database truncated": lambda path, _tmp: os.truncate(path, 4096),
    "index overwritten": lambda path, _tmp: _written(path.with_name("tm.db.index"), b"\1" * 64),
    "another TM's copy": _foreign,
    "manifest unreadable": lambda path, _tmp: path.with_name(kept.MANIFEST).write_text("{"),
}


@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_a_damaged_or_foreign_kept_copy_is_replaced_never_used(
    demo: TranslationMemory, inputs: list[Path], tmp_path: Path, settled: None, damage: str
) -> None:
    expected = outputs(one_process(demo, inputs, tmp_path / "one"))
    place = runs.Place(workers=2)
    batches.pretranslate(demo, inputs, out=tmp_path / "first", place=place)
    [damaged] = kept_copies(demo)
    DAMAGES[damage](damaged / copies.NAME, tmp_path)
    again = batches.pretranslate(demo, inputs, out=tmp_path / "again", place=place)
    assert not again.snapshot.reused
    assert outputs(again.batch) == expected
    assert len(kept_copies(demo)) == 1 and damaged not in kept_copies(demo)  # removed


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@needs_dask
def test_an_unreachable_scheduler_is_told_before_any_work(
    demo: TranslationMemory, inputs: list[Path], tmp_path: Path
) -> None:
    address = f"tcp://127.0.0.1:{free_port()}"
    out = tmp_path / "out"
    with pytest.raises(cluster.Unavailable, match="cannot reach the Dask scheduler"):
        batches.pretranslate(
            demo, inputs, out=out, place=runs.Place(address, timeout=0.5), progress=print
        )
    assert not [p for p in out.iterdir()] and not (tmp_path / "tm.db.copies").exists()
    law_pairs(tmp_path)
    command = ["align", "--batch", str(tmp_path / "laws"), "--store", "--cluster", address]
    with pytest.raises(cluster.Unavailable, match="cannot reach"):  # `tm` prints it, exit 1
        cli(demo.path or Path(), *command, "--cluster-timeout", "0.5")
    assert {pair[3] for pair in stored(demo)} == {"press"}  # nothing aligned nor stored
    assert demo.stored_lexicon() is None  # nor learned


@needs_dask
def test_workers_that_cannot_read_the_copy_are_named(tmp_path: Path) -> None:
    engine = cluster.Cluster(None, workers=2)
    try:
        with pytest.raises(cluster.Unavailable, match=r"2 of 2 worker\(s\) cannot read"):
            engine.check(batches.Drafting(tmp_path / "nowhere" / "tm.db"))
    finally:
        engine.close()


@needs_dask
def test_fresh_workers_still_importing_the_works_answer_the_check(tmp_path: Path) -> None:
    """Spawned workers (an operator's) import the works for `warm` when the check's tasks
    arrive: the check waits for that, and tells, rather than waiting forever."""
    import distributed

    fresh = distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=":0")
    engine = cluster.Cluster(fresh.scheduler_address)
    try:
        engine.warm(works.__name__)
        with ThreadPoolExecutor(1) as checking:
            checked = checking.submit(engine.check, works.Drafting(tmp_path / "none" / "tm.db"))
            with pytest.raises(cluster.Unavailable, match=r"2 of 2 worker\(s\) cannot read"):
                checked.result(timeout=60)
    finally:
        engine.close()
        fresh.close()


def imported(module: str) -> bool:
    return module in sys.modules


@needs_dask
def test_a_clusters_workers_import_the_works_while_the_copy_is_made() -> None:
    engine = cluster.Cluster(None, workers=1)
    try:
        module = "service.pipelines.concepts"  # one this test module does not import
        assert not any(engine.client.run(imported, module).values())  # a fresh worker
        engine.warm(module)  # not waited for: the next message waits in the worker's loop
        assert all(engine.client.run(imported, module).values())
    finally:
        engine.close()


@needs_dask
def test_a_cluster_started_here_forks_its_workers() -> None:
    """Its workers are forked from one process that imported Dask (`cluster.FORKED`), not
    spawned by this one's nannies each as a fresh interpreter."""
    cluster.forking(works.__name__)
    engine = cluster.Cluster(None, workers=2)
    try:
        assert os.getpid() not in engine.client.run(os.getppid).values()
    finally:
        engine.close()


def test_the_works_leave_alignment_and_quality_out() -> None:
    """What a pretranslation's worker imports (`service.pipelines.works`, in a fresh
    interpreter: this one, or a forkserver of this process, has imported more)."""
    heavy = ["service.pipelines.alignment", "service.pipelines.quality", "sacrebleu"]
    found = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import sys, {works.__name__}; print([m for m in {heavy!r} if m in sys.modules])",
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    assert found.strip() == "[]"


def profiled() -> bool:
    import dask

    return bool(dask.config.get("distributed.worker.profile.enabled"))


@needs_dask
def test_a_cluster_started_here_is_quiet_when_idle() -> None:
    """Its workers take `cluster.QUIET`: no stack sampled every 10 ms for a dashboard."""
    engine = cluster.Cluster(None, workers=1)
    try:
        assert not any(engine.client.run(profiled).values())
    finally:
        engine.close()
    assert profiled()  # Dask's own default, here and for an operator's cluster


def test_the_process_pool_checks_the_copy_too(tmp_path: Path) -> None:
    with pytest.raises(cluster.Unavailable, match="no such file"):
        cluster.Pool(2).check(batches.Aligning(tmp_path / "nowhere" / "tm.db"))


FAULTS = """
import resource, sys
import numpy as np
from service.pipelines import cluster
tuned = cluster.allocate_from_heap() if sys.argv[1] == "tune" else False
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(200):
    np.ones(1 << 17).sum()  # 1 MiB made, read and let go, as a lookup's temporary arrays
print(tuned, resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)
"""


def page_faults(environment: dict[str, str], step: str) -> tuple[str, int]:
    """Whether a process with `environment` tuned its allocator (`step` "tune") and the page
    faults it took making 200 arrays of 1 MiB."""
    kept = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    done = subprocess.run(
        [sys.executable, "-c", FAULTS, step],
        env={**kept, **environment},
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    tuned, faults = done.stdout.split()
    return tuned, int(faults)


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's allocator")
def test_workers_started_as_dask_starts_them_allocate_from_the_heap() -> None:
    dask_worker = {"MALLOC_TRIM_THRESHOLD_": "65536"}  # distributed.nanny.pre-spawn-environ
    tuned, faults = page_faults(dask_worker, "tune")
    untuned, untuned_faults = page_faults(dask_worker, "")
    assert (tuned, untuned) == ("True", "False")
    assert untuned_faults > 200 * 200 and faults < 5_000  # every MiB mapped afresh: 256 pages
    assert page_faults({}, "tune")[0] == "False"  # glibc's own thresholds: left as they are
    operator = {**dask_worker, "MALLOC_MMAP_THRESHOLD_": "131072"}
    assert page_faults(operator, "tune")[0] == "False"  # an operator's choice: kept


def test_cli_pretranslates_a_folder_on_workers(
    demo: TranslationMemory, inputs: list[Path], tmp_path: Path
) -> None:
    folder = inputs[-1].parent
    expected = one_process(demo, [p for p in inputs if p.parent == folder], tmp_path / "one")
    code, printed = cli(
        demo.path or Path(),
        "pretranslate",
        str(folder),
        "--out",
        str(tmp_path / "out"),
        "--cluster",
        cluster.LOCAL,
        "--json",
    )
    assert code == 1  # the empty file fails alone
    answer = json.loads(printed)
    assert answer["tm_copy"]["segments"] == demo.count() and answer["skipped"] == 0
    for result in expected.files:
        if result.output:
            assert (
                tmp_path / "out" / result.output.name
            ).read_bytes() == result.output.read_bytes()


@needs_dask
def test_a_local_cluster_started_beside_a_failed_copy_is_closed(
    demo: TranslationMemory, tmp_path: Path
) -> None:
    """A local cluster starts while the TM is copied: when the copy fails, the run says why
    and leaves neither the cluster's processes nor a half copy behind."""
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", "utf-8")
    before = {child.pid for child in multiprocessing.active_children()}
    place = runs.Place(cluster.LOCAL, workers=1, copy_folder=blocked)
    with (
        pytest.raises(InvalidInput, match="cannot create the folder"),
        runs.started(demo, place, indexed=True),
    ):
        pytest.fail("the run must not start")
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        left = {c.pid for c in multiprocessing.active_children()} - before
        if not left:
            break
        time.sleep(0.1)
    assert not left, "the local cluster's worker processes were left running"
    assert blocked.read_text("utf-8") == "not a folder"


def test_short_documents_share_a_task_and_long_ones_are_split() -> None:
    # Only how many first occurrences a part holds counts here, not what they are.
    parts: list[Any] = [list(range(n)) for n in (10,) * 30 + (batches.PART, 0, 5)]
    tasks = batches._packed(parts)
    assert [part for task in tasks for part in task] == parts  # in order, none lost
    assert all(sum(map(len, task)) <= batches.PART for task in tasks)
    assert [len(task) for task in tasks] == [12, 12, 6, 2, 1]  # 30 files of 10: 3 tasks, not 30
