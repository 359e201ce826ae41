"""The one door to the TM's tables: opening the database (`database`, its schema kept by
`migrations`), the segments (`segments`), the TM read as a parallel corpus (`corpus`), pair
quality as stored (`quality`), the deletion log (`deletions`), named values kept beside the
segments (`settings`, and the word lexicon among them: `lexicons`), the index's word-key cache
(`keys`) and what tells one TM's saved index from another's (`identity`). No module outside
this package holds SQL on these tables (tests/test_house.py checks it)."""
