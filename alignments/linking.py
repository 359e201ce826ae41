"""Competitive linking of a group's lines with the single line facing them (after Melamed
2000): which line of a bead was really translated there.

A list item whose counterpart was dropped is often glued to its neighbour's bead (1-2), since
items of one list share most of their words ("a promise to pay the money owing, made by the
person or their agent …" beside "an acknowledgment of the money owing, made by the person or
their agent …", facing one French item). Cosines cannot tell: the glued line does share words
with the single line. Linking can: each word of the single line is used once, and the group's
best-covered line takes its words first; a glued line then finds next to none left, while each
half of a true split finds its own. `glued` lists such lines; the aligner leaves them alone.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from alignments.similarity import PREFIX
from tm.quality.lexicon import Lexicon, is_content
from tm.text.normalise import fold_word
from tm.text.tokenise import words

Tokens = list[frozenset[str]]  # one key set per content word of a line
Step = tuple[int, int, int, int, float]  # French i0..i1, English j0..j1, cosine


def english_tokens(words: Sequence[str]) -> Tokens:
    """An English (target-side) line's content words, each as itself and its prefix."""
    return [frozenset((w, "p:" + fold_word(w)[:PREFIX])) for w in words if is_content(w)]


def french_tokens(words: Sequence[str], renderings: Sequence[Sequence[str]]) -> Tokens:
    """A French line's content words, each as itself, its prefix and its English renderings
    (`renderings[k]` for `words[k]`)."""
    return [
        frozenset((w, "p:" + fold_word(w)[:PREFIX], *rendered))
        for w, rendered in zip(words, renderings, strict=True)
        if is_content(w)
    ]


def shares(single: Tokens, members: Sequence[Tokens]) -> list[float]:
    """For each line of a group, the share of its content words linked to a word of `single`
    no line before it took, the lines taking theirs from the best covered to the least."""
    everything = frozenset().union(*single)
    covered = [sum(1 for t in m if t & everything) / max(len(m), 1) for m in members]
    used = [False] * len(single)
    out = [0.0] * len(members)
    for k in sorted(range(len(members)), key=lambda k: -covered[k]):
        linked = 0
        for token in members[k]:
            for q, other in enumerate(single):
                if not used[q] and token & other:
                    used[q] = True
                    linked += 1
                    break
        out[k] = linked / max(len(members[k]), 1)
    return out


def glued(
    single: Tokens, members: Sequence[Tokens], *, share: float, least: int, explained: float
) -> int | None:
    """Which line (0 or 1) of a two-line group was not translated in `single`: it has at least
    `least` content words, of which at most `share` find a word of `single` left by the other
    line, and the other line alone links at least `explained` of `single`'s words (it is the
    whole translation). With a weak lexicon, or machine translation as the gloss, each half of
    a true split may link little; but then neither half explains the single line alone."""
    if len(members) != 2:
        return None
    found = shares(single, members)
    k = 0 if found[0] <= found[1] else 1
    if found[k] > share or len(members[k]) < least:
        return None
    return k if shares(members[1 - k], [single])[0] >= explained else None


def unglue(
    path: Sequence[Step],
    french: Sequence[str],
    english: Sequence[str],
    *,
    lexicon: Lexicon,
    glosses: Sequence[str] | None,
    share: float,
    least: int,
    explained: float,
    cosine: Callable[[int, int], float],
) -> list[Step]:
    """`path` with the `glued` line of each 1-2 or 2-1 bead left alone as a deletion; the
    rest of the bead becomes a 1-1 whose cosine is `cosine(i1, j1)` (its ends). French words
    link by their `lexicon` renderings (and a known segment's translation), or, with
    `glosses`, by the words of their sentence's gloss."""

    def french_side(i: int) -> Tokens:
        if glosses is not None:
            return english_tokens(words(glosses[i]))
        found = words(french[i])
        whole = lexicon.segment(found)
        renderings = [
            [part for r in lexicon.get(w)[:3] for part in r.split()] + whole for w in found
        ]
        return french_tokens(found, renderings)

    out: list[Step] = []
    for i0, i1, j0, j1, cos in path:
        a, b = i1 - i0, j1 - j0
        k = None
        if a == 1 and b == 2:
            members = [english_tokens(words(english[j])) for j in range(j0, j1)]
            k = glued(french_side(i0), members, share=share, least=least, explained=explained)
        elif a == 2 and b == 1:
            members = [french_side(i) for i in range(i0, i1)]
            single = english_tokens(words(english[j0]))
            k = glued(single, members, share=share, least=least, explained=explained)
        if k is None:
            out.append((i0, i1, j0, j1, cos))
            continue
        if a == 1:  # an English line alone
            kept = (i0, i1, j0 + 1, j1) if k == 0 else (i0, i1, j0, j1 - 1)
            alone = (i0, i0, j0, j0 + 1) if k == 0 else (i1, i1, j1 - 1, j1)
        else:  # a French line alone
            kept = (i0 + 1, i1, j0, j1) if k == 0 else (i0, i1 - 1, j0, j1)
            alone = (i0, i0 + 1, j0, j0) if k == 0 else (i1 - 1, i1, j1, j1)
        pair = (*kept, cosine(kept[1], kept[3]))
        lone = (*alone, 0.0)
        out += [lone, pair] if k == 0 else [pair, lone]
    return out
