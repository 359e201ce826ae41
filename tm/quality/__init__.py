"""How good the TM's pairs and the drafts are: the word lexicon and its learning, pair
quality, untranslated pairs, misalignment, rule-based QA, consistency, and evaluation against
the published English."""
