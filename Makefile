# PyCommerce: `make run` serves the platform locally, `make test` runs every check CI runs.
# Both create .venv and install requirements/local.txt only when a requirements file changed.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.requirements-installed
REQUIREMENTS := $(wildcard requirements/*.txt)
# The admin's Quill editor and the plugins django-quill-editor names, served by us (never a
# CDN): npm installs them into .venv/npm, settings.STATICFILES_DIRS serves them at /static/vendor/.
NPM_PREFIX := $(VENV)/npm
# (One line: the Dockerfile's asset stage reads it with sed.)
VENDOR_PACKAGES := quill@1.3.7 quill-image-compress@1.2.21 @botom/quill-resize-module@2.0.0 quill-resize-module@1.2.4 @highlightjs/cdn-assets@10.1.1
VENDOR_STAMP := $(NPM_PREFIX)/.installed-$(shell echo '$(VENDOR_PACKAGES)' | cksum | cut -d' ' -f1)
PORT ?= 8000
# pytest arguments, e.g. `make test PYTEST_ARGS="-x tests/tenants"`.
PYTEST_ARGS ?= -n auto

.PHONY: help run test install lint format worker beat bench-routing bench-catalog bench-checkout vendor-assets

help:
	@echo "make run    serve http://localhost:$(PORT)/ and http://demo.localhost:$(PORT)/"
	@echo "make test   ruff, makemigrations --check and the test suite (what CI runs)"
	@echo "make worker / make beat   a Celery worker / beat against REDIS_URL"
	@echo "make bench-routing        the routing benchmark (bench/README.md)"
	@echo "make bench-catalog        the storefront and catalog API benchmark (bench/README.md)"
	@echo "make bench-checkout       checkout orders/s vs pgbench and the oversell race (bench/README.md)"

# --- the virtualenv ---------------------------------------------------------------------
$(PY):
	@python_bin=""; \
	for candidate in $${PYTHON:-} python3.13 python3.12 python3.11 python3; do \
	  if command -v "$$candidate" >/dev/null 2>&1 && "$$candidate" -c \
	      'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then \
	    python_bin="$$candidate"; break; \
	  fi; \
	done; \
	if [ -z "$$python_bin" ]; then \
	  echo "PyCommerce needs Python 3.11 or newer; none found (set PYTHON=/path/to/python3.11)." >&2; \
	  exit 1; \
	fi; \
	echo "Creating $(VENV) with $$("$$python_bin" --version)"; \
	"$$python_bin" -m venv $(VENV)

$(STAMP): $(REQUIREMENTS) | $(PY) $(VENDOR_STAMP)
	@echo "Installing requirements/local.txt into $(VENV) (requirements changed)"
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements/local.txt
	@touch $(STAMP)

install: $(STAMP)

# --- front-end assets served by us, never from a CDN (the admin's Quill editor) ----------
# See VENDOR_PACKAGES above; the stamp's name records the list, so a change re-installs.

$(VENDOR_STAMP):
	@if ! command -v npm >/dev/null 2>&1; then \
	  echo "PyCommerce needs npm (Node.js) once, to install the admin's editor assets" \
	    "($(VENDOR_PACKAGES)); install Node.js/npm (e.g. apt-get install npm) and re-run make." >&2; \
	  exit 1; \
	fi
	@echo "Installing the admin's editor assets into $(NPM_PREFIX) (npm)"
	@mkdir -p $(NPM_PREFIX)
	npm install --no-save --no-audit --no-fund --prefix $(NPM_PREFIX) $(VENDOR_PACKAGES)
	@rm -f $(NPM_PREFIX)/.installed-*
	@touch $@

vendor-assets: $(VENDOR_STAMP)

# --- make run ---------------------------------------------------------------------------
# Database: DATABASE_URL, else PostgreSQL on 127.0.0.1:5432, else an embedded one in .data/.
# Redis: REDIS_URL, else 127.0.0.1:6379 if it answers (a Celery worker runs alongside), else
# none (in-process cache, tasks run eagerly).
run: $(STAMP)
	@export DJANGO_SETTINGS_MODULE=config.settings.local PUBLIC_PORT="$${PUBLIC_PORT:-$(PORT)}"; \
	export DATABASE_URL="$$($(PY) config/devdb.py database --name pycommerce)"; \
	export REDIS_URL="$$($(PY) config/devdb.py redis --db 0)"; \
	$(PY) manage.py migrate_schemas --noinput; \
	$(PY) manage.py seed_demo; \
	pids=(); \
	stop() { for pid in "$${pids[@]}"; do kill -TERM -- "-$$pid" 2>/dev/null || true; done; }; \
	trap stop EXIT; trap 'exit 130' INT; trap 'exit 143' TERM; \
	if [ -n "$$REDIS_URL" ]; then \
	  echo "Starting a Celery worker (Redis at $$REDIS_URL)"; \
	  setsid $(VENV)/bin/celery -A config worker --pool solo --loglevel INFO & pids+=($$!); \
	fi; \
	echo "Serving on 0.0.0.0:$(PORT): http://localhost:$(PORT)/ and http://demo.localhost:$(PORT)/"; \
	setsid $(PY) manage.py runserver 0.0.0.0:$(PORT) & pids+=($$!); \
	wait "$${pids[-1]}"

worker: $(STAMP)
	$(VENV)/bin/celery -A config worker --loglevel INFO

beat: $(STAMP)
	@mkdir -p .data
	$(VENV)/bin/celery -A config beat --loglevel INFO --schedule .data/celerybeat-schedule

# --- make test --------------------------------------------------------------------------
# Tests get a database of their own (pytest creates test_* from it): even a test that forgot
# its database fixtures can never write to the development database.
test: $(STAMP)
	@export DATABASE_URL="$$($(PY) config/devdb.py database --name pycommerce_tests --start)"; \
	export REDIS_URL="$$($(PY) config/devdb.py redis --db 15 --required)"; \
	$(MAKE) --no-print-directory chromium; \
	echo "== ruff check"; \
	$(VENV)/bin/ruff check .; \
	echo "== makemigrations --check"; \
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run; \
	echo "== pytest $(PYTEST_ARGS)"; \
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Browser tests need Debian's chromium; install it when we can (root on Debian, as in CI).
.PHONY: chromium
chromium:
	@if [ -x /usr/bin/chromium ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && [ -f /etc/debian_version ] && command -v apt-get >/dev/null; then \
	  echo "== installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
	    || echo "!! could not install chromium: the browser tests will be SKIPPED" >&2; \
	else \
	  echo "!! /usr/bin/chromium is missing (apt-get install chromium): browser tests will be SKIPPED" >&2; \
	fi

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench-routing: $(STAMP)
	$(PY) bench/routing.py

bench-catalog: $(STAMP)
	$(PY) bench/catalog.py

bench-checkout: $(STAMP)
	$(PY) bench/checkout.py
