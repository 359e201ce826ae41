"""Parallel documents into sentence pairs: splitting, length model, lexicon, aligner.

The names below are imported on first use (PEP 562 `__getattr__`): a `tm` command that does
not align does not load the aligner (and numpy)."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from alignments.aligner import Costs, align
    from alignments.bead import Bead, parse
    from alignments.scoring import Score, by_kind, score
    from alignments.splitting import spans, split

_HOMES = {
    "Bead": "alignments.bead",
    "Costs": "alignments.aligner",
    "Score": "alignments.scoring",
    "align": "alignments.aligner",
    "by_kind": "alignments.scoring",
    "parse": "alignments.bead",
    "score": "alignments.scoring",
    "spans": "alignments.splitting",
    "split": "alignments.splitting",
}


def __getattr__(name: str) -> Any:
    """The public name `name`, imported from its module the first time it is asked for."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'alignments' has no attribute {name!r}")
    value = getattr(import_module(home), name)
    globals()[name] = value
    return value


__all__ = ["Bead", "Costs", "Score", "align", "by_kind", "parse", "score", "spans", "split"]
