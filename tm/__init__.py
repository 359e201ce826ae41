"""tm: a French→English translation memory."""

from tm.concordance import Hit
from tm.errors import Conflict, Forbidden, InvalidInput, NotFound, TMError
from tm.matching import Edit, Match, Penalty
from tm.memory import ImportReport, Stats, TranslationMemory
from tm.segment import Segment, Unit

__all__ = [
    "Conflict",
    "Edit",
    "Forbidden",
    "Hit",
    "ImportReport",
    "InvalidInput",
    "Match",
    "NotFound",
    "Penalty",
    "Segment",
    "Stats",
    "TMError",
    "TranslationMemory",
    "Unit",
]
