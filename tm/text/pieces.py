"""Sentencepiece sub-word model of a TM's French side: trained in memory, stored in the database.

Unigram model (Kudo 2018) with `normalization_rule_name="identity"` so that pieces round-trip
to the exact text (NBSP stays NBSP). Sub-word pieces let inflected forms share units
(`ministre`/`ministres`); the model is kept in the `settings` table as `pieces.model`.
The vocabulary size is taken from the corpus: sentencepiece refuses a vocabulary larger than
the corpus can fill, so the largest size it allows (≤ the size asked for) is used.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from itertools import islice

import sentencepiece as spm
import sqlite_utils

from tm.errors import InvalidInput

SETTING = "pieces.model"
_TOO_HIGH = re.compile(r"Please set it to a value <= (\d+)")


def train(sentences: Iterable[str], *, vocab_size: int = 8000) -> bytes:
    """A serialised unigram model trained on `sentences` (a Python iterable, read once)."""
    corpus = [s for s in sentences if s.strip()]
    if not corpus:
        raise InvalidInput("no text to train a sentencepiece model on")
    size = vocab_size
    for _attempt in range(3):
        model = io.BytesIO()
        try:
            spm.SentencePieceTrainer.train(
                sentence_iterator=iter(corpus),
                model_writer=model,
                vocab_size=size,
                model_type="unigram",
                normalization_rule_name="identity",
                character_coverage=1.0,
                minloglevel=2,
            )
        except RuntimeError as error:
            allowed = _TOO_HIGH.search(str(error))
            if allowed is None:
                raise InvalidInput(f"sentencepiece training failed: {error}") from error
            size = int(allowed.group(1))
            continue
        return model.getvalue()
    raise InvalidInput(f"sentencepiece: no usable vocabulary size found (last tried {size})")


def load(model: bytes) -> spm.SentencePieceProcessor:
    """A processor for a serialised model."""
    return spm.SentencePieceProcessor(model_proto=model)


def save(db: sqlite_utils.Database, model: bytes) -> None:
    """Store the model in the TM's settings (caller holds the write transaction)."""
    db.conn.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (SETTING, model),
    )


def stored(db: sqlite_utils.Database) -> bytes | None:
    """The model stored in the TM, if any."""
    row = db.conn.execute("SELECT value FROM settings WHERE key = ?", (SETTING,)).fetchone()
    return bytes(row[0]) if row else None


def french_side(db: sqlite_utils.Database, *, sample: int = 200_000) -> Iterator[str]:
    """Up to `sample` French sources of the TM (spread over the whole TM), for training."""
    total = int(db.conn.execute("SELECT count(*) FROM segments").fetchone()[0])
    step = max(1, total // sample)
    rows = db.conn.execute("SELECT source FROM segments WHERE id % ? = 0", (step,))
    return islice((row[0] for row in rows), sample)


def encode(processor: spm.SentencePieceProcessor, text: str) -> list[str]:
    """The pieces of `text`."""
    return list(processor.encode(text, out_type=str))
