"""Imported on first use: a package's names (PEP 562: its `__getattr__`, made once here), and
a module named by an edge (`module`)."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable, Mapping
from importlib import import_module
from types import ModuleType
from typing import Any


def names(package: str, homes: Mapping[str, str]) -> Callable[[str], Any]:
    """The `__getattr__` of `package`: a public name is imported from its module in `homes`
    the first time it is asked for, then kept in the package's namespace."""

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(home), name)
        setattr(sys.modules[package], name, value)
        return value

    return __getattr__


def module(name: str) -> ModuleType:
    """The module `name`, executed on first use of one of its attributes
    (`importlib.util.LazyLoader`): each command module and each HTTP route module names the
    pipelines it calls, and loads only those it runs, so that `tm --help` or `tm stats` start
    at once and `tm serve` answers sooner, instead of importing the whole engine (numpy,
    sacrebleu, sentencepiece, the formats) first."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ModuleNotFoundError(name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    loaded = importlib.util.module_from_spec(spec)
    sys.modules[name] = loaded
    loader.exec_module(loaded)
    parent, _, child = name.rpartition(".")
    if parent:
        setattr(sys.modules[parent], child, loaded)
    return loaded


__all__ = ["module", "names"]
