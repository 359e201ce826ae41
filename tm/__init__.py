"""tm: a French→English translation memory.

The names below are imported on first use (PEP 562 `__getattr__`), so that `import tm` (and a
`tm` command that needs only a few of them, such as `tm --help` or `tm stats`) does not load
the retrieval engine, the formats and numpy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tm.lazy import names

if TYPE_CHECKING:
    from tm.errors import Conflict, Forbidden, InvalidInput, NotFound, TMError, TooLarge
    from tm.memory import ImportReport, Stats, TranslationMemory
    from tm.retrieval.concordance import Concordance, Hit
    from tm.retrieval.matching import Edit, Match, Penalty
    from tm.segment import Review, Segment, Status, Unit

_HOMES = {
    "Concordance": "tm.retrieval.concordance",
    "Conflict": "tm.errors",
    "Edit": "tm.retrieval.matching",
    "Forbidden": "tm.errors",
    "Hit": "tm.retrieval.concordance",
    "ImportReport": "tm.memory",
    "InvalidInput": "tm.errors",
    "Match": "tm.retrieval.matching",
    "NotFound": "tm.errors",
    "Penalty": "tm.retrieval.matching",
    "Review": "tm.segment",
    "Segment": "tm.segment",
    "Stats": "tm.memory",
    "Status": "tm.segment",
    "TMError": "tm.errors",
    "TooLarge": "tm.errors",
    "TranslationMemory": "tm.memory",
    "Unit": "tm.segment",
}


__getattr__ = names(__name__, _HOMES)


__all__ = [
    "Concordance",
    "Conflict",
    "Edit",
    "Forbidden",
    "Hit",
    "ImportReport",
    "InvalidInput",
    "Match",
    "NotFound",
    "Penalty",
    "Review",
    "Segment",
    "Stats",
    "Status",
    "TMError",
    "TooLarge",
    "TranslationMemory",
    "Unit",
]
