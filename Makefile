# pantau — every set-up step lives here; CI runs the same targets (.ci/run → make test).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PY := $(BIN)/python

.PHONY: setup setup-test demo test test-all check lint types bench clean

setup: $(VENV)/.installed

# torch==2.13.0 must come first: that version is a local CPU build; any other pulls CUDA wheels.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[transformers]'
	touch $@

setup-test: $(VENV)/.installed-test

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[transformers,test]'
	touch $@

demo: setup
	$(BIN)/pantau demo

# The whole suite except tests that need an Elasticsearch server (run those with PANTAU_TEST_ES_URL set).
test: setup-test
	$(BIN)/pytest -m "not es" -p no:cacheprovider

lint: setup-test
	$(BIN)/ruff check pantau crawlers models indexes labeling api tests bench
	$(BIN)/ruff format --check pantau crawlers models indexes labeling api tests bench

types: setup-test
	$(BIN)/mypy

check: lint types test

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
