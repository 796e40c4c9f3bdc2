# Majlis: `make run` serves the demo, `make test` runs the whole suite. Both work from a fresh clone.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000
# The address the site is served on: links that seed_demo prints and e-mails carry use it.
BASE_URL ?= $(or $(WAGTAILADMIN_BASE_URL),http://$(HOST):$(PORT))
STAMP  := $(VENV)/.installed

.PHONY: install pdf-libs browser pg-client run test migrate seed messages lock clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit("Majlis needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $(STAMP)

install: pdf-libs $(STAMP)

# The signed answers' PDF is drawn by WeasyPrint, which loads Pango (and HarfBuzz, FriBidi,
# fontconfig through it) from the system: Debian's libpango-1.0-0 and libpangoft2-1.0-0.
pdf-libs:
	@$(PYTHON) -c 'import ctypes.util as u, sys; sys.exit(not (u.find_library("pango-1.0") and u.find_library("pangoft2-1.0")))' || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's Pango libraries for the signed PDFs (WeasyPrint)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 >/dev/null; \
	  else \
	    echo "The signed PDFs need Pango: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0" >&2; exit 1; \
	  fi; }

migrate: install
	$(PY) manage.py migrate --noinput

seed: migrate
	WAGTAILADMIN_BASE_URL=$(BASE_URL) $(PY) manage.py seed_demo

run: seed
	@echo "Majlis on $(BASE_URL)/  (websockets under ws://$(HOST):$(PORT)/ws/)"
	WAGTAILADMIN_BASE_URL=$(BASE_URL) $(VENV)/bin/daphne -b $(HOST) -p $(PORT) config.asgi:application

# The accessibility tests drive Debian's Chromium (Playwright's own download is not used).
browser:
	@[ -x "$${CHROMIUM:-}" ] || command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing Debian's chromium for the accessibility tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else \
	    echo "The accessibility tests need Chromium: sudo apt-get install chromium" >&2; exit 1; \
	  fi; }

# On PostgreSQL (DATABASE_URL=postgres…), the backup tests run pg_dump, pg_restore and psql
# (all three in Debian's postgresql-client-<major>), of at least the server's major version.
pg-client: install
	@case "$${DATABASE_URL:-}" in postgres*) \
	  server=$$($(PY) -c 'import os, psycopg; from psycopg.conninfo import make_conninfo; \
	    print(psycopg.connect(make_conninfo(os.environ["DATABASE_URL"], dbname="postgres")).info.server_version // 10000)'); \
	  client=$$(pg_dump --version 2>/dev/null | sed -E 's/.*\) ([0-9]+).*/\1/'); \
	  if [ -z "$$client" ] || [ "$$client" -lt "$$server" ] || ! command -v psql >/dev/null; then \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	      echo "Installing Debian's postgresql-client-$$server for the backup tests"; \
	      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-client-$$server" >/dev/null; \
	    else \
	      echo "The backup tests need pg_dump and psql $$server or newer: sudo apt-get install postgresql-client-$$server" >&2; exit 1; \
	    fi; \
	  fi;; \
	esac

# Imports run one way (the layers contract in pyproject.toml), then the suite, on every core
# (at most 4: each worker has its own database, Redis database and Chromium; tests/conftest.py).
# PYTEST_WORKERS=0 runs it in this process.
PYTEST_WORKERS ?= auto
test: install browser pg-client
	$(VENV)/bin/lint-imports
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) --maxprocesses 4 $(PYTEST_ARGS)

# Extract UI strings into locale/*.po and compile the .mo files that are committed.
messages: install
	for l in ar fr en; do \
	  $(PY) manage.py makemessages -l $$l --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=bench --no-obsolete; \
	  $(PY) manage.py makemessages -d djangojs -l $$l --ignore=.venv --ignore=staticfiles --ignore=tests --ignore=bench --no-obsolete; \
	done
	$(PY) manage.py compilemessages --ignore=.venv

# Re-resolve the ranges in pyproject.toml and pin the result in constraints.txt.
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install --quiet --upgrade pip && .lock-venv/bin/pip install --quiet -e ".[dev]"
	{ head -n 2 constraints.txt; .lock-venv/bin/pip freeze --exclude-editable; } > constraints.txt.new
	mv constraints.txt.new constraints.txt && rm -rf .lock-venv

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache
