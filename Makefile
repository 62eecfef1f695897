# Gongkai — the two commands: `make demo` (run the platform with demo data on SQLite) and
# `make test` (the whole suite). Both create/update the virtualenv first.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: venv test test-fast lint migrations-check demo pdf-deps browser-deps bench bench-deps clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "需要 Python 3.11（$(PYTHON)）"; exit 2; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

venv: $(STAMP)

# Debian's packages that PDF rendering (WeasyPrint: Pango, the Noto CJK fonts) needs.
PDF_PACKAGES := fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0
pdf-deps:
	@dpkg -s $(PDF_PACKAGES) >/dev/null 2>&1 || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    $(PDF_PACKAGES) >/dev/null; }

# Debian's Chromium (never a downloaded browser) for the browser tests.
browser-deps: pdf-deps
	@test -x /usr/bin/chromium || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    chromium >/dev/null; }

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench

# Migrations must be checked in: a model change without its migration fails the suite.
migrations-check: $(STAMP)
	GONGKAI_DEBUG=1 $(VENV)/bin/gongkai makemigrations --check --dry-run

test: $(STAMP) browser-deps lint migrations-check
	$(VENV)/bin/pytest -q -n 2 --dist loadgroup

test-fast: $(STAMP)
	$(VENV)/bin/pytest -q -m "not browser" -x

demo: $(STAMP) pdf-deps
	$(VENV)/bin/gongkai demo

bench: $(STAMP)
	$(PY) bench/audit_speed.py

# Debian's wrk, the load generator of bench/portal.py (not needed by the suite).
bench-deps:
	@command -v wrk >/dev/null 2>&1 || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache .hypothesis
