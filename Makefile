# OneCheck — the two set-up commands:
#   make demo   install system packages if missing, build (release), run the whole supervision cycle on the
#               bundled synthetic city (scripts/demo-cycle.sh: score, registry, plan, findings, indicators, …)
#   make test   install system packages if missing, run the whole test suite (registry on SQLite and on a private
#               PostgreSQL cluster), then a fuzz smoke (csv, decimal and
#               model targets, FUZZ_SMOKE_SECONDS each; see RELIABILITY.md)
SWIFT ?= swift
BIN    = .build/release/onecheck
OUT   ?= out

FUZZ_SECONDS ?= 1800
FUZZ_TARGETS ?= csv decimal model manifest
# The smoke run by `make test`: 3 targets × 30 s, regressions first. The manifest target is left out: its reader is in
# Planning, whose swift-crypto takes most of a clean sanitizer build; `make fuzz` and `make fuzz-smoke` run it.
FUZZ_SMOKE_SECONDS ?= 30
FUZZ_SMOKE_TARGETS ?= csv decimal model

.PHONY: deps build demo test bench fuzz fuzz-smoke clean console test-browser bench-console

LISTEN ?= 127.0.0.1:8080

deps:
	@bash scripts/install-deps.sh

build: deps
	$(SWIFT) build -c release --product onecheck

demo: build
	bash scripts/demo-cycle.sh $(BIN) $(OUT)

# The suite runs on both registry engines: a private PostgreSQL cluster (scripts/postgres-cluster.sh: initdb in a
# temporary directory, a Unix socket there, an unprivileged owner; with --tls also a TLS-only listener on 127.0.0.1
# and a throwaway CA, for the TLS tests) lives for the run and is stopped even when a test fails.
# ONECHECK_TEST_POSTGRES_URL already set: that server is used instead, and left alone.
test: deps
	@set -e; \
	if [ -z "$$ONECHECK_TEST_POSTGRES_URL" ]; then \
	  pgdir=$$(mktemp -d "$${TMPDIR:-/tmp}/onecheck-pg.XXXXXX"); \
	  trap 'bash scripts/postgres-cluster.sh stop "$$pgdir"' EXIT INT TERM; \
	  eval "$$(bash scripts/postgres-cluster.sh start "$$pgdir" --tls)"; \
	fi; \
	$(SWIFT) test
	bash scripts/fuzz.sh $(FUZZ_SMOKE_SECONDS) $(FUZZ_SMOKE_TARGETS)

# The console on the demo workspace (run `make demo` first): public pages, and the accounts `make demo` printed.
# The planner can review and lock the plan directories in out/, and commit a frame and draw 2026Q2; the entity page
# shows each department head's reasons (models/default-reasons.json: the default model with the bundled city's
# training ranges) and the model page the 2026Q1 → 2026Q2 monitoring charts.
console: build
	@test -f $(OUT)/workspace.sqlite || { echo "no $(OUT)/workspace.sqlite: run \`make demo\` first" >&2; exit 1; }
	$(BIN) serve -w $(OUT)/workspace.sqlite --listen $(LISTEN) --plans $(OUT) --city datasets --scores $(OUT)/scores-2026Q2.csv --today 2026-04-30 \
	  --model models/default-reasons.json --monitor-baseline datasets/entities.csv --monitor-current $(OUT)/entities-2026Q2.csv

# The browser tests alone: Debian's chromium + chromium-driver + fonts-noto-cjk (installed by deps), headless;
# screenshots land in .build/console-screenshots/.
test-browser: deps
	$(SWIFT) test --filter ConsoleTests.BrowserTests

# The console at city scale (see Benchmarks/README.md): page p95, search, requests/s with wrk.
bench-console: build
	bash Benchmarks/scripts/console-bench.sh

bench: build
	bash Benchmarks/scripts/run-all.sh

# libFuzzer targets of Fuzz/ (address sanitizer): each target FUZZ_SECONDS (default 30 min), one after another.
fuzz: deps
	bash scripts/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# Build the fuzz targets and run each for 10 s (regressions first). The manifest target's build brings in
# swift-crypto with the sanitizers (most of a clean smoke's time); FUZZ_TARGETS="csv decimal model" leaves it out.
fuzz-smoke: deps
	bash scripts/fuzz.sh 10 $(FUZZ_TARGETS)

clean:
	rm -rf .build $(OUT)
