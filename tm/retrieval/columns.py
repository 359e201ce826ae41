"""Per-segment values read from a snapshot's arrays when asked (`tm.retrieval.snapshot`), with
the values changed since kept beside them: each segment's word string and its placeables."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from tm.retrieval.snapshot import SEPARATOR, decode

_FEW = 16  # below this many ids, one at a time is faster than gathering with numpy


class Strings:
    """Each segment's words, one character a word (`tm.retrieval.snapshot.character`): those of
    the snapshot (`starts` cuts `codes` id by id) unless changed since ("" for none)."""

    def __init__(self, starts: np.ndarray, codes: np.ndarray) -> None:
        self.starts, self.codes = starts, codes
        self.changed: dict[int, str] = {}

    def __getitem__(self, segment_id: int) -> str:
        text = self.changed.get(segment_id)
        if text is not None:
            return text
        if segment_id + 1 >= len(self.starts):
            return ""
        start, end = self.starts[segment_id], self.starts[segment_id + 1]
        return decode(self.codes[start:end])

    def many(self, ids: Sequence[int]) -> list[str]:
        """The strings of `ids`, in order (gathered at once when there are many)."""
        if len(ids) < _FEW:
            return [self[segment_id] for segment_id in ids]
        chosen = np.asarray(ids, dtype=np.int64)
        inside = chosen + 1 < len(self.starts)
        starts = np.where(inside, self.starts.take(np.minimum(chosen, len(self.starts) - 2)), 0)
        ends = np.where(inside, self.starts.take(np.minimum(chosen + 1, len(self.starts) - 1)), 0)
        lengths = ends - starts
        offsets = np.cumsum(lengths) - lengths
        total = int(lengths.sum())
        gathered = self.codes[np.repeat(starts - offsets, lengths) + np.arange(total)]
        text = decode(gathered)
        cuts = offsets.tolist()
        found = [text[cut : cut + size] for cut, size in zip(cuts, lengths.tolist(), strict=True)]
        if self.changed:
            changed = self.changed
            for place, segment_id in enumerate(ids):
                if segment_id in changed:
                    found[place] = changed[segment_id]
        return found

    def all(self, capacity: int) -> list[str]:
        """The strings of ids 0 … `capacity` − 1 (for benchmarks and tests)."""
        return self.many(range(capacity))


class Placeables:
    """The texts of each segment's placeables: the snapshot's (`starts` cuts the UTF-8 `text`
    id by id, texts separated by `SEPARATOR`) unless changed since (None for none)."""

    def __init__(self, starts: np.ndarray, text: np.ndarray) -> None:
        self.starts, self.text = starts, text
        self.changed: dict[int, tuple[str, ...] | None] = {}

    def get(self, segment_id: int) -> tuple[str, ...] | None:
        if segment_id in self.changed:
            return self.changed[segment_id]
        if segment_id + 1 >= len(self.starts):
            return None
        start, end = self.starts[segment_id], self.starts[segment_id + 1]
        if start == end:
            return None
        return tuple(self.text[start:end].tobytes().decode("utf-8").split(SEPARATOR))
