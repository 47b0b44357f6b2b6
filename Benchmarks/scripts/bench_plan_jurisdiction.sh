#!/usr/bin/env bash
# `plan --workspace W --jurisdiction J` on a shared workspace (issue 18 §3): a city of N entities in 10
# jurisdictions imported into a private PostgreSQL cluster and into SQLite, then J03 planned from each by
# `farm-bench --vs`, this binary (A) against an older one (B, e.g. a build before the change), alternating.
#   bash Benchmarks/scripts/bench_plan_jurisdiction.sh [N=1000000] [runs=3] [onecheck] [older onecheck]
# Prints farm-bench's medians for each engine and compares the plans' files of A and B with cmp.
set -euo pipefail
source "$(dirname "$0")/bench-common.sh" "$@"
older=${4:?an older onecheck binary to compare with}
command -v farm-bench >/dev/null || { echo "farm-bench not found" >&2; exit 1; }
out="$root/Benchmarks/out/plan-jurisdiction-$entities"
mkdir -p "$out"
cd "$out"

cluster=$(mktemp -d "${TMPDIR:-/tmp}/onecheck-bench-pg.XXXXXX")
trap 'bash "$root/scripts/postgres-cluster.sh" stop "$cluster"' EXIT INT TERM
eval "$(bash "$root/scripts/postgres-cluster.sh" start "$cluster")"
server=$ONECHECK_TEST_POSTGRES_URL
base=${server%%\?*}
# The private cluster's URL (a Unix socket, no password).
url="${base%/*}/planj?${server#*\?}"
psql "$server" -v ON_ERROR_STOP=1 -qAtc "CREATE DATABASE planj"

[ -f city/entities.csv ] || "$onecheck" generate --entities "$entities" --seed 5 --jurisdictions 10 --output city --quiet
[ -f city-scores.csv ] || "$onecheck" score --model city/default-model.json --input city/entities.csv \
  --output city-scores.csv --no-progress
rm -rf ws.onecheck* po pn so sn ./*-frame ./*-frame-*
for workspace in "$url" ws.onecheck; do
  "$older" init "$workspace" >/dev/null
  "$older" import -w "$workspace" city city --scores city-scores.csv >/dev/null
  "$older" import -w "$workspace" scores city-scores.csv --period 2026Q2 >/dev/null
done

for engine in postgres sqlite; do
  if [ "$engine" = postgres ]; then w=$url; a=pn; b=po; else w=ws.onecheck; a=sn; b=so; fi
  echo "== $engine"
  args=(plan -w "$w" --period 2026Q2 --seed lottery-1 --jurisdiction J03)
  # B is one string that farm-bench splits as a shell would: the URL quoted.
  farm-bench -n "$repeats" --warmup 0 --timeout 3600 --vs "$older ${args[*]:0:1} -w '$w' ${args[*]:3} --output $b" \
    -- "$onecheck" "${args[@]}" --output "$a" | grep -E "exit|median|wall s|cpu s|peak MiB|A/B"
  for f in plan.csv targets.csv quota-report.csv workload.csv inclusion.csv; do
    cmp -s "$a/$f" "$b/$f" && echo "$f: identical" || echo "$f: DIFFERS"
  done
done
