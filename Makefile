# OneCheck — the two set-up commands:
#   make demo   install system packages if missing, build (release), run the whole supervision cycle on the
#               bundled synthetic city (scripts/demo-cycle.sh: score, registry, plan, findings, indicators, …)
#   make test   install system packages if missing, run the whole test suite
SWIFT ?= swift
BIN    = .build/release/onecheck
OUT   ?= out

FUZZ_SECONDS ?= 1800
FUZZ_TARGETS ?= csv decimal model manifest

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
	bash scripts/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# Build the fuzz targets and run each for 10 s (regressions first). The manifest target's build brings in
# swift-crypto with the sanitizers (most of a clean smoke's time); FUZZ_TARGETS="csv decimal model" leaves it out.
fuzz-smoke: deps
	bash scripts/fuzz.sh 10 $(FUZZ_TARGETS)

clean:
	rm -rf .build $(OUT)
