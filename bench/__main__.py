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
    # Options (`--repeat 3`) are the chosen benchmark's own: each reads sys.argv.
    names = [arg for arg in sys.argv[1:] if not arg.startswith("-") and not arg.isdigit()]
    chosen = names or MODULES
    for name in chosen:
        importlib.import_module(name if name.startswith("bench.") else f"bench.{name}").main()


if __name__ == "__main__":
    main()
