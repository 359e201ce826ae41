"""Sentencepiece sub-word model of a TM's French side, trained in memory.

Unigram model (Kudo 2018) with `normalization_rule_name="identity"` so that pieces round-trip
to the exact text (NBSP stays NBSP). `TranslationMemory.train_pieces` trains one on the TM's
French side and keeps it in the TM's settings as `SETTING`. No product code reads it.
Issue 18 measured sub-word uses of models trained on the base lexicon's corpora
(`python -m bench.pieces`) and shipped none: glossing a French word the lexicon does not know
as the known word that shares its first piece (8k or 32k pieces) moved bench/quality.py's dev
figures by 0.1 point at most (one or two of 8,144 pairs: misaligned 97.16 → 97.22%,
untranslated 96.90 → 97.00%) and alignment by ±0.002, as a plain 5-letter prefix does; pieces
as alignment features cost 0.001 and 12% more time. Words the lexicons miss are mostly
vocabulary, not inflection: no segmentation supplies it.
The vocabulary size is taken from the corpus: sentencepiece refuses a vocabulary larger than
the corpus can fill, so the largest size it allows (≤ the size asked for) is used.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable

import sentencepiece as spm

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


def encode(processor: spm.SentencePieceProcessor, text: str) -> list[str]:
    """The pieces of `text`."""
    return list(processor.encode(text, out_type=str))
