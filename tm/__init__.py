"""tm: a French→English translation memory."""

from tm.errors import Conflict, Forbidden, InvalidInput, NotFound, TMError
from tm.matching import Match, Penalty
from tm.memory import ImportReport, Stats, TranslationMemory
from tm.segment import Segment, Unit

__all__ = [
    "Conflict",
    "Forbidden",
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
