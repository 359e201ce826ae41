"""A finding: one problem (or note) a check reports about a source/target pair."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tm import messages

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """What a check found: a code, a severity, a message, where, and a suggested fix.

    `source_span` and `target_span` are `(start, end)` character offsets into the original
    source and target text, or None when the finding is about the whole segment.
    `severity` is one of "error", "warning", "info". `key` and `args` name the message in
    the catalogue (`tm.messages`; `message` is its English), `fix` the suggestion's key
    when the suggestion is words rather than a value: `text` and `suggested` give them in
    another language.
    """

    code: str
    severity: str
    message: str
    source_span: tuple[int, int] | None = None
    target_span: tuple[int, int] | None = None
    suggestion: str = ""
    key: str = ""
    args: tuple[tuple[str, str], ...] = ()
    fix: str = ""

    def text(self, language: str = "en") -> str:
        """The message in `language` (`tm.messages`)."""
        return messages.rendered(self.key, dict(self.args), language, self.message)

    def suggested(self, language: str = "en") -> str:
        """The suggested fix in `language`."""
        return messages.rendered(self.fix, dict(self.args), language, self.suggestion)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (spans as two-item lists or None)."""
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "source_span": list(self.source_span) if self.source_span is not None else None,
            "target_span": list(self.target_span) if self.target_span is not None else None,
            "suggestion": self.suggestion,
        }


def found(
    key: str,
    severity: str,
    *,
    source_span: tuple[int, int] | None = None,
    target_span: tuple[int, int] | None = None,
    suggestion: str = "",
    fix: str = "",
    **args: object,
) -> Finding:
    """A finding whose message is the catalogue's `key` (`tm.messages`; its code is the key's
    part before "/") filled with `args`; the suggestion is the catalogue's `fix` when given,
    else `suggestion` (a value: "1,000.5", "NATO")."""
    values = tuple((name, str(value)) for name, value in args.items())
    filled = dict(values)
    return Finding(
        code=key.split("/")[0],
        severity=severity,
        message=messages.say(key, "en", **filled),
        source_span=source_span,
        target_span=target_span,
        suggestion=messages.say(fix, "en", **filled) if fix else suggestion,
        key=key,
        args=values,
        fix=fix,
    )
