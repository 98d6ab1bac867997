# ReqFlow — `make run` starts the demo, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app reqflow:create_app
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run serve-prod test install frontend migrate seed lint format typecheck test-backend test-frontend clean bench bench-ui openapi-dump api-types api-types-check

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

frontend/dist/index.html: frontend/node_modules/.installed $(shell find frontend/src frontend/index.html frontend/vite.config.ts -type f 2>/dev/null)
	cd frontend && npm run build

install: $(BIN)/.installed frontend/node_modules/.installed

frontend: frontend/dist/index.html

migrate: $(BIN)/.installed
	$(FLASK) db upgrade

seed: migrate
	$(FLASK) seed-demo
	$(FLASK) seed-demo-data

run: install frontend seed
	@echo "ReqFlow on http://$(HOST):$(PORT)  (API docs: http://$(HOST):$(PORT)/api/docs)"
	$(BIN)/python -m reqflow.serve --host $(HOST) --port $(PORT)

lint: $(BIN)/.installed
	$(BIN)/ruff check backend tests
	$(BIN)/ruff format --check backend tests

format: $(BIN)/.installed
	$(BIN)/ruff format backend tests
	$(BIN)/ruff check --fix backend tests

typecheck: $(BIN)/.installed
	$(BIN)/mypy

test-frontend: frontend/node_modules/.installed api-types-check
	cd frontend && npm run lint && npm test

test-backend: install frontend
	$(BIN)/ruff check backend tests
	$(BIN)/mypy
	$(BIN)/pytest -q

test: test-frontend test-backend

serve-prod: install frontend
	scripts/serve-prod.sh

bench: $(BIN)/.installed
	$(BIN)/python -m tests.bench.bench_scale
	$(BIN)/python -m tests.bench.bench_push
	$(BIN)/python -m tests.bench.bench_api
	$(BIN)/python -m tests.bench.bench_realtime
	$(BIN)/python -m tests.bench.bench_p2p
	$(BIN)/python -m tests.bench.bench_ratio  # needs wrk (apt-get install wrk)
	$(BIN)/python -m tests.bench.bench_load
	$(BIN)/python -m tests.bench.bench_imports

bench-ui: install frontend
	$(BIN)/pytest -q -s tests/bench/test_page_load.py

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist instance

# The OpenAPI document as JSON on stdout, with no server running.
openapi-dump: $(BIN)/.installed
	@$(FLASK) openapi-dump

# The SPA's API payload types come from the OpenAPI document: regenerate both after an API change
# (frontend/openapi.json, then frontend/src/types/openapi.d.ts) and commit them.
OPENAPI_TS ?= frontend/node_modules/.bin/openapi-typescript
api-types: $(BIN)/.installed frontend/node_modules/.installed
	$(FLASK) openapi-dump frontend/openapi.json
	$(OPENAPI_TS) frontend/openapi.json -o frontend/src/types/openapi.d.ts

# Fails when the committed document or types are stale (what CI runs through test-frontend).
api-types-check: $(BIN)/.installed frontend/node_modules/.installed
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(FLASK) openapi-dump "$$tmp/openapi.json" && \
	$(OPENAPI_TS) "$$tmp/openapi.json" -o "$$tmp/openapi.d.ts" >/dev/null && \
	{ diff -q frontend/openapi.json "$$tmp/openapi.json" && \
	  diff -q frontend/src/types/openapi.d.ts "$$tmp/openapi.d.ts"; } || \
	{ echo "frontend/openapi.json or src/types/openapi.d.ts is stale: run 'make api-types' and commit"; exit 1; }
