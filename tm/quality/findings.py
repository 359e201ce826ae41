"""A finding: one problem (or note) a check reports about a source/target pair."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Finding:
    """What a check found: a code, a severity, a message, where, and a suggested fix.

    `source_span` and `target_span` are `(start, end)` character offsets into the original
    source and target text, or None when the finding is about the whole segment.
    `severity` is one of "error", "warning", "info".
    """

    code: str
    severity: str
    message: str
    source_span: tuple[int, int] | None = None
    target_span: tuple[int, int] | None = None
    suggestion: str = ""

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
