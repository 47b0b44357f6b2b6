#!/usr/bin/env bash
# `onecheck plan` at city scale through the command line (issue 18 §1), in one run, alternating the commands:
#   score → plan → verify → import draw, `repeats` times, on one generated city (made once, in Benchmarks/out);
# each command's wall seconds and peak resident memory (GNU time -v), the medians, plan / score and
# verify / plan, and the sizes of manifest.json and inclusion.csv.
#   bash Benchmarks/scripts/bench_plan.sh [entities=1000000] [repeats=3] [onecheck binary]
# import draw needs the city in a workspace: `import city` runs once (not timed) and each repeat records the draw
# into a fresh copy of that workspace. SKIP_DRAW=1 leaves import draw out.
set -euo pipefail
source "$(dirname "$0")/bench-common.sh" "$@"
out="$root/Benchmarks/out/plan-$entities"
mkdir -p "$out"
[ -x /usr/bin/time ] || { echo "GNU time not found (apt-get install time)" >&2; exit 1; }
city="$out/city"
if [ ! -f "$city/entities.csv" ]; then
  "$onecheck" generate --entities "$entities" --seed 2026 --output "$city" --quiet
fi
inputs=(--scores "$out/scores.csv" --entities "$city/entities.csv" --quotas "$city/quotas.csv"
  --inspectors "$city/inspectors.csv" --departments "$city/departments.csv" --scenarios "$city/scenarios.csv"
  --items "$city/items.csv" --caps "$city/caps.csv")

# run NAME CMD…: runs CMD under GNU time, appends "NAME seconds peak_kB" to $out/runs.tsv.
run() {
  local name=$1; shift
  /usr/bin/time -v -o "$out/$name.time" "$@" > "$out/$name.out" 2> "$out/$name.err" \
    || { echo "$name failed: $(tail -c 400 "$out/$name.err")" >&2; exit 1; }
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s }' "$out/$name.time")
  rss=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$out/$name.time")
  printf '%s\t%s\t%s\n' "$name" "$wall" "$rss" >> "$out/runs.tsv"
  printf '%-12s %8.2f s %8.0f MB\n' "$name" "$wall" "$(echo "$rss / 1024" | bc -l)"
}

draw=${SKIP_DRAW:-0}
if [ "$draw" != 1 ] && [ ! -f "$out/city.onecheck" ]; then
  "$onecheck" score --model "$city/default-model.json" --input "$city/entities.csv" --output "$out/scores.csv" --no-progress
  rm -f "$out/city.onecheck.tmp"*
  "$onecheck" init "$out/city.onecheck.tmp" > /dev/null
  "$onecheck" import -w "$out/city.onecheck.tmp" city "$city" --scores "$out/scores.csv" > /dev/null
  mv "$out/city.onecheck.tmp" "$out/city.onecheck"
fi

: > "$out/runs.tsv"
for ((r = 1; r <= repeats; r++)); do
  echo "run $r"
  run score "$onecheck" score --model "$city/default-model.json" --input "$city/entities.csv" \
    --output "$out/scores.csv" --no-progress
  run plan "$onecheck" plan "${inputs[@]}" --period 2026Q1 --seed 2026 --output "$out/plan"
  run verify "$onecheck" verify --manifest "$out/plan/manifest.json" --plan "$out/plan/plan.csv"
  grep -qx identical "$out/verify.out" || { echo "verify did not say identical: $(cat "$out/verify.out")" >&2; exit 1; }
  if [ "$draw" != 1 ]; then
    rm -f "$out/draw.onecheck"*
    cp "$out/city.onecheck" "$out/draw.onecheck"
    run import-draw "$onecheck" import -w "$out/draw.onecheck" draw "$out/plan"
  fi
done

of() { awk -F'\t' -v n="$1" -v c="$2" '$1 == n { print $c }' "$out/runs.tsv" | median; }
echo "medians over $repeats runs, $entities entities (wall s, peak MB):"
for name in score plan verify import-draw; do
  [ -n "$(of "$name" 2)" ] || continue
  printf '  %-12s %8.2f s %8.0f MB\n' "$name" "$(of "$name" 2)" "$(echo "$(of "$name" 3) / 1024" | bc -l)"
done
printf '  plan / score %.2f, verify / plan %.2f\n' "$(echo "$(of plan 2) / $(of score 2)" | bc -l)" \
  "$(echo "$(of verify 2) / $(of plan 2)" | bc -l)"
du -b "$out/plan/manifest.json" "$out/plan/inclusion.csv" "$out/plan/plan.csv" | awk '{ printf "  %s %d bytes\n", $2, $1 }'
