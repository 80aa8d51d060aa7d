# The single entry point for people and CI:
#   make demo    set up and serve the demo partnership on http://127.0.0.1:8000/
#   make test    the whole test suite: on SQLite, then the database tests again on PostgreSQL
#   make check   lint, formatting and Django's own checks
#   make bench   the benchmarks (figures in docs/benchmarks.md)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APP_STAMP := $(VENV)/.installed-app
TEST_STAMP := $(VENV)/.installed-test
BENCH_STAMP := $(VENV)/.installed-bench
TEST_ENV := OBSERVATORY_DATA_DIR=$(CURDIR)/var/test

.PHONY: demo test check bench system-packages clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Observatory needs Python 3.11 or newer: run make with PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(APP_STAMP): pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(TEST_STAMP): $(APP_STAMP)
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test,spark]'
	touch $@

demo: $(APP_STAMP)
	$(BIN)/observatory demo start

system-packages:
	@sh scripts/install-system-packages.sh

test: $(TEST_STAMP) system-packages
	$(TEST_ENV) $(BIN)/pytest
	$(TEST_ENV) $(BIN)/pytest --db=postgres -m database

check: $(TEST_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(TEST_ENV) $(BIN)/observatory manage check --fail-level WARNING

$(BENCH_STAMP): $(TEST_STAMP)
	$(BIN)/pip install --quiet -c constraints.txt -e '.[test,spark,bench]'
	touch $@

bench: $(BENCH_STAMP)
	$(TEST_ENV) $(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
