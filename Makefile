# nhnfin: make setup | test | report | fava | lint
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
LEDGER ?= ledger/nhn.beancount
YEAR ?= 2024
PORT ?= 5000
STAMP := $(VENV)/.installed

# Debian packages nhnfin needs beside PyPI: Pango and HarfBuzz (WeasyPrint, PDF output), fonts,
# poppler-utils (pdftotext, the PDF tests) and Chromium (the Fava browser tests).
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
	poppler-utils chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup system-packages test report fava lint bench clean

setup: system-packages $(STAMP)

system-packages:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || echo $$p; \
	done); \
	if [ -n "$$missing" ]; then \
		echo "installing $$missing"; \
		export DEBIAN_FRONTEND=noninteractive; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

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
	$(BIN)/nhnfin report $(LEDGER) --year $(YEAR) --format docx --output out/report-$(YEAR).docx
	$(BIN)/nhnfin report $(LEDGER) --year $(YEAR) --format pdf --output out/report-$(YEAR).pdf
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
