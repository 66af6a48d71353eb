# tmdiag: `make demo` builds the example report; `make test` runs the whole suite.
# Both create .venv and install what they need (Graphviz, and for tests Chromium and node
# packages) on a fresh Debian/Ubuntu machine with Python 3.11.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
BIN    := $(VENV)/bin
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT    := DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get
OUT    ?= out
EXAMPLE ?= examples/checkout.tm
BENCH_ARGS ?=

FUZZ_COUNT ?= 100000
FUZZ_JOBS  ?= 2

.PHONY: demo test bench fuzz lint docs grammars setup system-deps test-deps dist vsix clean help

help:
	@echo "make demo   - set up and build the example report into $(OUT)/"
	@echo "make test   - set up and run the whole test suite (lint, types, tests)"
	@echo "make bench  - benchmarks against pytm (speed and memory); BENCH_ARGS=--quick for a short pass"
	@echo "make fuzz   - long fuzzing run: $(FUZZ_COUNT) mutated and generated models (findings in .fuzz/)"
	@echo "make lint   - ruff, mypy, and a check that generated files are current"
	@echo "make docs   - regenerate docs/rules/ and the generated tables in docs/ and dsl/SPEC.md"
	@echo "make grammars - regenerate editor grammars from grammar/tm.lark"
	@echo "make dist   - build the sdist and wheel into dist/ and check them (twine check)"
	@echo "make vsix   - package the VS Code extension (editors/vscode/tmdiag-<version>.vsix)"

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) 2>/dev/null || { rm -rf $(VENV); \
		echo "Installing python3-venv…"; $(APT) update -qq && $(APT) install -y -qq python3-venv >/dev/null \
		&& $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	@touch $@

system-deps:
	@command -v dot >/dev/null || { echo "Installing Graphviz (dot)…"; $(APT) update -qq && $(APT) install -y -qq graphviz >/dev/null; }

test-deps: system-deps
	@command -v chromium >/dev/null || { echo "Installing Chromium…"; $(APT) update -qq && $(APT) install -y -qq chromium >/dev/null; }
	@command -v node >/dev/null || { echo "Installing node…"; $(APT) update -qq && $(APT) install -y -qq nodejs npm >/dev/null; }
	@{ command -v vim >/dev/null && [ -x /usr/bin/nvim ]; } || { echo "Installing Vim and Neovim (Debian's 0.7)…"; \
		$(APT) update -qq && $(APT) install -y -qq vim neovim >/dev/null; }
	@for dir in tests/editors tests/render/js; do \
		if [ -f $$dir/package-lock.json ] && { [ ! -d $$dir/node_modules ] || [ $$dir/package-lock.json -nt $$dir/node_modules/.package-lock.json ]; }; then \
			(cd $$dir && npm ci --silent --no-audit --no-fund) || exit 1; fi; done
	@if [ ! -d editors/vscode/node_modules ] || [ editors/vscode/package-lock.json -nt editors/vscode/node_modules/.package-lock.json ]; then \
		(cd editors/vscode && npm ci --silent --no-audit --no-fund); fi  # again when the lock file changed

setup: $(VENV)/.installed system-deps

demo: setup
	$(BIN)/tmdiag check examples/
	$(BIN)/tmdiag report $(EXAMPLE) -o $(OUT) -q
	@echo "Report: $(OUT)/report.html  (open file://$(CURDIR)/$(OUT)/report.html in a browser)"
	@echo "        also $(OUT)/report.md, $(OUT)/dfd.svg, $(OUT)/threats.json"

lint: $(VENV)/.installed
	$(BIN)/ruff check tmdiag devtools tests bench
	$(BIN)/ruff format --check tmdiag devtools tests bench
	$(BIN)/mypy
	$(PY) -m devtools.generate all --check
	$(BIN)/lint-imports --no-cache

test: setup test-deps lint
	$(BIN)/pytest -q

bench: setup
	$(PY) bench/run.py $(BENCH_ARGS)

# The normal suite runs 2,000 inputs (tests/fuzz/test_fuzz.py); this is the long run (~40 min on 2 idle cores; `make fuzz FUZZ_COUNT=2000` for a short one).
fuzz: setup
	$(PY) -m tests.fuzz --count $(FUZZ_COUNT) --jobs $(FUZZ_JOBS) --out .fuzz

# Files derived from the code (devtools/, not shipped): `make lint` fails when one is out of date.
docs: $(VENV)/.installed
	$(PY) -m devtools.generate docs

grammars: $(VENV)/.installed
	$(PY) -m devtools.generate grammars

# An installable tmdiag: `pip install dist/tmdiag-*.whl` (tmdiag is not published on a package index).
dist: $(VENV)/.installed
	rm -rf dist
	$(PY) -m build --outdir dist .
	$(BIN)/twine check --strict dist/*

# The VS Code extension as an installable file: `code --install-extension editors/vscode/tmdiag-0.1.0.vsix`.
vsix:
	cd editors/vscode && npm ci --silent --no-audit --no-fund && npx vsce package --allow-missing-repository --skip-license

clean:
	rm -rf $(VENV) $(OUT) .bench .fuzz .pytest_cache .mypy_cache .ruff_cache dist editors/vscode/*.vsix
