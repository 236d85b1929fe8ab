# Two entry points for a fresh machine: `make handbook` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: handbook check test lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,handbook]'
	touch $(STAMP)

# Checks the plan (the build stops on errors before writing anything) and builds the site into site/.
handbook: check
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --quiet

check: $(STAMP)
	$(BIN)/bcm check plan

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

clean:
	rm -rf $(VENV) site .pytest_cache .mypy_cache .ruff_cache
