"""Check: the QA of a translation, pair quality (`tm.quality.pairs`, with the TM's lexicon and
glossary), glossary and rule-based findings, and the glossary terms of the source."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from glossaries import Finding, TermHit
from service.pipelines.annotate import Annotator
from service.pipelines.quality import full_lexicon
from tm import TranslationMemory
from tm.quality.pairs import Quality, assess


@dataclass(frozen=True)
class Checked:
    """What the check of one pair found."""

    quality: Quality
    findings: list[Finding]
    terms: list[TermHit]


def check(
    memory: TranslationMemory, annotator: Annotator, pairs: Sequence[tuple[str, str]]
) -> list[Checked]:
    """For each (French, English) pair: its quality, its findings (a deprecated French term
    in the source included) and its glossary terms."""
    scores = assess(pairs, lexicon=full_lexicon(memory))
    checked = []
    for (source, target), score in zip(pairs, scores, strict=True):
        terms = annotator.terms(source)
        findings = annotator.findings(source, target, terms=terms)
        checked.append(Checked(score, findings, terms))
    return checked
