"""Adapting a TM target to the query: the query's placeable values, localised to English,
substituted for the TM source's values where they can be located in the target."""

from __future__ import annotations

from dataclasses import dataclass

from tm import messages
from tm.placeables import Placeable, find_english, pair, to_english
from tm.retrieval.scoring import Scored, Token


def _placeable(token: Token) -> Placeable:
    return Placeable(token.placeable_kind, token.text, token.start, token.end, token.value)


@dataclass(frozen=True)
class Adaptation:
    """A span of the adapted target that was substituted (`start`, `end`: character offsets
    in `adapted_target`), with the TM target's text it replaced (`original`)."""

    start: int
    end: int
    original: str


def adapt(target: str, scored: Scored) -> tuple[str, list[str]]:
    """`adapted` without the marks: the adapted target and the notes."""
    text, notes, _marks = adapted(target, scored)
    return text, notes


def adapted(target: str, scored: Scored) -> tuple[str, list[str], list[Adaptation]]:
    """The target with each changed placeable substituted, notes on what was not, and
    where each substitution stands in the adapted text with what it replaced.

    Changes held back as part of a date expression of another form (`scored.held`, see
    `tm.retrieval.units`) are not substituted: their notes come first.

    A source placeable is located in the target by value (`28 novembre 2023` is found as
    `28 November 2023` or `November 28, 2023`; `tm.placeables.pair`: the first one not taken
    yet); when it is not there, the target is left as it is and a note says so.
    """
    changes = scored.changes
    if not changes:
        return target, list(scored.held), []
    sources = [_placeable(change.source) for change in changes]
    located = dict(pair(sources, find_english(target)).pairs)
    replacements: list[tuple[int, int, str]] = []
    notes: list[str] = list(scored.held)
    for change, source in zip(changes, sources, strict=True):
        spot = located.get(source)
        if spot is None:
            notes.append(messages.say("note/not-found", text=source.text))
            continue
        english = to_english(_placeable(change.query))
        replacements.append((spot.start, spot.end, english))
    parts: list[str] = []
    marks: list[Adaptation] = []
    last = length = 0
    for start, end, text in sorted(replacements):
        parts.append(target[last:start])
        length += start - last
        marks.append(Adaptation(length, length + len(text), target[start:end]))
        parts.append(text)
        length += len(text)
        last = end
    parts.append(target[last:])
    return "".join(parts), notes, marks
