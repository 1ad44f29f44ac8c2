# runbookgen: `make site` builds site/ from runbooks/; `make test` runs lint and every test.
# Both create .venv and install everything they need on a fresh machine.

VENV    ?= .venv
PY      := $(VENV)/bin/python
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: setup site site-offline serve test lint pytest check bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

# Build into a temporary directory and swap, so a failed build leaves the previous site/ intact.
site: setup
	rm -rf .site.tmp
	$(BIN)/mkdocs build --strict --site-dir .site.tmp
	rm -rf site && mv .site.tmp site
	@echo "site/ is ready: open site/index.html through a web server, or run 'make serve'"

serve: setup
	$(BIN)/mkdocs serve --livereload

check: setup
	$(BIN)/runbookgen check runbooks

lint: setup
	$(BIN)/ruff check generator tests bench tools
	$(BIN)/ruff format --check generator tests bench tools
	$(BIN)/mypy

pytest: setup
	$(BIN)/pytest

test: lint pytest

clean:
	rm -rf site .site.tmp .pytest_cache .mypy_cache .ruff_cache
