#!/usr/bin/env bash
# One jurisdiction's supervision cycle on a shared PostgreSQL workspace (issue 18 §3: the cycle's tables
# partitioned by jurisdiction, schema version 12), a binary against an older one, in a private cluster
# (scripts/postgres-cluster.sh, stopped at the end).
#   bash Benchmarks/scripts/bench_postgres_cycle.sh [entities=1000000] [repeats=3] [onecheck binary] [older binary]
#
# The city: `generate --entities N --jurisdictions 10 --seed 2026`, scored with its default model. Each binary
# imports it once into its own database (init, import city, import scores 2026Q2 — timed, one run), kept as a
# template. Then, `repeats` times, alternating which binary goes first, each binary on a fresh copy of its
# template: `plan -w --jurisdiction J03`, `import draw`, `import findings` and `import disposals` of one simulated
# outcome of that plan (the true model, seed 7; the same files for both), `publish results --on 2026-06-30` and
# `indicators`, each timed (wall seconds, peak RSS); the plan, disclosure and indicator files of the two binaries
# are compared byte for byte. Last, with the first binary only, every jurisdiction is planned from one copy and its
# draw recorded beside the others' (an older binary before schema version 11 refuses the second jurisdiction's
# draw of a period). Medians per step at the end.
set -euo pipefail
source "$(dirname "$0")/bench-common.sh" "$@"
older=${4:?an older binary to compare with}
out="$root/Benchmarks/out/postgres-cycle"
mkdir -p "$out"
command -v psql >/dev/null || { echo "psql not found (apt-get install postgresql-client)" >&2; exit 1; }

city="$out/city-$entities"
if [ ! -f "$city/entities.csv" ]; then
  "$onecheck" generate --entities "$entities" --jurisdictions 10 --seed 2026 --output "$city" --quiet
fi
scores="$city-scores.csv"
[ -f "$scores" ] || "$onecheck" score --model "$city/default-model.json" --input "$city/entities.csv" \
  --output "$scores" --no-progress > /dev/null

cluster=$(mktemp -d "${TMPDIR:-/tmp}/onecheck-bench-pg.XXXXXX")
trap 'bash "$root/scripts/postgres-cluster.sh" stop "$cluster"' EXIT INT TERM
eval "$(bash "$root/scripts/postgres-cluster.sh" start "$cluster")"
server=$ONECHECK_TEST_POSTGRES_URL
url() { local base=${server%%\?*}; echo "${base%/*}/$1?${server#*\?}"; }
sql() { psql "$server" -v ON_ERROR_STOP=1 -qAtc "$1"; }
seed="2026Q2 public seed: bench"
times="$out/times.txt"
: > "$times"

# `timed LABEL command…`: one line `LABEL seconds KB` in $times; a failure stops the script.
timed() {
  local label=$1; shift
  /usr/bin/time -f "$label %e %M" -a -o "$times" "$@" > /dev/null
}

binary() { if [ "$1" = new ]; then echo "$onecheck"; else echo "$older"; fi; }

for side in new old; do
  b=$(binary $side); db=${side}_base
  sql "DROP DATABASE IF EXISTS $db"; sql "CREATE DATABASE $db"
  "$b" init "$(url $db)" > /dev/null
  timed "$side import-city" "$b" import -w "$(url $db)" city "$city" --scores "$scores"
  timed "$side import-scores" "$b" import -w "$(url $db)" scores "$scores" --period 2026Q2
done

for run in $(seq 1 "$repeats"); do
  if [ $((run % 2)) = 1 ]; then order="new old"; else order="old new"; fi
  for side in $order; do
    b=$(binary $side); db=${side}_run; w=$(url $db); plan="$out/plan-$side"
    sql "DROP DATABASE IF EXISTS $db"; sql "CREATE DATABASE $db TEMPLATE ${side}_base"
    rm -rf "$plan" "$plan-frame"
    timed "$side plan" "$b" plan -w "$w" --jurisdiction J03 --period 2026Q2 --seed "$seed" --output "$plan"
    timed "$side import-draw" "$b" import -w "$w" draw "$plan"
    if [ ! -f "$out/simulated/findings.csv" ]; then
      "$onecheck" simulate --plan "$plan" --entities "$city/entities.csv" --items "$city/items.csv" \
        --truth "$city/true-model.json" --seed 7 --output "$out/simulated" > /dev/null
    fi
    timed "$side import-findings" "$b" import -w "$w" findings "$out/simulated/findings.csv"
    timed "$side import-disposals" "$b" import -w "$w" disposals "$out/simulated/disposals.csv"
    timed "$side publish" "$b" publish results -w "$w" --on 2026-06-30 --out "$out/disclosure-$side.csv"
    timed "$side indicators" "$b" indicators -w "$w" --out "$out/indicators-$side.csv"
    sql "DROP DATABASE $db"
  done
  for f in plan-new/plan.csv plan-new/targets.csv plan-new/quota-report.csv disclosure-new.csv indicators-new.csv; do
    cmp -s "$out/$f" "$out/${f//new/old}" || echo "run $run: $f differs from the older binary's" >&2
  done
done

# Every jurisdiction's draw recorded in one shared workspace (the first binary).
sql "DROP DATABASE IF EXISTS all_run"; sql "CREATE DATABASE all_run TEMPLATE new_base"
for j in $(seq -f "J%02g" 1 10); do
  rm -rf "$out/all-$j" "$out/all-$j-frame"
  timed "all $j plan" "$onecheck" plan -w "$(url all_run)" --jurisdiction "$j" --period 2026Q2 --seed "$seed" \
    --output "$out/all-$j"
  timed "all $j import-draw" "$onecheck" import -w "$(url all_run)" draw "$out/all-$j"
done
echo "plans by jurisdiction, checks by partition:"
psql "$(url all_run)" -qAtc "SELECT jurisdiction, count(*) FROM plans GROUP BY 1 ORDER BY 1" | paste -sd' '
psql "$(url all_run)" -qAtc "SELECT tableoid::regclass, count(*) FROM checks GROUP BY 1 ORDER BY 1" | paste -sd' '

echo "step: medians over $repeats runs (seconds; peak RSS MiB) — new, old, new/old"
for step in plan import-draw import-findings import-disposals publish indicators; do
  n=$(awk -v s="new $step" '$1" "$2 == s {print $3}' "$times" | median)
  o=$(awk -v s="old $step" '$1" "$2 == s {print $3}' "$times" | median)
  nm=$(awk -v s="new $step" '$1" "$2 == s {print $4}' "$times" | median)
  om=$(awk -v s="old $step" '$1" "$2 == s {print $4}' "$times" | median)
  printf '%-17s %7.2f %7.2f  %.2f   (%.0f, %.0f MiB)\n' "$step" "$n" "$o" "$(echo "$n / $o" | bc -l)" \
    "$(echo "$nm / 1024" | bc -l)" "$(echo "$om / 1024" | bc -l)"
done
grep -E "^(new|old) import-(city|scores)|^all " "$times"
