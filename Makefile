# newstrace — set-up and checks. Two commands on a fresh machine: `make demo`, `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Third-party evaluation data (rating lists, benchmarks) live beside the checkout in
# development and CI; users point NEWSTRACE_DATA at their own folder (`newstrace data fetch`).
SHARED_DATA := $(abspath ../shared/data)
ifneq ($(wildcard $(SHARED_DATA)),)
export NEWSTRACE_DATA ?= $(SHARED_DATA)
endif
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test lint bench fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Stamps: reinstall when pyproject.toml changes.
# The demo install is what a user gets: the CLI with corpus runs and the web service
# (`newstrace serve` works after `make demo`); the dev extras add tests, Ray and benches.
$(VENV)/.core: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[corpus,service]'
	touch $@

$(VENV)/.dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[dev]'
	touch $@ $(VENV)/.core

demo: $(VENV)/.core
	$(BIN)/newstrace analyze examples/germany-russia-coalition.md \
		--json report.json --html report.html

test: $(VENV)/.dev
	bash scripts/install-browser.sh
	$(BIN)/ruff check src tests bench
	$(BIN)/python -m pytest; rc=$$?; if [ $$rc -eq 5 ]; then echo "no tests collected"; exit 1; fi; exit $$rc

lint: $(VENV)/.dev
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

# The long fuzzing campaign (coverage-guided with atheris; seeded random loop where atheris
# does not install). FUZZ_SECONDS / FUZZ_INPUTS set the budget; crashes land in tmp/fuzz.
FUZZ_SECONDS ?= 600
FUZZ_INPUTS ?= 0
fuzz: $(VENV)/.dev
	$(BIN)/pip install -q -e '.[dev,fuzz]' || echo "atheris not installable here: random engine"
	$(BIN)/python bench/fuzz_campaign.py --seconds $(FUZZ_SECONDS) --inputs $(FUZZ_INPUTS)

bench: $(VENV)/.dev
	for b in bench/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) build dist *.egg-info report.json report.html .pytest_cache
