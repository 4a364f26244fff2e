# The two commands: `make run` and `make test`. Each installs what it needs first (and skips
# what is already there), so a fresh clone needs nothing else.

SHELL := /bin/bash
.DEFAULT_GOAL := help

export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)
WASM_TARGET := wasm32-unknown-unknown

# The PostgreSQL half of the test suite runs against TEST_DATABASE_URL. When it is not set and a
# server answers on the default port, use it; otherwise those tests say loudly that they skip
# (and with CI=true they fail instead).
PG_DEFAULT_URL := postgres://postgres@127.0.0.1:5432/postgres
TEST_DATABASE_URL ?= $(shell pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && echo $(PG_DEFAULT_URL))
export TEST_DATABASE_URL

.PHONY: help run dev test lint fmt build migrate clean tools

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

run: ## Start the API on http://127.0.0.1:8000 (SQLite ./data/app.db, dev mode)
	cargo run -p backend -- serve

dev: ## Like run, rebuilding and restarting the API when the code changes (needs cargo-watch)
	@command -v cargo-watch >/dev/null || cargo install cargo-watch --locked
	cargo watch -w backend -w shared -w migrations -x 'run -p backend -- serve'

test: tools ## Every test: unit, API on SQLite and PostgreSQL, the wasm build
	@if [ -z "$$TEST_DATABASE_URL" ]; then echo "*** TEST_DATABASE_URL is not set and no PostgreSQL answers on 127.0.0.1:5432: the PostgreSQL tests will be SKIPPED ***"; fi
	cargo test --locked
	cargo build -p frontend --target $(WASM_TARGET) --locked

lint: tools .venv/.installed ## rustfmt, clippy (native and wasm) with warnings as errors, the OpenAPI document
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets --locked -- -D warnings
	cargo clippy -p frontend --target $(WASM_TARGET) --locked -- -D warnings
	cargo run -q -p backend --locked -- openapi > target/openapi.json
	.venv/bin/openapi-spec-validator target/openapi.json

.venv/.installed: requirements-lint.txt
	python3 -m venv .venv
	.venv/bin/pip install -q -r requirements-lint.txt
	touch $@

fmt: ## Format the code
	cargo fmt --all

build: ## Release build of the API
	cargo build -p backend --release --locked

migrate: ## Apply database migrations (DATABASE_URL, default SQLite ./data/app.db)
	cargo run -p backend -- migrate

clean: ## Remove build output and the dev database
	cargo clean
	rm -rf dist data

tools: ## Install the build tools that are missing
	@rustup target list --installed | grep -qx $(WASM_TARGET) || rustup target add $(WASM_TARGET)
