# Two commands: `make run` (the demo at http://127.0.0.1:8000) and `make test` (the whole suite).
SHELL := /bin/bash
.DEFAULT_GOAL := run

export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/.venv
# Python 3.12: on PATH, or through pyenv when installed that way.
PYTHON ?= $(shell command -v python3.12 2>/dev/null || (command -v pyenv >/dev/null && PYENV_VERSION=$$(pyenv latest 3.12 2>/dev/null) pyenv which python3.12 2>/dev/null))
UV := .tools/bin/uv
VENV_PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint format seed browser-deps clean

$(UV):
	@test -n "$(PYTHON)" || { echo "Python 3.12 is required (python3.12 on PATH, or pyenv)."; exit 1; }
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet 'uv>=0.13,<0.14'

.venv/.installed: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --python $(PYTHON)
	@touch $@

install: .venv/.installed

run: install
	DEBUG=1 $(VENV_PY) manage.py migrate --noinput
	DEBUG=1 $(VENV_PY) manage.py seed_demo --if-empty
	DEBUG=1 $(VENV_PY) manage.py runserver $(HOST):$(PORT)

seed: install
	DEBUG=1 $(VENV_PY) manage.py seed_demo

browser-deps:
	@bash scripts/ensure-chromium.sh

test: install browser-deps
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	$(VENV_PY) manage.py makemigrations --check --dry-run
	.venv/bin/pytest $(PYTEST_ARGS)

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .

format: install
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

clean:
	rm -rf .venv .tools var staticfiles
