"""The in-process job registry: progress, results, failures, and the uploads folder cleanup."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from service.http.jobs import Job, Jobs
from tm.errors import InvalidInput, NotFound


@pytest.fixture
def jobs() -> Iterator[Jobs]:
    registry = Jobs(workers=1)
    yield registry
    registry.shutdown()


def counting(job: Job) -> dict[str, Any]:
    job.expect(3)
    for _ in range(3):
        job.advance()
    return {"counted": 3}


def refusing(_job: Job) -> dict[str, Any]:
    raise InvalidInput("no French–English pair found", file="upload.tmx", line=2)


def crashing(_job: Job) -> dict[str, Any]:
    raise RuntimeError("disk full")


CASES = [
    (counting, "done", {"counted": 3}, ""),
    (refusing, "failed", {}, "upload.tmx:2: no French–English pair found"),
    (crashing, "failed", {}, "RuntimeError: disk full"),
]


@pytest.mark.parametrize(("work", "state", "result", "error"), CASES)
def test_job_ends_with_state_result_or_error(
    jobs: Jobs, work: Any, state: str, result: dict[str, Any], error: str
) -> None:
    folder = jobs.folder()
    (folder / "upload.tmx").write_text("<tmx/>")
    job = jobs.wait(jobs.submit("import", folder, work).id)
    seen = job.snapshot()
    assert (seen["state"], seen["result"], seen["error"]) == (state, result, error)
    assert seen["finished"]
    assert not folder.exists()


def test_progress_and_listing(jobs: Jobs) -> None:
    job = jobs.wait(jobs.submit("import", jobs.folder(), counting).id)
    assert (job.done, job.total) == (3, 3)
    assert [j.id for j in jobs.list()] == [job.id]


def test_unknown_job_is_not_found(jobs: Jobs) -> None:
    with pytest.raises(NotFound):
        jobs.get("nope")
