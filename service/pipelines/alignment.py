"""The alignment pipeline: documents → sentences (their languages checked) → lexicon → beads →
TM units (stored in one transaction). The lexicon is the glossary's terms over the lexicon
learned from the TM itself; `alignments` never sees the glossary, only the mapping built here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from alignments import Bead, align, split
from service.pipelines.quality import full_lexicon
from tm import Status, TranslationMemory, Unit
from tm.errors import InvalidInput
from tm.formats import tmx
from tm.formats.bitext import document_name
from tm.formats.documents import read_paragraphs
from tm.quality.lexicon import Lexicon
from tm.segment import too_long
from tm.store.database import writing
from tm.text.language import check_sides, side

# Pairs below this bead confidence are stored flagged (`Status.FLAGGED`: not suggested).
FLAG_BELOW = 0.5
# Documents whose mean bead confidence (deletions count 0) is below this are probably not
# translations of each other: refused for storing unless forced. On the 60 law document pairs
# the true pairs score 0.32 (5th percentile) to 0.87 (median); mismatched pairs at most 0.30.
REFUSE_BELOW = 0.3
# A TM with fewer pairs than this gives no useful learned lexicon.
LEARN_FROM = 200

Progress = Callable[[int], None]


@dataclass(frozen=True)
class AlignedDocument:
    """Two documents' sentences and their beads; `name` is the TM document name."""

    name: str
    french_file: str
    english_file: str
    french: list[str]
    english: list[str]
    beads: list[Bead]

    @property
    def confidence(self) -> float:
        """Mean bead confidence, deletions counting 0."""
        return sum(b.confidence for b in self.beads) / len(self.beads) if self.beads else 0.0

    @property
    def deletions(self) -> list[Bead]:
        """Beads with one side empty (sentences left without a counterpart)."""
        return [b for b in self.beads if b.deletion]

    def pairs(self) -> list[tuple[str, str, Bead]]:
        """(French text, English text, bead) for every bead with both sides."""
        return [
            (
                " ".join(self.french[i] for i in b.french),
                " ".join(self.english[j] for j in b.english),
                b,
            )
            for b in self.beads
            if not b.deletion
        ]


@dataclass(frozen=True)
class StoreReport:
    """What `store` did."""

    documents: int
    stored: int
    duplicates: int
    flagged: int
    deletions: int


@dataclass(frozen=True)
class Stored:
    """The aligned documents of a batch, and what storing them did."""

    documents: list[AlignedDocument]
    report: StoreReport


def sentences(path: Path, *, language: str, presplit: bool) -> list[str]:
    """The sentences of a document: its paragraphs split (or taken as they are)."""
    paragraphs = read_paragraphs(path)
    if not paragraphs:
        raise InvalidInput("empty document: no text found", file=str(path))
    if presplit:
        return paragraphs
    return [s for paragraph in paragraphs for s in split(paragraph, language=language)]


def lexicon(tm: TranslationMemory, *, relearn: bool = False) -> Lexicon:
    """The glossary over the TM's lexicon (`service.pipelines.quality.full_lexicon`): its own,
    learned on first use (or again with `relearn`) once the TM holds `LEARN_FROM` pairs, over
    the base lexicon that ships with tm, so an empty TM aligns with the base alone."""
    return full_lexicon(tm, learn_if_missing=tm.count() >= LEARN_FROM, relearn=relearn)


@dataclass(frozen=True)
class DocumentPair:
    """Two documents read and split into sentences, their languages checked."""

    name: str
    french_file: Path
    english_file: Path
    french: list[str]
    english: list[str]


def read_pair(
    french_file: Path,
    english_file: Path,
    *,
    presplit: bool = False,
    swap: bool = False,
    name: str | None = None,
) -> DocumentPair:
    """Read and split one document pair (named after the French file by default); a document
    in the wrong language or in neither is refused (`tm.text.language.check_sides`: on the
    whole document, so a French text quoting English stays French). With `swap`, the English
    file is read as the French document and the French one as the English. A sentence over
    `MAX_SEGMENT_CHARS` refuses the pair (`InvalidInput`), as it would be no TM segment."""
    names = (french_file.name, english_file.name)
    if swap:
        french_file, english_file = english_file, french_file
    french = sentences(french_file, language="fr", presplit=presplit)
    english = sentences(english_file, language="en", presplit=presplit)
    for path, lines in ((french_file, french), (english_file, english)):
        for number, sentence in enumerate(lines, start=1):
            if why := too_long(sentence):
                raise InvalidInput(
                    f"sentence {number}: {why.replace('source', 'text')} (split it)",
                    file=str(path),
                )
    found = (side(english), side(french)) if swap else (side(french), side(english))
    check_sides(*found, names, swap=swap, remedy="give the files the other way round")
    return DocumentPair(
        name or document_name(french_file), french_file, english_file, french, english
    )


def read_pairs(
    pairs: Sequence[tuple[str, Path, Path]], *, presplit: bool = False, swap: bool = False
) -> list[DocumentPair]:
    """Every (name, French file, English file) pair read and checked (`read_pair`): one in
    the wrong language refuses them all, before any alignment or write."""
    return [read_pair(fr, en, presplit=presplit, swap=swap, name=name) for name, fr, en in pairs]


def align_files(
    french_file: Path,
    english_file: Path,
    *,
    lexicon: Lexicon,
    presplit: bool = False,
    swap: bool = False,
    name: str | None = None,
) -> AlignedDocument:
    """Read, split, check and align one document pair (`read_pair`)."""
    pair = read_pair(french_file, english_file, presplit=presplit, swap=swap, name=name)
    return align_pair(pair, lexicon)


def align_pair(pair: DocumentPair, lexicon: Lexicon) -> AlignedDocument:
    """Align one document pair read by `read_pair` with `lexicon`."""
    beads = align(pair.french, pair.english, lexicon=lexicon)
    return AlignedDocument(
        pair.name,
        str(pair.french_file),
        str(pair.english_file),
        pair.french,
        pair.english,
        beads,
    )


def pair_of(french: Path, english: Path) -> tuple[str, Path, Path]:
    """One document pair as a batch item, named after the French file (`x.fr.txt`: `x`)."""
    return document_name(french), french, english


def pairs_in(path: Path) -> list[tuple[str, Path, Path]]:
    """The (name, French file, English file) pairs of a batch: a directory holding `X.fr[.ext]`
    + `X.en[.ext]` files or sub-directories with `fr.*` + `en.*`, or a list file with one
    `FRENCH<TAB>ENGLISH` pair a line (paths relative to the list)."""
    found: list[tuple[str, Path, Path]] = []
    if path.is_dir():
        found = _pairs_in_folder(path)
    elif path.is_file():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip() or line.startswith("#"):
                continue
            parts = line.split("\t") if "\t" in line else line.split()
            if len(parts) != 2:
                raise InvalidInput("expected FRENCH<TAB>ENGLISH", file=str(path), line=number)
            french, english = (path.parent / part.strip() for part in parts)
            found.append(pair_of(french, english))
    else:
        raise InvalidInput("no such file or directory", file=str(path))
    if not found:
        raise InvalidInput("no French/English document pairs found", file=str(path))
    return found


def _pairs_in_folder(folder: Path) -> list[tuple[str, Path, Path]]:
    """A folder's `X.fr[.ext]` + `X.en[.ext]` pairs (dots in X kept) and `X/fr.*` + `X/en.*`
    sub-folders, one pair a document: a document's `.sentences` files (what a splitter left
    beside it) are taken only when it has no other pair; two other pairs of one document are
    refused rather than aligned twice."""
    by_name: dict[str, list[tuple[str, Path, Path]]] = {}
    for child in sorted(folder.iterdir()):
        if child.is_dir():
            fr, en = sorted(child.glob("fr.*")), sorted(child.glob("en.*"))
            if fr and en:
                by_name.setdefault(child.name, []).append((child.name, fr[0], en[0]))
            continue
        parts = child.name.split(".")
        marker = max((i for i, part in enumerate(parts) if part == "fr" and i), default=0)
        if marker:
            partner = child.with_name(".".join([*parts[:marker], "en", *parts[marker + 1 :]]))
            if partner.exists():
                name = ".".join(parts[:marker])
                by_name.setdefault(name, []).append((name, child, partner))
    found: list[tuple[str, Path, Path]] = []
    for name, pairs in by_name.items():
        chosen = [p for p in pairs if p[1].suffix != ".sentences"] or pairs[:1]
        if len(chosen) > 1:
            files = ", ".join(p[1].name for p in chosen)
            raise InvalidInput(
                f"document {name} has {len(chosen)} French files ({files}): keep one, or "
                "name the pairs in a list file",
                file=str(folder),
            )
        found.append(chosen[0])
    return found


def align_pairs(
    memory: TranslationMemory,
    pairs: Sequence[tuple[str, Path, Path]],
    *,
    presplit: bool = False,
    relearn: bool = False,
    swap: bool = False,
    progress: Progress | None = None,
) -> list[AlignedDocument]:
    """Align each (name, French file, English file) pair with the TM's lexicon (`lexicon`,
    learned again first with `relearn`), every pair read and checked first (`read_pairs`;
    `swap` reads each the other way round); nothing is stored. `progress` is told of each
    document aligned."""
    documents = read_pairs(pairs, presplit=presplit, swap=swap)
    return _aligned(documents, lexicon(memory, relearn=relearn), progress)


def align_and_store(
    memory: TranslationMemory,
    pairs: Sequence[tuple[str, Path, Path]],
    *,
    origin: str | None = None,
    force: bool = False,
    presplit: bool = False,
    relearn: bool = False,
    swap: bool = False,
    progress: Progress | None = None,
) -> Stored:
    """Align each pair as `align_pairs` does (the TM's lexicon) and store them all in one
    transaction (`store`), under `origin` (default: the first document's name). `progress`
    is told of each document aligned, then of each stored."""
    documents = read_pairs(pairs, presplit=presplit, swap=swap)
    aligned = _aligned(documents, lexicon(memory, relearn=relearn), progress)
    report = store(
        memory, aligned, origin=origin or aligned[0].name, force=force, progress=progress
    )
    return Stored(aligned, report)


def _aligned(
    documents: Sequence[DocumentPair], words: Lexicon, progress: Progress | None
) -> list[AlignedDocument]:
    aligned = []
    for document in documents:
        aligned.append(align_pair(document, words))
        if progress is not None:
            progress(1)
    return aligned


def units(document: AlignedDocument, *, origin: str, name: str) -> list[Unit]:
    """The TM units of an aligned document: positions in bead order, bead confidence in
    properties, low-confidence pairs flagged."""
    out = []
    for position, (french, english, bead) in enumerate(document.pairs()):
        properties: dict[str, object] = {"alignment_confidence": bead.confidence, "bead": bead.kind}
        out.append(
            Unit(
                source=french,
                target=english,
                origin=origin,
                document=name,
                position=position,
                properties=properties,
                status=Status.FLAGGED if bead.confidence < FLAG_BELOW else Status.OK,
            )
        )
    return out


def write_tmx(document: AlignedDocument, path: Path) -> int:
    """Write an aligned document's pairs as TMX 1.4b (origin `align`); returns the count."""
    return tmx.write(units(document, origin="align", name=document.name), path)


def store(
    tm: TranslationMemory,
    documents: Iterable[AlignedDocument],
    *,
    origin: str,
    force: bool = False,
    progress: Progress | None = None,
) -> StoreReport:
    """Store aligned documents in ONE transaction. A document below `REFUSE_BELOW` makes the
    whole call fail (nothing stored) unless `force`."""
    stored = duplicates = flagged = deletions = count = 0
    with writing(tm.db):
        for document in documents:
            if document.confidence < REFUSE_BELOW and not force:
                raise InvalidInput.at(
                    "error/not-translations",
                    file=document.french_file,
                    confidence=f"{document.confidence:.2f}",
                    floor=REFUSE_BELOW,
                )
            batch = units(document, origin=origin, name=document.name)
            added, repeated = tm.import_units(batch)
            stored += added
            duplicates += repeated
            flagged += sum(u.status == Status.FLAGGED for u in batch)
            deletions += len(document.deletions)
            count += 1
            if progress:
                progress(1)
    return StoreReport(count, stored, duplicates, flagged, deletions)
