"""Shared fixtures: a fresh TM file per test and the checked-in FR/EN samples."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tm import TranslationMemory

DATA = Path(__file__).parent / "data"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "tm.db"


@pytest.fixture
def memory(db_path: Path) -> Iterator[TranslationMemory]:
    with TranslationMemory.open(db_path) as opened:
        yield opened


@pytest.fixture
def sample_tmx() -> Path:
    return DATA / "sample.tmx"
