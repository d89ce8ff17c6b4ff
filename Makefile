# Readiness — every task a developer or CI runs. `make help` lists them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help

.PHONY: help
help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  \033[36m%-14s\033[0m %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

.PHONY: install
install: $(STAMP) ## Create .venv and install everything (idempotent)

.PHONY: demo
demo: $(STAMP) ## Set up the demo council on SQLite and serve it on http://127.0.0.1:8000
	DEBUG=true $(BIN)/python manage.py migrate --no-input
	DEBUG=true $(BIN)/python manage.py seed_demo
	@echo "Serving on http://$(HOST):$(PORT)/ — background tasks run in-process. Ctrl+C to stop."
	DEBUG=true $(BIN)/python manage.py runserver $(HOST):$(PORT)

.PHONY: test
test: $(STAMP) ## Run the whole test suite (browser tests need Debian's chromium)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

.PHONY: lint
lint: $(STAMP) ## ruff, the layering contract (import-linter), bandit and the migrations check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/bandit -q -c pyproject.toml -r readiness inspections casework
	DEBUG=true $(BIN)/python manage.py makemigrations --check --dry-run

.PHONY: audit
audit: $(STAMP) ## pip-audit of the installed, pinned set (says NOT AUDITED when no vulnerability service answers)
	$(BIN)/python scripts/pip_audit.py $(AUDIT_ARGS)

.PHONY: fmt
fmt: $(STAMP) ## Format and auto-fix the code
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

.PHONY: bench
bench: $(STAMP) ## Benchmarks at county scale (seed_demo --scale 10, own PostgreSQL DB): `name: value (goal)` lines, JSON in bench-results/
	$(BIN)/python bench/run.py --scale 10 --json bench-results/bench.json

.PHONY: bench-smoke
bench-smoke: $(STAMP) ## The same benchmarks at small scale in under 3 minutes (CI runs this so it cannot rot)
	$(BIN)/python bench/run.py --smoke --json bench-results/bench.json

.PHONY: worker
worker: $(STAMP) ## Run a Celery worker (needs REDIS_URL)
	$(BIN)/celery -A readiness worker -l info

.PHONY: beat
beat: $(STAMP) ## Run Celery beat with the database scheduler (needs REDIS_URL)
	$(BIN)/celery -A readiness beat -l info

.PHONY: assets
assets: ## Refresh the vendored GOV.UK Frontend 5.x from the npm registry (Arial, no crown)
	bash scripts/assets.sh

.PHONY: clean
clean: ## Remove the virtualenv, the demo database and caches
	rm -rf $(VENV) db.sqlite3 staticfiles bench-results .pytest_cache .ruff_cache
