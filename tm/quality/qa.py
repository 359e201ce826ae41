"""Rule-based QA of one French→English pair: the checks a reviser runs before delivery.

`check(source, target)` returns `Finding`s (code, severity, message, spans, suggested fix):

| code | severity | what |
|---|---|---|
| `empty-target` | error | no English at all |
| `untranslated` | error | the English is the French (or is French) |
| `partly-untranslated` | warning | a run of ≥ 3 French words copied into the English |
| `placeable-mismatch` | error | a number/date/amount… with another value in the English |
| `placeable-missing` | error | a French number/date/amount… absent from the English |
| `placeable-extra` | warning | an English number/date… with no French counterpart (one lost) |
| `placeable-extra` | info | an English number/date… the English only adds (a year, a page) |
| `paragraph-number` | info | the number opening one side (`12.`, `(3)`) is not on the other |
| `paragraph-number` | warning | both sides open with a paragraph number, not the same |
| `length-ratio` | warning | English much shorter or longer than the French usually is |
| `french-spacing` | warning | a space before `: ; ? !` in the English |
| `french-quotes` | warning | « » in the English |
| `doubled-word` | warning | the same word twice in a row |
| `tag-missing` / `tag-extra` | error | inline placeholders (`<t1>`, `</t1>`, `<t2/>`) differ |
| `tag-order` | warning | same placeholders, another order (only when it breaks nesting) |

Glossary compliance lives in `glossaries.compliance`; the service runs both.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from tm.placeables import Placeable, find_english, find_french, pair, to_english
from tm.quality import untranslated
from tm.quality.findings import Finding
from tm.quality.findings import found as finding
from tm.quality.lexicon import Lexicon
from tm.text.inline import PLACEHOLDER
from tm.text.language import function_words
from tm.text.numerals import differences, list_label, spelled
from tm.text.tokenise import QA_WORD

MIN_RATIO = 0.5
MAX_RATIO = 2.0
_RATIO_MIN_LENGTH = 20
# Tried where a run of spaces starts, not from each of its spaces (quadratic on long runs).
_SPACE_BEFORE = re.compile(r"(?<![ \u00a0\u202f\u2009])[ \u00a0\u202f\u2009]+([:;?!])")
_GUILLEMETS = re.compile(r"«[ \u00a0\u202f]*|(?<![ \u00a0\u202f])[ \u00a0\u202f]*»|»")
_DOUBLED = re.compile(r"\b(\w+)(\s+)(\1)\b", re.IGNORECASE)
_DOUBLE_OK = frozenset({"had", "that", "is"})
_COPIED_RUN = 3
_NUMERIC = frozenset({"number", "year"})
_QUOTES = frozenset("\"'“”‘’«»")
PARAGRAPH_NUMBER = "paragraph-number"


def check(
    source: str,
    target: str,
    *,
    lexicon: Lexicon | Callable[[], Lexicon] | None = None,
    min_ratio: float = MIN_RATIO,
    max_ratio: float = MAX_RATIO,
) -> list[Finding]:
    """Every rule-based finding for the pair, in target order. Pure. With a `lexicon` (the
    base lexicon at least, `tm.quality.base`), a French text copied into the English is
    untranslated only when the lexicon translates one of its words (names and cognates stay
    alike in both languages). The `lexicon` may be a function that gives it: it is called
    only for a copy, so that checking a translated pair never waits for a lexicon to load."""
    if not target.strip():
        return [finding("empty-target", "error", fix="fix/translate")]
    findings: list[Finding] = []
    findings += _untranslated(source, target, lexicon)
    findings += _placeables(source, target)
    findings += _length(source, target, min_ratio, max_ratio)
    findings += _typography(target)
    findings += _doubled(source, target)
    findings += _tags(source, target)
    return findings


def _untranslated(
    source: str, target: str, lexicon: Lexicon | Callable[[], Lexicon] | None
) -> list[Finding]:
    verdict = untranslated.review(source, target, lexicon)
    if verdict == untranslated.COPY:
        return [
            finding(
                "untranslated/copy",
                "error",
                source_span=(0, len(source)),
                target_span=(0, len(target)),
                fix="fix/translate",
            )
        ]
    if verdict == untranslated.FRENCH:
        return [
            finding(
                "untranslated/french",
                "error",
                target_span=(0, len(target)),
                fix="fix/translate",
            )
        ]
    return _copied_runs(source, target)


def _copied_runs(source: str, target: str) -> list[Finding]:
    """Runs of ≥ 3 words of the French found in the English, with a French function word."""
    source_words = [m.group().lower() for m in QA_WORD.finditer(source)]
    grams = {
        tuple(source_words[i : i + _COPIED_RUN]) for i in range(len(source_words) - _COPIED_RUN + 1)
    }
    matches = list(QA_WORD.finditer(target))
    lowered = [m.group().lower() for m in matches]
    findings: list[Finding] = []
    index = 0
    while index + _COPIED_RUN <= len(lowered):
        if tuple(lowered[index : index + _COPIED_RUN]) not in grams:
            index += 1
            continue
        end = index + _COPIED_RUN
        while end < len(lowered) and tuple(lowered[end - _COPIED_RUN + 1 : end + 1]) in grams:
            end += 1
        run = lowered[index:end]
        french, english = function_words(run)
        if french > english:
            span = (matches[index].start(), matches[end - 1].end())
            name = _named(target, span, [m.group() for m in matches[index:end]])
            findings.append(
                finding(
                    "partly-untranslated/name" if name else "partly-untranslated",
                    "info" if name else "warning",
                    target_span=span,
                    fix="fix/translate-part",
                    text=target[span[0] : span[1]],
                )
            )
        index = end
    return findings


def _named(target: str, span: tuple[int, int], run: list[str]) -> bool:
    """Whether a French run copied into the English is a name, kept as such: in quotation
    marks, or its words of four letters or more all capitalised (`Réseau Femme et
    Développement`, `La Presse`)."""
    before, after = target[span[0] - 1 : span[0]], target[span[1] : span[1] + 1]
    if before and after and before in _QUOTES and after in _QUOTES:
        return True
    long = [w for token in run for w in token.replace("’", "'").split("'") if len(w) >= 4]
    return bool(long) and all(w[0].isupper() for w in long)


def _placeables(source: str, target: str) -> list[Finding]:
    pairing = pair(find_french(source), find_english(target))
    missing, extra = list(pairing.missing), list(pairing.extra)
    findings = _paragraph_numbers(source, target, missing, extra)
    found = differences(source, target)
    if not found.missing and not found.extra:
        # what the one verdict on numbers tolerates (a value spelled out, a 12-hour time, a
        # decade, two values run together) is no finding; spans come from the pairing
        return findings
    # a value the English only adds (a year, a page) is a note; beside a French value lost
    # or changed, a warning (pair quality flags those, `tm.quality.pairs`)
    added = "warning" if found.missing or found.fewer else "info"
    # a small number spelled out on the other side (`4 postes` / `four posts`)
    in_words = spelled(target, "en")
    missing = [p for p in missing if not (p.kind in _NUMERIC and p.value in in_words)]
    in_words = spelled(source, "fr")
    extra = [p for p in extra if not (p.kind in _NUMERIC and p.value in in_words)]
    for placeable in missing:
        rendering = to_english(placeable)
        other = next((e for e in extra if _comparable(placeable, e)), None)
        if other is not None:
            extra.remove(other)
            findings.append(
                finding(
                    "placeable-mismatch",
                    "error",
                    source_span=(placeable.start, placeable.end),
                    target_span=(other.start, other.end),
                    suggestion=rendering,
                    kind=placeable.kind,
                    text=placeable.text,
                    other=other.text,
                )
            )
        else:
            findings.append(
                finding(
                    "placeable-missing",
                    "error",
                    source_span=(placeable.start, placeable.end),
                    fix="fix/add",
                    kind=placeable.kind,
                    text=placeable.text,
                    value=rendering,
                )
            )
    for placeable in extra:
        findings.append(
            finding(
                "placeable-extra",
                added,
                target_span=(placeable.start, placeable.end),
                fix="fix/check-value",
                kind=placeable.kind,
                text=placeable.text,
            )
        )
    return findings


def _paragraph_numbers(
    source: str, target: str, missing: list[Placeable], extra: list[Placeable]
) -> list[Finding]:
    """The `paragraph-number` findings: a number in the list label that opens one side
    (`12.`, `(3)`) that the other side does not have. Taken out of `missing` and `extra` (in
    place): `info` when only one side numbers the paragraph (list numbering, often left out
    in one language), `warning` when both do with other numbers."""
    french_label, english_label = list_label(source), list_label(target)
    french = [p for p in missing if french_label and p.end <= french_label[1]]
    english = [p for p in extra if english_label and p.end <= english_label[1]]
    for placeable in french + english:
        (missing if placeable in french else extra).remove(placeable)
    if french and english:
        first, other = french[0], english[0]
        return [
            finding(
                f"{PARAGRAPH_NUMBER}/both",
                "warning",
                source_span=(first.start, first.end),
                target_span=(other.start, other.end),
                suggestion=first.text,
                text=first.text,
                other=other.text,
            )
        ]
    return [
        finding(
            f"{PARAGRAPH_NUMBER}/french" if p in french else f"{PARAGRAPH_NUMBER}/english",
            "info",
            source_span=(p.start, p.end) if p in french else None,
            target_span=(p.start, p.end) if p in english else None,
            fix="fix/number-both",
            text=p.text,
        )
        for p in french + english
    ]


def _comparable(a: Placeable, b: Placeable) -> bool:
    return a.kind == b.kind or (a.kind in _NUMERIC and b.kind in _NUMERIC)


def _length(source: str, target: str, low: float, high: float) -> list[Finding]:
    if max(len(source), len(target)) < _RATIO_MIN_LENGTH:
        return []
    ratio = len(target.strip()) / max(len(source.strip()), 1)
    if low <= ratio <= high:
        return []
    shorter = ratio < low
    return [
        finding(
            "length-ratio/short" if shorter else "length-ratio/long",
            "warning",
            target_span=(0, len(target)),
            fix="fix/compare",
            ratio=f"{ratio:.2f}",
            low=f"{low:g}",
            high=f"{high:g}",
        )
    ]


def _typography(target: str) -> list[Finding]:
    findings: list[Finding] = []
    for match in _SPACE_BEFORE.finditer(target):
        findings.append(
            finding(
                "french-spacing",
                "warning",
                target_span=(match.start(), match.end()),
                suggestion=match.group(1),
                mark=match.group(1),
            )
        )
    for match in _GUILLEMETS.finditer(target):
        opening = "«" in match.group()
        findings.append(
            finding(
                "french-quotes",
                "warning",
                target_span=(match.start(), match.end()),
                suggestion="“" if opening else "”",
                mark="«" if opening else "»",
            )
        )
    return findings


def _doubled(source: str, target: str) -> list[Finding]:
    findings: list[Finding] = []
    for match in _DOUBLED.finditer(target):
        word = match.group(1)
        if word.lower() in _DOUBLE_OK or word.isdigit() or _twice(source, word):
            continue
        findings.append(
            finding(
                "doubled-word", "warning", target_span=(match.start(2), match.end(3)), word=word
            )
        )
    return findings


def _twice(source: str, word: str) -> bool:
    """Whether the French has `word` twice in a row too (a name: `Pago Pago`)."""
    return any(m.group(1).lower() == word.lower() for m in _DOUBLED.finditer(source))


def _tags(source: str, target: str) -> list[Finding]:
    source_tags = [m.group() for m in PLACEHOLDER.finditer(source)]
    target_tags = [(m.group(), m.start(), m.end()) for m in PLACEHOLDER.finditer(target)]
    if not source_tags and not target_tags:
        return []
    findings: list[Finding] = []
    wanted = Counter(source_tags)
    present = Counter(tag for tag, _, _ in target_tags)
    for tag, count in (wanted - present).items():
        findings.append(
            finding(
                "tag-missing/many" if count > 1 else "tag-missing",
                "error",
                fix="fix/insert",
                tag=tag,
                count=count,
            )
        )
    extra = present - wanted
    for tag, start, end in target_tags:
        if extra[tag] > 0:
            extra[tag] -= 1
            findings.append(
                finding("tag-extra", "error", target_span=(start, end), fix="fix/remove", tag=tag)
            )
    if not findings and not _nested([tag for tag, _, _ in target_tags]):
        findings.append(
            finding(
                "tag-order",
                "warning",
                target_span=(target_tags[0][1], target_tags[-1][2]),
                suggestion=" ".join(source_tags),
            )
        )
    return findings


def _nested(tags: list[str]) -> bool:
    stack: list[str] = []
    for tag in tags:
        match = PLACEHOLDER.fullmatch(tag)
        if match is None or match.group(3):
            continue
        if match.group(1):
            if not stack or stack.pop() != match.group(2):
                return False
        else:
            stack.append(match.group(2))
    return not stack
