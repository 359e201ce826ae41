# Two commands on a fresh machine: `make run` (demo service) and `make test` (everything).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Separate stamps: `make run` installs only what the demo runs (the runtime dependencies);
# `make venv` / `make test` add the dev tools (pytest, ruff, mypy, Playwright...).
RUN_STAMP := $(VENV)/.runtime-installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
BENCH_STAMP := $(VENV)/.bench-installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
STRESS_STAMP := $(VENV)/.stress-installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
TM := $(BIN)/tm
DEMO_DB := build/demo.db
DEMO_DRAFT := build/demo-draft
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: venv runtime run demo test lint bench stress clean

venv: $(STAMP)

runtime: $(RUN_STAMP)

$(RUN_STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ is needed"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	rm -f $(VENV)/.runtime-installed-* && touch $@

$(STAMP): $(RUN_STAMP)
	PYTHONWARNINGS=ignore $(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	rm -f $(VENV)/.installed-* && touch $@

demo: runtime
	mkdir -p build
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm $(DEMO_DB).index
	$(TM) --db $(DEMO_DB) import data/releases/*.fr --origin press-releases
	$(TM) --db $(DEMO_DB) glossary import data/glossary/glossary.tbx --author demo
	$(TM) --db $(DEMO_DB) quality rescore
	$(TM) --db $(DEMO_DB) stats
	rm -rf $(DEMO_DRAFT)
	$(TM) --db $(DEMO_DB) pretranslate data/new/*.fr.txt --out $(DEMO_DRAFT)

run: demo
	@echo "Draft of the new release(s): $(DEMO_DRAFT)/*.xlf  (analysis: $(DEMO_DRAFT)/analysis.json, $(DEMO_DRAFT)/analysis.csv)"
	@KEY=$$($(TM) --db $(DEMO_DB) keys create --role admin --name demo --json \
		| $(BIN)/python -c 'import json, sys; print(json.load(sys.stdin)["key"])') && \
	echo "Demo TM: $(DEMO_DB). Demo admin key: $$KEY" && \
	echo "The README's tm commands on the demo TM, from another shell here:" && \
	echo "  export TM_DB=$(CURDIR)/$(DEMO_DB) PATH=$(CURDIR)/$(BIN):\$$PATH" && \
	echo "  (or: $(CURDIR)/$(TM) --db $(CURDIR)/$(DEMO_DB) lookup \"…\")" && \
	echo "Open http://$(HOST):$(PORT)/#key=$$KEY  (API docs: http://$(HOST):$(PORT)/docs)"
	$(TM) --db $(DEMO_DB) serve --host $(HOST) --port $(PORT)

lint: venv
	$(BIN)/ruff check tm glossaries alignments service tests bench stress
	$(BIN)/ruff format --check tm glossaries alignments service tests bench stress
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest

# The benchmarks also need the `bench` extra (Translate Toolkit, a GPL peer: never in `dev`).
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,bench]'
	rm -f $(VENV)/.bench-installed-* && touch $@

bench: $(BENCH_STAMP)
	$(BIN)/python -m bench

# The stress suite (not part of `make test`): real `tm serve` and `tm import` processes on
# loopback, hostile inputs, kill -9, fuzzing; it needs the `stress` extra (schemathesis, atheris).
$(STRESS_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,stress]'
	rm -f $(VENV)/.stress-installed-* && touch $@

stress: $(STRESS_STAMP)
	$(BIN)/python -m stress

clean:
	rm -rf $(VENV) build .pytest_cache .mypy_cache .ruff_cache
