# nhnfin: make setup | test | report | fava | lint
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
LEDGER ?= ledger/nhn.beancount
YEAR ?= 2024
PORT ?= 5000
STAMP := $(VENV)/.installed

.PHONY: setup test report fava lint bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

test: setup
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/pytest -q

report: setup
	mkdir -p out
	$(BIN)/nhnfin report $(LEDGER) --year $(YEAR) --format md --output out/report-$(YEAR).md
	$(BIN)/nhnfin report $(LEDGER) --year $(YEAR) --format json --output out/report-$(YEAR).json
	$(BIN)/nhnfin report $(LEDGER) --year $(YEAR) --format xlsx --output out/report-$(YEAR).xlsx
	cat out/report-$(YEAR).md

fava: setup
	$(BIN)/nhnfin fava $(LEDGER) --port $(PORT)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: setup
	for f in benchmarks/bench_*.py; do $(BIN)/python $$f; done

clean:
	rm -rf $(VENV) out build *.egg-info
