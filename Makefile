# runbookgen: `make site` builds site/ from runbooks/; `make test` runs lint and every test.
# Both create .venv and install everything they need on a fresh machine.

VENV    ?= .venv
PY      := $(VENV)/bin/python
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

# Scripts the site ships instead of fetching them from a CDN at view time (see `vendor`).
VENDOR   := build/vendor
MERMAID  := mermaid@11.17.2
IFRAME_WORKER := iframe-worker@1.0.4
VENDORED := $(VENDOR)/mermaid/mermaid.min.js $(VENDOR)/iframe-worker/shim.js
# axe-core runs in the browser tests only (tests/browser/test_axe.py): vendored beside the
# others, never copied into a site (the plugin ships only what generator/render/assets.py lists).
AXE := axe-core@4.14.1
CHROMIUM ?= /usr/bin/chromium
# Zensical, Material for MkDocs' successor, pinned, in a venv of its own (its Markdown and
# pymdown-extensions need not be ours): `make zensical`, and the tests build with it.
ZENSICAL_VERSION := 0.0.73
ZENSICAL := build/zensical-venv/bin/zensical

.PHONY: setup vendor axe browser zensical site site-offline site-zensical serve test test-fast lint pytest check bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

# mermaid and the iframe-worker shim (offline search from file://), from the npm registry into
# the git-ignored build/: the plugin copies them into the site, so no page loads from a CDN.
vendor: $(VENDORED)

$(VENDOR)/mermaid/mermaid.min.js: Makefile
	$(call npm_extract,$(MERMAID),dist/mermaid.min.js)

$(VENDOR)/iframe-worker/shim.js: Makefile
	$(call npm_extract,$(IFRAME_WORKER),shim/index.js)

axe: $(VENDOR)/axe-core/axe.min.js

$(VENDOR)/axe-core/axe.min.js: Makefile
	$(call npm_extract,$(AXE),axe.min.js)

# $(call npm_extract,PACKAGE@VERSION,FILE): FILE of the package's tarball, with its LICENSE, to $@.
define npm_extract
	@command -v npm >/dev/null || { apt-get update && apt-get install -y --no-install-recommends npm; }
	rm -rf build/npm/$(1) && mkdir -p build/npm/$(1) $(@D)
	cd build/npm/$(1) && npm pack --silent --loglevel=error $(1) >/dev/null
	tar -xzf build/npm/$(1)/*.tgz -C build/npm/$(1) package/$(2) package/LICENSE
	cp build/npm/$(1)/package/LICENSE $(@D)/LICENSE
	cp build/npm/$(1)/package/$(2) $@
	rm -rf build/npm/$(1)
endef

# Chromium for the browser tests (tests/browser/), from Debian.
browser:
	@test -x $(CHROMIUM) || { apt-get update && apt-get install -y --no-install-recommends chromium; }

zensical: $(ZENSICAL)

$(ZENSICAL): Makefile
	rm -rf build/zensical-venv
	python3 -m venv build/zensical-venv
	build/zensical-venv/bin/pip install --quiet zensical==$(ZENSICAL_VERSION)

# The same site built by Zensical instead of MkDocs (docs/zensical.md): into site-zensical/.
site-zensical: setup vendor zensical
	$(BIN)/runbookgen zensical build/zensical-project runbooks
	cd build/zensical-project && $(CURDIR)/$(ZENSICAL) build --clean
	rm -rf site-zensical && mv build/zensical-project/site site-zensical
	@echo "site-zensical/ is ready: the site as Zensical builds it"

# Build into a temporary directory and swap, so a failed build leaves the previous site/ intact.
site: setup vendor
	rm -rf .site.tmp
	$(BIN)/mkdocs build --strict --site-dir .site.tmp
	rm -rf site && mv .site.tmp site
	@echo "site/ is ready: open site/index.html through a web server, or run 'make serve'"

# The same site for reading from disk (file://), search included: Material's offline plugin.
site-offline: setup vendor
	rm -rf .site-offline.tmp
	RUNBOOKGEN_OFFLINE=true $(BIN)/mkdocs build --strict --site-dir .site-offline.tmp
	rm -rf site-offline && mv .site-offline.tmp site-offline
	@echo "site-offline/ is ready: open site-offline/index.html in a browser"

serve: setup vendor
	$(BIN)/mkdocs serve --livereload --dirty

check: setup
	$(BIN)/runbookgen check runbooks

lint: setup
	$(BIN)/ruff check generator tests bench
	$(BIN)/ruff format --check generator tests bench
	$(BIN)/mypy

pytest: setup vendor axe browser zensical
	$(BIN)/pytest

test: lint pytest

# The edit loop: lint and every test but the browser's and those that run a real MkDocs build.
test-fast: lint vendor
	$(BIN)/pytest -m "not browser and not build"

clean:
	rm -rf site .site.tmp site-offline .site-offline.tmp site-zensical build .pytest_cache .mypy_cache .ruff_cache

# `make bench N=1000`: check (cold, warm) and build N synthetic runbooks, beside plain MkDocs +
# Material on the same pages; prints a table, writes bench/results-N.json (see bench/run.py).
# BENCH_FLAGS=--no-baseline skips plain MkDocs, which takes 10+ minutes at N=3000.
N ?= 1000
bench: setup vendor
	$(PY) -m bench.run $(N) $(BENCH_FLAGS)
