"""Validation shared by every text field: no lone surrogates, NUL, control characters or
U+FFFE/U+FFFF (XML cannot hold them); and the length of query texts, bounded by
`Settings.max_query_chars` (`TM_MAX_QUERY_CHARS`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request
from pydantic import AfterValidator

from service.settings import Settings
from tm.errors import InvalidInput
from tm.segment import FORBIDDEN


def check_text(value: str) -> str:
    """`value` unchanged, or ValueError naming the first forbidden character."""
    bad = FORBIDDEN.search(value)
    if bad:
        raise ValueError(f"forbidden character U+{ord(bad.group()):04X} at {bad.start()}")
    return value


Clean = AfterValidator(check_text)
"""Annotate a query or form parameter with it: a forbidden character is a 422, like bodies."""


class QueryLength:
    """Checks query texts (what is looked up, searched or recognised) against the service's
    limit: the cost of a lookup grows with its text."""

    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __call__(self, *texts: str | None) -> None:
        """`InvalidInput` (422) naming the limit when a text is longer."""
        for text in texts:
            if text is not None and len(text) > self.limit:
                raise InvalidInput.said(
                    "error/query-too-long", length=f"{len(text):,}", limit=f"{self.limit:,}"
                )


async def query_length(request: Request) -> QueryLength:
    settings: Settings = request.app.state.settings
    return QueryLength(settings.max_query_chars)


Queries = Annotated[QueryLength, Depends(query_length)]
"""The query-length check of this app's settings, for routes that take a query text."""
RowId = Annotated[int, Path(ge=-(2**63), le=2**63 - 1, description="A row id (SQLite INTEGER)")]
"""A segment's or term's id in a path: a number SQLite cannot hold is a 422, not an
OverflowError."""
