"""How likely a French→English pair is misaligned: a small logistic model over cheap signals.

The signals (`FEATURES`) are the lexical evidence of `tm.quality.pairs` (chrF of the gloss, the
share of content words explained each way), the length ratio, and what survives on short pairs
such as headings, where a word-for-word lexicon is thin: sentence-final punctuation and
first-letter case agreement (a list item ending in `;` against a heading), number agreement,
and word counts. Lexical evidence weighs less on short pairs, hence interactions with
`short` = 1 / (1 + content words) and `size` = log(1 + words). Headings recur: a side that
is a known short segment (`tm.quality.lexicon.Segments`) vouches for or against the other side.

The weights are constants fitted with `fit` (Newton's method, L2 penalty) on the development
split of bench/quality.py — clean pairs against pairs whose target is another sentence of the
same document — and never on its test split. Refit with
`.venv/bin/python -m bench.quality --split dev --fit`.
"""

from __future__ import annotations

import math
import re

import numpy as np
import numpy.typing as npt

Floats = npt.NDArray[np.float64]

FEATURES = (
    "similarity",
    "forward",
    "backward",
    "short",
    "short × similarity",
    "short × coverage",
    "length deviation",
    "numbers agree",
    "final punctuation agrees",
    "initial case agrees",
    "size",
    "word count deviation",
    "short × final punctuation",
    "short × initial case",
    "forward × backward",
    "unexplained English × size",
    "unexplained French × size",
    "similarity × size",
    "known segment",
    "short × known segment",
)
"""The model's inputs, in the order of `WEIGHTS`."""

# Fitted on bench/quality.py --split dev --fit (2,000 clean pairs, 1,939 misaligned, less
# those already flagged by a rule) with the base lexicon (`tm.quality.base`, learned both ways
# and read both ways on short pairs: `tm.quality.pairs.REVERSE_AT_MOST`); see the module
# docstring.
WEIGHTS = (
    -0.5905, -0.8769, -1.0498, 0.2855, -0.0683, -0.207, 1.8385, -0.5264, -0.9885, -0.5367,
    -0.4597, 1.3766, 0.1327, 0.2437, -0.3147, 2.041, 0.9024, -1.4654, -1.1685, -0.5583,
)  # fmt: skip
BIAS = -1.3778

_EXPECTED_RATIO = 0.9
_CLOSING = "»”\"'’ )]"


_LIST_WORDS = ("and", "or", "et", "ou")
_LIST_END = re.compile(r"[;,]\s*(?:and|or|et|ou)$")


def _ending(text: str) -> str:
    """The kind of sentence-final punctuation: `.` (also ! ?), `;` (also , and the statute
    list ends `; and`, `; or`), `:` or none."""
    text = text.rstrip().rstrip(_CLOSING)
    # `_LIST_END` searched only where it can match, at a list word (`$`: before a last
    # newline too): a search over the whole text, twice a pair, was 4% of scoring
    if text.removesuffix("\n").endswith(_LIST_WORDS) and _LIST_END.search(text):
        return ";"
    last = text[-1:]
    if last in (".", "!", "?"):
        return "."
    if last in (";", ","):
        return ";"
    return ":" if last == ":" else ""


def _initial_upper(text: str) -> bool | None:
    """Whether the first letter is a capital (None without letters)."""
    for char in text:
        if char.isalpha():
            return char.isupper()
    return None


def _agreement(first: object, second: object) -> float:
    if first is None or second is None:
        return 0.0
    return 1.0 if first == second else -1.0


def features(
    source: str,
    target: str,
    *,
    similarity: float,
    forward: float,
    backward: float,
    content_words: int,
    source_words: int,
    target_words: int,
    numbers_agree: bool | None,
    segment: float = 0.0,
) -> tuple[float, ...]:
    """One pair's inputs (see `FEATURES`): `similarity` is chrF of the gloss in [0, 1];
    `forward`/`backward` the shares of English/French content words explained by the other
    side; `content_words` the smaller count of content words of the two sides;
    `source_words`/`target_words` all word tokens; `numbers_agree` None without digits;
    `segment` the known-segment agreement (`tm.quality.lexicon.Segments.agreement`: 1, -1 or 0)."""
    short = 1.0 / (1.0 + content_words)
    total = forward + backward
    covered = 2 * forward * backward / total if total else 0.0
    letters_source = len(source) - source.count(" ")
    letters_target = len(target) - target.count(" ")
    ratio = max(letters_target, 1) / max(letters_source, 1)
    deviation = abs(math.log(ratio / _EXPECTED_RATIO))
    agree = 0.0 if numbers_agree is None else (1.0 if numbers_agree else -1.0)
    ending = 1.0 if _ending(source) == _ending(target) else -1.0
    case = _agreement(_initial_upper(source), _initial_upper(target))
    size = math.log1p(min(source_words, target_words))
    counts = abs(math.log((target_words + 1) / (source_words + 1)))
    return (
        similarity,
        forward,
        backward,
        short,
        short * similarity,
        short * covered,
        deviation,
        agree,
        ending,
        case,
        size,
        counts,
        short * ending,
        short * case,
        forward * backward,
        (1 - forward) * size,
        (1 - backward) * size,
        similarity * size,
        segment,
        short * segment,
    )


def probability(rows: Floats) -> Floats:
    """The probability of misalignment for each row of `features` (shape (n, len(FEATURES)))."""
    if len(rows) == 0:
        return np.zeros(0)
    logits = np.asarray(rows, dtype=np.float64) @ np.asarray(WEIGHTS) + BIAS
    return np.asarray(1.0 / (1.0 + np.exp(-logits)), dtype=np.float64)


def fit(
    rows: Floats, misaligned: npt.NDArray[np.bool_], *, penalty: float = 1e-3, rounds: int = 30
) -> tuple[tuple[float, ...], float]:
    """Logistic regression weights and bias for `rows` labelled `misaligned`, by Newton's
    method with an L2 `penalty` per example on the weights (not the bias)."""
    inputs = np.hstack([np.asarray(rows, dtype=np.float64), np.ones((len(rows), 1))])
    labels = np.asarray(misaligned, dtype=np.float64)
    ridge = penalty * len(labels) * np.diag(np.r_[np.ones(inputs.shape[1] - 1), 0.0])
    weights = np.zeros(inputs.shape[1])
    for _ in range(rounds):
        predicted = 1.0 / (1.0 + np.exp(-(inputs @ weights)))
        gradient = inputs.T @ (predicted - labels) + ridge @ weights
        hessian = (inputs * (predicted * (1 - predicted))[:, None]).T @ inputs + ridge
        weights = weights - np.linalg.solve(hessian, gradient)
    return tuple(round(float(w), 4) for w in weights[:-1]), round(float(weights[-1]), 4)
