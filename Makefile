# maalgraph: two commands for a fresh machine — `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint clean docs bench screenshots stress
SCALE ?= 100k
STRESS_SECONDS ?= 60
# Debian's Chromium, driven by Playwright in the web page's end-to-end tests (no browser download)
CHROMIUM := /usr/bin/chromium
# Virtuoso open source (Debian's binaries package: no service is started, no password asked),
# a second real SPARQL server for the remote-store tests
VIRTUOSO := /usr/bin/virtuoso-t
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_INSTALL := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -q
APT_UPDATE := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get update -q

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

demo: $(STAMP)
	rm -rf demo-store
	$(BIN)/maalgraph --store demo-store ingest maalgraph/corpus/*.txt
	$(BIN)/maalgraph --store demo-store stats
	$(BIN)/maalgraph --store demo-store ask "Hvilke mål er ikke opfyldt?"
	$(BIN)/maalgraph --store demo-store ask "Hvilke mål afhænger af Blå Kors?"

$(CHROMIUM):
	$(APT_INSTALL) chromium || ($(APT_UPDATE) && $(APT_INSTALL) chromium)

$(VIRTUOSO):
	$(APT_INSTALL) virtuoso-opensource-7-bin || ($(APT_UPDATE) && $(APT_INSTALL) virtuoso-opensource-7-bin)

test: $(STAMP) $(CHROMIUM) $(VIRTUOSO)
	$(BIN)/ruff check maalgraph tests benchmarks docs
	$(BIN)/ruff format --check maalgraph tests benchmarks docs
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check maalgraph tests benchmarks docs
	$(BIN)/ruff format --check maalgraph tests benchmarks docs

clean:
	rm -rf $(VENV) demo-store .pytest_cache .mypy_cache .ruff_cache dist build

docs: $(STAMP)
	COLUMNS=100 $(BIN)/python docs/generate_cli.py
	$(BIN)/maalgraph network --out docs/network.svg
	$(BIN)/maalgraph network --out docs/network-jobcentret.svg --around Jobcentret

# screenshots of every page of the web interface, for docs/web.md
screenshots: $(STAMP) $(CHROMIUM)
	$(BIN)/python docs/screenshots.py

# the scale benchmark (10k, 100k, 1M or all); writes docs/scale.md
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py --scale $(SCALE)

# the stress run: 8 clients and one attacker against maalgraph serve; prints the figures of
# docs/security.md and fails if a target is missed
stress: $(STAMP)
	$(BIN)/python benchmarks/stress.py --seconds $(STRESS_SECONDS)
