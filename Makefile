# SCO Engagements Explorer. `make help` lists the targets.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8501
CHROMIUM ?= /usr/bin/chromium
export PYTHONDONTWRITEBYTECODE := 1

.DEFAULT_GOAL := help
.PHONY: help install install-dev browser data run test lint format unit browser-test screenshots bench load clean

help: ## list every target
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed ## create .venv and install the pinned requirements

install-dev: $(VENV)/.installed-dev ## install the test and lint tools too

browser: ## install Debian's chromium for the browser tests, when missing
	@if [ ! -x $(CHROMIUM) ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && $$SUDO apt-get install -y -q chromium; \
	fi
	@$(CHROMIUM) --version

data: install ## build the dataset from data/raw into data/processed
	$(PY) -m etl build

run: data ## install, build the dataset and serve the dashboard on $(HOST):$(PORT)
	$(PY) -m streamlit run dashboard.py --server.address $(HOST) --server.port $(PORT) --server.headless true

lint: install-dev ## ruff over the code
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev ## format the code with ruff
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

unit: install-dev ## the tests without the real browser
	$(PY) -m pytest -m "not browser" -q

browser-test: install-dev browser ## only the real-browser tests, with the network cut
	scripts/offline.sh $(PY) -m pytest -m browser -q

screenshots: install-dev browser ## refresh docs/screenshots/ from the real-browser test
	SCREENSHOTS_DIR=docs/screenshots scripts/offline.sh $(PY) -m pytest -q tests/test_browser.py -k screenshot

test: install-dev browser lint ## install what the tests need, then ruff and the whole pytest suite, network cut
	scripts/offline.sh $(PY) -m pytest -q

bench: install-dev browser data ## benchmarks; writes BENCHMARKS.md
	$(PY) -m benchmarks

load: install-dev browser data ## a bounded load test: 20 browser sessions for about a minute
	$(PY) -m benchmarks.load

clean: ## remove the built dataset and caches
	rm -rf data/processed data/.build-processed-* .pytest_cache .ruff_cache
