"""Every regular expression that sees user text stays fast on adversarial input.

Each row sends the input that made one pattern backtrack (cubic, quadratic or exponential
time: tens of seconds to hours before the fix) through the code that uses the pattern, under
a one-second alarm. A linear pattern takes milliseconds on these inputs; the alarm is a coarse
guard (timings belong to benchmarks), and it interrupts a runaway match instead of hanging the
suite. The audit that found them tried every compiled pattern of tm, glossaries, alignments and
service on such strings (runs of each character and of each pair, 5,000 characters long).
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest

from alignments import layout, splitting
from tm.formats import codes
from tm.formats.documents import paragraphs_from_bytes
from tm.placeables.scanner import find_english, find_french
from tm.quality import qa
from tm.text.numerals import numbers

LIMIT = 1.0  # seconds


def _markdown(text: str) -> object:
    return paragraphs_from_bytes(text.encode("utf-8"), name="hostile.md")


# (pattern, code that runs it, adversarial input)
ADVERSARIAL: list[tuple[str, Callable[[str], object], str]] = [
    ("documents._MD_HEADING", _markdown, "# a" + " " * 2500 + "x"),
    ("documents._MD_INLINE image", _markdown, "![" * 100_000),
    ("documents._MD_INLINE link", _markdown, "[ " * 50_000),
    ("documents._MD_INLINE reference", _markdown, "[=" * 50_000),
    ("documents._MD_INLINE autolink", _markdown, "a" + "<" * 100_000),
    ("documents._MD_INLINE emphasis", _markdown, "*a." * 30_000),
    ("numerals._SCALED", lambda text: numbers(text, french=True), "1" * 50_000 + " millix"),
    ("layout._BEFORE_CAPITAL", layout.breaks, "x" * 50_000 + " a"),
    ("qa._SPACE_BEFORE", lambda text: qa.check("Texte.", text), "a" + " " * 100_000 + "x"),
    ("qa._GUILLEMETS", lambda text: qa.check("Texte.", text), "a" + "\u00a0" * 200_000 + "x"),
    ("splitting._CANDIDATE", lambda text: splitting.split(text, language="fr"), "." * 40 + "x"),
    (
        "splitting 'lower case follows'",
        lambda text: splitting.split(text, language="fr"),
        "Fin." + " " * 30_000 + "X",
    ),
    ("placeables scanner (token starts)", find_french, "a1" * 20_000),
    (
        "codes._DECLARATION",
        lambda text: codes.to_tmx({"1": {"kind": "point", "xml": text}}),
        f'<x b="{" " * 50_000}"/>',
    ),
    (
        "codes, an empty wrap's end",
        lambda text: codes.to_tmx({"1": {"kind": "wrap", "xml": text}}),
        f'<x b="{" " * 50_000}"/>',
    ),
    ("placeables scanner (English)", find_english, "1," * 20_000),
]


@contextmanager
def alarm(seconds: float) -> Iterator[None]:
    """Raise TimeoutError in the main thread after `seconds` (re's matcher checks signals)."""

    def expire(_signal: int, _frame: object) -> None:
        raise TimeoutError(f"over {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize(
    ("pattern", "run", "text"), ADVERSARIAL, ids=[row[0] for row in ADVERSARIAL]
)
def test_adversarial_input_is_linear(pattern: str, run: Callable[[str], object], text: str) -> None:
    with alarm(LIMIT):
        run(text)


# Digit runs longer than int() converts (4,300 digits) were a ValueError, not a placeable.
HUGE_NUMBERS = [
    (find_french, "1" * 5000 + "e"),
    (find_english, "1" * 5000 + "th"),
    (find_french, "1" * 5000 + ",5 %"),
    (lambda text: numbers(text, french=True), "1" * 5000 + " millions"),
    (lambda text: numbers(text, french=False), "1" * 5000 + " billion"),
]


@pytest.mark.parametrize(("run", "text"), HUGE_NUMBERS)
def test_huge_numbers_are_read_without_error(run: Callable[[str], object], text: str) -> None:
    run(text)


def test_the_fixes_keep_what_the_patterns_found() -> None:
    assert _markdown("# Titre ##\n\n[lien](http://a/b_(c) et ![image](x.png)") == [
        "Titre",
        "lien et image",
    ]
    assert _markdown("**gras**, *italique*, _souligné_, `code`, <http://x>") == [
        "gras, italique, souligné, code,"
    ]
    assert numbers("1,5 milliard et 12 millions", french=True) == numbers(
        "1500000000 et 12000000", french=True
    )
    assert splitting.split("Table des matières........ 3. Fin... oui.", language="fr") == [
        "Table des matières........",
        "3.",
        "Fin... oui.",
    ]
    assert [f.code for f in qa.check("Quoi ?", "What ? « x »")] == [
        "french-spacing",
        "french-quotes",
        "french-quotes",
    ]
    assert [p.text for p in find_french("Le 28 novembre 2023, 1 000,5 t et CAD 10 000")] == [
        "28 novembre 2023",
        "1 000,5",
        "CAD 10 000",
    ]


def test_a_heading_keeps_a_hash_glued_to_its_text() -> None:
    # CommonMark: only `#`s after a space close an ATX heading (the old pattern made `C#` `C`)
    assert _markdown("# C#\n\n## Titre ##\n\n# #") == ["C#", "Titre"]


def test_scrubbing_server_paths_is_linear() -> None:
    from service.http.jobs import public

    with alarm(LIMIT):
        public("(" * 200_000 + "tm-scratch-1-job-x/a")
