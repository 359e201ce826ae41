"""An index's arrays at one moment (`Snapshot`): made from encoded segments by `assemble` (numpy,
all segments at once), then searched as they are, with the changes since kept beside them by
`tm.retrieval.index.Index`. Saved beside the database by `tm.retrieval.indexfile`.

Per word (token 0 stands for unknown words): its place in the global order (rarest first, by
document frequency), its document frequency, its signature bit (`tm.retrieval.signatures`),
and its postings: the segments that hold it in their prefix for `MIN_THRESHOLD`, each with its
length << 16 | where the word stands in its word order, by length (`post_starts` cuts
`post_ids` and `post_shapes` word by word). Per segment id: its length in words (-1 when
absent), signature, punctuation-and-tags fingerprint, recency, quality, its words as character
codes (`character`; `word_starts` cuts `codes` id by id) and the texts of its placeables.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from tm.retrieval import bounds, ranking, signatures

_MAX_CODEPOINT = 0x10FFFF
_CHUNK = 50_000  # segments per step: temporary arrays stay small next to the index
UNKNOWN_RANK = -(2**62)
MIN_THRESHOLD = 50.0
"""The lowest threshold the postings serve (each segment is posted under its prefix for it);
a search below it scans the length window."""
SEPARATOR = "\x1f"
"""Between the placeable texts of one segment (a control character: never in a stored text)."""


def character(token: int) -> str:
    """The character standing for word `token` (1 → U+0001 …, surrogates skipped)."""
    code = token if token < 0xD800 else token + 0x800
    if code > _MAX_CODEPOINT:
        # Beyond 1.1M distinct words, words share characters: the verification may then
        # over-estimate a score, never under-estimate it (the final score is exact).
        code = 0xE000 + code % (_MAX_CODEPOINT - 0xE000)
    return chr(code)


def token_of(char: str) -> int:
    """The word a character of a word string stands for (`character`'s inverse)."""
    code = ord(char)
    return code if code < 0xD800 else code - 0x800


def codes_of(tokens: np.ndarray) -> np.ndarray:
    """`character` element-wise: code points, 16-bit when they all fit (UTF-16 without
    surrogates: the vocabulary has fewer than 63,488 words), else 32-bit."""
    codes = tokens.astype(np.uint32)
    codes[codes >= 0xD800] += 0x800
    beyond = codes > _MAX_CODEPOINT
    codes[beyond] = 0xE000 + codes[beyond] % (_MAX_CODEPOINT - 0xE000)
    return codes.astype(np.uint16) if codes.max(initial=0) <= 0xFFFF else codes


def decode(codes: np.ndarray) -> str:
    """The text of `codes` (`codes_of`)."""
    return codes.tobytes().decode("utf-16-le" if codes.itemsize == 2 else "utf-32-le")


@dataclass
class Encoded:
    """Segments as `assemble` takes them: ids ascending, their tokens one after the other
    (`ends[i]` ends segment i's), and per segment its recency, quality, punctuation-and-tags
    fingerprint and placeable texts (only for those that have any)."""

    words: list[str]  # the vocabulary: token → word ("" for token 0)
    placeable_tokens: list[int]
    ids: np.ndarray  # int64
    tokens: np.ndarray  # int32
    ends: np.ndarray  # int64
    recency: np.ndarray  # int64
    quality: np.ndarray  # float64
    marks: np.ndarray  # int64
    placeables: dict[int, tuple[str, ...]] = field(default_factory=dict)


@dataclass
class Snapshot:
    """The arrays of an index (see the module's docstring); `capacity` ids have room."""

    words: list[str]
    placeable_tokens: np.ndarray  # int32
    order: np.ndarray  # int64 per token
    df: np.ndarray  # int32 per token
    bits: np.ndarray  # uint16 per token
    post_starts: np.ndarray  # int64, tokens + 1
    post_ids: np.ndarray  # int32
    post_shapes: np.ndarray  # uint32
    lengths: np.ndarray  # int32 per id
    recency: np.ndarray  # int64 per id
    quality: np.ndarray  # float64 per id
    marks: np.ndarray  # int64 per id
    signatures: np.ndarray  # uint64 per id × signatures.WORDS
    word_starts: np.ndarray  # int64, ids + 1
    codes: np.ndarray  # uint16 or uint32 (`codes_of`)
    placeable_starts: np.ndarray  # int64, ids + 1
    placeable_text: np.ndarray  # uint8 (UTF-8)

    @property
    def capacity(self) -> int:
        return len(self.lengths)

    @property
    def live(self) -> int:
        return int(np.count_nonzero(self.lengths >= 0))


ARRAYS = (
    "placeable_tokens",
    "order",
    "df",
    "bits",
    "post_starts",
    "post_ids",
    "post_shapes",
    "lengths",
    "recency",
    "quality",
    "marks",
    "signatures",
    "word_starts",
    "codes",
    "placeable_starts",
    "placeable_text",
)
"""The array fields of a `Snapshot`, in the order they are saved."""


def empty_encoded() -> Encoded:
    """No segments, no words."""
    return Encoded(
        words=[""],
        placeable_tokens=[],
        ids=np.zeros(0, np.int64),
        tokens=np.zeros(0, np.int32),
        ends=np.zeros(0, np.int64),
        recency=np.zeros(0, np.int64),
        quality=np.zeros(0, np.float64),
        marks=np.zeros(0, np.int64),
    )


def empty() -> Snapshot:
    """The snapshot of an index without segments."""
    return assemble(empty_encoded(), capacity=1)


def assemble(encoded: Encoded, *, capacity: int) -> Snapshot:
    """The snapshot of `encoded` segments, with room for `capacity` ids (at least one more
    than the largest): document frequencies, signature bits, the global order, signatures,
    postings and word codes, over all segments at once."""
    ids, tokens, ends = encoded.ids, encoded.tokens, encoded.ends
    capacity = max(capacity, int(ids.max(initial=0)) + 1)
    starts = np.concatenate(([0], ends[:-1])).astype(np.int64)[: len(ends)]
    seg_lengths = (ends - starts).astype(np.int32)
    df = _frequencies(tokens, starts, seg_lengths, len(encoded.words))
    bits = _bits(df)
    ranked = np.lexsort((np.arange(1, len(df)), df[1:])) + 1  # rarest first, ties by token
    order = np.zeros(len(df), dtype=np.int64)
    order[0] = UNKNOWN_RANK
    order[ranked] = np.arange(len(df) - 1)
    lengths = np.full(capacity, -1, dtype=np.int32)
    lengths[ids] = seg_lengths
    per_id = {"recency": np.int64, "quality": np.float64, "marks": np.int64}
    columns = {name: np.zeros(capacity, dtype=kind) for name, kind in per_id.items()}
    columns["quality"][:] = ranking.UNSCORED
    for name, column in columns.items():
        column[ids] = getattr(encoded, name)
    signed = np.zeros((capacity, signatures.WORDS), dtype=np.uint64)
    for first in range(0, len(ids), _CHUNK):
        chunk = slice(first, first + _CHUNK)
        signed[ids[chunk]] = _signatures(tokens, starts[chunk], seg_lengths[chunk], bits)
    post_starts, post_ids, post_shapes = _postings(ids, tokens, starts, seg_lengths, order)
    word_starts = np.zeros(capacity + 1, dtype=np.int64)
    np.cumsum(np.maximum(lengths, 0), out=word_starts[1:])
    placeable_starts, placeable_text = _placeables(encoded.placeables, capacity)
    return Snapshot(
        words=encoded.words,
        placeable_tokens=np.array(encoded.placeable_tokens, dtype=np.int32),
        order=order,
        df=df.astype(np.int32),
        bits=bits,
        post_starts=post_starts,
        post_ids=post_ids,
        post_shapes=post_shapes,
        lengths=lengths,
        signatures=signed,
        word_starts=word_starts,
        codes=codes_of(tokens),
        placeable_starts=placeable_starts,
        placeable_text=placeable_text,
        **columns,
    )


def _frequencies(
    tokens: np.ndarray, starts: np.ndarray, lengths: np.ndarray, vocabulary: int
) -> np.ndarray:
    """How many segments hold each word (once per segment), a chunk of segments at a time."""
    df = np.zeros(vocabulary, dtype=np.int64)
    for first in range(0, len(starts), _CHUNK):
        low = int(starts[first])
        last = min(first + _CHUNK, len(starts)) - 1
        high = int(starts[last] + lengths[last])
        owner = np.repeat(np.arange(last + 1 - first, dtype=np.int64), lengths[first : last + 1])
        pairs = (owner << 32) | tokens[low:high]
        pairs.sort()
        distinct = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))] if len(pairs) else pairs
        df += np.bincount(distinct & 0xFFFFFFFF, minlength=vocabulary)
    return df


def _bits(df: np.ndarray) -> np.ndarray:
    """Signature bits: the `signatures.DEDICATED` most frequent words get a bit each, so that
    the words nearly every segment holds never collide; the others share the rest (hashed)."""
    bits = signatures.hashed_bit(np.arange(len(df), dtype=np.uint64)).astype(np.uint16)
    frequent = np.argsort(-df[1:], kind="stable")[: signatures.DEDICATED] + 1
    bits[frequent] = np.arange(len(frequent))
    return bits


def _signatures(
    tokens: np.ndarray, starts: np.ndarray, lengths: np.ndarray, bits: np.ndarray
) -> np.ndarray:
    """The signatures of consecutive segments, one row each."""
    signed = np.zeros((len(starts), signatures.WORDS), dtype=np.uint64)
    if not len(starts):
        return signed
    low, high = int(starts[0]), int(starts[-1] + lengths[-1])
    mine = bits[tokens[low:high]]
    filled = lengths > 0
    for word, table in enumerate(signatures.BIT_VALUES):
        if len(mine):
            signed[filled, word] = np.bitwise_or.reduceat(table[mine], starts[filled] - low)
    return signed


def _postings(
    ids: np.ndarray,
    tokens: np.ndarray,
    starts: np.ndarray,
    lengths: np.ndarray,
    order: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every word's postings, by segment length: (starts per word, ids, shapes)."""
    by_length = np.argsort(lengths, kind="stable")
    fraction = bounds.floor(MIN_THRESHOLD)
    parts = [
        _posted(ids[chunk], tokens, starts[chunk], lengths[chunk], order, fraction)
        for chunk in (by_length[at : at + _CHUNK] for at in range(0, len(ids), _CHUNK))
    ]
    token = np.concatenate([p[0] for p in parts]) if parts else np.zeros(0, np.int32)
    posting_ids = np.concatenate([p[1] for p in parts]) if parts else np.zeros(0, np.int32)
    shapes = np.concatenate([p[2] for p in parts]) if parts else np.zeros(0, np.uint32)
    grouped = np.argsort(token, kind="stable")  # by word, by length within a word
    post_starts = np.zeros(len(order) + 1, dtype=np.int64)
    np.cumsum(np.bincount(token, minlength=len(order)), out=post_starts[1:])
    return post_starts, posting_ids[grouped], shapes[grouped]


def _posted(
    ids: np.ndarray,
    tokens: np.ndarray,
    starts: np.ndarray,
    lengths: np.ndarray,
    order: np.ndarray,
    fraction: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The postings of some segments: (word, segment id, shape) for the first occurrence of
    each word of their prefixes, segment by segment in the order given."""
    offsets = np.cumsum(lengths, dtype=np.int64) - lengths
    total = int(lengths.sum())
    owner = np.repeat(np.arange(len(ids), dtype=np.int64), lengths)
    mine = tokens[np.repeat(starts - offsets, lengths) + np.arange(total)]
    ranked = np.argsort((owner << 32) | order[mine])
    mine, owner = mine[ranked], owner[ranked]
    position = np.arange(total) - offsets[owner]
    posted = position < bounds.prefix_lengths(fraction, lengths)[owner]
    posted[1:] &= (mine[1:] != mine[:-1]) | (position[1:] == 0)
    owner, position = owner[posted], position[posted]
    length = np.minimum(lengths[owner], 0xFFFF).astype(np.uint32)
    shape = (length << 16) | np.minimum(position, 0xFFFF).astype(np.uint32)
    return mine[posted].astype(np.int32), ids[owner].astype(np.int32), shape


def _placeables(
    placeables: dict[int, tuple[str, ...]], capacity: int
) -> tuple[np.ndarray, np.ndarray]:
    """The placeable texts of each id, UTF-8, cut by starts per id."""
    sizes = np.zeros(capacity + 1, dtype=np.int64)
    encoded = []
    for segment_id in sorted(placeables):
        text = SEPARATOR.join(placeables[segment_id]).encode("utf-8")
        sizes[segment_id + 1] = len(text)
        encoded.append(text)
    blob = b"".join(encoded)
    return np.cumsum(sizes), np.frombuffer(blob, dtype=np.uint8).copy()
