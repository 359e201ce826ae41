"""What every batch run on workers shares: the engine (`service.pipelines.cluster`), reached
first; the read-only copy of the TM its workers read (`tm.copies`), the one an earlier run made
when the TM has not changed since, else made now, kept for the runs to come (`tm.kept`);
whether the TM changed meanwhile; and the journal that lets a run be resumed.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from glossaries import Glossary
from service.pipelines import cluster as engines
from tm import TranslationMemory, kept
from tm import copies as tm_copies
from tm.errors import InvalidInput
from tm.store import identity


@dataclass(frozen=True)
class Place:
    """Where a run's work goes: `cluster` (None: processes here; `local`; a scheduler's
    address), how many workers to start here, the folder for the TM's copies (None: beside the
    TM, `tm.db.copies`), and how long to wait for a scheduler."""

    cluster: str | None = None
    workers: int = 2
    copy_folder: Path | None = None
    timeout: float = engines.CONNECT_TIMEOUT


@dataclass(frozen=True)
class Snapshot:
    """What a run's report says of the TM it read: the copy's moment and size, the engine,
    whether the TM changed during the run (the run kept reading the copy), and whether the
    copy was an earlier run's (the TM unchanged since)."""

    made: str
    segments: int
    engine: str
    changed: bool = False
    reused: bool = False

    def describe(self) -> str:
        """One line for the report."""
        said = (
            f"read a copy of the TM made at {self.made} ({self.segments:,} pairs) on {self.engine}"
        )
        if self.reused:
            said += " (made by an earlier run: the TM has not changed since)"
        if self.changed:
            said += "; the TM changed during the run: this run used the copy made when it started"
        return said


@dataclass
class Run:
    """A run in progress: its engine and the copy of the TM it reads."""

    memory: TranslationMemory
    engine: engines.Engine
    copy: tm_copies.Copy

    def snapshot(self) -> Snapshot:
        """What to report of the TM read (the TM compared with the copy now)."""
        return Snapshot(
            self.copy.made,
            self.copy.segments,
            self.engine.description,
            self.copy.changed(self.memory),
            self.copy.reused,
        )


@contextmanager
def started(
    memory: TranslationMemory,
    place: Place,
    *,
    indexed: bool,
    prepare: Callable[[], object] | None = None,
    module: str | None = None,
) -> Iterator[Run]:
    """Reach the engine (a scheduler at once: `Unavailable` if it cannot be; a local cluster
    while the copy is made) and have its workers import `module` (the works'), `prepare` the
    TM (what must be in the copy), then take a copy of it for the workers (`tm.kept`: with the
    lookup index when `indexed`), held in use until the end."""
    folder = place.copy_folder or _beside(memory)
    with ExitStack() as stack:
        with _reaching(place, module) as reached:
            if prepare is not None:
                prepare()
            Glossary.open(memory.db)  # its tables exist in the copy: workers read them
            copy = stack.enter_context(kept.taken(memory, folder, indexed=indexed))
            engine = reached()
        stack.callback(engine.close)
        yield Run(memory, engine, copy)


@contextmanager
def _reaching(place: Place, module: str | None) -> Iterator[Callable[[], engines.Engine]]:
    """The run's engine, when asked for, its workers importing `module`. A scheduler is
    reached at once, before anything else is done (`Unavailable` if it cannot be); a local
    Dask cluster is started in a thread while the TM is copied (both take seconds). If what
    follows fails, the engine is closed."""
    if place.cluster != engines.LOCAL or not engines.installed():
        engine = engines.engine(place.cluster, workers=place.workers, timeout=place.timeout)
        try:
            _warmed(engine, module)
            yield lambda: engine
        except BaseException:
            engine.close()
            raise
        return
    with ThreadPoolExecutor(1, thread_name_prefix="tm-cluster") as starter:
        starting = starter.submit(
            lambda: _warmed(
                engines.engine(place.cluster, workers=place.workers, timeout=place.timeout),
                module,
            )
        )
        try:
            yield starting.result
        except BaseException:
            with suppress(BaseException):
                starting.result().close()
            raise


def early(place: Place, module: str) -> None:
    """What a run can start before it reads its inputs: the process a local Dask cluster's
    workers are forked from, importing Dask and `module` (`cluster.forking`)."""
    if place.cluster == engines.LOCAL:
        engines.forking(module)


def _warmed(engine: engines.Engine, module: str | None) -> engines.Engine:
    if module is not None:
        engine.warm(module)
    return engine


def _beside(memory: TranslationMemory) -> Path:
    if memory.path is None:
        raise InvalidInput("a batch run on workers needs a TM file (--db)")
    return memory.path.with_name(f"{memory.path.name}.copies")


def moment(memory: TranslationMemory) -> str:
    """What a run's results depend on in the TM: its id, its changes' watermarks and its
    glossary's revision (equal strings: the same TM, unchanged)."""
    seq, top, epoch = identity.watermarks(memory.db)
    Glossary.open(memory.db)
    # The glossary's history is append-only, every write adds a row: its last id is a revision.
    glossary = memory.db.execute("SELECT coalesce(max(id), 0) FROM glossary_history").fetchone()[0]
    return f"{identity.tm_id(memory.db, create=True)}:{seq}:{top}:{epoch}:{glossary}"


def digest(path: Path) -> str:
    """The SHA-256 of a file's bytes ("" if it cannot be read)."""
    sha = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                sha.update(block)
    except OSError:
        return ""
    return sha.hexdigest()


class Journal:
    """The documents a run in a folder has finished, one JSON line each after a header that
    says what the run was (settings, the TM's `moment`): a run with the same header resumes,
    skipping what is there; another header starts the journal over (`resumed` False)."""

    NAME = ".tm-run.jsonl"

    def __init__(self, folder: Path, header: dict[str, Any]) -> None:
        self.path = folder / self.NAME
        self.header = header
        self.entries: dict[str, dict[str, Any]] = {}
        self.previous = False  # a journal of another run was there
        lines = self._lines()
        if lines and lines[0] == header:
            self.entries = {entry["input"]: entry for entry in lines[1:] if "input" in entry}
        else:
            self.previous = bool(lines)
            self.entries = {}
            self._write([header])

    @property
    def resumed(self) -> bool:
        return bool(self.entries)

    def _lines(self) -> list[dict[str, Any]]:
        try:
            text = self.path.read_text("utf-8")
        except OSError:
            return []
        lines = []
        for line in text.splitlines():
            try:
                lines.append(json.loads(line))
            except ValueError:
                break  # a line cut short by a kill: what follows is not trusted
        return lines

    def _write(self, lines: list[dict[str, Any]]) -> None:
        try:
            self.path.write_text("".join(_line(line) for line in lines), "utf-8")
        except OSError as error:
            raise InvalidInput(
                f"cannot write the run's journal: {error.strerror}", file=str(self.path)
            ) from error

    def done(self, name: str, input_digest: str) -> dict[str, Any] | None:
        """The entry of a document finished before, if its input is unchanged and its output
        still there."""
        entry = self.entries.get(name)
        if entry is None or entry.get("digest") != input_digest:
            return None
        output = entry.get("output")
        return entry if output is None or Path(output).is_file() else None

    def record(self, entry: dict[str, Any]) -> None:
        """Add a finished document (`input`, `digest`, …), on disk at once."""
        self.entries[entry["input"]] = entry
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(_line(entry))
            handle.flush()


def _line(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True) + "\n"


__all__ = ["Journal", "Place", "Run", "Snapshot", "digest", "early", "moment", "started"]
