"""The shape of the house: only the store speaks SQL to the TM's tables, no product function is
long or tangled, and every package's public names import."""

from __future__ import annotations

import ast
import importlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils

from tm.store.database import migrations

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("tm", "glossaries", "alignments", "service")
MAX_LINES = 60

# Modules that still hold SQL on the TM's tables, or functions still over the limits: each
# entry is work left, and the lists only ever shrink.
SQL_OUTSIDE_THE_STORE: set[str] = set()
LONG_FUNCTIONS: set[str] = set()


def product_files() -> Iterator[Path]:
    for package in PRODUCT:
        yield from sorted((ROOT / package).rglob("*.py"))


def tm_tables() -> set[str]:
    """The tables the TM's own migrations create (the store's: glossary and key tables are
    their packages' own)."""
    db = sqlite_utils.Database(memory=True)
    migrations.apply(db)
    return {name for name in db.table_names() if not name.startswith("_")}


def strings(tree: ast.AST) -> Iterator[str]:
    """Every string literal, f-string parts joined (what could hold a statement)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value
        elif isinstance(node, ast.JoinedStr):
            yield "".join(
                part.value if isinstance(part, ast.Constant) else "?" for part in node.values
            )


def holds_sql(path: Path, tables: set[str]) -> bool:
    names = "|".join(sorted(tables))
    statement = re.compile(rf"\b(?:FROM|INTO|UPDATE|JOIN|TABLE)\s+({names})\b", re.IGNORECASE)
    tree = ast.parse(path.read_text("utf-8"))
    return any(statement.search(text) for text in strings(tree) if not _docstring(text))


def _docstring(text: str) -> bool:
    # Prose that names a table ("rows from segments") is not a statement: statements here are
    # upper case, as SQL is written in this project.
    return not re.search(r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|DROP|ALTER)\b", text)


def test_only_the_store_speaks_sql_to_the_tm_tables() -> None:
    tables = tm_tables()
    assert {"segments", "settings"} <= tables
    found = {
        path.relative_to(ROOT).as_posix()
        for path in product_files()
        if not path.relative_to(ROOT).as_posix().startswith("tm/store/") and holds_sql(path, tables)
    }
    assert found <= SQL_OUTSIDE_THE_STORE, f"SQL on {sorted(tables)} outside tm/store: {found}"
    assert found == SQL_OUTSIDE_THE_STORE, f"no SQL left in {SQL_OUTSIDE_THE_STORE - found}: "
    "take them off the list"


def test_the_sql_check_sees_a_statement(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('QUERY = f"SELECT id FROM segments WHERE id > {0}"\n', "utf-8")
    assert holds_sql(sample, tm_tables())
    sample.write_text('"""Rows from segments, in order."""\n', "utf-8")
    assert not holds_sql(sample, tm_tables())


def long_functions() -> set[str]:
    found = set()
    for path in product_files():
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                if lines > MAX_LINES:
                    found.add(f"{path.relative_to(ROOT).as_posix()}:{node.name}")
    return found


def test_no_product_function_is_over_60_lines() -> None:
    found = long_functions()
    assert found <= LONG_FUNCTIONS, f"over {MAX_LINES} lines: {sorted(found - LONG_FUNCTIONS)}"
    assert found == LONG_FUNCTIONS, f"now short: {sorted(LONG_FUNCTIONS - found)}: take them off"


def packages() -> list[str]:
    names = []
    for package in PRODUCT:
        for init in sorted((ROOT / package).rglob("__init__.py")):
            names.append(".".join(init.parent.relative_to(ROOT).parts))
    return names


@pytest.mark.parametrize("package", packages())
def test_public_names_import(package: str) -> None:
    module = importlib.import_module(package)
    exported = getattr(module, "__all__", [])
    assert exported == sorted(exported), f"{package}.__all__ is not sorted"
    for name in exported:
        assert hasattr(module, name), f"{package}.__all__ names {name!r}, which is not there"
