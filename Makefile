# Everything a newcomer needs: `make run` and `make test`. Both do their own set-up.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
LT_VERSION ?= 6.8
LANGUAGETOOL_HOME ?= $(HOME)/.cache/webcare-trainer/languagetool
LT_LIB := $(LANGUAGETOOL_HOME)/$(LT_VERSION)/lib
PORT ?= 8501
# This machine only: other machines need ALLOW_REMOTE=true (and then demo accounts are refused).
ADDRESS ?= 127.0.0.1
export LANGUAGETOOL_HOME
export LANGUAGETOOL_VERSION := $(LT_VERSION)

.PHONY: help setup languagetool languagetool-stop run test bench clean postgres postgres-stop browser

# PostgreSQL for the storage tests: Debian's server, a throw-away cluster outside git listening
# on 127.0.0.1:$(PG_PORT) only. initdb refuses root, so as root the cluster belongs to the
# `postgres` user and lives where that user can reach it (root's home is private).
PG_PORT ?= 5433
PG_DATA ?= $(if $(filter 0,$(shell id -u)),/var/lib/webcare-trainer/postgres,$(HOME)/.cache/webcare-trainer/postgres)
TEST_DATABASE_URL ?= postgresql+psycopg://webcare:webcare@127.0.0.1:$(PG_PORT)/webcare_test
export TEST_DATABASE_URL
PG_BIN = $$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
PG_AS = $$([ "$$(id -u)" = 0 ] && echo "runuser -u postgres --")

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

# Compiled ahead, so even a machine that does not write bytecode on import (PYTHONDONTWRITEBYTECODE)
# does not compile the app's modules on every start; up-to-date files are skipped.
setup: $(VENV)/.installed languagetool
	@$(PY) -m compileall -q trainer scoring scenarios

# LanguageTool's jars come from Maven Central into a cache outside git, shared by all clones.
# Without Maven or Java this step says so and the app runs with grammar checking off.
languagetool: $(LT_LIB)/.complete

$(LT_LIB)/.complete: tools/languagetool/pom.xml
	@if ! command -v mvn >/dev/null || ! command -v java >/dev/null; then \
	  echo "!! Maven or Java missing: LanguageTool not installed, grammar checking will be off."; \
	else \
	  mkdir -p $(LT_LIB) && \
	  mvn --quiet --batch-mode -Dstyle.color=never -f tools/languagetool/pom.xml -Dlt.version=$(LT_VERSION) \
	    dependency:copy-dependencies -DoutputDirectory=$(abspath $(LT_LIB)) && touch $@; \
	fi

languagetool-stop: $(VENV)/.installed
	$(VENV)/bin/webcare languagetool stop

# The LanguageTool server started here is stopped again when the app stops.
run: setup
	$(VENV)/bin/webcare languagetool start
	$(VENV)/bin/webcare db upgrade
	$(VENV)/bin/webcare demo seed --if-empty
	trap '$(VENV)/bin/webcare languagetool stop' EXIT; \
	$(VENV)/bin/webcare serve --server.address $(ADDRESS) --server.port $(PORT)

test: setup postgres browser
	$(VENV)/bin/webcare languagetool start
	$(PY) -m pytest $(PYTEST_ARGS)

bench: setup postgres browser
	$(VENV)/bin/webcare languagetool start
	$(PY) bench/score_latency.py
	$(PY) bench/progress_queries.py
	$(PY) bench/app_latency.py
	$(PY) bench/drill_load.py
	$(PY) bench/login_flood.py

# Debian's Chromium (and a colour emoji font) for the browser tests, driven by Playwright: no
# browser download. Without it the browser tests fail and say so.
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -f /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || [ ! -x /usr/sbin/nginx ]; then \
	  echo "installing Debian's chromium, emoji font and nginx (once)..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-color-emoji nginx-light >/dev/null; \
	fi

postgres:
	@set -e; bin=$(PG_BIN); \
	if [ ! -x "$$bin/initdb" ]; then \
	  echo "installing Debian's postgresql (once)..."; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	  bin=$(PG_BIN); \
	fi; \
	as="$(PG_AS)"; mkdir -p "$(PG_DATA)"; chmod 700 "$(PG_DATA)"; \
	if [ -n "$$as" ]; then chown postgres: "$(PG_DATA)"; fi; \
	if [ ! -f "$(PG_DATA)/PG_VERSION" ]; then \
	  pw=$$(mktemp); echo webcare > $$pw; chmod 644 $$pw; \
	  $$as $$bin/initdb -D "$(PG_DATA)" -U webcare --pwfile=$$pw --auth=scram-sha-256 -E UTF8 --no-locale >/dev/null; \
	  rm -f $$pw; \
	  printf "listen_addresses = '127.0.0.1'\nunix_socket_directories = ''\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 200\n" \
	    | $$as tee -a "$(PG_DATA)/postgresql.conf" >/dev/null; \
	fi; \
	if ! $$as $$bin/pg_ctl -D "$(PG_DATA)" status >/dev/null 2>&1; then \
	  $$as $$bin/pg_ctl -D "$(PG_DATA)" -l "$(PG_DATA)/server.log" -o "-p $(PG_PORT)" -w start >/dev/null; \
	fi; \
	export PGPASSWORD=webcare; \
	$$bin/psql -h 127.0.0.1 -p $(PG_PORT) -U webcare -d postgres -tAc \
	  "SELECT 1 FROM pg_database WHERE datname = 'webcare_test'" | grep -q 1 \
	  || $$bin/createdb -h 127.0.0.1 -p $(PG_PORT) -U webcare webcare_test; \
	echo "PostgreSQL on 127.0.0.1:$(PG_PORT): ready (TEST_DATABASE_URL=$(TEST_DATABASE_URL))"

postgres-stop:
	@bin=$(PG_BIN); $(PG_AS) $$bin/pg_ctl -D "$(PG_DATA)" -m fast stop || true

clean:
	rm -rf $(VENV) .pytest_cache
