"""The stress suite (`make stress`, not part of `make test`): tm attacked as an outsider with a
key would, under load, each check bounded in count and time, traffic on loopback only.

`python -m stress` starts real `tm serve` processes (uvicorn) on loopback ports and real
`tm import` processes, runs the cases and prints one table (case, what was measured, the
target, PASS or FAIL); it exits 1 if any case fails. Cases (modules): `hostile` (every hostile
input refused in ≤ 1 s, server RSS +100 MB at most, `/health` answering within 100 ms
throughout), `crash` (kill -9 during a 200k-pair import: all or nothing, integrity_check ok),
`fuzz` (coverage-guided fuzzing of the TMX, XLIFF, TBX, CSV and Markdown readers with atheris:
no exception but `InvalidInput`, no input over 5 s), `contract` (schemathesis over the OpenAPI
description, per role key: no 5xx, no answer outside the schema).

The `stress` extra (`pip install -e '.[stress]'`: schemathesis, atheris) is needed for the last
two; the real data comes from `../shared/data` (the crash case skips without it).
"""
