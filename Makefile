# hdsr: `make run` trains the default experiment, `make test` runs every test, `make check` the fast ones.
# All install into .venv first.
SHELL := bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.install-stamp
# pip's local mirrors print a warning per package; keep the output readable.
QUIET_PIP := { grep -v 'is ignored: it is neither a file nor a directory' || true; }

.PHONY: install browser run sweep finetune test lab serve app lambda format export notebooks readme bench pretrained accuracy help

help:
	@echo "make run     install, then train the default experiment into runs/<timestamp>-default/ and print its metrics"
	@echo "make sweep   install, then run the example sweep (lr x batch_size, 6 runs) into runs/example/ and compare them (about 5 min on 2 CPU cores)"
	@echo "make finetune DATA=<labelled folder> [VALID=<folder>] [SET=steps=100,lr=0.002]  fine-tune the shipped model on your images into runs/<timestamp>-finetune/"
	@echo "make check   install, then the fast tests: unit tests, the accuracy gate, notebook cells not marked #| slow (< 2 min)"
	@echo "make test    install, then run every test (pytest: notebooks via nbdev-test, runs, project checks)"
	@echo "             slow notebook cells, servers and browsers included"
	@echo "make lab     open the notebooks in JupyterLab"
	@echo "make serve   the API on http://127.0.0.1:8000 (hdsr-serve; POST /predict, docs at /docs)"
	@echo "make app     the drawing app on http://127.0.0.1:8501 (hdsr-app, Streamlit)"
	@echo "make lambda  the Lambda handler on a recorded API Gateway event (docker/events/)"
	@echo "make format  ruff format and ruff check --fix on notebooks, tests, benchmarks and tools, then make export"
	@echo "make export  notebooks -> hdsr/ (nbdev-export), the module lists, clean them, regenerate README.md"
	@echo "make notebooks  re-run the numbered notebooks and the model card in place so their committed outputs are current (stderr dropped)"
	@echo "make bench   run the speed benchmarks in benchmarks/ and the install sizes (fresh venvs: core, serve, dev)"
	@echo "make accuracy  the shipped model vs the reference recipe on the four test sets (about 45 min on 2 CPU cores)"
	@echo "make pretrained  re-train the shipped model's recipe into runs/pretrained-<time>/ (about 45 min on 2 CPU cores)"

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -c constraints.txt -e ".[dev]" 2>&1 | $(QUIET_PIP)
	$(BIN)/python tools/check_pins.py
	@touch $(STAMP)

install: $(STAMP)

run: install
	$(BIN)/hdsr-run nbs/experiments/train.ipynb --params nbs/experiments/default.yaml --name $$(date +%Y%m%d-%H%M%S)-default

sweep: install
	$(BIN)/hdsr-sweep nbs/experiments/train.ipynb --params nbs/experiments/sweep.yaml -p lr 0.002,0.005,0.01 -p batch_size 32,64 --name example --jobs 2

finetune: install
	@test -n "$(DATA)" || { echo 'usage: make finetune DATA=<labelled folder> [VALID=<labelled folder>] [SET=steps=100,lr=0.002]'; exit 2; }
	$(BIN)/hdsr-run nbs/experiments/finetune.ipynb --params nbs/experiments/finetune.yaml \
	  --set 'data=[$(DATA)]$(if $(VALID),$(comma)valid=[$(VALID)])$(if $(SET),$(comma)$(SET))' --name $(or $(NAME),$$(date +%Y%m%d-%H%M%S)-finetune)
comma := ,

# The browser tests drive Debian's chromium through playwright (never `playwright install`).
browser:
	@test -x /usr/bin/chromium || { echo 'installing Debian chromium for the browser tests'; \
	  apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }; }

# The fast tier: no test marked slow, browser or server (pyproject.toml); notebooks without their `#| slow` cells.
.PHONY: check
check: install
	$(BIN)/python -m pytest -m 'not slow and not browser and not server'

# Everything: every marker, and every notebook cell (nbdev-test --flags slow).
test: install browser
	$(BIN)/python -m pytest --nbdev-flags slow

lab: install
	$(BIN)/jupyter lab --notebook-dir=nbs

serve: install
	$(BIN)/hdsr-serve

app: install
	$(BIN)/hdsr-app

lambda: install
	$(BIN)/python -m hdsr.serve.lambda_handler docker/events/api-gateway-v2.json

# The style gate (tests/test_style.py) checks what this writes.
format: install
	$(BIN)/ruff format nbs tests benchmarks tools
	$(BIN)/ruff check --fix nbs tests benchmarks tools
	$(MAKE) export

export: install
	$(BIN)/nbdev-export
	$(BIN)/python tools/module_index.py
	$(BIN)/nbdev-clean
	$(MAKE) readme

notebooks: install
	$(BIN)/python tools/run_notebooks.py
	$(BIN)/nbdev-clean

readme: install
	$(BIN)/jupyter nbconvert --to markdown nbs/index.ipynb --output-dir . --output README --log-level WARN

bench: install
	$(BIN)/python benchmarks/synth_throughput.py
	$(BIN)/python benchmarks/model_speed.py
	$(BIN)/python benchmarks/train_speed.py
	$(BIN)/python benchmarks/recognize_speed.py
	$(BIN)/python benchmarks/front_end.py
	$(BIN)/python benchmarks/serve_load.py
	$(BIN)/python benchmarks/install_size.py

accuracy: install
	$(BIN)/python benchmarks/accuracy.py --reference

pretrained: install
	$(BIN)/hdsr-run nbs/experiments/train.ipynb --params nbs/experiments/pretrained.yaml --name pretrained-$$(date +%Y%m%d-%H%M%S)
