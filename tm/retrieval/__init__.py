"""Finding prior translations: the index, the explained fuzzy score, matching, adaptation of
placeables, concordance, and lookups shared among worker processes."""
