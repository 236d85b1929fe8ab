# Two entry points for a fresh machine: `make handbook` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Debian packages: Graphviz draws the diagrams, WeasyPrint prints the PDFs through Pango and HarfBuzz,
# the CJK font keeps Chinese from printing as empty boxes, Chromium runs the browser tests.
SYSTEM_PACKAGES := graphviz fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0

.PHONY: handbook check test lint system browser clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,handbook,engines]'
	touch $(STAMP)

# CI runs as root, so apt-get works as it is; nothing is installed when everything is there.
system:
	dpkg -s $(SYSTEM_PACKAGES) > /dev/null 2>&1 || $(call apt_install,$(SYSTEM_PACKAGES))

# Debian's Chromium, never a browser download; faketime proves the suite does not depend on the date.
TEST_PACKAGES := chromium faketime

browser: system
	dpkg -s $(TEST_PACKAGES) > /dev/null 2>&1 || $(call apt_install,$(TEST_PACKAGES))

apt_install = (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(1) > /dev/null)

# Checks the plan (the build stops on errors before writing anything) and builds the site into site/.
# Not --quiet: MkDocs's strict mode counts only the warnings it shows. ENGINE is the site builder:
# mkdocs (MkDocs 1.6 with Material, the default), properdocs or zensical.
ENGINE ?= mkdocs

handbook: check system
	$(BIN)/bcm build --engine $(ENGINE)

check: $(STAMP)
	$(BIN)/bcm check plan

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint browser
	$(BIN)/pytest

# The tool's own docs (the coordinator's guide and the API reference) into tool-site/: no plan, no hook.
.PHONY: docs
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build -f mkdocs.tool.yml

clean:
	rm -rf $(VENV) site .pytest_cache .mypy_cache .ruff_cache
