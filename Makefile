# Everything a fresh machine needs: `make run` and `make test` create .venv and install on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run demo test lint typecheck unit bench screenshot clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python -m scripts.run_stack

demo: $(STAMP)
	$(BIN)/python -m scripts.demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy .

# The reliability scenarios start whole stacks of processes: two at a time, after the main suite.
test: lint typecheck
	$(BIN)/pytest --ignore=tests/reliability $(PYTEST_ARGS)
	$(BIN)/pytest tests/reliability -n 2

unit: $(STAMP)
	$(BIN)/pytest tests/unit

bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

# Web UI pictures of a completed and a compensated saga into docs/images/ (needs Debian's chromium).
screenshot: $(STAMP)
	$(BIN)/python -m scripts.screenshot

clean:
	rm -rf .data .mypy_cache .ruff_cache .pytest_cache
