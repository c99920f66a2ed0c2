# The two commands of the README: `make run` and `make test`. Both set everything up.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test lint start stop status load clean-db

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

# Start the managed Neo4j (unless NEO4J_URI is set), create the schema, load the data,
# serve the API and pages on http://127.0.0.1:8000.
run: setup
	$(BIN)/alliance-graph db start
	$(BIN)/alliance-graph db init
	$(BIN)/alliance-graph load territories
	$(BIN)/alliance-graph load curated
	$(BIN)/alliance-graph serve

# Run the whole test suite against a real Neo4j 5.26 (started for the session), and the
# docstring examples of the packages (pyproject.toml: --doctest-modules, testpaths).
test: setup
	$(BIN)/ruff check .
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check .

start: setup
	$(BIN)/alliance-graph db start

stop: setup
	$(BIN)/alliance-graph db stop

status: setup
	$(BIN)/alliance-graph db status
