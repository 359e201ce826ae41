"""Adapting a TM target to the query: the query's placeable values, localised to English,
substituted for the TM source's values where they can be located in the target."""

from __future__ import annotations

from collections.abc import Sequence

from tm.placeables import Placeable, find_english, same_value, to_english
from tm.retrieval.scoring import PlaceableChange, Token


def _placeable(token: Token) -> Placeable:
    return Placeable(token.placeable_kind, token.text, token.start, token.end, token.value)


def adapt(target: str, changes: Sequence[PlaceableChange]) -> tuple[str, list[str]]:
    """The target with each changed placeable substituted, and notes on what was not.

    A source placeable is located in the target by value (`28 novembre 2023` is found as
    `28 November 2023` or `November 28, 2023`); when it is not there, or is there twice with
    no way to tell which, the target is left as it is and a note says so.
    """
    if not changes:
        return target, []
    in_target = find_english(target)
    used: set[int] = set()
    replacements: list[tuple[int, int, str]] = []
    notes: list[str] = []
    for change in changes:
        source = _placeable(change.source)
        spots = [
            i for i, found in enumerate(in_target) if i not in used and same_value(found, source)
        ]
        if not spots:
            notes.append(f"placeable {source.text} not found in target: not substituted")
            continue
        spot = spots[0]
        used.add(spot)
        english = to_english(_placeable(change.query))
        replacements.append((in_target[spot].start, in_target[spot].end, english))
    adapted = target
    for start, end, text in sorted(replacements, reverse=True):
        adapted = adapted[:start] + text + adapted[end:]
    return adapted, notes
