"""The sentencepiece model: trained in memory on the French side, stored in the database."""

from __future__ import annotations

import pytest
from conftest import fixture_pairs

from tm import InvalidInput, TranslationMemory, Unit
from tm.store import settings
from tm.text import pieces


def test_tiny_model_round_trips_and_is_stored(memory: TranslationMemory) -> None:
    memory.import_units([Unit(source=fr, target=en) for fr, en in fixture_pairs()])
    size = memory.train_pieces(vocab_size=100_000)  # far too large: the corpus decides
    assert 50 < size < 100_000
    model = settings.get(memory.db, pieces.SETTING)
    assert isinstance(model, bytes)
    processor = pieces.load(model)
    text = "Le ministre des Finances a 1\u202f000 dossiers."
    assert processor.decode(pieces.encode(processor, text)) == text  # identity: NNBSP kept


def test_empty_corpus_is_an_error() -> None:
    with pytest.raises(InvalidInput):
        pieces.train(["", "  "])
