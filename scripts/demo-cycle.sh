#!/usr/bin/env bash
# The whole supervision cycle on the bundled synthetic city (datasets/), as `make demo` runs it:
#   score → init → import city → plan 2026Q1 → record the draw (and refuse a re-draw) → simulated findings and
#   disposals → publish → indicators → 2026Q2 features from the registry → score again → how grades moved →
#   monitor the model (stability and migration from 2026Q1 to 2026Q2) → credit repair (penalty records, a repair
#   refused within its minimum window, then decided) →
#   one console account per role, with a random password printed once at the end (`make console` serves it).
# Usage: bash scripts/demo-cycle.sh [onecheck binary, default .build/release/onecheck] [output dir, default out]
# Everything is written under the output directory; reruns start from a fresh workspace.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bin=${1:-.build/release/onecheck}
out=${2:-out}
city=datasets
seed="2026Q1 public seed: demo"
mkdir -p "$out"
rm -f "$out/workspace.sqlite" "$out/workspace.sqlite-wal" "$out/workspace.sqlite-shm"
rm -rf "$out/plan-2026Q1" "$out/simulated-2026Q1"
ws=(-w "$out/workspace.sqlite")
step() { printf '\n== %s\n' "$*"; }

step "1. score the city with models/default.json"
"$bin" score --model models/default.json --input "$city/entities.csv" --output "$out/scores.csv"
echo "--- first rows of $out/scores.csv"
head -n 3 "$out/scores.csv" | cut -c1-160

step "2. workspace and directory"
"$bin" init "$out/workspace.sqlite"
"$bin" import "${ws[@]}" city "$city" --scores "$out/scores.csv"
"$bin" import "${ws[@]}" scores "$out/scores.csv" --period 2026Q1

step "3. plan 2026Q1 from the published seed, record it as the draw"
"$bin" plan --scores "$out/scores.csv" --entities "$city/entities.csv" --quotas "$city/quotas.csv" \
  --inspectors "$city/inspectors.csv" --departments "$city/departments.csv" --scenarios "$city/scenarios.csv" \
  --items "$city/items.csv" --caps "$city/caps.csv" --period 2026Q1 --seed "$seed" --output "$out/plan-2026Q1"
"$bin" import "${ws[@]}" draw "$out/plan-2026Q1"
if "$bin" import "${ws[@]}" draw "$out/plan-2026Q1" 2>"$out/redraw.err"; then
  echo "error: a second draw of 2026Q1 was accepted" >&2; exit 1
fi
echo "re-draw refused: $(sed 's/^Error: //' "$out/redraw.err" | cut -c1-110)…"
echo "audit log: $("$bin" registry audit "${ws[@]}" | cut -f3 | sort | uniq -c | awk '{printf "%s %s, ", $2, $1}' | sed 's/, $//')"

step "4. simulated findings and disposals (true model, seed 7), recorded"
"$bin" simulate --plan "$out/plan-2026Q1" --entities "$city/entities.csv" --items "$city/items.csv" \
  --truth models/true-model.json --seed 7 --output "$out/simulated-2026Q1"
"$bin" import "${ws[@]}" findings "$out/simulated-2026Q1/findings.csv"
"$bin" import "${ws[@]}" disposals "$out/simulated-2026Q1/disposals.csv"

step "5. publish results month by month, and list overdue ones"
for day in 2026-01-30 2026-02-27 2026-03-31; do
  "$bin" publish results "${ws[@]}" --on "$day" --out "$out/disclosure-2026Q1.csv"
done
"$bin" publish overdue "${ws[@]}" --as-of 2026-04-30 > "$out/overdue.csv"
echo "overdue or late on 2026-04-30: $(($(wc -l < "$out/overdue.csv") - 1)) results ($out/overdue.csv)"

step "6. indicators (restaurant scenario; all rows in $out/indicators.csv)"
"$bin" indicators "${ws[@]}" --out "$out/indicators.csv"
awk -F, 'NR == 1 || $1 == "restaurant" {printf "%-11s %-12s N=%-5s n=%-4s coverage %-8s discovery %-8s HT-rate %-8s disposal %-8s sharing %-8s disclosure %s\n",
  $1, $2, $4, $6, $7, $9, $11, $14, $16, $18}' "$out/indicators.csv" | tail -n +2

step "7. next period: 2026Q2 features from the registry, scored with the same model"
"$bin" registry features "${ws[@]}" --period 2026Q2 --output "$out/entities-2026Q2.csv"
"$bin" score --model models/default.json --input "$out/entities-2026Q2.csv" --output "$out/scores-2026Q2.csv"
"$bin" import "${ws[@]}" scores "$out/scores-2026Q2.csv" --period 2026Q2

step "8. how the departments' grades moved from 2026Q1 to 2026Q2"
"$bin" registry moves "${ws[@]}" --from 2026Q1 --to 2026Q2 \
  | awk -F, '{printf "%-12s %8s %6s %6s %6s %10s %16s\n", $1, $2, $3, $4, $5, $6, $7}'

step "9. monitor the model from 2026Q1 to 2026Q2: score and characteristic stability, grade migration"
"$bin" monitor --model models/default.json --baseline "$city/entities.csv" --current "$out/entities-2026Q2.csv" \
  --output "$out/monitor-2026Q1-2026Q2"
step "10. credit repair: penalty records on 2026-04-01, a repair refused within the minimum window, then decided"
"$bin" repair records "${ws[@]}" --as-of 2026-04-01 --out "$out/penalty-records.csv"
echo "penalty records: $(($(wc -l < "$out/penalty-records.csv") - 1)) ($out/penalty-records.csv); by severity:" \
  "$(awk -F, 'NR > 1 {print $7}' "$out/penalty-records.csv" | sort | uniq -c | awk '{printf "%s %s, ", $2, $1}' | sed 's/, $//')"
# The first general record (a minor finding): entity, check, item and the first day it may be repaired.
IFS=, read -r entity check item repairable < <(awk -F, 'NR > 1 && $7 == "general" {print $1 "," $2 "," $3 "," $10; exit}' \
  "$out/penalty-records.csv")
if "$bin" repair decide "${ws[@]}" --check "$check" --item "$item" --on 2026-04-01 --by "demo bureau" \
  --reason "rectified" 2>"$out/repair.err"; then
  echo "error: a repair within the minimum window was accepted" >&2; exit 1
fi
echo "repair on 2026-04-01 refused: $(sed 's/^Error: //' "$out/repair.err" | cut -c1-240)…"
"$bin" repair decide "${ws[@]}" --check "$check" --item "$item" --on "$repairable" --by "demo bureau" --reason "rectified"
"$bin" repair records "${ws[@]}" --entity "$entity" --as-of "$repairable" | cut -d, -f2,3,7,9,10,11,12,14,15
step "11. console accounts: one per role (the passwords are printed once, below)"
accounts=(planner:planner admin:admin market:department:market)
passwords=()
for entry in "${accounts[@]}"; do
  name=${entry%%:*}; role=${entry#*:}
  password=$(openssl rand -hex 12)
  # The password goes through standard input (printf is a shell builtin): never an argument in a process list.
  printf '%s\n' "$password" | "$bin" user add "${ws[@]}" --name "$name" --role "$role" --password-stdin
  passwords+=("$name ($role): $password")
done
"$bin" report indicators "${ws[@]}" --as-of 2026-04-30 --output "$out/indicators.html"
"$bin" report plan "$out/plan-2026Q1" "${ws[@]}" --output "$out/plan-2026Q1.html"
echo "self-contained reports: $out/indicators.html, $out/plan-2026Q1.html"
echo
echo "Console accounts (shown only now; store them, or make new ones with \`onecheck user add --password-stdin\`):"
printf '  %s\n' "${passwords[@]}"
echo "Open the console with \`make console\`, then http://127.0.0.1:8080/"
