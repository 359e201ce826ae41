"""Parallel documents into sentence pairs: splitting, length model, lexicon, aligner.

The names below are imported on first use (PEP 562 `__getattr__`): a `tm` command that does
not align does not load the aligner (and numpy)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tm.lazy import names

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


__getattr__ = names(__name__, _HOMES)


__all__ = ["Bead", "Costs", "Score", "align", "by_kind", "parse", "score", "spans", "split"]
