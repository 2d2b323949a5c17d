# The front door. `make` lists the targets; `make demo` and `make test` are all a newcomer needs.
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules
SHELL := /bin/bash

VENV      := .venv
PY        := $(VENV)/bin/python
BIN       := $(VENV)/bin
STAMP     := $(VENV)/.installed
# The DfE 903 validator pins pandas<2 and numpy<1.25: it gets an environment of its own,
# called as a separate process (pipelines/lib/dfe903.py).
VENV903   := .venv-903
STAMP903  := $(VENV903)/.installed
UV_VERSION := 0.13.8
HOST      ?= 127.0.0.1
PORT      ?= 8050
DAGSTER_PORT ?= 3000
LA        ?= 850
SEED      ?= 42
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
# Dagster stores the events it plans at the start of a run (one per asset, check and LA:
# about 400 on Hampshire) as one batch, one transaction per file of its event log
# (pipelines/lib/event_log_storage.py), not two or three transactions per event.
export DAGSTER_EVENT_BATCH_SIZE ?= 1000
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DO_NOT_TRACK := 1

.PHONY: help install validator demo test lint fmt generate manifest materialize dev dashboard bench \
        chromium lock clean rollback docs boardpack dfe-valid

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  \033[36m%-12s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

# --compile-bytecode: the packages' bytecode is written once, here. Otherwise every process
# (each Dagster run, each dbt call, each gunicorn worker) compiles dagster, GX, pandas and dbt
# from source again wherever bytecode is not written (PYTHONDONTWRITEBYTECODE, a read-only
# install): 16 s of CPU to import them, against 7-8 s (docs/performance.md).
$(STAMP): pyproject.toml requirements.lock
	@test -x $(PY) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(PY) -c requirements.lock -e '.[dev]'
	@touch $@

install: $(STAMP) ## Create .venv (uv, exact pins) if missing or out of date

$(STAMP903): requirements-903.lock $(STAMP)
	@test -x $(VENV903)/bin/python || $(BIN)/uv venv --quiet --python python3.11 $(VENV903)
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(VENV903)/bin/python -r requirements-903.lock
	@touch $@

validator: $(STAMP903) ## Create .venv-903, the DfE 903 validator's own environment (exact pins)

lock: ## Re-resolve requirements.lock and requirements-903.lock (every transitive version)
	@test -x $(BIN)/uv || { python3 -m venv $(VENV) && $(BIN)/pip install -q uv==$(UV_VERSION); }
	$(BIN)/uv pip compile --quiet --python-version 3.11 pyproject.toml --extra dev -o requirements.lock
	$(BIN)/uv pip compile --quiet --python-version 3.11 requirements-903.in -o requirements-903.lock

$(DAGSTER_HOME)/dagster.yaml: dagster.yaml
	@mkdir -p $(DAGSTER_HOME) && cp dagster.yaml $@

# dbt's profile reads CSC_DUCKDB_PATH and has no default on purpose; parse with the same
# path the pipeline will use (pipelines/settings.py resolves CSC_DATA_DIR and friends).
# Parsed once per change of dbt_project/ (or of that path), not on every run
# (pipelines/lib/dbt_manifest.py); `make manifest FORCE=1` parses anyway.
manifest: $(STAMP) ## Parse the dbt project if it changed (Dagster needs target/manifest.json at import)
	@$(PY) -m pipelines.lib.dbt_manifest $(if $(FORCE),--force)

docs: manifest ## Regenerate docs/kpis.md and docs/data-quality.md, and the dbt docs site
	$(PY) -m pipelines.lib.kpi_docs
	$(PY) -m expectations.docs
	cd dbt_project && CSC_DUCKDB_PATH="$$(../$(PY) -c 'from pipelines.settings import get_settings; print(get_settings().warehouse_path)')" \
		../$(BIN)/dbt docs generate --quiet --profiles-dir .
	@echo "dbt docs site written to dbt_project/target/ (serve it: cd dbt_project/target && python3 -m http.server 8080)"

generate: $(STAMP) ## Generate synthetic extracts into data/landing (LA=850 SEED=42)
	$(BIN)/csc-synth --la $(LA) --seed $(SEED)

# The ingest is partitioned by LA: register every LA folder of the landing folder as a
# partition (and release runs that were killed), then materialise every asset for the range
# of all LAs in one run (docs/operations.md, "Partitions").
# One process: the partitions are registered, then `dagster asset materialize --select '*'
# --partition-range <first>...<last>` runs in the same interpreter (pipelines/defs/partitions.py).
materialize: manifest $(DAGSTER_HOME)/dagster.yaml ## Load, check, transform and publish every LA
	$(PY) -m pipelines.defs.partitions --materialize

# Demo mode (CSC_DEMO=1, set here only): served on 127.0.0.1 only, every page marked, one
# account per role with a new random password printed at each start (never in production).
demo: install validator ## Build everything on synthetic Hampshire data and serve the dashboard
	@test -d data/landing/$(LA) || $(MAKE) --no-print-directory generate
	@$(MAKE) --no-print-directory materialize
	@echo ""
	@CSC_DEMO=1 $(BIN)/csc-users demo
	@echo ""
	@echo "  Dashboard:  http://127.0.0.1:$(PORT)/  (sign in with an account above)"
	@echo "  Dagster UI: run 'make dev' in another terminal, then open http://127.0.0.1:$(DAGSTER_PORT)/"
	@echo ""
	@CSC_DEMO=1 $(MAKE) --no-print-directory dashboard HOST=127.0.0.1

# Production: sign-in needs accounts (csc-users add …) or single sign-on (docs/security.md).
# --keep-alive 5: gunicorn's default (2 s) closes idle connections while a reader is still
# on the page, and a request sent as one closes is reset (seen in the load test).
dashboard: $(STAMP) ## Serve the dashboard with gunicorn (production WSGI server; sign-in required)
	$(BIN)/gunicorn --bind $(HOST):$(PORT) --workers 2 --threads 4 --timeout 60 --keep-alive 5 \
		--access-logfile - 'dashboards.app:create_server()'

boardpack: $(STAMP) chromium ## Board pack: the scorecard and every KPI page of LA=850 as data/boardpack-<LA>.pdf
	$(PY) -m dashboards.boardpack --la $(LA) --out data/boardpack-$(LA).pdf

# The Dagster UI has no sign-in of its own: it listens on 127.0.0.1 only (whatever HOST
# says); put it behind the council's reverse proxy and SSO to reach it (docs/security.md).
dev: manifest $(DAGSTER_HOME)/dagster.yaml ## Dagster UI with schedules and sensors (http://127.0.0.1:3000)
	$(BIN)/dagster dev -w workspace.yaml -h 127.0.0.1 -p $(DAGSTER_PORT)

chromium: ## Install Debian chromium for the browser tests if it is missing
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo apt-get install -y -qq chromium; \
	  else echo "chromium is missing: install the Debian package 'chromium' (apt-get install chromium)"; exit 1; fi; }

# Test files are spread over the cores (pytest-xdist); --dist loadfile keeps each file on
# one worker, so module fixtures (a materialised pipeline, a browser) are built once.
test: install validator chromium manifest ## Run the whole test suite, browser tests included
	$(BIN)/pytest -n auto --dist loadfile

lint: $(STAMP) ## ruff (Python) and sqlfluff (dbt SQL)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/sqlfluff lint dbt_project/models --processes 2

fmt: $(STAMP) ## Format Python and fix SQL style
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .
	$(BIN)/sqlfluff fix dbt_project/models --processes 2

dfe-valid: install validator ## Generate LA=850 (SEED) and run the DfE 903 validator on every final return
	$(PY) -m pipelines.synth.dfe_check --la $(LA) --seed $(SEED)

# LOAD=1 adds the dashboard under 25 signed-in users (locust, ~5 minutes); SCALE=national
# adds 153 LAs to the pipeline benchmark (tens of minutes).
bench: manifest ## Benchmarks (ratios measured in one run) into bench/results/ (LOAD=1: + load test; SCALE=national: + 153 LAs)
	$(PY) -m bench $(if $(LOAD),all)

rollback: $(STAMP) ## Serve the previous published snapshot again (run twice to undo)
	$(PY) -m pipelines.lib.rollback

clean: ## Remove generated data, dbt artefacts and Dagster state (keeps .venv and .venv-903)
	rm -rf data/landing data/warehouse.duckdb* data/serving dbt_project/target dbt_project/logs $(DAGSTER_HOME)
