"""Pretranslated documents: the draft of each French segment and the batch's analysis report."""
