"""The base lexicon that ships with tm: what a new or small TM knows before its own pairs teach
it anything.

A French→English and English→French word lexicon with its known short segments
(`tm.quality.lexicon.Lexicon`), learned by tm's own code (`tm.quality.learning`: IBM Model 1
both ways, headings seen whole) from openly licensed parallel text: the consolidated Acts and
Regulations of Canada (Open Government Licence – Canada) less the 60 benchmark documents, and
part of the United Nations Parallel Corpus v1.0 development set. It is a derived model, not the
text. `tm lexicon build` remakes it (`service.pipelines.lexicon`); `tm/data/README.md` gives
its sources, attribution and figures.

A TM's own lexicon takes precedence where it knows a word (`Lexicon.over`, the one merge rule);
`TranslationMemory.lexicon` gives the two together.
"""

from __future__ import annotations

import functools
from importlib import resources

from tm.quality.lexicon import Lexicon

FILE = "base-lexicon.bin"
"""The file in `tm/data/`: `Lexicon.to_bytes` (zlib-compressed JSON), the format a TM stores
its own lexicon in, so one reader serves both."""


@functools.cache
def lexicon() -> Lexicon:
    """The base lexicon, read from the package on first use (about half a second) and then
    kept for the process."""
    return Lexicon.from_bytes(resources.files("tm").joinpath("data", FILE).read_bytes())


@functools.cache
def words() -> Lexicon:
    """The base lexicon's French→English words alone (`Lexicon.words_from_bytes`: read in a
    seventh of the time of the whole), for what asks nothing else of it: QA telling a copied
    French text from names and cognates (`tm.quality.untranslated.review`)."""
    return Lexicon.words_from_bytes(resources.files("tm").joinpath("data", FILE).read_bytes())
