# Two commands: `make run` (the demo at http://127.0.0.1:8000) and `make test` (the whole suite).
SHELL := /bin/bash
.DEFAULT_GOAL := run

# uv uses the machine's Python (downloading one cannot work offline) and installs into .venv.
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/.venv
# A working Python 3.12 (on pyenv machines python3.12 on PATH may be a shim that does not run).
PYTHON ?= $(shell scripts/find-python.sh 2>/dev/null)
UV := .tools/bin/uv
VENV_PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint format seed browser-deps clean

$(UV):
	@test -n "$(PYTHON)" || { scripts/find-python.sh; exit 1; }
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet 'uv>=0.13,<0.14'

# Re-synced whenever the dependencies change; --frozen installs exactly what uv.lock says.
.venv/.installed: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

install: .venv/.installed

# The embedded mode: SQLite under var/, tasks in-process, email to the console. DEBUG=1 also
# serves static files straight from the source folders (whitenoise finders).
run: install
	@mkdir -p var
	DEBUG=1 $(VENV_PY) manage.py migrate --noinput
	DEBUG=1 $(VENV_PY) manage.py seed_demo --if-empty
	@echo "Reminders: in this embedded mode run 'manage.py send_reminders' (e.g. from cron every 15 minutes) to send them; in the full mode beat does it."
	DEBUG=1 $(VENV_PY) manage.py runserver $(HOST):$(PORT)

# Adds whatever demo data is missing (never changes or deletes anything) and prints the logins.
seed: install
	@mkdir -p var
	DEBUG=1 $(VENV_PY) manage.py migrate --noinput
	DEBUG=1 $(VENV_PY) manage.py seed_demo

# What the browser tests need: Chromium, and axe-core (package.json) for their accessibility
# checks. `npm ci` installs exactly package-lock.json, again whenever it or package.json changes.
# Without npm the accessibility tests skip, saying so; under CI=true they fail instead.
browser-deps: node_modules/.installed
	@bash scripts/ensure-chromium.sh

node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
	  npm ci --no-audit --no-fund && touch $@; \
	else \
	  echo "npm is not installed (apt-get install nodejs npm): the accessibility tests will not run."; \
	  if [ "$${CI:-}" = "true" ]; then exit 1; fi; \
	fi

# pytest exits 5 when it collected no tests: a suite that silently ran nothing must fail.
test: install browser-deps
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	$(VENV_PY) manage.py makemigrations --check --dry-run
	@.venv/bin/pytest $(PYTEST_ARGS); status=$$?; \
	  if [ $$status -eq 5 ]; then echo "pytest collected no tests: treating that as a failure."; fi; \
	  exit $$status

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format: install
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

clean:
	rm -rf .venv .tools var staticfiles node_modules
