"""`make bench`: run every benchmark in turn and print their tables."""

from __future__ import annotations

import importlib
import sys

MODULES = [
    "bench.importing",
    "bench.lookup",
    "bench.index",
    "bench.glossary",
    "bench.align",
    "bench.quality",
    "bench.direction",
    "bench.pretranslate",
    "bench.cluster",
    "bench.service",
    "bench.interop",
    "bench.cli",
]


def main() -> None:
    chosen = sys.argv[1:] or MODULES
    for name in chosen:
        importlib.import_module(name if name.startswith("bench.") else f"bench.{name}").main()


if __name__ == "__main__":
    main()
