# OneCheck — the two set-up commands:
#   make demo   install system packages if missing, build (release), score the bundled synthetic city
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
	@mkdir -p $(OUT)
	$(BIN) score --model models/default.json --input datasets/entities.csv --output $(OUT)/scores.csv
	@echo "--- first rows of $(OUT)/scores.csv"
	@head -n 5 $(OUT)/scores.csv

test: deps
	$(SWIFT) test

bench: build
	bash Benchmarks/scripts/run-all.sh

clean:
	rm -rf .build $(OUT)
