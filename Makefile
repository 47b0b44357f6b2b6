# OneCheck — the two set-up commands:
#   make demo   install system packages if missing, build (release), run the whole supervision cycle on the
#               bundled synthetic city (scripts/demo-cycle.sh: score, registry, plan, findings, indicators, …)
#   make test   install system packages if missing, run the whole test suite
SWIFT ?= swift
BIN    = .build/release/onecheck
OUT   ?= out

FUZZ_SECONDS ?= 1800

.PHONY: deps build demo test bench fuzz fuzz-smoke clean

deps:
	@bash scripts/install-deps.sh

build: deps
	$(SWIFT) build -c release --product onecheck

demo: build
	bash scripts/demo-cycle.sh $(BIN) $(OUT)

test: deps
	$(SWIFT) test

bench: build
	bash Benchmarks/scripts/run-all.sh

# libFuzzer targets of Fuzz/ (address sanitizer): each target FUZZ_SECONDS (default 30 min), one after another.
fuzz: deps
	bash scripts/fuzz.sh $(FUZZ_SECONDS)

# Build the fuzz targets and run each for 10 s (regressions first): the short run CI can afford.
fuzz-smoke: deps
	bash scripts/fuzz.sh 10

clean:
	rm -rf .build $(OUT)
