#!/usr/bin/env bash
# A plan written with manifest format v3 (π in inclusion.csv, named in the manifest by its SHA-256; algorithm
# onecheck.plan.v3+onecheck.random.v1), kept so that every later build is tested to verify it and read it as a draw
# (ManifestV3Tests, "a committed v3 plan verifies"). inputs/ is a copy of ../plan-v2/inputs (the small city of
# Tests/PlanningTests/PlanFixture.swift: 60 entities, three departments); plan-2026Q1/ was written by the first
# build of format v3 (issue 18 §1), with:
#   bash make_fixture.sh /path/to/onecheck
# Do not regenerate it with a later build: it would then no longer test that build against an earlier one.
set -euo pipefail
cd "$(dirname "$0")"
bin=${1:?usage: make_fixture.sh ONECHECK_BINARY}
rm -rf inputs plan-2026Q1
cp -r ../plan-v2/inputs inputs
"$bin" plan --scores inputs/scores.csv --entities inputs/entities.csv --quotas inputs/quotas.csv \
  --inspectors inputs/inspectors.csv --scenarios inputs/scenarios.csv --items inputs/items.csv --caps inputs/caps.csv \
  --period 2026Q1 --seed "2026-01-02 lottery 07 19 23" --reserve 5 --output plan-2026Q1
