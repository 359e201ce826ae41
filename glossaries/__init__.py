"""The institutional termbase: terms, TBX/CSV formats, store and history, recognition."""
