# The shop's front door: `make dev` runs it, `make test` tests it.
SHELL := /bin/bash
.DEFAULT_GOAL := help

LOCAL        := $(CURDIR)/.local
VENV         := $(LOCAL)/venv
export DATABASE_URL ?= $(shell . localstack/database-url.sh && echo "$$DATABASE_URL")
# Lean, repeatable builds on small machines (see Cargo.toml's profiles).
export CARGO_TERM_COLOR ?= never

.PHONY: help
help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | column -t -s $$'\t'

.PHONY: dev
dev: tools ## run the whole product locally (API :8000, SQS :4566, app :3000); Ctrl-C stops it
	@localstack/dev.sh

FUZZ_VENV    := $(LOCAL)/fuzz-venv

.PHONY: dev-load
dev-load: tools ## make dev for load runs: optimised builds (bench profile), up to 4 instances per function, the AI summary on a local provider answering in 200 ms
	@# Logs at warn: every INFO line a function writes crosses cargo lambda's pipe, which under load cost
	@# it as much CPU as routing the requests.
	@DEV_PROFILE=bench DEV_CONCURRENCY=$${DEV_CONCURRENCY:-4} FAKE_PROVIDER_DELAY_MS=$${FAKE_PROVIDER_DELAY_MS:-200} \
	  RUST_LOG=$${RUST_LOG:-warn} DEV_RELOAD=0 localstack/dev.sh

.PHONY: loadtest
loadtest: ## load a running make dev / dev-load with wrk (orders, products) and pgbench; prints orders/s, products/s, p99, TPS
	@localstack/loadtest/run.sh

.PHONY: tools
tools: $(VENV)/.installed $(FUZZ_VENV)/.installed ## install cargo-lambda, moto and schemathesis into .local/

$(VENV)/.installed: localstack/requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r localstack/requirements.txt
	# cargo-lambda ships its binary; its zig dependency is only for cross builds (make package).
	$(VENV)/bin/pip install --quiet --no-deps cargo-lambda==1.9.2
	@touch $@

# The OpenAPI fuzzer has a venv of its own: its dependencies need not agree with moto's.
$(FUZZ_VENV)/.installed: localstack/fuzz-requirements.txt
	python3 -m venv $(FUZZ_VENV)
	$(FUZZ_VENV)/bin/pip install --quiet --upgrade pip
	$(FUZZ_VENV)/bin/pip install --quiet -r localstack/fuzz-requirements.txt
	@touch $@

.PHONY: test
test: lint test-rust test-frontend check-infra test-e2e ## everything CI runs: lints, unit + handler + component tests, infra checks, end-to-end

.PHONY: lint
lint: ## rustfmt and clippy, warnings are errors
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings

.PHONY: test-rust
test-rust: tools ## unit and handler tests against the real Postgres at DATABASE_URL (and moto for SQS)
	localstack/ensure-postgres.sh
	cargo test -p shared

.PHONY: test-frontend
test-frontend: ## the app's type check, build and component tests (Vitest)
	frontend/build.sh http://127.0.0.1:8000
	cd frontend && npm test

.PHONY: check-infra
check-infra: ## lint the AWS template; check its routes against Cargo.toml and /openapi.json, and the app's API types against it
	mkdir -p $(LOCAL)
	cargo run --quiet --bin shopctl -- openapi > $(LOCAL)/openapi.json
	OPENAPI_JSON=$(LOCAL)/openapi.json infra/check.sh
	# The app's frontend/src/api/types.ts is generated from the same document; stale fails here.
	cd frontend && { [ -d node_modules/openapi-typescript ] || npm ci --no-audit --no-fund --loglevel=error; } \
	  && npm run --silent check:types

.PHONY: gen-types
gen-types: ## regenerate the app's frontend/src/api/types.ts from /openapi.json (after a route's shapes change)
	mkdir -p $(LOCAL)
	cargo run --quiet --bin shopctl -- openapi > $(LOCAL)/openapi.json
	cd frontend && npm run --silent gen:types

.PHONY: bench
bench: ## measure order creation (vs pgbench), the catalogue on 100k products, the reports on 1M orders and the per-request session check; prints figures
	localstack/ensure-postgres.sh
	# Each benchmark client places hundreds of orders a minute: lift the per-customer throttle.
	ORDER_RATE_LIMIT_PER_MINUTE=1000000 cargo bench -p shared --bench orders
	cargo bench -p shared --bench catalogue
	cargo bench -p shared --bench reports
	ORDER_RATE_LIMIT_PER_MINUTE=1000000 cargo bench -p shared --bench sessions

.PHONY: bench-sqs
bench-sqs: tools ## measure the local SQS API's send and receive cost as its queue grows (moto's server vs localstack/sqs_server.py); prints figures
	$(VENV)/bin/python localstack/loadtest/sqs_depth.py

.PHONY: bench-summary
bench-summary: tools ## measure order commit -> AI summary ready latency and the consumer's messages/s; prints figures
	localstack/ensure-postgres.sh
	cargo bench -p shared --bench summary

.PHONY: bench-lambda
bench-lambda: tools ## release zips of health, products-list and orders-create (minutes: not in make test), then their size, cold start, first and warm invocations and memory on a local Lambda Runtime API; prints a table
	localstack/lambda_bench/run.sh

.PHONY: eval-summary
eval-summary: ## run the golden summary scenarios against the real provider (OPENROUTER_API_KEY, OPENROUTER_MODEL); prints a table per model
	@if [ -z "$$OPENROUTER_API_KEY" ]; then \
		echo "eval-summary: OPENROUTER_API_KEY is not set; nothing to evaluate (set it, and OPENROUTER_MODEL to compare models)."; \
	else \
		localstack/ensure-postgres.sh && \
		cargo test -p shared --test api summary_eval -- --ignored --nocapture --test-threads 1; \
	fi

.PHONY: package
package: tools ## release zips of every function for AWS Lambda, with their sizes
	$(VENV)/bin/pip install --quiet cargo-lambda==1.9.2
	infra/package.sh

.PHONY: deploy
deploy: tools ## deploy the stack and the frontend to AWS (see infra/README.md; needs AWS credentials)
	$(VENV)/bin/pip install --quiet cargo-lambda==1.9.2
	infra/deploy.sh

.PHONY: test-e2e
test-e2e: tools ## start the local stack the way `make dev` does and drive it over HTTP
	# The local SQS API answers as moto does (its patched lookups change cost, not answers).
	$(VENV)/bin/python -m unittest discover -s localstack -p test_sqs_server.py
	localstack/e2e.sh

.PHONY: redrive
redrive: ## move dead-lettered orders back to the summary queue (ORDERS_QUEUE_URL; the local stack's when unset)
	@if [ -z "$${ORDERS_QUEUE_URL:-}" ]; then \
	  export AWS_ENDPOINT_URL_SQS="$${AWS_ENDPOINT_URL_SQS:-http://127.0.0.1:$${SQS_PORT:-4566}}"; \
	  export AWS_REGION="$${AWS_REGION:-us-east-1}" AWS_ACCESS_KEY_ID="$${AWS_ACCESS_KEY_ID:-test}" AWS_SECRET_ACCESS_KEY="$${AWS_SECRET_ACCESS_KEY:-test}"; \
	  export ORDERS_QUEUE_URL="$$AWS_ENDPOINT_URL_SQS/123456789012/shop-orders"; \
	fi; \
	cargo run --quiet --bin shopctl -- redrive

.PHONY: clean
clean: ## remove build output and local tools
	cargo clean
	rm -rf $(LOCAL)
