# The two commands a newcomer needs (see README.md):
#   make run   — install, migrate, load the source data and serve http://127.0.0.1:8000/
#   make test  — install with the test tools and run the whole test suite (SQLite and PostgreSQL)
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test install install-dev lint format

# The requirements are installed with uv (PyPI's uv, pinned here): the same pinned versions as pip would install,
# in 3 s instead of pip's 20–40 s (the clean-clone `make test` budget is 8 minutes).
UV := $(BIN)/uv pip install --quiet --python $(BIN)/python

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(BIN)/uv: | $(BIN)/python
	$(BIN)/python -m pip install --quiet uv==0.13.8

$(VENV)/.installed-runtime: requirements.txt | $(BIN)/uv
	$(UV) -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/uv
	$(UV) -r requirements-dev.txt
	touch $@ $(VENV)/.installed-runtime

install: $(VENV)/.installed-runtime
install-dev: $(VENV)/.installed-dev

## Serve the portal with all its content on SQLite (development server, DJANGO_DEBUG=1 unless set).
run: export DJANGO_DEBUG ?= 1
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_portal_data
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

## Production: collect static files, migrate, load missing source data, serve with gunicorn.
## Needs the production environment (DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL…, see .env.example).
serve: install
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_portal_data
	$(BIN)/gunicorn --config gunicorn.conf.py

## The whole test suite: lint, Django checks, pytest on SQLite and (at the same time) on a throwaway PostgreSQL.
test: install-dev
	scripts/test.sh

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Benchmark of the production stack (gunicorn + whitenoise on a throwaway database, driven by wrk): README "Benchmark".
## Options through BENCH_ARGS, e.g. make bench BENCH_ARGS="--quick --scale 100".
.PHONY: bench
bench: install-dev
	$(BIN)/python scripts/benchmark.py $(BENCH_ARGS)

## Lighthouse scores of every page type on the production stack (README "Lighthouse").
.PHONY: lighthouse
lighthouse: install
	$(BIN)/python scripts/lighthouse.py $(LIGHTHOUSE_ARGS)
