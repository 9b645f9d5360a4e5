# The README's two commands: `make html` (build the book) and `make test` (the whole suite).
# Both create .venv and node_modules on first use, so they work on a fresh clone.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
LANGS := en ko
BUILDDIR ?= _build
# -j auto: Sphinx reads (and MyST-NB executes) the chapters in one process per core; the
# output is byte-identical to a serial build's (checked: diff -r of two clean builds).
SPHINXOPTS ?= -W --keep-going -n -q -j auto
PORT ?= 8000
# A fixed timestamp so two builds of one commit are byte-identical.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 1767225600)
export MPLBACKEND := Agg

.PHONY: setup system-deps html serve test lint bench bench-site gettext intl clean

# The optional extra 'fast' (numba) too, so the tests check its kernels bit for bit.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test,docs,fast]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(VENV)/.installed node_modules/.installed

# Everything the site is built from. When none of it is newer than the last build, `make html`
# has nothing to do (a no-op rebuild costs a timestamp comparison, not two Sphinx runs).
BOOK_INPUTS := $(shell find docs src locale -type f -not -path 'docs/generated/*' \
  -not -path '*/__pycache__/*' -not -name '*.mo' -not -name '*.pyc' 2>/dev/null) \
  conf.py Makefile pyproject.toml package-lock.json
BOOK_STAMP := $(BUILDDIR)/html/.built
# The stamp takes the time the build started, not the time it ended: an input edited while
# Sphinx runs is newer than the stamp, so the next `make html` builds again (tests/test_make.py).
BOOK_STARTED := $(BUILDDIR)/.html-started

# One site per language: _build/html/en, _build/html/ko, and a root page that picks one.
html: $(BOOK_STAMP)

$(BOOK_STAMP): $(BOOK_INPUTS) $(VENV)/.installed node_modules/.installed
	@mkdir -p $(BUILDDIR) && touch $(BOOK_STARTED)
	@set -e; for lang in $(LANGS); do \
	  echo "sphinx-build [$$lang]"; \
	  BOOK_LANG=$$lang $(BIN)/sphinx-build -b html -c . -d $(BUILDDIR)/doctrees/$$lang \
	    docs $(BUILDDIR)/html/$$lang $(SPHINXOPTS); \
	done
	$(PY) docs/_scripts/finish_site.py $(BUILDDIR)/html
	touch -r $(BOOK_STARTED) $@

serve: html
	@echo "Serving http://127.0.0.1:$(PORT)/ (Ctrl-C stops)"
	$(PY) -m http.server $(PORT) --bind 127.0.0.1 --directory $(BUILDDIR)/html

# Refresh the Korean catalogs after an English edit: then translate the new/fuzzy entries.
# The API pages generated from docstrings (docs/generated/) stay English, like the code.
# Babel's python-format flags are dropped (prose, not format strings: msgfmt -c rejects them).
# sphinx.pot (our templates' strings) is dropped: locale/ko/LC_MESSAGES/sphinx.po is the theme's
# catalog, kept by hand (tests/test_catalogs.py checks that both are covered).
gettext: setup
	rm -rf $(BUILDDIR)/gettext $(BUILDDIR)/doctrees/gettext
	BOOK_LANG=en $(BIN)/sphinx-build -b gettext -c . -d $(BUILDDIR)/doctrees/gettext docs $(BUILDDIR)/gettext -q
	rm -rf $(BUILDDIR)/gettext/generated
	rm -f $(BUILDDIR)/gettext/sphinx.pot
	$(BIN)/sphinx-intl update -p $(BUILDDIR)/gettext -d locale -l ko -w 0
	$(PY) scripts/drop_format_flags.py locale/ko/LC_MESSAGES

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# What the tests need from the machine (Node >= 20, Python's venv, a Chromium, a font for Korean):
# found, else installed with apt-get on Debian/Ubuntu, else one message naming the command.
# The logic lives in scripts/system_deps.py only (.ci/run is just `make test`).
system-deps:
	@$(PYTHON) scripts/system_deps.py

# system-deps first (it may install python3.X-venv, which creating .venv needs); setup, not only
# the venv: the browser tests inject node_modules/axe-core into the pages.
# In one process per core (pytest-xdist): the browser tests wait on Chromium, which leaves a
# core idle much of the time. Tests that share an expensive module fixture (a sweep of every
# page) are grouped onto one worker (xdist_group); the site is built once (tests/locks.py).
PYTEST_WORKERS ?= auto
test: system-deps setup lint
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup

bench: setup
	$(PY) benchmarks/bench_optimizers.py

bench-site: html
	$(PY) benchmarks/bench_site.py
	$(PY) benchmarks/bench_playground.py

clean:
	rm -rf $(BUILDDIR)
