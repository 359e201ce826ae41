"""`python -m stress [case ...]`: run the stress cases (all by default) and print the table."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from stress import contract, crash, fuzz, hostile, load
from stress.report import Row, table

CASES: dict[str, Callable[[Path, argparse.Namespace], list[Row]]] = {
    "hostile": lambda work, _options: hostile.run(work),
    "crash": lambda work, options: crash.run(work, runs=options.crash_runs),
    "fuzz": lambda work, options: fuzz.run(work, seconds=options.fuzz_seconds),
    "contract": lambda work, options: contract.run(work, examples=options.examples),
    "load": lambda work, options: load.concurrent(work, seconds=options.load_seconds),
    "load-http": lambda work, options: load.concurrent(
        work, seconds=options.load_seconds, http=True
    ),
    "flood": lambda work, _options: load.flood(work),
    "soak": lambda work, options: load.soak(work, minutes=options.minutes),
}


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m stress", description=__doc__)
    parser.add_argument("cases", nargs="*", choices=[*CASES, []], help="cases to run (all)")
    parser.add_argument("--crash-runs", type=int, default=20, help="kill -9 imports (20)")
    parser.add_argument("--fuzz-seconds", type=int, default=60, help="per reader (60)")
    parser.add_argument("--examples", type=int, default=500, help="per operation and key (500)")
    parser.add_argument(
        "--load-seconds",
        type=float,
        default=60,
        help="lookups, saves and edits around the import (60)",
    )
    parser.add_argument("--minutes", type=float, default=30, help="of lookups for the soak (30)")
    options = parser.parse_args()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="tm-stress-") as folder:
        for name in options.cases or CASES:
            start = time.monotonic()
            print(f"[stress] {name}…", file=sys.stderr, flush=True)
            rows += CASES[name](Path(folder), options)
            print(f"[stress] {name}: {time.monotonic() - start:.0f} s", file=sys.stderr)
    print(table(rows))
    return 0 if all(row.passed for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
