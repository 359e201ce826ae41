"""Parallel documents into sentence pairs: splitting, length model, lexicon, aligner."""

from alignments.aligner import Costs, align
from alignments.bead import Bead, parse
from alignments.scoring import Score, by_kind, score
from alignments.splitting import spans, split

__all__ = ["Bead", "Costs", "Score", "align", "by_kind", "parse", "score", "spans", "split"]
