# The two commands: `make run` and `make test`. Each installs what it needs first (and skips
# what is already there), so a fresh clone needs nothing else.

SHELL := /bin/bash
.DEFAULT_GOAL := help

export PATH := $(HOME)/.cargo/bin:$(CURDIR)/node_modules/.bin:$(PATH)
WASM_TARGET := wasm32-unknown-unknown

# The SPA's tools. wasm-bindgen must be exactly the version in Cargo.lock.
TRUNK_VERSION := 0.22.1
WASM_BINDGEN_VERSION := $(shell grep -A1 '^name = "wasm-bindgen"$$' Cargo.lock | sed -n 's/^version = "\(.*\)"/\1/p')
CHROMIUM := /usr/bin/chromium
CHROMEDRIVER := /usr/bin/chromedriver
# `make lint` checks licences, banned crates and sources with cargo-deny (deny.toml).
CARGO_DENY_VERSION := 0.20.2
# Trunk finds every tool locally (Trunk.toml: offline = true) and skips its update check.
export TRUNK_SKIP_VERSION_CHECK := true

# The PostgreSQL half of the test suite runs against TEST_DATABASE_URL. When it is not set and a
# server answers on the default port, use it; otherwise those tests say loudly that they skip
# (and with CI=true they fail instead).
PG_DEFAULT_URL := postgres://postgres@127.0.0.1:5432/postgres
TEST_DATABASE_URL ?= $(shell pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null && echo $(PG_DEFAULT_URL))
export TEST_DATABASE_URL

.PHONY: help run dev test test-servers lint fmt build migrate clean toolchain tools lint-tools dist test-wasm test-adversarial test-fuzz e2e browser

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

run: dist ## Build the SPA and start the app on http://127.0.0.1:8000 (SQLite ./data/app.db, dev mode)
	cargo run -p backend -- serve

# MailDev (package.json) catches every email: its inbox is on :1080, and links point at the SPA.
dev: tools ## The SPA on http://127.0.0.1:8080 (trunk serve, live reload, /api proxied) + the API, both rebuilt on change, + MailDev (inbox on http://127.0.0.1:1080)
	@command -v cargo-watch >/dev/null || cargo install cargo-watch --locked
	trap 'kill 0' EXIT; \
	maildev --ip 127.0.0.1 --web-ip 127.0.0.1 --smtp 1025 --web 1080 & \
	SMTP_URL=smtp://127.0.0.1:1025 PUBLIC_URL=http://127.0.0.1:8080 \
	  cargo watch -w backend -w shared -w migrations -x 'run -p backend -- serve' & \
	trunk serve

test: tools browser test-servers dist ## Every test: unit, API on SQLite and PostgreSQL, the SPA in headless Chromium, end to end
	@if [ -z "$$TEST_DATABASE_URL" ]; then echo "*** TEST_DATABASE_URL is not set and no PostgreSQL answers on 127.0.0.1:5432: the PostgreSQL tests will be SKIPPED ***"; fi
	cargo test --locked
	$(MAKE) --no-print-directory test-fuzz test-wasm e2e

test-adversarial: ## Attacks and faults (forged tokens, SIGKILL, database outage, ...) and the fuzz runs
	cargo test -p backend --test api --locked adversarial
	$(MAKE) --no-print-directory test-fuzz

test-fuzz: ## Fuzz every API operation from its OpenAPI document (schemathesis), SQLite and PostgreSQL
	tests/fuzz/run.sh sqlite
	@if [ -n "$$TEST_DATABASE_URL" ]; then tests/fuzz/run.sh postgres; \
	elif [ "$$CI" = true ]; then echo "CI=true and TEST_DATABASE_URL is not set: the PostgreSQL fuzz run cannot run" >&2; exit 1; \
	else echo "*** SKIPPING the PostgreSQL fuzz run: TEST_DATABASE_URL is not set ***"; fi

dist: tools ## Build the SPA for release into dist/ (size profile, wasm-opt -Oz, Tailwind)
	trunk build --release --locked

test-wasm: ## The SPA's component tests (store, forms, API client) in headless Chromium
	@if [ -x $(CHROMEDRIVER) ]; then \
	  CHROMEDRIVER=$(CHROMEDRIVER) cargo test -p frontend --target $(WASM_TARGET) --locked; \
	elif [ "$$CI" = true ]; then \
	  echo "CI=true and $(CHROMEDRIVER) is missing: the SPA browser tests cannot run" >&2; exit 1; \
	else \
	  echo "******** SKIPPING the SPA browser tests: $(CHROMEDRIVER) is missing (make browser) ********"; \
	fi

e2e: ## Browser end to end against the backend serving dist/ (run `make dist` first)
	cargo test -p e2e --locked

lint: lint-tools .venv/.installed ## rustfmt, clippy (native and wasm) with warnings as errors, cargo-deny, the OpenAPI document, the deployment files
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets --locked -- -D warnings
	cargo clippy -p frontend --target $(WASM_TARGET) --all-targets --locked -- -D warnings
	@# Licences, banned crates and sources (deny.toml); no network once the crates are downloaded.
	@# The advisory database needs the network: the CI workflow checks advisories.
	cargo deny --locked check licenses bans sources
	cargo run -q -p backend --locked -- openapi > target/openapi.json
	.venv/bin/openapi-spec-validator target/openapi.json
	$(MAKE) --no-print-directory lint-deploy

.venv/.installed: requirements-lint.txt
	python3 -m venv .venv
	.venv/bin/pip install -q -r requirements-lint.txt
	touch $@

# The deployment files, linted offline with tools from PyPI in .venv: hadolint on the Dockerfile,
# actionlint (with shellcheck) on the workflows, checkov on terraform/, docker/ and the workflows,
# and terraform/lint_hcl.py: every .tf file parsed with python-hcl2 and with checkov's own parser
# (checkov skips a file it cannot parse with a mere warning), references and pins checked.
# A linter missing from .venv is skipped with a warning; with CI=true it fails the lint.
# `terraform fmt` and `terraform validate` need terraform and the registry: ci.yml runs them.
.PHONY: lint-deploy compose-up compose-down
LINT_BIN := $(CURDIR)/.venv/bin
lint_with = if [ -e "$(1)" ]; then echo "+ $(2)"; PATH="$(LINT_BIN):$$PATH" $(2); \
  elif [ "$$CI" = true ]; then echo "*** $(1) is missing: CI=true requires every linter ***" >&2; exit 1; \
  else echo "*** $(1) is missing: SKIPPED $(2) ***" >&2; fi
WORKFLOWS := .github/workflows/ci.yml .github/workflows/deploy.yml

lint-deploy: .venv/.installed .venv/python-hcl2/.installed ## hadolint, actionlint, checkov and HCL checks of docker/, terraform/, .github/
	@$(call lint_with,.venv/bin/hadolint,hadolint docker/Dockerfile)
	@$(call lint_with,.venv/bin/actionlint,actionlint $(WORKFLOWS))
	@$(call lint_with,.venv/bin/checkov,checkov --config-file terraform/.checkov.yaml -d terraform)
	@$(call lint_with,.venv/bin/checkov,checkov --framework dockerfile --skip-download --quiet --compact -d docker)
	@$(call lint_with,.venv/bin/checkov,checkov --framework github_actions --skip-download --quiet --compact $(addprefix --file ,$(WORKFLOWS)))
	@$(call lint_with,.venv/python-hcl2/hcl2,PYTHONPATH=.venv/python-hcl2 python terraform/lint_hcl.py terraform)
	@$(call lint_with,.venv/bin/checkov,python terraform/lint_hcl.py terraform)

# python-hcl2 gets its own directory: its import name `hcl2` is also that of bc-python-hcl2, the
# fork checkov depends on, and one would overwrite the other's files in the same venv.
.venv/python-hcl2/.installed: requirements-lint-hcl.txt .venv/.installed
	rm -rf .venv/python-hcl2
	.venv/bin/pip install -q --no-deps --target .venv/python-hcl2 -r requirements-lint-hcl.txt
	touch $@

# The app on PostgreSQL 16 in Docker; settings from .env when it exists (docker/.env.example).
COMPOSE := docker compose -f docker/docker-compose.yml $(if $(wildcard .env),--env-file .env)

compose-up: ## The app on PostgreSQL 16 in Docker on http://127.0.0.1:8000 (docker/docker-compose.yml)
	$(COMPOSE) up --build

compose-down: ## Stop the compose app (ARGS=-v also deletes its database volume)
	$(COMPOSE) down $(ARGS)

fmt: ## Format the code
	cargo fmt --all

build: ## Release build of the API
	cargo build -p backend --release --locked

# Every phase is bounded (BENCH_SECONDS each, default 10; the whole run takes a few minutes).
# PostgreSQL runs too when TEST_DATABASE_URL is set (see above): fresh bench_* databases, dropped.
.PHONY: bench
bench: ## Criterion micro-benchmarks, then the release server under load (SQLite, + PostgreSQL); rewrites BENCHMARKS.md
	cargo build -p backend --release --locked
	cargo bench -p backend --bench hot_paths --locked -- --warm-up-time 1 --measurement-time 3
	cargo run -p bench --release --locked

migrate: ## Apply database migrations (DATABASE_URL, default SQLite ./data/app.db)
	cargo run -p backend -- migrate

clean: ## Remove build output and the dev database
	cargo clean
	rm -rf dist data test-artifacts

# The toolchain, rustfmt, clippy and the wasm32 target named in rust-toolchain.toml.
toolchain:
	@rustup -q toolchain install

tools: toolchain ## Install the build tools that are missing (Rust toolchain, trunk, wasm-bindgen, npm packages)
	@[ "$$(trunk --version 2>/dev/null)" = "trunk $(TRUNK_VERSION)" ] || \
	  cargo install trunk --version $(TRUNK_VERSION) --locked --ignore-rust-version
	@# No --locked: wasm-bindgen-cli's lockfile names a webpki-roots version the registry lacks.
	@[ "$$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $(WASM_BINDGEN_VERSION)" ] && \
	  command -v wasm-bindgen-test-runner >/dev/null || \
	  cargo install wasm-bindgen-cli --version =$(WASM_BINDGEN_VERSION)
	@command -v npm >/dev/null || { $(call apt_install,nodejs npm); }
	@# wasm-opt and Tailwind, pinned in package-lock.json (every platform's optional packages, so
	@# npm has nothing to add); `npm ls` fails when one is missing or differs.
	@npm ls --depth=0 >/dev/null 2>&1 || npm ci --no-audit --no-fund

# Servers the tests start that come from PyPI (requirements-test.txt): moto, the S3 endpoint of
# the file storage tests, in a venv of its own.
MOTO := .tools/moto/bin/moto_server
test-servers: $(MOTO)
$(MOTO): requirements-test.txt
	python3 -m venv .tools/moto
	.tools/moto/bin/pip install -q -r requirements-test.txt
	@touch $@

lint-tools: toolchain
	@[ "$$(cargo-deny --version 2>/dev/null)" = "cargo-deny $(CARGO_DENY_VERSION)" ] || \
	  cargo install cargo-deny --version $(CARGO_DENY_VERSION) --locked

browser: ## Install headless Chromium and chromedriver (Debian packages) for the browser tests, if missing
	@[ -x $(CHROMIUM) ] && [ -x $(CHROMEDRIVER) ] || { $(call apt_install,chromium chromium-driver); } || \
	  if [ "$$CI" = true ]; then echo "CI=true and Chromium could not be installed" >&2; exit 1; \
	  else echo "******** Chromium is not installed: the browser tests will be SKIPPED ********"; fi

# Debian packages: installed when make runs as root; otherwise the command is printed for you to
# run (make does not call sudo) and the step fails.
apt_install = if [ "$$(id -u)" = 0 ]; then \
    apt-get install -y $(1) || { apt-get update && apt-get install -y $(1); }; \
  else echo "*** Not root: install the Debian packages with   sudo apt-get install -y $(1)" >&2; false; fi
