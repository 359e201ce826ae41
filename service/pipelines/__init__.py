"""The work behind both edges: each job written once and called by the HTTP routes and the CLI
alike, which only parse and print. `importing`, `alignment`, `pretranslation` (the batch;
`drafter`: its segments), `annotate` (one `Annotator`: glossary terms, QA findings, draft
notes), `lookup`, `check`, `concordance`, `concepts`, `evaluation`, `quality` (lexicon,
rescoring, consistency, leave-one-out, the review queue) and `review` (a maintainer rejects,
restores or confirms pairs)."""

MAX_DEFAULT_WORKERS = 8
"""The most worker processes a batch starts by default (`pretranslation.default_workers`);
here, where `tm --help` reads it without importing the pipelines."""
LOOKUP_THRESHOLD = 70
"""The lowest score a lookup shows unless told otherwise (`lookup.THRESHOLD`)."""
EVALUATION_MAX_BYTES = 2 * 1024 * 1024
"""The largest draft or reference an evaluation reads (`evaluation.MAX_BYTES`); here, where
the HTTP edge's body limit reads it without importing the evaluation (and sacrebleu)."""
DRAFT_THRESHOLD = 75
"""The lowest score that fills a draft's target unless told otherwise: CLI, API and page
(`pretranslation.THRESHOLD`)."""
