# Bibliomo: two commands on a fresh machine — `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in e-mails, QR codes and iCal follow the address the server runs on unless SITE_URL is set.
SITE_URL ?= http://$(HOST):$(PORT)
export SITE_URL

.PHONY: run serve test setup setup-dev assets lint format worker bench clean screenshots

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Pinned set-up: constraints.txt holds the exact versions every machine installs.
# Runtime packages only; the test tools (pytest, Playwright, ruff) come with `setup-dev`.
$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

setup: $(VENV)/.installed node_modules/.installed

setup-dev: setup $(VENV)/.installed-dev

assets: setup
	$(BIN)/bibliomo collectstatic --noinput --verbosity 0

run: setup assets
	$(BIN)/bibliomo migrate --noinput --verbosity 0
	$(BIN)/bibliomo demo
	@echo "Bibliomo: http://$(HOST):$(PORT)/  (рабочее место: http://$(HOST):$(PORT)/app/)"
	@echo "Адрес в письмах, QR-кодах и календарях: $(SITE_URL)"
	@$(MAKE) --no-print-directory serve

# The background worker runs beside the web server and stops with it. Ctrl-C reaches both
# (the worker, started in the background, ignores SIGINT, so the trap stops it); the trap
# resets itself before acting, so it never re-triggers, and the recipe ends with status 0.
serve:
	@$(BIN)/bibliomo db_worker --no-reload --verbosity 0 & worker=$$!; \
	  stop() { trap - INT TERM EXIT; kill $$worker 2>/dev/null; wait $$worker 2>/dev/null; }; \
	  trap 'stop; exit 0' INT TERM; trap stop EXIT; \
	  $(BIN)/bibliomo runserver $(HOST):$(PORT); status=$$?; \
	  stop; [ $$status -eq 130 ] && exit 0; exit $$status

# In parallel, one worker per core (each with its own test database and live server), a whole
# test file at a time (a module's fixtures are set up once); TEST_WORKERS=0 runs in this
# process. The slowest tests are listed at the end. TEST_ARGS adds pytest options, e.g.
# TEST_ARGS=--database-tests-only for a second run on another database (.ci/run).
# Bytecode is written even where the environment says PYTHONDONTWRITEBYTECODE: pytest then keeps
# its rewritten test modules, and a later run (CI's second) collects in 8 s instead of 17.
TEST_WORKERS ?= auto
TEST_ARGS ?=
test: setup-dev assets
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile --durations=15 $(TEST_ARGS)

# PNGs of the main pages of every role at 1366 px and 390 px, from a freshly built demo, for
# review (var/ is not committed).
screenshots: setup-dev
	$(BIN)/python -m tests.browser.screenshots var/screenshots

worker: setup
	$(BIN)/bibliomo db_worker

# ruff (style, complexity ≤ 15) and import-linter (the layers in pyproject.toml [tool.importlinter]).
lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: setup-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: setup-dev
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) node_modules staticfiles
