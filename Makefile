# tzcld-qual — two commands for a fresh clone:
#   make demo   sets up .venv and runs the main job on the bundled demo corpus
#   make test   sets up .venv and runs the whole test suite (slow real-model tests included)
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO ?= build/demo.tzq

.PHONY: install demo test test-fast check lint typecheck bench clean system-deps

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# Headless Chromium renders the HTML report in one test (Debian package; root only).
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
		|| echo "chromium not installed: the browser test will be skipped"; fi

demo: install
	rm -f $(DEMO) $(DEMO)-wal $(DEMO)-shm
	$(VENV)/bin/tzcld-qual init $(DEMO) --codebook codebooks/tzcld.yaml
	$(VENV)/bin/tzcld-qual import $(DEMO) corpora/demo --attributes corpora/demo/attributes.csv
	$(VENV)/bin/tzcld-qual code $(DEMO)
	$(VENV)/bin/tzcld-qual import $(DEMO) corpora/round2 --attributes corpora/round2/attributes.csv
	$(VENV)/bin/tzcld-qual code $(DEMO) --round "vague 3"
	@echo "Demo project: $(DEMO) — next: $(VENV)/bin/tzcld-qual review $(DEMO)"

test: install system-deps
	$(PY) -m pytest -q -p no:cacheprovider -n 2

test-fast: install
	$(PY) -m pytest -q -m "not slow"

lint: install
	$(VENV)/bin/ruff check tzcld_qual tests bench corpora/build.py corpora/agreement

typecheck: install
	$(VENV)/bin/mypy tzcld_qual

check: lint typecheck test

bench: install
	$(PY) bench/coding.py --raw-share 0.25 && $(PY) bench/tui.py && $(PY) bench/chat.py && $(PY) bench/topics.py

clean:
	rm -rf build .pytest_cache
