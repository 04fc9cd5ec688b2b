# Two commands for everyone: `make report` builds everything from the embedded data,
# `make test` runs the tests. Both create the local environment (.venv) on first use.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The first Python >= 3.11 found on PATH (override: make report PYTHON=/path/to/python3.12).
PYTHON ?= $(shell for p in python3.13 python3.12 python3.11 python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
	&& { command -v $$p; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
KERNEL := minusma-roadmap
STAMP := $(VENV)/.installed
# Airflow's own environment, for the DAG of `python -m pipelines airflow-dag` (never mixed with .venv).
AIRFLOW_VENV := .airflow-venv
AIRFLOW_STAMP := $(AIRFLOW_VENV)/.installed

.PHONY: help env report watch template messages test quick lint lab bench kernel lock lock-runtime airflow lock-airflow clean

help:  ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

$(STAMP): requirements.lock requirements-bootstrap.txt pipelines/run/lazyimports.py
	@test -n "$(PYTHON)" || { echo "error: Python 3.11 or newer is needed on PATH (or pass PYTHON=...)"; exit 3; }
	@echo "==> creating $(VENV) with $(PYTHON)"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes --no-deps -r requirements-bootstrap.txt
	$(VENV)/bin/uv pip sync --quiet --compile-bytecode --python $(PY) --require-hashes requirements.lock
	@# the project itself is importable from the environment without a build step
	$(PY) -c 'import pathlib, site; pathlib.Path(site.getsitepackages()[0], "minusma_roadmap.pth").write_text(str(pathlib.Path.cwd()) + "\n")'
	$(PY) -m ipykernel install --prefix $(abspath $(VENV)) --name $(KERNEL) --display-name "MINUSMA roadmap (.venv)" >/dev/null
	$(PY) -m pipelines.run.lazyimports $(VENV)/share/jupyter/kernels/$(KERNEL)  # a lean start for every client
	@touch $@

env: $(STAMP)  ## create or update .venv from the lock

report: $(STAMP)  ## build data, checks and reports from data/raw
	$(PY) -m pipelines report

watch: $(STAMP)  ## serve reports/ on 127.0.0.1:8000, rebuild on each change under data/raw, reload the page
	$(PY) -m pipelines watch $(WATCH_ARGS)

template: $(STAMP)  ## write a spreadsheet per roadmap to fill in (reports/templates/<roadmap>.xlsx)
	$(PY) -m pipelines template

messages: $(STAMP)  ## update the catalogues of the reports' words (pipelines/locale/) from the keys the code uses
	$(PY) -m pipelines messages

test: lint  ## lint, type-check, then run every test (select some: make test PYTEST_ARGS='-m "not slow"')
	$(PY) -m pytest $(PYTEST_ARGS)

quick: lint  ## the inner loop: lint, types and the tests not marked slow or browser (docs/development.md)
	$(PY) -m pytest -m "not slow and not browser" $(PYTEST_ARGS)

lint: $(STAMP)  ## ruff's lint rules and format, and mypy's type check (configured in pyproject.toml)
	$(VENV)/bin/ruff check pipelines tests notebooks
	$(VENV)/bin/ruff format --check pipelines tests notebooks
	$(VENV)/bin/mypy

# As root (a container, a CI box) Jupyter refuses to start without --allow-root.
lab: $(STAMP)  ## open JupyterLab on the notebooks (more options: make lab LAB_ARGS="--no-browser --port 8890")
	$(VENV)/bin/jupyter lab notebooks $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

# With .airflow-venv (`make airflow`), the bench also runs the Airflow DAG with 1 and 2 report tasks at once.
bench: $(STAMP)  ## print speed and memory figures (more options: make bench BENCH_ARGS="--no-loop --sizes ''")
	$(PY) -m pipelines.tools.bench $(if $(wildcard $(AIRFLOW_VENV)/bin/airflow),--airflow) $(BENCH_ARGS)

kernel: $(STAMP)  ## make the notebooks' kernel visible to Jupyter tools of other environments (Airflow, a system Jupyter)
	$(PY) -m ipykernel install --user --name $(KERNEL) --display-name "MINUSMA roadmap (.venv)"
	$(PY) -m pipelines.run.lazyimports "$$($(PY) -c 'import jupyter_core.paths as p; print(p.jupyter_data_dir())')/kernels/$(KERNEL)"

# requirements.lock holds the runtime dependencies and the `dev` extra (tests, lint, types), so
# that `make test` has its tools; `make lock-runtime` prints the runtime-only set, resolved alike.
lock: $(STAMP)  ## re-resolve requirements.lock from pyproject.toml (runtime and dev extra)
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 --generate-hashes \
		-o requirements.lock

lock-runtime: $(STAMP)  ## print the runtime-only lock (no test, lint or type tools) to stdout
	@$(VENV)/bin/uv pip compile pyproject.toml --universal --python-version 3.11 --generate-hashes --quiet --no-header

$(AIRFLOW_STAMP): requirements-airflow.lock | $(STAMP)
	@echo "==> creating $(AIRFLOW_VENV) (Airflow) with $(PYTHON)"
	@test -x $(AIRFLOW_VENV)/bin/python || $(PYTHON) -m venv $(AIRFLOW_VENV)
	$(VENV)/bin/uv pip sync --quiet --compile-bytecode --python $(AIRFLOW_VENV)/bin/python --require-hashes requirements-airflow.lock
	@touch $@

airflow: $(AIRFLOW_STAMP)  ## create .airflow-venv: Airflow 3 from requirements-airflow.lock, to run the generated DAG

lock-airflow: $(STAMP)  ## re-resolve requirements-airflow.lock from requirements-airflow.in
	$(VENV)/bin/uv pip compile requirements-airflow.in --universal --python-version 3.11 --generate-hashes \
		$(if $(AIRFLOW_CONSTRAINTS),--constraint $(AIRFLOW_CONSTRAINTS)) -o requirements-airflow.lock

clean:  ## remove generated data and reports (never data/raw)
	rm -rf data/processed/* reports/* .cache
