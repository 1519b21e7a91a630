# The two commands of the README: `make book` and `make test`. Both create .venv on first use.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install --quiet --disable-pip-version-check
# Two install stamps: a reader who only builds the book never installs pytest, Playwright and the other test tools.
BOOK_DEPS := $(VENV)/.installed-book
TEST_DEPS := $(VENV)/.installed-test
PARAMS ?= data/params/ar2024.yml
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: book test chromium figures pdf bench clean

$(BOOK_DEPS): requirements.txt constraints.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) -r requirements.txt -c constraints.txt
	$(PIP) --no-deps --no-build-isolation -e .
	touch $@

$(TEST_DEPS): $(BOOK_DEPS) requirements-test.txt
	$(PIP) -r requirements-test.txt -c constraints.txt
	touch $@

## book: execute the notebooks with papermill and build the site into _build/html
book: $(BOOK_DEPS)
	$(PY) -m natobook build --params $(PARAMS) --jobs $(JOBS)

## chromium: the real browser the site tests drive (Debian's package; playwright's own download cannot work here)
chromium:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else echo "Chromium is missing: run 'sudo apt-get install -y chromium'"; exit 1; fi; }

## test: install the test tools, build the book (the cache key covers every installed package, so the tools
## come first), then run every test (unit, notebooks, build, real browser)
test: $(TEST_DEPS) book chromium
	$(PY) -m pytest

## bench: time cold and incremental builds against Jupyter Book executing the notebooks itself, the floor of one
## notebook (on the book just built), a 200,000-row file against its one edition, and how the notebook stage grows
## with 1x, 2x and 4x the country profiles -> bench/RESULTS.md
bench: $(TEST_DEPS) chromium book
	$(PY) bench/bench.py --jobs $(JOBS)
	$(PY) bench/floor.py
	$(PY) bench/scale.py --jobs $(JOBS)
	$(PY) bench/growth.py --jobs $(JOBS)

## figures: every figure as SVG, PNG (2x) and PDF with its CSV, into _build/figures/ (also linked from the site)
figures: book
	$(PY) -m natobook figures --output _build/figures

## pdf: the whole book as one PDF, printed by headless Chromium, into _build/pdf/book.pdf
pdf: book $(TEST_DEPS) chromium
	$(PY) -m natobook pdf --output _build/pdf/book.pdf

clean:
	rm -rf _build .natobook-cache chapters/*.ipynb chapters/figures chapters/countries _static/vega-bundle.js
