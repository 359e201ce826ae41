"""The routes, one module per kind of user: translators, glossary maintainers, administrators."""
