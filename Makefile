# Bibliomo: two commands on a fresh machine — `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup assets lint format worker bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Pinned set-up: constraints.txt holds the exact versions every machine installs.
$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

setup: $(VENV)/.installed node_modules/.installed

assets: setup
	$(BIN)/bibliomo collectstatic --noinput --verbosity 0

run: setup assets
	$(BIN)/bibliomo migrate --noinput --verbosity 0
	$(BIN)/bibliomo demo
	@echo "Bibliomo: http://$(HOST):$(PORT)/  (рабочее место: http://$(HOST):$(PORT)/app/)"
	@# The background worker runs beside the web server and stops with it.
	@trap 'kill 0' INT TERM EXIT; \
	  $(BIN)/bibliomo db_worker --no-reload --verbosity 0 & \
	  $(BIN)/bibliomo runserver $(HOST):$(PORT)

test: setup assets
	$(BIN)/pytest

worker: setup
	$(BIN)/bibliomo db_worker

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: setup
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) node_modules staticfiles
