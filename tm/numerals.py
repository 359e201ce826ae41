"""Numbers written out in words, French and English (`deux cent dix`, `soixante et onze`,
`twenty-eight`), for checking them against digits on the other side of a pair."""

from __future__ import annotations

from tm.lexicon import words

_FRENCH = {
    **dict(
        zip(
            "un une deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze "
            "quinze seize".split(),
            [1, 1, *range(2, 17)],
            strict=True,
        )
    ),
    **{"vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60},
    **{"premier": 1, "première": 1, "deuxième": 2, "second": 2, "seconde": 2, "troisième": 3},
}
_ENGLISH = {
    **dict(
        zip(
            "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
            "fifteen sixteen seventeen eighteen nineteen".split(),
            range(1, 20),
            strict=True,
        )
    ),
    **{"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70},
    **{"eighty": 80, "ninety": 90, "first": 1, "second": 2, "third": 3},
}
_HUNDRED = {"fr": ("cent", "cents"), "en": ("hundred",)}
_THOUSAND = {"fr": ("mille",), "en": ("thousand",)}
_JOIN = {"fr": "et", "en": "and"}


def spelled(text: str, language: str) -> set[str]:
    """The values of the numbers written in words in `text` (`fr` or `en`), as strings."""
    table = _FRENCH if language == "fr" else _ENGLISH
    hundred, thousand, join = _HUNDRED[language], _THOUSAND[language], _JOIN[language]
    found: set[str] = set()
    total = current = 0
    running = False
    previous = ""
    for word in words(text):
        if word in table:
            value = table[word]
            if language == "fr" and value == 20 and current % 100 == 4 and previous == "quatre":
                current += 76  # quatre-vingt(s): 4 → 80
            else:
                current += value
            running = True
        elif word in hundred and running:
            current = (current or 1) * 100
        elif word in hundred:
            current, running = 100, True
        elif word in thousand:
            total, current, running = total + (current or 1) * 1000, 0, True
        elif word == join and running:
            pass
        else:
            if running:
                found.add(str(total + current))
            total = current = 0
            running = False
        previous = word
    if running:
        found.add(str(total + current))
    return found
