# zzgeo: two commands do all set-up on a fresh machine.
#   make run   - create .venv, install, serve the app on the bundled data
#   make test  - create .venv, install test dependencies (and Chromium/GDAL via apt when
#                missing), then run linters, type checks and the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: run test lint bench geodata samples system-deps clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.app-installed: pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[app]'
	touch $@

$(VENV)/.test-installed: pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[test]'
	touch $@ $(VENV)/.app-installed

run: $(VENV)/.app-installed
	$(BIN)/zzgeo serve

# Browser tests drive Debian's Chromium; ogrinfo checks exports with the GDAL CLI; a CJK
# font lets screenshots of the Chinese UI, maps and reports show characters instead of
# boxes; poppler-utils (pdftotext, pdffonts, pdftoppm) checks the PDFs as a reader would.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v ogrinfo >/dev/null 2>&1 || missing="$$missing gdal-bin"; \
	fc-list 2>/dev/null | grep -qi "wqy-microhei" || missing="$$missing fonts-wqy-microhei"; \
	command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing$$missing with apt"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "missing system packages:$$missing; install them with: sudo apt-get install$$missing" >&2; exit 1; \
	  fi; \
	fi

lint: $(VENV)/.test-installed
	$(BIN)/ruff check .
	$(BIN)/mypy

test: $(VENV)/.test-installed system-deps lint
	$(BIN)/pytest $(PYTEST_ARGS)

bench: $(VENV)/.test-installed
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/page_bench.py
	$(BIN)/python benchmarks/filter_bench.py
	$(BIN)/python benchmarks/validate_bench.py

# Regenerate the committed base geography and synthetic samples (byte-identical).
geodata: $(VENV)/.test-installed
	$(PIP) install -e '.[geodata]'
	$(BIN)/python geodata/build.py

samples: $(VENV)/.app-installed
	$(BIN)/python layers/build_samples.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache build dist
