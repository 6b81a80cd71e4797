# ecozone — one command runs the app, one runs the tests (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test install schema lock lint fmt clean

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

## run: install, migrate, sync the zones, load the catalogs and (once) demo data, serve on $(HOST):$(PORT)
run: $(STAMP)
	$(BIN)/ecozone db upgrade
	$(BIN)/ecozone tenants sync
	$(BIN)/ecozone catalogs load
	$(BIN)/ecozone demo --if-empty
	$(BIN)/ecozone serve --host $(HOST) --port $(PORT)

## test: the whole suite, on SQLite and on a throwaway PostgreSQL 15 cluster
test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## schema: export the GraphQL SDL to schema/schema.graphql (a test fails when it drifts)
schema: $(STAMP)
	$(BIN)/ecozone export-schema --output schema/schema.graphql

## lock: re-pin every dependency to what is installed now
lock: $(STAMP)
	{ echo "# Pinned versions for reproducible installs: pip install -c requirements.lock -e '.[test]'"; \
	  echo "# Regenerate with: make lock"; \
	  $(BIN)/python -m pip freeze --exclude-editable; } > requirements.lock

lint: $(STAMP)
	$(BIN)/python -m pip install --quiet ruff
	$(BIN)/ruff check platform tests

fmt: lint

clean:
	rm -rf $(VENV) var .pytest_cache
