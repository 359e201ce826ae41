"""The work behind both edges: each job written once and called by the HTTP routes and the CLI
alike, which only parse and print. `importing`, `alignment`, `pretranslation` (the batch;
`drafter`: its segments), `annotate` (one `Annotator`: glossary terms, QA findings, draft
notes), `lookup`, `check`, `concordance`, `concepts`, `evaluation`, `quality` (lexicon,
rescoring, consistency, leave-one-out, the review queue) and `review` (a maintainer rejects,
restores or confirms pairs)."""
