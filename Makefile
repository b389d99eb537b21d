# The two commands of the README's quick start:
#   make build   set up, then build every audience in every format into output/
#   make test    set up (including LibreOffice, poppler-utils, qpdf and Chromium), then lint,
#                type-check and run the tests
# Both are safe to rerun: set-up steps only do what is missing.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# WeasyPrint's system libraries (Pango, HarfBuzz with hb-subset for fast font subsetting).
RUNTIME_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
# Independent clients the tests open outputs with (chromium: the `serve` page, via Playwright;
# eot-utils and eot2ttf: the fonts a deck carries, read by W3C's and libeot's tools).
TEST_PACKAGES := libreoffice-impress poppler-utils qpdf chromium eot-utils eot2ttf

.PHONY: build test setup setup-test system-runtime system-test bytecode clean

build: setup
	$(BIN)/twinpress build

test: setup-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2 --dist loadfile

setup: system-runtime $(VENV)/.installed bytecode
setup-test: system-runtime system-test $(VENV)/.installed-test bytecode

# An editable install leaves twinpress's own modules uncompiled until their first import, and a
# shell with PYTHONDONTWRITEBYTECODE set (CI containers often have it) then compiles all of
# them on every command: ~0.1-0.2 s of each build. pip compiles a regular install's modules;
# this does the same for the checkout (only what changed since the last time).
bytecode: $(VENV)/.installed
	$(BIN)/python -m compileall -q pipeline benchmarks

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

system-runtime:
	@$(MAKE) --no-print-directory _apt PACKAGES="$(RUNTIME_PACKAGES)"

system-test:
	@$(MAKE) --no-print-directory _apt PACKAGES="$(TEST_PACKAGES)"

_apt:
	@missing=$$(for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:" $$missing; \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi

clean:
	rm -rf output .pytest_cache .hypothesis
