"""Parallel documents into sentence pairs: splitting, length model, lexicon, aligner."""
