# Two commands for a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
# Parallel by default (pytest-xdist); CI overrides for the services run.
PYTEST_ARGS ?= -n auto
PORT ?= 8000

# Benchmark at national scale (PostgreSQL, Redis, wrk; see README). BENCH_ARGS for options.
BENCH_ARGS ?= --preset national
bench: install-dev
	$(PY) -m bench run $(BENCH_ARGS)

.PHONY: bench run test install install-dev venv migrate seed serve lint format messages check-migrations clean worker beat

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Development server on SQLite with Celery tasks run in-process.
run: install
	DEBUG=true $(PY) manage.py migrate --noinput
	DEBUG=true $(PY) manage.py setup_schedules
	DEBUG=true $(PY) manage.py seed_demo
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl+C to stop)"
	DEBUG=true $(PY) manage.py runserver $(HOST):$(PORT)

# The whole suite (unit, integration, browser tests when Chromium is installed).
test: install-dev
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check-migrations: install
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run

# Regenerate the translation catalogues (needs GNU gettext) and compile them.
messages: install
	PY=$(PY) scripts/update_translations.sh

worker: install
	$(VENV)/bin/celery -A config worker --loglevel=info

beat: install
	$(VENV)/bin/celery -A config beat --loglevel=info

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache test-artifacts
