"""Gathering QA findings for a source/target pair from every checker the TM database offers.

A checker is a function `(source, target) -> list[Finding]`. `checkers(db)` makes the list for
one database (each checker loads what it needs once); `gather` runs them and merges the
findings in source order. Another kind of check is one more factory in `FACTORIES`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import sqlite_utils

from glossaries import Glossary
from glossaries.compliance import check as glossary_check
from tm.quality import qa
from tm.quality.findings import Finding

Checker = Callable[[str, str], list[Finding]]
Factory = Callable[[sqlite_utils.Database], Checker]


def glossary_checker(db: sqlite_utils.Database) -> Checker:
    """Glossary compliance against the termbase stored in `db`."""
    recogniser = Glossary.open(db).recogniser()

    def check(source: str, target: str) -> list[Finding]:
        return glossary_check(source, target, recogniser)

    return check


def rule_checker(db: sqlite_utils.Database) -> Checker:
    """Rule-based QA (`tm.quality.qa`): placeables, untranslated, length, typography, tags…"""
    return qa.check


FACTORIES: list[Factory] = [glossary_checker, rule_checker]


def checkers(db: sqlite_utils.Database) -> list[Checker]:
    """One checker per factory, for this database."""
    return [factory(db) for factory in FACTORIES]


def _order(finding: Finding) -> tuple[int, int, str]:
    span = finding.source_span or finding.target_span or (1 << 30, 0)
    return span[0], span[1], finding.code


def gather(source: str, target: str, chosen: Iterable[Checker]) -> list[Finding]:
    """Every checker's findings for the pair, ordered by position then code."""
    return sorted((f for checker in chosen for f in checker(source, target)), key=_order)
