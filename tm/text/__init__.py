"""Text for matching and checking: normalisation and the one accent and case fold, the named
tokenisers, language, numbers in words and figures, inline markup, and sub-word pieces."""
