# Two commands for a fresh machine: `make run` and `make test`.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
EMULATOR_DIR := tests/e2e/emulator
EMULATOR := $(EMULATOR_DIR)/node_modules/.bin/emulate

.PHONY: run test test-fast bench lint format

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(INSTALLED)

$(EMULATOR): $(EMULATOR_DIR)/package-lock.json
	npm ci --prefix $(EMULATOR_DIR) --no-audit --no-fund
	touch $(EMULATOR)

run: $(INSTALLED)
	$(BIN)/quotebot db upgrade
	$(BIN)/quotebot demo-data --if-empty
	$(BIN)/quotebot serve

test: $(INSTALLED) $(EMULATOR)
	$(BIN)/pytest

test-fast: $(INSTALLED)
	$(BIN)/pytest -m "not slow and not e2e"

bench: $(INSTALLED)
	$(BIN)/python -m bench.bench_import
	$(BIN)/python -m bench.bench_ask
	$(BIN)/python -m bench.bench_forecast
	$(BIN)/python -m bench.bench_customers
	$(BIN)/python -m bench.bench_recommend
	$(BIN)/python -m bench.bench_pricing
	$(BIN)/python -m bench.bench_text
	$(BIN)/python -m bench.bench_anomalies
	$(BIN)/python -m bench.bench_nlu
	$(BIN)/python -m bench.bench_entities
	$(BIN)/python -m bench.bench_form
	$(BIN)/python -m bench.bench_slack

lint: $(INSTALLED)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

format: $(INSTALLED)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
