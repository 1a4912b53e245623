# aligner: every target works on a fresh machine by itself (it creates .venv first).
VENV      ?= .venv
PY        := $(VENV)/bin/python
# The CPU wheel of torch 2.13.0 is on disk here; elsewhere set TORCH_SPEC to your own build.
TORCH_SPEC ?= torch==2.13.0
EVAL_DIR  ?= ../shared/eval
DEMO_IT   := seeds/003_0d1d48a6166cc69a.txt
DEMO_EN   := seeds/002_7a5f0831c8a7dd75.txt

.PHONY: install demo test lint eval bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet "$(TORCH_SPEC)"
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

demo: install
	$(VENV)/bin/aligner align $(DEMO_IT) $(DEMO_EN)

test: install
	$(PY) -m pytest -q

lint: install
	$(VENV)/bin/ruff check aligner tests models scripts

eval: install
	$(PY) scripts/eval.py --eval-dir $(EVAL_DIR)

bench: install
	$(PY) scripts/bench.py
	@echo "50,000 sentences a side, model-free (ntrex-dev concatenated x27):"
	$(PY) scripts/eval.py --eval-dir $(EVAL_DIR) --long 27 --long-only

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache
