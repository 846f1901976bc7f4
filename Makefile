# maalgraph: two commands for a fresh machine — `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint clean docs bench screenshots stress messages
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

$(STAMP): pyproject.toml hatch_build.py | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $(STAMP)

# the message catalogue (maalgraph/i18n.py): compiled for the checkout whenever the .po changes
# (a wheel compiles it in its build hook, hatch_build.py)
PO := maalgraph/locale/da/LC_MESSAGES/maalgraph.po
MO := $(PO:.po=.mo)
$(MO): $(PO) | $(STAMP)
	$(BIN)/pybabel compile --statistics -D maalgraph -d maalgraph/locale -l da

# after changing a message in the code or the templates: extract, merge into the .po, translate
# the new entries there (msgstr), then make (tests/test_i18n.py checks nothing is left)
messages: $(STAMP)
	$(BIN)/pybabel extract -F pyproject.toml -k N_ -k _ -k ngettext:1,2 --no-wrap --sort-by-file \
		--project maalgraph --omit-header -o maalgraph/locale/maalgraph.pot .
	$(BIN)/pybabel update --no-wrap --ignore-obsolete --init-missing -D maalgraph -d maalgraph/locale -l da \
		-i maalgraph/locale/maalgraph.pot

demo: $(STAMP) $(MO)
	rm -rf demo-store
	$(BIN)/maalgraph --store demo-store ingest maalgraph/corpus/*.txt
	$(BIN)/maalgraph --store demo-store stats
	$(BIN)/maalgraph --store demo-store ask "Hvilke mål er ikke opfyldt?"
	$(BIN)/maalgraph --store demo-store ask "Hvilke mål afhænger af Blå Kors?"

$(CHROMIUM):
	$(APT_INSTALL) chromium || ($(APT_UPDATE) && $(APT_INSTALL) chromium)

$(VIRTUOSO):
	$(APT_INSTALL) virtuoso-opensource-7-bin || ($(APT_UPDATE) && $(APT_INSTALL) virtuoso-opensource-7-bin)

test: $(STAMP) $(MO) $(CHROMIUM) $(VIRTUOSO)
	$(BIN)/ruff check maalgraph tests benchmarks docs
	$(BIN)/ruff format --check maalgraph tests benchmarks docs
	$(BIN)/mypy
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check maalgraph tests benchmarks docs
	$(BIN)/ruff format --check maalgraph tests benchmarks docs

clean:
	rm -rf $(VENV) demo-store .pytest_cache .mypy_cache .ruff_cache dist build

docs: $(STAMP) $(MO)
	COLUMNS=100 $(BIN)/python docs/generate_cli.py
	$(BIN)/maalgraph network --out docs/network.svg
	$(BIN)/maalgraph network --out docs/network-jobcentret.svg --around Jobcentret

# screenshots of every page of the web interface, for docs/web.md
screenshots: $(STAMP) $(MO) $(CHROMIUM)
	$(BIN)/python docs/screenshots.py

# the scale benchmark (10k, 100k, 1M or all); writes docs/scale.md
bench: $(STAMP) $(MO)
	$(BIN)/python benchmarks/run.py --scale $(SCALE)

# the stress run: 8 clients and one attacker against maalgraph serve; prints the figures of
# docs/security.md and fails if a target is missed
stress: $(STAMP) $(MO)
	$(BIN)/python benchmarks/stress.py --seconds $(STRESS_SECONDS)
