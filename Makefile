# dermassist: `make run` sets up and serves the app; `make test` sets up and runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export RAGAS_DO_NOT_TRACK := true
export TOKENIZERS_PARALLELISM := false

.PHONY: setup index run test test-fast bench kb-check clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

setup: $(STAMP)

index: setup
	$(BIN)/dermassist index

run: setup
	$(BIN)/dermassist index --quiet
	$(BIN)/dermassist serve

test: setup
	$(BIN)/python -m pytest -q

test-fast: setup
	$(BIN)/python -m pytest -q -m "not slow and not integration and not e2e"

bench: setup
	$(BIN)/python bench/retrieval.py

kb-check: setup
	$(BIN)/dermassist kb check

clean:
	rm -rf .dermassist .pytest_cache test-output
