#!/usr/bin/env bash
# Past one machine (issue 18 §3): a province of N jurisdictions totalling E entities, each jurisdiction handled by
# its own processes as a machine of its own would — generate (only its rows: `generate --jurisdictions N
# --jurisdiction J`), score, plan (`plan --jurisdiction J`, seed derived from one public seed) and verify — P
# jurisdictions at a time. Every stage runs under /usr/bin/time -v; one line per (jurisdiction, stage) goes to
# $out/stages.tsv: wall seconds, user+system CPU seconds, peak resident memory (KiB), entities, entities/s.
# A jurisdiction's data is deleted once its plan verified (KEEP=1 keeps it); only the figures stay.
# ONLY="J07 J08" runs those jurisdictions only and appends to an existing stages.tsv (to finish or redo part of a
# run); the totals are always computed over the whole stages.tsv.
# Usage: bash Benchmarks/scripts/jurisdictions-scale.sh [N=10] [E=10000000] [P=1] [out=/tmp/jur-scale]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
count=${1:-10}
entities=${2:-10000000}
parallel=${3:-1}
out=${4:-/tmp/jur-scale}
bin=${BIN:-"$root/.build/release/onecheck"}
seed=${SEED:-"province 2026Q1 lottery 04 09 15 26 31 + 07"}
[ -x "$bin" ] || { echo "no release binary at $bin: swift build -c release --product onecheck" >&2; exit 1; }
mkdir -p "$out"
stages="$out/stages.tsv"
[ -n "${ONLY:-}" ] && [ -f "$stages" ] ||
  printf 'jurisdiction\tstage\twall_s\tcpu_s\tpeak_kib\tentities\tentities_per_s\texit\n' > "$stages"

# One stage of one jurisdiction under /usr/bin/time -v: appends its line to stages.tsv, fails on a non-zero exit.
stage() {
  local j=$1 name=$2 n=$3; shift 3
  local log="$out/$j/$name.time"
  local status=0
  /usr/bin/time -v -o "$log" "$@" > "$out/$j/$name.out" 2> "$out/$j/$name.err" || status=$?
  awk -v j="$j" -v s="$name" -v n="$n" -v rc="$status" -F': ' '
    /Elapsed \(wall clock\)/ { t = $2; k = split(t, p, ":"); wall = (k == 3) ? p[1]*3600 + p[2]*60 + p[3] : p[1]*60 + p[2] }
    /User time/ { cpu += $2 } /System time/ { cpu += $2 } /Maximum resident/ { rss = $2 }
    END { printf "%s\t%s\t%.2f\t%.2f\t%d\t%d\t%.0f\t%d\n", j, s, wall, cpu, rss, n, (wall > 0 ? n / wall : 0), rc }' \
    "$log" >> "$stages"
  [ "$status" -eq 0 ] || { echo "$j $name failed ($status): $(head -c 400 "$out/$j/$name.err")" >&2; return 1; }
}

# The four stages of jurisdiction J: its entity count is read back from what generate wrote.
one() {
  local j=$1 d="$out/$1"
  rm -rf "$d"; mkdir -p "$d"
  local share=$(( entities / count ))
  stage "$j" generate "$share" "$bin" generate --entities "$entities" --seed 18 --jurisdictions "$count" \
    --jurisdiction "$j" --output "$d/city" --quiet
  local n; n=$(( $(wc -l < "$d/city/entities.csv") - 1 ))
  rm -f "$d/city/history.csv" "$d/city/credit_events.csv"   # outcomes for fitting; planning does not read them
  stage "$j" score "$n" "$bin" score --model "$d/city/default-model.json" --input "$d/city/entities.csv" \
    --output "$d/scores.csv" --no-progress
  local inputs=(--scores "$d/scores.csv" --entities "$d/city/entities.csv" --quotas "$d/city/quotas.csv"
    --inspectors "$d/city/inspectors.csv" --departments "$d/city/departments.csv" --scenarios "$d/city/scenarios.csv"
    --items "$d/city/items.csv" --caps "$d/city/caps.csv")
  stage "$j" plan "$n" "$bin" plan "${inputs[@]}" --period 2026Q1 --seed "$seed" --jurisdiction "$j" --output "$d/plan"
  stage "$j" verify "$n" "$bin" verify --manifest "$d/plan/manifest.json" --plan "$d/plan/plan.csv"
  grep -qx identical "$d/verify.out" || { echo "$j: verify did not say identical" >&2; return 1; }
  du -sb "$d/city/entities.csv" "$d/scores.csv" "$d/plan/manifest.json" "$d/plan/plan.csv" \
    | awk -v j="$j" '{ printf "%s\t%s\t%d\n", j, $2, $1 }' >> "$out/sizes.tsv"
  head -2 "$d/plan.out" > "$d/summary.txt"
  [ "${KEEP:-0}" = 1 ] || rm -rf "$d/city" "$d/scores.csv" "$d/plan" "$d/plan-frame"
}
export -f stage one
export out bin entities count seed stages

codes=$(for k in $(seq 1 "$count"); do printf 'J%0*d\n' $(( ${#count} > 2 ? ${#count} : 2 )) "$k"; done)
[ -z "${ONLY:-}" ] || codes=$(printf '%s\n' $ONLY)
start=$(date +%s.%N)
echo "$codes" | xargs -P "$parallel" -I{} bash -c 'one {}'
end=$(date +%s.%N)
df -h "$out" | tail -1 > "$out/df.txt"

# Per stage over every line of stages.tsv: processes, median wall and CPU seconds, entities per wall second and
# per CPU second (over the sums), the largest peak resident memory; and this invocation's wall clock.
echo "this invocation: $(echo "$end - $start" | bc) s wall, $parallel at a time" | tee "$out/totals.txt"
awk -f "$root/Benchmarks/scripts/jurisdictions-totals.awk" "$stages" | tee -a "$out/totals.txt"
