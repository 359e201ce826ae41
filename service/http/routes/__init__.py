"""The routes, one module per kind of user: translators, glossary maintainers (and the review
of doubted pairs: `review`), administrators; and the MyMemory-compatible route."""
