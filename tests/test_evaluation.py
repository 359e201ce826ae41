"""Draft evaluation: sacrebleu corpus scores and signatures, bands from XLIFF, file formats."""

from __future__ import annotations

import pytest
from sacrebleu.metrics.bleu import BLEU

from tm.errors import InvalidInput
from tm.quality.evaluation import DraftSegment, evaluate, parse

REFERENCES = ["The Council met in Brussels.", "The Minister may make regulations.", "Short title"]
XLIFF = b"""<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="r.txt" source-language="fr" target-language="en" datatype="plaintext">
 <body>
  <trans-unit id="1"><source>Le Conseil s'est r\xc3\xa9uni \xc3\xa0 Bruxelles.</source>
   <target state="translated" state-qualifier="exact-match">The Council met in Brussels.</target>
   <alt-trans match-quality="100" tool-id="tm">
    <target>The Council met in Brussels.</target></alt-trans>
  </trans-unit>
  <trans-unit id="2"><source>Le ministre peut prendre des r\xc3\xa8glements.</source>
   <target state="needs-review-translation" state-qualifier="fuzzy-match"
    >The <g id="1">Minister</g> may make orders.</target>
   <alt-trans match-quality="87" tool-id="tm">
    <target>The Minister may make orders.</target></alt-trans>
  </trans-unit>
  <trans-unit id="3"><source>Titre abr\xc3\xa9g\xc3\xa9</source><target state="new"></target>
   <note from="tm">band=none</note></trans-unit>
 </body></file></xliff>"""


def test_corpus_scores_match_sacrebleu() -> None:
    hyps = ["The Council met in Brussels.", "The Minister may make orders.", ""]
    result = evaluate(hyps, REFERENCES)
    assert result.total.bleu == round(BLEU().corpus_score(hyps, [REFERENCES]).score, 2)
    assert result.signatures["chrf"].startswith("nrefs:1|case:mixed|eff:yes|nc:6|nw:2")
    assert result.signatures["bleu"].endswith(
        "tok:13a|smooth:exp|version:" + result.signatures["bleu"].rsplit(":", 1)[1]
    )
    assert result.segments[0].bleu == 100.0
    assert result.segments[2].chrf == 0.0


def test_xliff_draft_gives_bands() -> None:
    draft = parse(XLIFF, name="d.xlf")
    assert draft == [
        DraftSegment("The Council met in Brussels.", "100", "1"),
        DraftSegment("The Minister may make orders.", "85-94", "2"),
        DraftSegment("", "none", "3"),
    ]
    result = evaluate(draft, REFERENCES)
    assert list(result.bands) == ["100", "85-94", "none"]
    assert result.bands["100"].bleu == 100.0 and result.bands["none"].segments == 1


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"One.\nTwo.\n", ["One.", "Two."]),
        ("\ufeffUn.\tOne.\nDeux.\tTwo.".encode(), ["One.", "Two."]),
        (b"One.\n\nThree.", ["One.", "", "Three."]),
    ],
)
def test_text_and_tsv(data: bytes, expected: list[str]) -> None:
    assert [s.text for s in parse(data)] == expected


def test_band_from_state_qualifier_alone() -> None:
    data = XLIFF.replace(b'<alt-trans match-quality="87" tool-id="tm">', b"<alt-trans>")
    assert parse(data)[1].band == "fuzzy"


def test_counts_must_agree() -> None:
    with pytest.raises(InvalidInput, match="must agree"):
        evaluate(["a"], ["a", "b"])


def test_broken_xliff_names_the_line() -> None:
    with pytest.raises(InvalidInput) as error:
        parse(b"<?xml version='1.0'?>\n<xliff>\n<file>", name="bad.xlf")
    assert error.value.file == "bad.xlf" and error.value.line is not None


def test_empty_draft_and_reference_are_refused() -> None:
    # found by the contract fuzzer: two empty uploads to /evaluate were a 500 (IndexError)
    with pytest.raises(InvalidInput, match="no segment"):
        evaluate(parse(b"", name="hyp"), parse(b"", name="ref"))
