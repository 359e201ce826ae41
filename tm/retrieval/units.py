"""Date expressions as units: a range (`du 3 au 5 mai`), a list (`les 11 et 12 octobre
2023`), a month and year (`en octobre 2023`) or a bare year are one thing to a reader, though
the placeable scanner finds them as several placeables (`11`, `12 octobre 2023`).

A changed placeable may be substituted into the target only when the TM source's expression
and the query's expression have the same shape (the same members of the same granularity,
joined by the same words): `les 11 et 12 octobre 2023` → `les 3 et 4 mai 2024` substitutes
member by member, but `les 11 et 12 octobre 2023` → `le 14 février 2024` would give
"on 11 and 14 February 2024", and `en octobre 2023` → `le 14 février 2024` "in 14 February
2024": such changes are held back with a note, and the target keeps its dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TypeVar

from tm import messages

_JOINERS = frozenset({"et", "au", "à", "ou", "-", "–", ",", "&"})
_MONTHS = frozenset(
    "janvier février fevrier mars avril mai juin juillet août aout septembre octobre "
    "novembre décembre decembre".split()
)
_DAY_KINDS = frozenset({"number", "ordinal"})


class Unit(Protocol):
    """What a token must offer (tm.retrieval.scoring.Token does)."""

    @property
    def text(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def value(self) -> str: ...
    @property
    def placeable_kind(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


class Change(Protocol):
    """A changed placeable: the TM source's token and the query's."""

    @property
    def source(self) -> Unit: ...
    @property
    def query(self) -> Unit: ...


ChangeT = TypeVar("ChangeT", bound=Change)


def _member(token: Unit) -> str:
    """The member's shape (`dmy`, `dm`, `my`, `year`, `day`, `month`), or "" for none."""
    if token.kind == "placeable":
        kind, value = token.placeable_kind, token.value
        if kind == "date":
            if value.startswith("--"):
                return "dm"
            return "dmy" if value.count("-") == 2 else "my"
        if kind == "year":
            return "year"
        if kind in _DAY_KINDS and value.isdigit() and 1 <= int(value) <= 31:
            return "day"
        return ""
    if token.kind == "word" and token.text.casefold() in _MONTHS:
        return "month"
    return ""


def _dated(members: list[str]) -> bool:
    """Whether a run of joined members is a date expression (it holds a date or is years)."""
    return any(m in ("dmy", "dm", "my") for m in members) or all(m == "year" for m in members)


def expressions(tokens: Sequence[Unit]) -> dict[int, tuple[int, tuple[str, ...]]]:
    """For each token index in a date expression of two or more members: where the
    expression starts and its shape (members' granularities and joining words, in order)."""
    found: dict[int, tuple[int, tuple[str, ...]]] = {}
    index = 0
    while index < len(tokens):
        first = _member(tokens[index])
        if not first:
            index += 1
            continue
        run, shape, members, end = [index], [first], [first], index + 1
        while end + 1 < len(tokens) and tokens[end].text.casefold() in _JOINERS:
            member = _member(tokens[end + 1])
            if not member:
                break
            shape.extend([tokens[end].text.casefold(), member])
            members.append(member)
            run.extend([end, end + 1])
            end += 2
        if len(members) > 1 and _dated(members):
            for position in run:
                found[position] = (index, tuple(shape))
        index = end
    return found


def _differ(
    s_index: int,
    q_index: int,
    source: tuple[Sequence[Unit], dict[int, tuple[int, tuple[str, ...]]]],
    query: tuple[Sequence[Unit], dict[int, tuple[int, tuple[str, ...]]]],
) -> bool:
    """Whether the source token's date expression and the query token's differ in shape (a
    lone date differs from a date of another granularity; other placeables never do)."""
    s_tokens, s_expressions = source
    q_tokens, q_expressions = query
    if s_index in s_expressions or q_index in q_expressions:
        s_shape = s_expressions.get(s_index, (0, (_member(s_tokens[s_index]),)))[1]
        q_shape = q_expressions.get(q_index, (0, (_member(q_tokens[q_index]),)))[1]
        return s_shape != q_shape
    s_member, q_member = _member(s_tokens[s_index]), _member(q_tokens[q_index])
    return s_member in ("dmy", "dm", "my") and s_member != q_member


def hold(
    changes: Sequence[tuple[int, int, ChangeT]],
    source: Sequence[Unit],
    query: Sequence[Unit],
    *,
    lacking: Sequence[int] = (),
    dropped: Sequence[int] = (),
) -> tuple[list[ChangeT], list[str]]:
    """The changes that may be substituted, and a note for each date expression held back.

    `changes` are (source token index, query token index, change). A change is held when the
    two expressions it belongs to differ in shape; every change of a held expression is held.
    `lacking` are the query's dates that no source token matches, `dropped` the source's that
    no query token matches: each gets a note too (unless its expression has one already),
    since the target then holds another date than the query.
    """
    if not changes and not lacking and not dropped:
        return [], []
    s_expressions, q_expressions = expressions(source), expressions(query)
    held: set[int] = set()
    noted: set[int] = set()
    notes: list[str] = []
    for s_index, q_index, _change in changes:
        if not _differ(s_index, q_index, (source, s_expressions), (query, q_expressions)):
            continue
        expression = s_expressions.get(s_index, (s_index, ()))[0]
        noted.add(q_expressions.get(q_index, (q_index, ()))[0])
        if expression not in held:
            held.add(expression)
            notes.append(
                messages.say(
                    "note/date-form",
                    text=_text(source, s_index, s_expressions),
                    other=_text(query, q_index, q_expressions),
                )
            )
    for q_index in lacking:
        expression = q_expressions.get(q_index, (q_index, ()))[0]
        if expression not in noted:
            noted.add(expression)
            notes.append(
                messages.say("note/date-lacking", text=_text(query, q_index, q_expressions))
            )
    for s_index in dropped:
        expression = s_expressions.get(s_index, (s_index, ()))[0]
        if expression not in held:
            held.add(expression)
            notes.append(
                messages.say("note/date-dropped", text=_text(source, s_index, s_expressions))
            )
    kept = [
        change
        for s_index, _q_index, change in changes
        if s_expressions.get(s_index, (s_index, ()))[0] not in held
    ]
    return kept, notes


def _text(tokens: Sequence[Unit], index: int, found: dict[int, tuple[int, tuple[str, ...]]]) -> str:
    """The text of the expression around token `index` (the token alone when in none)."""
    if index not in found:
        return tokens[index].text
    start = found[index][0]
    end = start
    while end + 1 in found and found[end + 1][0] == start:
        end += 1
    parts: list[str] = []
    for previous, token in zip([None, *tokens[start:end]], tokens[start : end + 1], strict=True):
        if previous is not None and token.start > previous.end:
            parts.append(" ")
        parts.append(token.text)
    return "".join(parts)
