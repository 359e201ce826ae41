"""Finding prior translations: the index (its snapshot of arrays, saved beside the TM and kept in
step with it: snapshot, columns, indexfile, upkeep), its search (with the bounds of prefix
filtering and the word signatures), the explained fuzzy score, the order of ties, matching,
adaptation of placeables, concordance, and lookups shared among worker processes."""
