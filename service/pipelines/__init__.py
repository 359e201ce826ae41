"""The work behind both edges: each job (import, alignment, pretranslation, annotation,
quality, concordance) written once and called by the HTTP routes and the CLI alike."""
