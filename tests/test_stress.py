"""The stress suite's own helpers (the suite itself runs with `make stress`)."""

from __future__ import annotations

import io
import zipfile

from stress.hostile import docx
from stress.report import Row, table


def test_table_counts_passes_failures_and_skips() -> None:
    rows = [
        Row("hostile", "NaN", "422, 3 ms", "≤ 1 s", True),
        Row("crash", "kill -9", "19/20", "20/20", False),
        Row("fuzz", "tmx", "no atheris", "", False, skipped=True),
    ]
    lines = table(rows).splitlines()
    assert lines[0].split() == ["case", "check", "measured", "target", "verdict"]
    assert [line.split()[-1] for line in lines[2:5]] == ["PASS", "FAIL", "SKIP"]
    assert lines[-1] == "1 passed, 1 failed, 1 skipped"


def test_the_zip_bomb_is_small_and_unpacks_far() -> None:
    bomb = docx("<w:document/>", bomb=1 << 24)
    assert len(bomb) < 50_000
    with zipfile.ZipFile(io.BytesIO(bomb)) as package:
        assert sum(member.file_size for member in package.infolist()) > 1 << 24


def test_percentile_takes_the_value_at_or_above_the_share() -> None:
    from stress.load import percentile

    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 0.99) == 100.0
    assert percentile(values, 0.5) == 51.0
    assert percentile([], 0.99) == 0.0


def test_the_server_tree_counts_a_process_and_its_children() -> None:
    import os
    import subprocess
    import sys

    from stress.server import _descendants

    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        assert {os.getpid(), child.pid} <= set(_descendants(os.getpid()))
    finally:
        child.kill()
        child.wait()
