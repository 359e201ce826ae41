"""tm: a French→English translation memory."""

from tm.errors import Conflict, Forbidden, InvalidInput, NotFound, TMError, TooLarge
from tm.memory import ImportReport, Stats, TranslationMemory
from tm.retrieval.concordance import Concordance, Hit
from tm.retrieval.matching import Edit, Match, Penalty
from tm.segment import Review, Segment, Status, Unit

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
