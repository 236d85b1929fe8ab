# Two entry points for a fresh machine: `make handbook` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Scripts the handbook serves itself so it works offline: Material would fetch both from a CDN.
VENDOR := .vendor
MERMAID := 11.17.2
IFRAME_WORKER := 1.0.4
VENDORED := $(VENDOR)/$(MERMAID)-$(IFRAME_WORKER)

.PHONY: handbook check test lint vendor browser clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,handbook]'
	touch $(STAMP)

$(VENDORED):
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)
	cd $(VENDOR) && npm pack --silent mermaid@$(MERMAID) iframe-worker@$(IFRAME_WORKER) > /dev/null
	tar -xzOf $(VENDOR)/mermaid-$(MERMAID).tgz package/dist/mermaid.min.js > $(VENDOR)/mermaid.min.js
	tar -xzOf $(VENDOR)/iframe-worker-$(IFRAME_WORKER).tgz package/shim/index.js > $(VENDOR)/iframe-worker-shim.js
	rm $(VENDOR)/*.tgz
	touch $(VENDORED)

vendor: $(VENDORED)

# Debian's Chromium for the browser tests (never a browser download) and a CJK font so pages render
# Chinese; CI runs as root, so apt-get works as it is.
browser:
	command -v chromium > /dev/null && fc-list | grep -q "Noto Sans CJK" || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk > /dev/null)

# Checks the plan (the build stops on errors before writing anything) and builds the site into site/.
# Not --quiet: MkDocs's strict mode counts only the warnings it shows.
handbook: check vendor
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build

check: $(STAMP)
	$(BIN)/bcm check plan

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint vendor browser
	$(BIN)/pytest

clean:
	rm -rf $(VENV) $(VENDOR) site .pytest_cache .mypy_cache .ruff_cache
