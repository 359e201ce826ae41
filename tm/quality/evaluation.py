"""Scoring a draft against the published English: corpus BLEU, chrF++ and TER (sacrebleu, with
their signatures), per segment, and per match band when the draft came from pretranslation.

Drafts and references are read from plain text (one segment a line), TSV (the last column is
the English) or XLIFF 1.2 (the `target` of each `trans-unit`). The band of an XLIFF segment is
a `<note from="tm">band=…</note>` if present, else the `match-quality` of its first (chosen)
`alt-trans` mapped to the analysis bands of `tm.retrieval.matching.band`, else what the target's
`state-qualifier` says (`exact-match` → `100`, `fuzzy-match` → `fuzzy`, `mt-suggestion` →
`mt`), else `none` for an empty target.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from lxml import etree
from sacrebleu.metrics.bleu import BLEU
from sacrebleu.metrics.chrf import CHRF
from sacrebleu.metrics.ter import TER

from tm.errors import InvalidInput
from tm.formats import xml
from tm.retrieval.matching import band as band_of
from tm.text import inline

_BAND_NOTE = re.compile(r"\bband\s*=\s*([\w-]+)")
_XLIFF_SIGNS = (b"<xliff", b"urn:oasis:names:tc:xliff")


@dataclass(frozen=True)
class DraftSegment:
    """One segment of a draft or reference file: its text, and its band when known."""

    text: str
    band: str = ""
    id: str = ""
    paragraph: str = ""  # the paragraph it belongs to, when the draft says (an XLIFF group id)


@dataclass(frozen=True)
class SegmentScore:
    index: int
    hypothesis: str
    reference: str
    bleu: float
    chrf: float
    ter: float
    band: str = ""


@dataclass(frozen=True)
class Scores:
    """Corpus scores of a set of segments."""

    segments: int
    bleu: float
    chrf: float
    ter: float


@dataclass(frozen=True)
class Evaluation:
    """Corpus scores, sacrebleu signatures, per-band scores and per-segment scores."""

    total: Scores
    signatures: dict[str, str]
    bands: dict[str, Scores] = field(default_factory=dict)
    segments: list[SegmentScore] = field(default_factory=list)
    pairing: str = ""
    """How the draft's segments were paired with the reference's (see
    `service.pipelines.evaluation`)."""


def _metrics() -> tuple[BLEU, CHRF, TER]:
    return BLEU(tokenize="13a"), CHRF(word_order=2), TER()


def corpus(
    hypotheses: Sequence[str],
    references: Sequence[str],
    *,
    metrics: tuple[BLEU, CHRF, TER] | None = None,
) -> Scores:
    """Corpus BLEU, chrF++ and TER of `hypotheses` against `references`."""
    bleu, chrf, ter = metrics or _metrics()
    refs = [list(references)]
    return Scores(
        segments=len(hypotheses),
        bleu=round(bleu.corpus_score(list(hypotheses), refs).score, 2),
        chrf=round(chrf.corpus_score(list(hypotheses), refs).score, 2),
        ter=round(ter.corpus_score(list(hypotheses), refs).score, 2),
    )


def evaluate(
    hypotheses: Sequence[DraftSegment] | Sequence[str],
    references: Sequence[DraftSegment] | Sequence[str],
    *,
    per_segment: bool = True,
) -> Evaluation:
    """Score a draft against references, segment by segment in order (counts must agree)."""
    hyps = [_segment(h) for h in hypotheses]
    refs = [_segment(r) for r in references]
    if len(hyps) != len(refs):
        raise InvalidInput(
            f"the draft has {len(hyps)} segments and the reference {len(refs)}: they must agree"
        )
    if not hyps:  # (sacrebleu raised IndexError on empty lists)
        raise InvalidInput("the draft and the reference hold no segment")
    bleu, chrf, ter = metrics = _metrics()
    hyp_text = [h.text for h in hyps]
    ref_text = [r.text for r in refs]
    total = corpus(hyp_text, ref_text, metrics=metrics)
    sentence_bleu = BLEU(tokenize="13a", effective_order=True)
    signatures = {
        "bleu": str(bleu.get_signature()),
        "chrf": str(chrf.get_signature()),
        "ter": str(ter.get_signature()),
    }
    grouped: dict[str, list[int]] = defaultdict(list)
    for index, hyp in enumerate(hyps):
        if hyp.band:
            grouped[hyp.band].append(index)
    bands = {
        name: corpus([hyp_text[i] for i in indexes], [ref_text[i] for i in indexes])
        for name, indexes in sorted(grouped.items(), key=lambda item: _band_order(item[0]))
    }
    scores: list[SegmentScore] = []
    if per_segment:
        for index, (hyp_line, ref_line) in enumerate(zip(hyp_text, ref_text, strict=True)):
            scores.append(
                SegmentScore(
                    index=index + 1,
                    hypothesis=hyp_line,
                    reference=ref_line,
                    bleu=round(sentence_bleu.sentence_score(hyp_line, [ref_line]).score, 2),
                    chrf=round(chrf.sentence_score(hyp_line, [ref_line]).score, 2),
                    ter=round(ter.sentence_score(hyp_line, [ref_line]).score, 2),
                    band=hyps[index].band,
                )
            )
    return Evaluation(total=total, signatures=signatures, bands=bands, segments=scores)


def _segment(value: DraftSegment | str) -> DraftSegment:
    return value if isinstance(value, DraftSegment) else DraftSegment(value)


_ORDER = ["101", "100", "95-99", "85-94", "75-84", "50-74", "none"]


def _band_order(name: str) -> tuple[int, str]:
    return (_ORDER.index(name) if name in _ORDER else len(_ORDER), name)


def parse(data: bytes, *, name: str = "") -> list[DraftSegment]:
    """Segments of a draft or reference file: XLIFF 1.2, TSV, or plain text (a line each)."""
    head = data[:2000].lstrip()
    if head.startswith(b"<?xml") or any(sign in head for sign in _XLIFF_SIGNS):
        return _xliff(data, name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(f"not UTF-8 ({error.reason})", file=name) from error
    lines = text.splitlines()
    if lines and lines[-1] == "":
        lines.pop()
    return [DraftSegment(line.rsplit("\t", 1)[-1] if "\t" in line else line) for line in lines]


def _local(element: etree._Element) -> str:
    return inline.local_name(element)


def _xliff(data: bytes, name: str) -> list[DraftSegment]:
    root = xml.parse(data, name=name).getroot()
    found: list[DraftSegment] = []
    for unit in root.iter():
        if _local(unit) != "trans-unit":
            continue
        target = next((c for c in unit if _local(c) == "target"), None)
        text = inline.plain(inline.extract(target)[0]) if target is not None else ""
        parent = unit.getparent()
        paragraph = parent.get("id", "") if parent is not None and _local(parent) == "group" else ""
        found.append(
            DraftSegment(
                text=text, band=_band(unit, text), id=unit.get("id", ""), paragraph=paragraph
            )
        )
    if not found:
        raise InvalidInput("no trans-unit in this XLIFF file", file=name)
    return found


def _band(unit: etree._Element, text: str) -> str:
    for child in unit:
        if _local(child) == "note" and child.get("from") == "tm":
            match = _BAND_NOTE.search(child.text or "")
            if match:
                return match.group(1)
    for child in unit:
        if _local(child) == "alt-trans" and child.get("match-quality"):
            digits = re.match(r"\s*(\d+(?:\.\d+)?)", child.get("match-quality", ""))
            if digits:
                return band_of(float(digits.group(1)))
    target = next((c for c in unit if _local(c) == "target"), None)
    qualifier = target.get("state-qualifier", "") if target is not None else ""
    if qualifier in _QUALIFIERS:
        return _QUALIFIERS[qualifier]
    return "none" if not text.strip() else ""


_QUALIFIERS = {
    "exact-match": "100",
    "id-match": "100",
    "leveraged-inherited": "100",
    "fuzzy-match": "fuzzy",
    "leveraged-tm": "fuzzy",
    "mt-suggestion": "mt",
    "leveraged-mt": "mt",
}
