"""Background jobs: long uploads (imports, alignments) run on a small thread pool and report
progress through `GET /jobs/{id}`. Jobs do not survive a restart. When the service runs in
several worker processes (`tm serve --workers N`), each publishes its jobs' states as JSON
files in a folder they share (`shared`), so that any worker answers for any job.

A job's work is a function of the `Job` (to report progress) returning a JSON-ready result;
it opens its own database connection (connections are per thread) and its uploads live in
the job's own temporary directory, removed when the job ends. Every temporary folder of the
service is named after its process (`scratch`), so the next start removes those a crashed or
killed process left (`sweep`), and only those.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tm.errors import Busy, InvalidInput, NotFound, TMError
from tm.messages import LANGUAGES

Work = Callable[["Job"], dict[str, Any]]
STATES = ("queued", "running", "done", "failed")
_ID = re.compile(r"[0-9a-f]{12}")
_EVERY_S = 0.25  # progress is published at most this often
PATIENCE_S = 3600.0  # how long a job waits behind other writers before it fails
_PAUSES_S = (0.5, 1.0, 2.0, 5.0)  # between attempts, then the last one again
WAITING = "waiting for another writer (an import) to finish; nothing written yet"
SCRATCH = "tm-scratch-"


def scratch_prefix(kind: str) -> str:
    """The name prefix of this process's temporary folders for `kind` (`tm-scratch-<pid>-…`)."""
    return f"{SCRATCH}{os.getpid()}-{kind}-"


def scratch(kind: str) -> Path:
    """A fresh temporary folder for uploads or downloads of `kind`, named after this process."""
    return Path(tempfile.mkdtemp(prefix=scratch_prefix(kind)))


def sweep(root: Path | None = None) -> list[Path]:
    """Remove the temporary folders of tm processes that no longer run (left by a crash or a
    kill -9); a running process's folders, and anything not named by `scratch`, are left."""
    removed = []
    for folder in Path(root or tempfile.gettempdir()).glob(f"{SCRATCH}*"):
        pid = folder.name.removeprefix(SCRATCH).split("-", 1)[0]
        if pid.isdigit() and folder.is_dir() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


# A path through one of our temporary folders and its subfolders, up to the file's own name
# (tokens are tried from their start only, so a long one is scanned once).
_SCRATCH_PATH = re.compile(rf"(?<![^\s'\"(])[^\s'\"(]*{SCRATCH}[^/\s'\"(]*/(?:[^/\s'\"(:]+/)*")


def public(message: str) -> str:
    """`message` without the service's temporary folders: a file in one is named as it was
    uploaded (`/tmp/tm-scratch-7-job-x/fr/note.docx: …` → `note.docx: …`)."""
    return _SCRATCH_PATH.sub("", message)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Job:
    """One background job and its progress (`done` of `total` units; `total` may be unknown)."""

    id: str
    kind: str
    folder: Path
    state: str = "queued"
    done: int = 0
    total: int | None = None
    result: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    note: str = ""
    """Why a queued job is not running yet (it waits behind another writer), or empty."""
    errors: dict[str, str] = field(default_factory=dict)
    """The error in each catalogue language (`tm.messages`) when it is catalogued."""
    created: str = field(default_factory=_now)
    finished: str = ""
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _publish: Callable[[Job], None] | None = field(default=None, repr=False)
    _published: float = field(default=0.0, repr=False)

    def advance(self, count: int = 1) -> None:
        """Report `count` more units done (called from the job's thread)."""
        with self._lock:
            self.done += count
        self._progressed()

    def reach(self, done: int) -> None:
        """Report that `done` units are done in all (progress may come in coarse steps)."""
        with self._lock:
            self.done = max(self.done, done)
        self._progressed()

    def expect(self, total: int) -> None:
        """Report the total number of units, once known."""
        with self._lock:
            self.total = total
        self._progressed()

    def _progressed(self) -> None:
        if self._publish is not None and time.monotonic() - self._published >= _EVERY_S:
            self._published = time.monotonic()
            self._publish(self)

    def snapshot(self) -> dict[str, Any]:
        """A consistent copy of the public fields."""
        with self._lock:
            return {
                "id": self.id,
                "kind": self.kind,
                "state": self.state,
                "done": self.done,
                "total": self.total,
                "result": dict(self.result),
                "error": self.error,
                "note": self.note,
                "errors": dict(self.errors),
                "created": self.created,
                "finished": self.finished,
            }


class Jobs:
    """The registry of this process's jobs, with a bounded pool of worker threads; with
    `shared`, also of the jobs other processes of the same service publish there."""

    def __init__(
        self,
        *,
        workers: int = 2,
        keep: int = 200,
        shared: Path | None = None,
        patience_s: float = PATIENCE_S,
    ) -> None:
        self._patience_s = patience_s
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="tm-job")
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._keep = keep
        self._shared = shared
        if shared is not None:
            shared.mkdir(parents=True, exist_ok=True)

    def folder(self) -> Path:
        """A fresh temporary directory for a job's uploads."""
        return scratch("job")

    def submit(self, kind: str, folder: Path, work: Work) -> Job:
        """Queue `work`; `folder` (the job's uploads) is removed when it ends."""
        job = Job(id=uuid.uuid4().hex[:12], kind=kind, folder=folder)
        if self._shared is not None:
            job._publish = self._write
        with self._lock:
            self._jobs[job.id] = job
            finished = [j for j in self._jobs.values() if j.state in ("done", "failed")]
            for old in finished[: max(0, len(self._jobs) - self._keep)]:
                del self._jobs[old.id]
                if self._shared is not None:
                    (self._shared / f"{old.id}.json").unlink(missing_ok=True)
        self._write(job)
        self._pool.submit(self._run, job, work)
        return job

    def _write(self, job: Job) -> None:
        """Publish `job`'s state for the other processes (a file renamed into place)."""
        if self._shared is None:
            return
        temporary = self._shared / f".{job.id}.{threading.get_ident()}.tmp"
        temporary.write_text(json.dumps(job.snapshot()), encoding="utf-8")
        os.replace(temporary, self._shared / f"{job.id}.json")

    def _read(self, job_id: str) -> Job | None:
        """A job another process published (a copy of its state), or None."""
        if self._shared is None or not _ID.fullmatch(job_id):
            return None
        try:
            values = json.loads((self._shared / f"{job_id}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return Job(folder=Path(), **values)

    def _run(self, job: Job, work: Work) -> None:
        result: dict[str, Any] = {}
        said: dict[str, str] = {}
        try:
            result = self._attempts(job, work)
        except TMError as error:
            state = "failed"
            message = error.describe() if isinstance(error, InvalidInput) else str(error)
            if error.key:
                said = {language: public(error.text(language)) for language in LANGUAGES}
        except Exception as error:  # a job must always end; the message goes to the caller
            state, message = "failed", f"{type(error).__name__}: {error}"
        else:
            state, message = "done", ""
        # The caller knows the files by the names it uploaded, not our temporary folder.
        message = public(message)
        shutil.rmtree(job.folder, ignore_errors=True)  # before the end is visible
        self._end(job, state, error=message, result=result, errors=said)

    def _attempts(self, job: Job, work: Work) -> dict[str, Any]:
        """Run `work`; while another writer holds the TM (`Busy`: the job's transaction was
        rolled back, nothing written), wait queued with a note and try again, for up to the
        patience; after it, the last `Busy` fails the job."""
        deadline = time.monotonic() + self._patience_s
        for attempt in itertools.count():
            with job._lock:
                job.state, job.done, job.note = "running", 0, ""
            self._write(job)
            try:
                return work(job)
            except Busy:
                pause = _PAUSES_S[min(attempt, len(_PAUSES_S) - 1)]
                if time.monotonic() + pause > deadline:
                    raise
                with job._lock:
                    job.state, job.note = "queued", WAITING
                self._write(job)
                time.sleep(pause)
        raise AssertionError("unreachable")  # pragma: no cover: count() never ends

    def _end(
        self,
        job: Job,
        state: str,
        *,
        error: str = "",
        result: dict[str, Any] | None = None,
        errors: dict[str, str] | None = None,
    ) -> None:
        with job._lock:
            job.state, job.error, job.finished = state, error, _now()
            job.result, job.errors = result or {}, errors or {}
        self._write(job)

    def get(self, job_id: str) -> Job:
        """The job with this id; `NotFound` if unknown (or forgotten)."""
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            job = self._read(job_id)
        if job is None:
            raise NotFound(f"no job {job_id!r}")
        return job

    def list(self) -> list[Job]:
        """Every remembered job, newest first."""
        with self._lock:
            jobs = dict(self._jobs)
        if self._shared is not None:
            for path in self._shared.glob("*.json"):
                if path.stem not in jobs and (found := self._read(path.stem)) is not None:
                    jobs[found.id] = found
        return sorted(jobs.values(), key=lambda j: j.created, reverse=True)

    def wait(self, job_id: str, timeout: float = 30) -> Job:
        """Block until a job ends (for tests and scripts)."""
        import time

        job = self.get(job_id)
        deadline = time.monotonic() + timeout
        while job.state in ("queued", "running") and time.monotonic() < deadline:
            time.sleep(0.02)
        return job

    def shutdown(self) -> None:
        """Stop accepting jobs and wait for the running ones."""
        self._pool.shutdown(wait=True, cancel_futures=True)
