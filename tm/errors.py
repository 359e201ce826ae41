"""The one error hierarchy of tm, mapped to HTTP codes and CLI messages at the edges.

TMError
 ├── InvalidInput   bad file or request (with file, line, column where known)
 │    └── TooLarge  input over a size limit (a DOCX that unpacks too far…)
 ├── NotFound       no such segment, term, job...
 ├── Conflict       a stale or clashing write
 ├── Forbidden      a key without the role for the action
 ├── Busy           another writer (an import) holds the database past the wait (HTTP 503)
 └── DiskFull       the disk (or the database's size limit) is full (HTTP 507)
"""

from __future__ import annotations

from typing import Self

from tm import messages


class TMError(Exception):
    """Base class of every error tm raises on purpose. One made by `said` names its message in
    the catalogue (`tm.messages`): `key` and `fields`, so an edge can give it in French."""

    key: str = ""
    fields: tuple[tuple[str, str], ...] = ()

    @classmethod
    def said(cls, key: str, **fields: object) -> Self:
        """The error whose message is the catalogue's `key` filled with `fields`."""
        values = tuple((name, str(value)) for name, value in fields.items())
        error = cls(messages.say(key, "en", **dict(values)))
        error.key, error.fields = key, values
        return error

    def text(self, language: str = "en") -> str:
        """The message in `language` (as raised when it is not catalogued)."""
        return messages.rendered(self.key, dict(self.fields), language, str(self))


class InvalidInput(TMError):
    """Input that cannot be used, with where it was found."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        super().__init__(self.describe())

    @classmethod
    def at(
        cls,
        key: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
        **fields: object,
    ) -> Self:
        """The error whose message is the catalogue's `key` filled with `fields`, found in
        `file` at `line` and `column` (`said` with a place)."""
        values = tuple((name, str(value)) for name, value in fields.items())
        message = messages.say(key, "en", **dict(values))
        error = cls(message, file=file, line=line, column=column)
        error.key, error.fields = key, values
        return error

    def describe(self, language: str = "en") -> str:
        """`file:line:column: message`, leaving out the parts that are not known; the message
        in `language` when it is catalogued."""
        message = messages.rendered(self.key, dict(self.fields), language, self.message)
        where = [str(part) for part in (self.file, self.line, self.column) if part is not None]
        return ":".join([*where, " " + message]) if where else message

    def text(self, language: str = "en") -> str:
        return self.describe(language)


class TooLarge(InvalidInput):
    """Input refused for its size before any work is done on it (HTTP 413)."""


class NotFound(TMError):
    """The thing asked for does not exist."""


class Conflict(TMError):
    """A write that clashes with the current state (stale edit, duplicate key)."""


class Forbidden(TMError):
    """The caller lacks the role for this action."""


class Busy(TMError):
    """Another writer (a long import) held the database for longer than a writer waits: try
    again later; nothing was written."""


class DiskFull(TMError):
    """The disk holding the database or an output file is full: nothing was written (the
    transaction was rolled back, the output left incomplete under a temporary name)."""
