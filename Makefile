# Everything a newcomer needs: `make run` and `make test`. Both do their own set-up.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
LT_VERSION ?= 6.8
LANGUAGETOOL_HOME ?= $(HOME)/.cache/webcare-trainer/languagetool
LT_LIB := $(LANGUAGETOOL_HOME)/$(LT_VERSION)/lib
PORT ?= 8501
export LANGUAGETOOL_HOME
export LANGUAGETOOL_VERSION := $(LT_VERSION)

.PHONY: help setup languagetool languagetool-stop run test bench clean

help:
	@echo "make run    set everything up, then serve the app on http://localhost:$(PORT)"
	@echo "make test   set everything up, then run the whole test suite"
	@echo "make bench  run the benchmarks and rewrite docs/benchmarks.md"

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11+ is needed"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

setup: $(VENV)/.installed languagetool

# LanguageTool's jars come from Maven Central into a cache outside git, shared by all clones.
# Without Maven or Java this step says so and the app runs with grammar checking off.
languagetool: $(LT_LIB)/.complete

$(LT_LIB)/.complete: tools/languagetool/pom.xml
	@if ! command -v mvn >/dev/null || ! command -v java >/dev/null; then \
	  echo "!! Maven or Java missing: LanguageTool not installed, grammar checking will be off."; \
	else \
	  mkdir -p $(LT_LIB) && \
	  mvn --quiet --batch-mode -f tools/languagetool/pom.xml -Dlt.version=$(LT_VERSION) \
	    dependency:copy-dependencies -DoutputDirectory=$(abspath $(LT_LIB)) && touch $@; \
	fi

languagetool-stop: $(VENV)/.installed
	$(VENV)/bin/webcare languagetool stop

run: setup
	$(VENV)/bin/webcare languagetool start
	$(VENV)/bin/streamlit run trainer/app.py --server.port $(PORT) --server.headless true \
	  --browser.gatherUsageStats false

test: setup
	$(VENV)/bin/webcare languagetool start
	$(PY) -m pytest $(PYTEST_ARGS)

bench: setup
	$(VENV)/bin/webcare languagetool start
	$(PY) bench/score_latency.py

clean:
	rm -rf $(VENV) .pytest_cache
