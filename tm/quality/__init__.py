"""How good the TM's pairs and the drafts are: the word lexicon, pair quality, misalignment,
rule-based QA, consistency, and evaluation against the published English."""
