"""Finding prior translations: the index, its search (with the bounds of prefix filtering and
the word signatures), the explained fuzzy score, the order of ties, matching, adaptation of
placeables, concordance, and lookups shared among worker processes."""
