# aligner: every target works on a fresh machine by itself (it creates .venv first).
VENV      ?= .venv
PY        := $(VENV)/bin/python
# The CPU wheel of torch 2.13.0 is on disk here; elsewhere set TORCH_SPEC to your own build.
TORCH_SPEC ?= torch==2.13.0
EVAL_DIR  ?= ../shared/eval
CORPUS_DIR ?= ../shared/corpus
DEMO_IT   := seeds/003_0d1d48a6166cc69a.txt
DEMO_EN   := seeds/002_7a5f0831c8a7dd75.txt

.PHONY: install demo test lint eval bench fit lexicon dictionary clean

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
	$(VENV)/bin/mypy

eval: install
	$(PY) scripts/eval.py --eval-dir $(EVAL_DIR)
	$(PY) scripts/fit_relation.py --eval-dir $(EVAL_DIR)
	$(PY) scripts/probes_eval.py --eval-dir $(EVAL_DIR)
	$(PY) scripts/check_eval.py
	$(PY) scripts/pair_eval.py --eval-dir $(EVAL_DIR)

bench: install
	$(PY) scripts/bench_lexicon.py
	$(PY) scripts/bench_long.py --eval-dir $(EVAL_DIR)
	$(PY) scripts/bench_long.py --eval-dir $(EVAL_DIR) --sizes 5000 --semantic use
	$(PY) scripts/bench.py --eval-dir $(EVAL_DIR)
	$(PY) scripts/bench_check.py
	$(PY) scripts/bench_pair.py --eval-dir $(EVAL_DIR) --corpus $(CORPUS_DIR)

# The shipped lexicons, rebuilt byte for byte from the corpora (../shared/corpus/README.md).
lexicon: install
	$(VENV)/bin/aligner lexicon train $(CORPUS_DIR)/it-en/train.it $(CORPUS_DIR)/it-en/train.en \
	  --src-lang it --tgt-lang en -o models/lexicons/it-en.tsv.gz \
	  --source "Tatoeba eng-ita v2021-08-07 + WMT newstest2009 + newssyscomb2009" \
	  --licence "Trained on Tatoeba (tatoeba.org, CC BY 2.0 FR) and the WMT news test sets"
	$(VENV)/bin/aligner lexicon train $(CORPUS_DIR)/de-fr/train.de $(CORPUS_DIR)/de-fr/train.fr \
	  --src-lang de --tgt-lang fr -o models/lexicons/de-fr.tsv.gz \
	  --source "Tatoeba deu-fra v2021-08-07 + WMT news-test2008 + newstest2010-2013" \
	  --licence "Trained on Tatoeba (tatoeba.org, CC BY 2.0 FR) and the WMT news test sets"

# The shipped word dictionary, rebuilt byte for byte from ../shared/dictionaries (CC BY-SA 3.0).
DICT_DIR  ?= ../shared/dictionaries
dictionary: install
	$(PY) scripts/build_dictionary.py --dictionaries $(DICT_DIR)

# Every shipped weight, learnt from the dev data's even documents and written to the package's
# data files (each prints its weights and its held-out fit): the model-free scorer's weights
# (aligner/score_params.json: it-en, kept only where a paired bootstrap on the odd documents
# says the change helps; de-fr on textberg dev; the translation path with textberg dev's MT),
# the divergence decision model, the word model, the relation thresholds and the sentence
# encoder's view (aligner/semantic/params.json, kept only where it helps the odd documents).
fit: install
	$(PY) scripts/fit.py --eval-dir $(EVAL_DIR) --write learned
	$(PY) scripts/fit.py --eval-dir $(EVAL_DIR) --start learned --held-out --write learned-de-fr \
	  --train "textberg-dev first" "textberg-dev second"
	$(PY) scripts/fit.py --eval-dir $(EVAL_DIR) --mt --write translation
	$(PY) scripts/fit_divergence.py --eval-dir $(EVAL_DIR) --write
	$(PY) scripts/fit_differences.py --eval-dir $(EVAL_DIR) --write
	$(PY) scripts/fit_relation.py --eval-dir $(EVAL_DIR) --write
	$(PY) scripts/fit_semantic.py --eval-dir $(EVAL_DIR) --write
	$(PY) scripts/models_digest.py

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache
