# OneCheck — the two set-up commands:
#   make demo   install system packages if missing, build (release), run the whole supervision cycle on the
#               bundled synthetic city (scripts/demo-cycle.sh: score, registry, plan, findings, indicators, …)
#   make test   install system packages if missing, run the whole test suite
SWIFT ?= swift
BIN    = .build/release/onecheck
OUT   ?= out

.PHONY: deps build demo test bench clean

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

clean:
	rm -rf .build $(OUT)
