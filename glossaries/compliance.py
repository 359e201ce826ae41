"""Glossary compliance of an English translation: expected terms present, forbidden ones absent.

For every glossary term found in the French source, the English target must contain its
preferred or an admitted English term (English inflection tolerated through the Snowball
stemmer: `Ally`/`Allies`); a deprecated or superseded English term of the concept is an error
with the preferred term as the fix; a deprecated French term in the source, or a capital of
the glossary term lost in the target (`allies` for `Ally`), is a note.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Protocol

import Stemmer

from glossaries.recognition import TermHit, prepare
from glossaries.terms import FORBIDDEN
from tm.quality.findings import Finding
from tm.quality.findings import found as finding
from tm.text.tokenise import ENGLISH_TERM_TOKEN

MISSING = "glossary-term-missing"
FORBIDDEN_TARGET = "glossary-term-forbidden"
DEPRECATED_SOURCE = "glossary-source-deprecated"
CASE = "glossary-term-case"


class Finder(Protocol):
    def find(self, text: str) -> list[TermHit]: ...


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


@lru_cache(maxsize=20_000)
def _english_key(phrase: str) -> tuple[str, ...]:
    words = [token.casefold() for token in ENGLISH_TERM_TOKEN.findall(prepare(phrase)[0])]
    return tuple(_stemmer().stemWords(words))


def _tokens(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    prepared, offsets = prepare(text)
    matches = list(ENGLISH_TERM_TOKEN.finditer(prepared))
    keys = _stemmer().stemWords([m.group().casefold() for m in matches])
    spans = [m.span() for m in matches]
    if offsets is not None:
        spans = [(offsets[a], offsets[b]) for a, b in spans]
    return list(keys), spans


def _occurrences(
    phrase: str, keys: list[str], spans: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Character spans in the target where `phrase` occurs (stemmed, case-folded tokens)."""
    wanted = _english_key(phrase)
    size = len(wanted)
    if not size:
        return []
    return [
        (spans[i][0], spans[i + size - 1][1])
        for i in range(len(keys) - size + 1)
        if keys[i] == wanted[0] and tuple(keys[i : i + size]) == wanted
    ]


def _capitals_kept(phrase: str, found: str) -> bool:
    """Every capitalised word of the glossary term is capitalised in the target too
    (`Allies` for `Ally`; a capital the term lacks is fine: sentence starts, titles)."""
    want, got = ENGLISH_TERM_TOKEN.findall(phrase), ENGLISH_TERM_TOKEN.findall(found)
    return all(not w[:1].isupper() or g[:1].isupper() for w, g in zip(want, got, strict=False))


def _overlaps(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in others)


def check(
    source: str,
    target: str,
    hits: Sequence[TermHit] | Finder,
    *,
    report_deprecated_source: bool = True,
) -> list[Finding]:
    """Glossary findings for one French `source` and its English `target`.

    `hits` are the recogniser's hits on `source`, or the recogniser itself.
    """
    found = hits.find(source) if not isinstance(hits, Sequence) else list(hits)
    keys, spans = _tokens(target)
    findings: list[Finding] = []
    reported: set[tuple[int, int]] = set()
    for hit in found:
        if report_deprecated_source and hit.status in FORBIDDEN:
            findings.append(_deprecated_source(hit))
        if hit.accepted:
            findings += _renderings(hit, target, keys, spans, reported)
    return findings


def _deprecated_source(hit: TermHit) -> Finding:
    key = f"{DEPRECATED_SOURCE}/better" if hit.preferred_fr else DEPRECATED_SOURCE
    return finding(
        key,
        "info",
        source_span=(hit.start, hit.end),
        suggestion=hit.preferred_fr,
        status=hit.status,
        term=hit.fr,
        better=hit.preferred_fr,
    )


def _renderings(
    hit: TermHit,
    target: str,
    keys: list[str],
    spans: list[tuple[int, int]],
    reported: set[tuple[int, int]],
) -> list[Finding]:
    """The findings on how the target renders `hit`: deprecated renderings (each target span
    once over the whole pair: `reported`), a capital lost, or no accepted rendering."""
    where = (hit.start, hit.end)
    located = [(p, s) for p in hit.accepted for s in _occurrences(p, keys, spans)]
    good = [span for _phrase, span in located]
    bad = [
        (phrase, s)
        for phrase in hit.forbidden
        for s in _occurrences(phrase, keys, spans)
        if not _overlaps(s, good)
    ]
    findings: list[Finding] = []
    for _phrase, span in sorted(bad, key=lambda item: item[1][0] - item[1][1]):
        if _overlaps(span, list(reported)):
            continue
        reported.add(span)
        findings.append(
            finding(
                FORBIDDEN_TARGET,
                "error",
                source_span=where,
                target_span=span,
                suggestion=hit.en,
                rendering=target[span[0] : span[1]],
                term=hit.text,
                english=hit.en,
            )
        )
    if located and not any(_capitals_kept(p, target[a:b]) for p, (a, b) in located):
        phrase, (a, b) = located[0]
        findings.append(
            finding(
                CASE,
                "info",
                source_span=where,
                target_span=(a, b),
                suggestion=phrase,
                rendering=target[a:b],
                term=hit.text,
                phrase=phrase,
            )
        )
    if not good and not bad:
        findings.append(_missing(hit))
    return findings


def _missing(hit: TermHit) -> Finding:
    """No accepted rendering of `hit` in the target."""
    others = ", ".join(map(repr, hit.accepted[1:]))
    return finding(
        f"{MISSING}/others" if others else MISSING,
        "warning",
        source_span=(hit.start, hit.end),
        suggestion=hit.en,
        term=hit.text,
        english=hit.en,
        others=others,
    )
