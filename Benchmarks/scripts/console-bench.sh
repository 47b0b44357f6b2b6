#!/usr/bin/env bash
# The console at city scale: a workspace holding the generated city (default 1M entities) with a drawn and
# recorded quarter, served by `onecheck serve` (release) on loopback; then
#   - each main page requested N times (curl, one at a time): median and p95 of the server's answer time;
#   - the target-list search by credit-code prefix and by name: median and p95;
#   - the public target page under load from a second process (wrk, 2 threads, 16 connections, 15 s): req/s.
# The issue's budget: every page ≤ 100 ms at p95, a search ≤ 20 ms, the public target page ≥ 500 req/s on 2 cores.
# Usage: bash Benchmarks/scripts/console-bench.sh [entities=1000000] [requests per page=200]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
entities=${1:-1000000}
requests=${2:-200}
rounds=${ROUNDS:-10}
bin=${BIN:-"$root/.build/release/onecheck"}
out="$root/Benchmarks/out/console-$entities"
port=${PORT:-18080}
mkdir -p "$out"
[ -x "$bin" ] || swift build -c release --product onecheck
command -v wrk >/dev/null || { echo "wrk is missing (scripts/install-deps.sh installs it)" >&2; exit 1; }

if [ ! -f "$out/ready" ]; then
  rm -rf "$out"/*
  echo "== building the workspace: $entities entities, a drawn and recorded 2026Q1 (once; kept in $out)"
  "$bin" generate --entities "$entities" --seed 11 --output "$out/city" --quiet
  "$bin" score --model "$out/city/default-model.json" --input "$out/city/entities.csv" --output "$out/scores.csv" --no-progress
  "$bin" init "$out/ws.sqlite"
  "$bin" import -w "$out/ws.sqlite" city "$out/city" --scores "$out/scores.csv"
  "$bin" import -w "$out/ws.sqlite" scores "$out/scores.csv" --period 2026Q1
  "$bin" plan --scores "$out/scores.csv" --entities "$out/city/entities.csv" --quotas "$out/city/quotas.csv" \
    --inspectors "$out/city/inspectors.csv" --departments "$out/city/departments.csv" --scenarios "$out/city/scenarios.csv" \
    --items "$out/city/items.csv" --caps "$out/city/caps.csv" --period 2026Q1 --seed "bench seed" --output "$out/plans/plan-2026Q1"
  "$bin" import -w "$out/ws.sqlite" draw "$out/plans/plan-2026Q1"
  "$bin" simulate --plan "$out/plans/plan-2026Q1" --entities "$out/city/entities.csv" --items "$out/city/items.csv" \
    --truth "$out/city/true-model.json" --seed 3 --output "$out/sim"
  "$bin" import -w "$out/ws.sqlite" findings "$out/sim/findings.csv"
  "$bin" import -w "$out/ws.sqlite" disposals "$out/sim/disposals.csv"
  "$bin" publish results -w "$out/ws.sqlite" --on 2026-02-27 --out "$out/disclosure.csv"
  printf '%s\n' "bench password 0123456789" | "$bin" user add -w "$out/ws.sqlite" --name bench --role planner --password-stdin
  touch "$out/ready"
fi

# With the model, as `make console` serves it: the planner's entity page computes each department head's reasons.
"$bin" serve -w "$out/ws.sqlite" --listen "127.0.0.1:$port" --plans "$out/plans" --today 2026-04-30 \
  --model "$root/models/default-reasons.json" > "$out/serve.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.2; done
base="http://127.0.0.1:$port"

# A planner's session for the planner's pages (the login form's token, then the form).
jar="$out/cookies.txt"; rm -f "$jar"
token=$(curl -s -c "$jar" "$base/login" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1)
curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$token" --data-urlencode "name=bench" \
  --data-urlencode "password=bench password 0123456789" "$base/login"

code=$(curl -s "$base/targets?period=2026Q1" | sed -n 's/.*href="\/entity\/\([0-9A-Z]\{18\}\)".*/\1/p' | head -1)
name=$(sqlite3 "$out/ws.sqlite" "SELECT name FROM entities WHERE credit_code = '$code'" 2>/dev/null || echo "")
word=$(printf '%s' "${name:-restaurant}" | awk '{print $NF}')

# time_total of `requests` sequential requests → "median p95" in ms.
measure() {
  local url=$1 cookie=${2:-}
  for _ in $(seq 1 "$requests"); do
    if [ -n "$cookie" ]; then curl -s -b "$jar" -o /dev/null -w '%{time_total}\n' "$url"
    else curl -s -o /dev/null -w '%{time_total}\n' "$url"; fi
  done | sort -n | awk '{ a[NR] = $1 * 1000 } END { printf "%8.1f %8.1f", a[int((NR + 1) / 2)], a[int(NR * 0.95 + 0.999)] }'
}

printf '\n%-44s %8s %8s  (ms, %s requests each)\n' "page" "median" "p95" "$requests"
for path in "/" "/items" "/plans" "/targets?period=2026Q1" "/targets?period=2026Q1&after=2026Q1-5" \
            "/results?period=2026Q1" "/entity/$code"; do
  printf '%-44s %s\n' "$path" "$(measure "$base$path")"
done
for path in "/planner" "/planner/model?period=2026Q1" "/planner/entity/$code" "/planner/plans/plan-2026Q1" "/admin/audit"; do
  printf '%-44s %s\n' "$path (planner)" "$(measure "$base$path" cookie)"
done
printf '%-44s %s\n' "search: credit code prefix ${code:0:10}" "$(measure "$base/targets?period=2026Q1&q=${code:0:10}")"
printf '%-44s %s\n' "search: name word $word" "$(measure "$base/targets?period=2026Q1&q=$(printf '%s' "$word" | od -An -tx1 | tr -d ' \n' | sed 's/../%&/g')")"
printf '%-44s %s\n' "search: no match" "$(measure "$base/targets?period=2026Q1&q=zzzz-no-such")"

# The first request after a write: every write appends to the audit log, which ends the public pages' cache and
# the model page's cached figures; each round writes once (an account, through the command line) and times one
# request of each page.
printf '\n%-44s %8s %8s  (ms, %s rounds: a write, then one request each)\n' "first request after a write" "median" "p95" "$rounds"
for path in "/targets?period=2026Q1" "/results?period=2026Q1" "/planner/model?period=2026Q1"; do
  for i in $(seq 1 "$rounds"); do
    printf '%s\n' "bench password 0123456789" | "$bin" user add -w "$out/ws.sqlite" --name "w$i-$RANDOM$RANDOM" --role admin --password-stdin >/dev/null
    if [[ $path == /planner* ]]; then curl -s -b "$jar" -o /dev/null -w '%{time_total}\n' "$base$path"
    else curl -s -o /dev/null -w '%{time_total}\n' "$base$path"; fi
  done | sort -n | awk '{ a[NR] = $1 * 1000 } END { printf "%-44s %8.1f %8.1f\n", "'"$path"'", a[int((NR + 1) / 2)], a[int(NR * 0.95 + 0.999)] }'
done

echo
echo "== public target page under load: wrk -t2 -c16 -d15s (a second process on loopback)"
wrk -t2 -c16 -d15s "$base/targets?period=2026Q1" | sed -n '1,12p'
