# Two commands for a fresh clone: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
WAREHOUSE_DB := $(or $(NBA_WAREHOUSE_DB),data/warehouse.duckdb)
SYNTHETIC := $(dir $(WAREHOUSE_DB))synthetic
DEMO_RANGE := --start 2023-07-01 --end 2026-02-21 --chunk-days 366
TEST_DB := $(or $(TMPDIR),/tmp)/nba-warehouse-make-test/warehouse.duckdb

# Server mode's demo: the same league on a scratch PostgreSQL server (scripts/local-postgres) on a local port.
SERVER_FOLDER := $(dir $(WAREHOUSE_DB))server
PG_PORT ?= 54329
LOCAL_POSTGRES = settings="$$(scripts/local-postgres start $(SERVER_FOLDER)/postgres $(PG_PORT))" && eval "$$settings"

.PHONY: install demo demo-postgres notebook report test clean

DATA_DOCS_ASSETS := pipelines/data_docs_assets

$(INSTALLED): pyproject.toml requirements.lock $(DATA_DOCS_ASSETS)/package-lock.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[dev]"
	npm ci --prefix $(DATA_DOCS_ASSETS) --ignore-scripts --silent
	touch $@

install: $(INSTALLED)

demo: install
	rm -rf $(SYNTHETIC)
	$(BIN)/nba-warehouse synth --seasons 3 --out $(SYNTHETIC) --through 2026-02-21
	NBA_WAREHOUSE_DB=$(WAREHOUSE_DB) $(BIN)/nba-warehouse backfill $(DEMO_RANGE) --replay $(SYNTHETIC)
	@echo
	@echo "Demo warehouse: $(WAREHOUSE_DB) (synthetic league, 2023-24 to 2025-26 played through 2026-02-21)"
	@echo "Look next:  $(BIN)/sqlmesh fetchdf \"select conference, conference_rank, team_abbreviation, wins, losses from marts.standings where as_of_date = '2026-02-21' and season_type = 'Regular Season' order by 1, 2\""
	@echo "            $(BIN)/sqlmesh fetchdf \"select run_id, command, status, duration_seconds from ops.pipeline_runs\""
	@echo "            $(BIN)/sqlmesh info      (models, environments and the connection)"
	@echo "            $(BIN)/sqlmesh render marts.team_ratings      (a model's SQL with its macros expanded)"
	@echo "            make notebook            (notebooks/explore.ipynb in JupyterLab)"
	@NBA_WAREHOUSE_DB=$(WAREHOUSE_DB) $(BIN)/nba-warehouse report

demo-postgres: install
	rm -rf $(SERVER_FOLDER)/synthetic
	$(BIN)/nba-warehouse synth --seasons 3 --out $(SERVER_FOLDER)/synthetic --through 2026-02-21
	$(LOCAL_POSTGRES) && NBA_WAREHOUSE_DB=$(SERVER_FOLDER)/warehouse.duckdb $(BIN)/nba-warehouse backfill $(DEMO_RANGE) --replay $(SERVER_FOLDER)/synthetic
	@echo
	@echo "Demo warehouse on PostgreSQL (port $(PG_PORT)); its files (landing archive, manifests, Data Docs) in $(SERVER_FOLDER)"
	@echo "Point a shell at it:  eval \"\$$(scripts/local-postgres start $(SERVER_FOLDER)/postgres $(PG_PORT))\"; export NBA_WAREHOUSE_DB=$(SERVER_FOLDER)/warehouse.duckdb"
	@echo "Stop the server:      scripts/local-postgres stop $(SERVER_FOLDER)/postgres"
	@$(LOCAL_POSTGRES) && NBA_WAREHOUSE_DB=$(SERVER_FOLDER)/warehouse.duckdb $(BIN)/nba-warehouse report

# Jupyter runs the kernel in notebooks/, so the warehouse path is made absolute first.
# JupyterLab refuses root unless told (containers often run as root); add e.g. JUPYTER_FLAGS=--no-browser.
JUPYTER_FLAGS ?= $(if $(filter 0,$(shell id -u)),--allow-root)
notebook: install
	NBA_WAREHOUSE_DB=$(abspath $(WAREHOUSE_DB)) $(BIN)/jupyter lab $(JUPYTER_FLAGS) notebooks/explore.ipynb

report: install
	NBA_WAREHOUSE_DB=$(WAREHOUSE_DB) $(BIN)/nba-warehouse report

# pytest starts its own scratch PostgreSQL server for the server-mode suite (tests/test_server_mode.py)
test: install
	$(BIN)/pytest
	rm -rf $(dir $(TEST_DB))
	NBA_WAREHOUSE_DB=$(TEST_DB) $(BIN)/sqlmesh test
	NBA_WAREHOUSE_DB=$(TEST_DB) $(BIN)/sqlmesh lint
	NBA_WAREHOUSE_DB=$(TEST_DB) $(BIN)/sqlmesh format --check
	rm -rf $(dir $(TEST_DB))

clean:
	-test ! -d $(SERVER_FOLDER)/postgres || scripts/local-postgres stop $(SERVER_FOLDER)/postgres
	rm -rf $(VENV) data
