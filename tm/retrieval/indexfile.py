"""The index saved beside its database (`tm.db` → `tm.db.index`): a `Snapshot`'s arrays, mapped
into memory when read, so that opening a large TM does not rebuild its index and every process
serving it shares one copy through the page cache.

Layout: the magic line, an 8-byte length and a JSON header (version, the TM's id, what the
snapshot has seen of the database, where each array lies, and the CRC-32 of the body), the
CRC-32 of the header, then the arrays, each aligned on 64 bytes. A file that is truncated,
fails either checksum, or was made by another version of the index is `Unusable`: never used.
Written to a temporary name in the same folder, then renamed over the old one: a reader sees
the old file or the new one, whole. Mapped copy-on-write: changes made in memory stay private.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import tempfile
import zlib
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from tm.retrieval import snapshot as snapshots
from tm.retrieval import verification
from tm.retrieval.scoring import analysis_version
from tm.retrieval.snapshot import ARRAYS, Snapshot
from tm.retrieval.verification import CRC, HEAD, MAGIC, Unusable, padded, path_for

__all__ = ["FORMAT", "MAGIC", "Header", "Unusable", "header", "load", "path_for", "save"]

FORMAT = 1
"""Bumped when the layout changes (the version also covers the code that builds the arrays)."""


@dataclass(frozen=True)
class Header:
    """What a saved snapshot was made from: the TM (`tm_id`), the largest segment id and the
    last deletion-log entry it has seen (with the id logged there), the source hash of its
    largest segment, and the quality epoch (`tm.store.quality.epoch`)."""

    tm_id: str
    max_id: int
    deletion_seq: int
    deleted_id: int
    max_hash: str
    quality_epoch: int


@lru_cache(maxsize=1)
def version() -> str:
    """The index's version: `FORMAT`, the analysis fingerprint (word keys) and the code that
    lays out postings and signatures. A file of another version is rebuilt."""
    from tm.retrieval import bounds, signatures

    digest = hashlib.blake2b(digest_size=8)
    digest.update(f"{FORMAT}:{analysis_version()}".encode())
    for module in (bounds, signatures, snapshots):
        digest.update(Path(module.__file__ or "").read_bytes())
    return digest.hexdigest()


def save(snapshot: Snapshot, header: Header, path: Path, *, mode: int = 0o644) -> None:
    """Write `snapshot` to `path` (a temporary file renamed over it), with permissions `mode`
    (those of the database: whoever may read it may read its index)."""
    arrays = [np.ascontiguousarray(getattr(snapshot, name)) for name in ARRAYS]
    words = np.frombuffer("\x00".join(snapshot.words).encode("utf-8"), dtype=np.uint8)
    placed: list[dict[str, Any]] = []
    offset = 0
    for name, array in [("words", words), *zip(ARRAYS, arrays, strict=True)]:
        placed.append(
            {"name": name, "dtype": array.dtype.str, "shape": array.shape, "offset": offset}
        )
        offset += padded(array.nbytes)
    body_crc = 0
    for array in [words, *arrays]:
        body_crc = zlib.crc32(_padding(array.tobytes()), body_crc)
    head = json.dumps(
        {"version": version(), **asdict(header), "arrays": placed, "body_crc": body_crc}
    ).encode("utf-8")
    prefix = MAGIC + HEAD.pack(len(head)) + head
    prefix += CRC.pack(zlib.crc32(prefix))
    handle, temporary = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(_padding(prefix))
            for array in [words, *arrays]:
                out.write(_padding(array.tobytes()))
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def load(path: Path) -> tuple[Header, Snapshot]:
    """The header and the snapshot saved at `path`, its arrays mapped copy-on-write; `Unusable`
    when the file is missing, truncated, corrupt or of another version. The file is read and
    checked by `tm.retrieval.verification` (ahead of time when a command started it)."""
    found = verification.checked(path)
    head, start, mapped = found.head, found.start, found.mapped
    if head.get("version") != version():
        raise Unusable(f"the index file {path} was made by another version of tm")
    if not found.body_sound:
        raise Unusable(f"the index file {path} is corrupt (checksum mismatch)")
    arrays: dict[str, np.ndarray] = {}
    for entry in head["arrays"]:
        dtype = np.dtype(entry["dtype"])
        count = int(np.prod(entry["shape"], dtype=np.int64))
        at = start + entry["offset"]
        if at + count * dtype.itemsize > len(mapped):
            raise Unusable(f"the index file {path} is truncated")
        flat = np.frombuffer(mapped, dtype=dtype, count=count, offset=at)
        arrays[entry["name"]] = flat.reshape(entry["shape"])
    fields = {name: head[name] for name in Header.__dataclass_fields__}
    words = arrays.pop("words").tobytes().decode("utf-8").split("\x00")
    return Header(**fields), Snapshot(words=words, **arrays)


def header(path: Path) -> Header:
    """What the index saved at `path` was made from, its header alone read and checked (the
    body's checksum is `load`'s: whoever maps the arrays checks them); `Unusable` as `load`."""
    try:
        with path.open("rb") as handle:
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except FileNotFoundError as error:
        raise Unusable(f"no index file at {path}") from error
    except (OSError, ValueError) as error:
        raise Unusable(f"the index file {path} cannot be read ({error})") from error
    with mapped:
        head, _start = verification.header(mapped, path)
    if head.get("version") != version():
        raise Unusable(f"the index file {path} was made by another version of tm")
    return Header(**{name: head[name] for name in Header.__dataclass_fields__})


def _padding(data: bytes) -> bytes:
    return data + bytes(padded(len(data)) - len(data))
