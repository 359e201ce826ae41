"""Text for matching and checking: normalisation, tokens, language, numbers in words and
figures, inline markup, and sub-word pieces."""
