"""A French→English word lexicon learned from parallel sentences, and word-by-word glosses.

`learn` estimates translation candidates from sentence co-occurrence: the Dice coefficient
(Smadja et al. 1996) over the sets of words of each pair, optionally refined by a few EM
iterations of IBM Model 1 (Brown et al. 1993), all vectorised with numpy. `Lexicon.gloss`
renders French text in English word by word (unknown words, names and numbers pass through),
which alignment and the quality checks compare with the English by n-gram overlap.
Multi-word entries (from a glossary) are matched longest first.
"""

from __future__ import annotations

import json
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import sqlite_utils

from tm.database import writing

SETTING = "lexicon"
_WORD = re.compile(r"\w+", re.UNICODE)


def words(text: str) -> list[str]:
    """Lower-cased word tokens (letters and digits; apostrophes and hyphens split)."""
    return _WORD.findall(text.lower())


@dataclass(frozen=True)
class Lexicon:
    """French words (or space-joined multi-word terms) → English renderings, best first."""

    translations: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        longest = max((len(key.split()) for key in self.translations), default=1)
        object.__setattr__(self, "_longest", longest)

    def __len__(self) -> int:
        return len(self.translations)

    def __contains__(self, french: object) -> bool:
        return french in self.translations

    def get(self, french: str) -> tuple[str, ...]:
        """The English renderings of a lower-cased French word or term, best first."""
        return self.translations.get(french, ())

    def gloss_words(self, french_words: Sequence[str], *, alternatives: int = 1) -> list[str]:
        """Gloss a list of lower-cased French words: known words and terms (longest first)
        become their first `alternatives` renderings; others are kept as they are."""
        longest: int = getattr(self, "_longest", 1)
        out: list[str] = []
        index = 0
        while index < len(french_words):
            for size in range(min(longest, len(french_words) - index), 0, -1):
                key = " ".join(french_words[index : index + size])
                found = self.translations.get(key)
                if found:
                    for rendering in found[:alternatives]:
                        out.extend(rendering.split())
                    index += size
                    break
            else:
                out.append(french_words[index])
                index += 1
        return out

    def gloss(self, french_text: str, *, alternatives: int = 1) -> str:
        """A word-by-word English rendering of `french_text` (lower case)."""
        return " ".join(self.gloss_words(words(french_text), alternatives=alternatives))

    def merged(self, first: Mapping[str, Sequence[str]]) -> Lexicon:
        """This lexicon with `first` (e.g. a glossary's terms) taking precedence."""
        combined: dict[str, tuple[str, ...]] = dict(self.translations)
        for french, english in first.items():
            key = " ".join(words(french))
            rendered = tuple(" ".join(words(e)) for e in english if words(e))
            if key and rendered:
                extra = tuple(e for e in combined.get(key, ()) if e not in rendered)
                combined[key] = rendered + extra
        return Lexicon(combined)

    def to_bytes(self) -> bytes:
        """A compact serialisation (zlib-compressed JSON)."""
        data = {key: list(value) for key, value in self.translations.items()}
        return zlib.compress(json.dumps(data, ensure_ascii=False).encode("utf-8"))

    @classmethod
    def from_bytes(cls, data: bytes) -> Lexicon:
        """The inverse of `to_bytes`."""
        loaded = json.loads(zlib.decompress(data).decode("utf-8"))
        return cls({key: tuple(value) for key, value in loaded.items()})


def _encode(
    sentences: list[list[str]], vocabulary: dict[str, int]
) -> tuple[np.ndarray, np.ndarray]:
    ids: list[int] = []
    offsets = [0]
    for tokens in sentences:
        ids.extend(vocabulary[t] for t in tokens if t in vocabulary)
        offsets.append(len(ids))
    return np.asarray(ids, dtype=np.int64), np.asarray(offsets, dtype=np.int64)


def learn(
    pairs: Iterable[tuple[str, str]],
    *,
    top: int = 3,
    min_count: int = 2,
    min_score: float = 0.05,
    iterations: int = 0,
    max_words: int = 80,
) -> Lexicon:
    """Learn a lexicon from (French, English) sentence pairs.

    Each French word keeps its `top` English words by Dice coefficient (or, with
    `iterations` > 0, by IBM Model 1 probability t(e|f) started from uniform), among English
    words seen with it in at least `min_count` pairs and scoring at least `min_score`.
    Pairs longer than `max_words` on a side are skipped (they are mostly noise here).
    """
    french: list[list[str]] = []
    english: list[list[str]] = []
    for source, target in pairs:
        f, e = sorted(set(words(source))), sorted(set(words(target)))
        if f and e and len(f) <= max_words and len(e) <= max_words:
            french.append(f)
            english.append(e)
    if not french:
        return Lexicon({})
    f_count = Counter(w for s in french for w in s)
    e_count = Counter(w for s in english for w in s)
    f_vocab = {w: i for i, w in enumerate(w for w, c in f_count.items() if c >= min_count)}
    e_vocab = {w: i for i, w in enumerate(w for w, c in e_count.items() if c >= min_count)}
    if not f_vocab or not e_vocab:
        return Lexicon({})
    f_ids, f_off = _encode(french, f_vocab)
    e_ids, e_off = _encode(english, e_vocab)
    f_len, e_len = np.diff(f_off), np.diff(e_off)
    width = np.int64(len(e_vocab))
    # Every (French word, English word) co-occurrence, sentence by sentence.
    sizes = f_len * e_len
    sentence = np.repeat(np.arange(len(french)), sizes)
    start = np.repeat(np.cumsum(sizes) - sizes, sizes)
    within = np.arange(int(sizes.sum())) - start
    cols = e_len[sentence]
    f_pos = f_off[sentence] + within // np.maximum(cols, 1)
    e_pos = e_off[sentence] + within % np.maximum(cols, 1)
    codes = f_ids[f_pos] * width + e_ids[e_pos]
    support, inverse, counts = np.unique(codes, return_inverse=True, return_counts=True)
    f_of, e_of = support // width, support % width
    f_df = np.bincount(f_ids, minlength=len(f_vocab)).astype(np.float64)
    e_df = np.bincount(e_ids, minlength=len(e_vocab)).astype(np.float64)
    score = 2.0 * counts / (f_df[f_of] + e_df[e_of])
    if iterations:
        t = np.full(len(support), 1.0)
        group = sentence * width + e_ids[e_pos]  # one normalisation group per (pair, English word)
        _, group_index = np.unique(group, return_inverse=True)
        for _ in range(iterations):
            share = t[inverse]
            share = share / np.bincount(group_index, weights=share)[group_index]
            expected = np.bincount(inverse, weights=share, minlength=len(support))
            t = expected / np.bincount(f_of, weights=expected)[f_of]
        score = t
    keep = (counts >= min_count) & (score >= min_score)
    f_words = list(f_vocab)
    e_words = list(e_vocab)
    order = np.lexsort((-score[keep], f_of[keep]))
    kept_f, kept_e = f_of[keep][order], e_of[keep][order]
    table: dict[str, list[str]] = {}
    for fi, ei in zip(kept_f.tolist(), kept_e.tolist(), strict=True):
        chosen = table.setdefault(f_words[fi], [])
        if len(chosen) < top:
            chosen.append(e_words[ei])
    return Lexicon({key: tuple(value) for key, value in table.items()})


def save(db: sqlite_utils.Database, lexicon: Lexicon, *, key: str = SETTING) -> None:
    """Store `lexicon` in the TM's settings table (replacing any previous one)."""
    with writing(db):
        db.execute(
            "INSERT OR REPLACE INTO settings (key, value) VALUES (?, ?)", [key, lexicon.to_bytes()]
        )


def load(db: sqlite_utils.Database, *, key: str = SETTING) -> Lexicon | None:
    """The lexicon stored in the TM's settings table, or None."""
    found = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return Lexicon.from_bytes(found[0]) if found else None
