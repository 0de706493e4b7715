# Drivkraft – the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The first Python 3.12+ found: PATH first, then pyenv's installed versions.
PYENV_VERSIONS := $(or $(PYENV_ROOT),$(HOME)/.pyenv)/versions
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 python3 python \
	$$(ls -d $(PYENV_VERSIONS)/3.*/bin/python3 2>/dev/null | sort -rV); do \
	  exe=$$(command -v $$p 2>/dev/null) || continue; \
	  "$$exe" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo "$$exe"; break; }; \
	done)

VENV := .venv
BIN := $(VENV)/bin
UV := $(or $(shell command -v uv 2>/dev/null),.tools/bin/uv)
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install run test test-fast coverage lint audit migrate demo clean check-python \
	bench bench-report serve worker check-production-env loadtest drills vnu mutation

help:
	@echo "make run    – set up, load the demo programme and serve http://$(HOST):$(PORT)/"
	@echo "make test   – set up and run the whole test suite"
	@echo "make test-fast – the suite without the browser, two-server and fuzz tests (a few minutes)"
	@echo "make coverage – the coverage table of the last test run(s); fails under the floor"
	@echo "make lint   – pre-commit hooks (ruff, django-upgrade, djhtml), mypy, import and migration checks"
	@echo "make audit  – look the locked dependencies up in PyPI's vulnerability data (network)"
	@echo "make serve  – production: migrate, collectstatic, gunicorn (needs SECRET_KEY, DATABASE_URL)"
	@echo "make worker – production: the task worker that renders the status reports"
	@echo "make bench  – load-test the public pages (gunicorn, PostgreSQL, wrk) and print a table"
	@echo "make bench-report – time the full status report PDF against a one-page document"
	@echo "make loadtest – 60 s of mixed load (locust; LOADTEST_SECONDS=…), fails on any failed request"
	@echo "make drills – fault drills: a worker killed, the database stopped, backup and restore"
	@echo "make vnu    – the Nu Html Checker on every page kind: errors and warnings per kind"
	@echo "make mutation – cosmic-ray on the rules, services, status and import (MUTATION_MODULES=…; long)"

check-python:
	@if [ -z "$(PYTHON)" ]; then \
	  echo "Fant ingen Python 3.12 eller nyere (verken på PATH eller i $(PYENV_VERSIONS))." >&2; \
	  echo "Could not find Python 3.12+; install one or run 'make PYTHON=/path/to/python3.12 ...'." >&2; \
	  exit 1; fi

.tools/bin/uv: | check-python
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check uv

# The environment is rebuilt whenever the lock file or the project file changes.
$(VENV)/.installed: uv.lock pyproject.toml | check-python $(UV)
	$(UV) sync --frozen --python "$(PYTHON)"
	@touch $@

install: $(VENV)/.installed

migrate: install
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py migrate --no-input

demo: migrate
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py load_demo

run: demo
	@echo
	@echo "  Drivkraft-portalen kjører på http://$(HOST):$(PORT)/  (Ctrl+C stopper)"
	@echo "  Logg inn: http://$(HOST):$(PORT)/logg-inn/ (Min side) – demobrukere leder, ansvarlig og styret;"
	@echo "  passordene står i $(CURDIR)/demo-brukere.txt"
	@echo
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production (docs/deploy.md): the settings come from the environment, DEBUG is always off.
check-production-env:
	@missing=""; \
	for name in SECRET_KEY DATABASE_URL ALLOWED_HOSTS; do \
	  [ -n "$${!name}" ] || missing="$$missing $$name"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Mangler miljøvariabler for produksjon:$$missing (se docs/deploy.md)." >&2; \
	  echo "Missing environment variables for production:$$missing (see docs/deploy.md)." >&2; \
	  exit 1; fi

serve: install check-production-env
	DEBUG=0 $(BIN)/python manage.py migrate --no-input
	DEBUG=0 $(BIN)/python manage.py collectstatic --no-input --verbosity 0
	DEBUG=0 HOST=$(HOST) PORT=$(PORT) exec $(BIN)/gunicorn --config gunicorn.conf.py

worker: install check-production-env
	DEBUG=0 exec $(BIN)/python manage.py db_worker --no-reload $(WORKER_ARGS)

# Under coverage.py (pyproject's [tool.coverage]: our apps, not tests, tools or migrations), which
# costs next to nothing; the figure is printed, not judged, because a subset or a machine without
# Chromium measures less. CI judges both of its passes together with `make coverage`.
test: install
	$(BIN)/coverage run -m pytest $(PYTEST_ARGS)
	@echo "Coverage of drivkraft, measures, teams and reports:" \
	  "$$($(BIN)/coverage report --format=total --fail-under=0) % of the lines"

# The coverage table of the last `make test`, or of the passes CI kept apart
# (COVERAGE_FILE=.coverage.<pass>) combined; fails under the floor (fail_under in pyproject.toml).
coverage: install
	@if compgen -G '.coverage.*' >/dev/null; then $(BIN)/coverage combine --keep --quiet; fi
	$(BIN)/coverage report

# Everything but the three slow kinds, for the edit-test loop: the browser tests (Chromium), the
# two-server test (gunicorn, PostgreSQL, Redis) and the fuzz tests (Hypothesis). `make test` and
# CI run them all.
# Spread over the machine's cores with pytest-xdist (each worker has its own test database);
# TEST_WORKERS=0 runs them in this one process.
FAST_MARKERS := not browser and not servers and not fuzz and not growth
TEST_WORKERS ?= auto

test-fast: install
	$(BIN)/pytest -m "$(FAST_MARKERS)" -n $(TEST_WORKERS) $(PYTEST_ARGS)

# Needs PostgreSQL on 127.0.0.1:5432 (user postgres); installs wrk from Debian when it is missing.
bench: install
	@command -v wrk >/dev/null 2>&1 || { \
	  echo "Installing wrk (apt-get) …"; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y wrk || \
	  { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y wrk; }; }
	$(BIN)/python -m tools.benchmarks.web $(BENCH_ARGS)

# The migration checks run with the test settings (they add django-migration-linter) on an
# in-memory database, so they need no server and touch no data.
MANAGE_DEV := DJANGO_SETTINGS_MODULE=tests.settings DATABASE_URL=sqlite:///:memory: $(BIN)/python manage.py

# The pre-commit hooks (.pre-commit-config.yaml: django-upgrade, ruff, ruff format, djhtml) on every
# tracked file, as a commit runs them on the changed ones. A hook that changes a file fails the
# run, so CI fails on code that a commit on a laptop would have rewritten; locally the rewrite is
# left in the working tree to review.
lint: install
	$(BIN)/pre-commit run --all-files --show-diff-on-failure
	$(BIN)/mypy .
	$(BIN)/lint-imports
	$(MANAGE_DEV) makemigrations --check --dry-run
	$(MANAGE_DEV) lintmigrations --quiet ok ignore --warnings-as-errors

# Every locked package, dev tools included, exactly as pinned and hashed in uv.lock. --strict
# fails when a package cannot be looked up: «could not check» is not «clean».
# pip-audit on the lock file; where PyPI's page for an exact version is out of reach, PyPI's
# project data for the latest release (tools/dependency_audit.py). Fails if anything is unchecked.
audit: install
	$(UV) export --frozen --no-emit-project --format requirements-txt \
	  | $(BIN)/python -m tools.dependency_audit

# The Nu Html Checker (tools/vnu, pinned by its package-lock.json; needs Java and npm, which
# `.ci/run` installs from Debian) on every page kind of tests/test_html_validity.py, in one JVM.
# Prints the errors and warnings per page kind; fails on any error. `make test` runs the same test.
VNU_JAR := tools/vnu/node_modules/vnu-jar/build/dist/vnu.jar

$(VNU_JAR): tools/vnu/package.json tools/vnu/package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --prefix tools/vnu
	@touch $@

vnu: install $(VNU_JAR)
	@command -v java >/dev/null 2>&1 || { \
	  echo "Java mangler / Java is missing: apt-get install default-jre-headless" >&2; exit 1; }
	@rm -f test-artifacts/vnu.txt; status=0; $(BIN)/pytest -q -p no:cacheprovider -m vnu tests/test_html_validity.py \
	  $(PYTEST_ARGS) || status=$$?; \
	if [ -f test-artifacts/vnu.txt ]; then echo; cat test-artifacts/vnu.txt; fi; exit $$status

# A benchmark, not a test: a throw-away SQLite database with the demo and 150 synthetic measures.
bench-report: install
	$(BIN)/python -m tools.benchmarks.report

# Needs PostgreSQL on 127.0.0.1:5432 (user postgres). Not in CI: it runs for a minute.
loadtest: install
	$(BIN)/python -m tools.loadtest

# Needs PostgreSQL on 127.0.0.1:5432 (user postgres); starts a throw-away cluster on port 55432.
# Name drills to run only those: make drills DRILLS=database-stopped
drills: install
	$(BIN)/python -m tools.drills $(DRILLS)

# Mutation testing (tools/mutation/README.md): not in CI; half an hour or more on a busy machine.
# Only some modules: make mutation MUTATION_MODULES="rules status"
mutation: install
	MUTATION_MODULES="$(MUTATION_MODULES)" tools/mutation/run

clean:
	rm -rf $(VENV) .tools .pytest_cache .mypy_cache .ruff_cache staticfiles .coverage .coverage.*
