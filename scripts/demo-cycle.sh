#!/usr/bin/env bash
# The whole supervision cycle on the bundled synthetic city (datasets/), as `make demo` runs it:
#   score → init → import city → plan 2026Q1 → record the draw (and refuse a re-draw) → simulated findings and
#   disposals → publish → indicators → 2026Q2 features from the registry → score again → how grades moved →
#   plan 2026Q2 from the registry (grades after joint sanctions, this year's checks against the caps), verify and
#   record it → how the sanctioned entities' selection probabilities rose →
#   monitor the model (stability and migration from 2026Q1 to 2026Q2) → credit repair (penalty records, a repair
#   refused within its minimum window, then decided) →
#   one console account per role, with a random password printed once at the end (`make console` serves it).
# Usage: bash scripts/demo-cycle.sh [onecheck binary, default .build/release/onecheck] [output dir, default out]
#          [workspace, default OUTPUT/workspace.sqlite]
# Everything is written under the output directory; reruns start from a fresh workspace. A workspace given as a
# postgres:// URL runs the same cycle on PostgreSQL: the URL names an existing database without a workspace (the
# cycle writes the same files either way, which Tests/EndToEndTests/DemoCycleEnginesTests.swift checks).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bin=${1:-.build/release/onecheck}
out=${2:-out}
workspace=${3:-$out/workspace.sqlite}
city=datasets
seed="2026Q1 public seed: demo"
mkdir -p "$out"
case "$workspace" in
postgres://*|postgresql://*) ;;
*) rm -f "$workspace" "$workspace-wal" "$workspace-shm" ;;
esac
rm -rf "$out/plan-2026Q1" "$out/simulated-2026Q1" "$out/plan-2026Q2" "$out/plan-2026Q2-frame" \
  "$out/plan-2026Q2-unsanctioned"
ws=(-w "$workspace")
step() { printf '\n== %s\n' "$*"; }

step "1. score the city with models/default.json"
"$bin" score --model models/default.json --input "$city/entities.csv" --output "$out/scores.csv"
echo "--- first rows of $out/scores.csv"
head -n 3 "$out/scores.csv" | cut -c1-160

step "2. workspace and directory"
"$bin" init "$workspace"
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

echo "--- 2026Q1 quota report with the completed checks ($out/quota-completed-2026Q1.csv)"
"$bin" verify --manifest "$out/plan-2026Q1/manifest.json" --plan "$out/plan-2026Q1/plan.csv" \
  "${ws[@]}" --completed-report "$out/quota-completed-2026Q1.csv" | tail -n 1
cut -d, -f1-7 "$out/quota-completed-2026Q1.csv" | sed -n 1,6p

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

step "9. plan 2026Q2 from the registry (grades after joint sanctions, this year's checks counted against the caps)"
seed2="2026Q2 public seed: demo"
"$bin" plan "${ws[@]}" --period 2026Q2 --seed "$seed2" --output "$out/plan-2026Q2"
echo "verify: $("$bin" verify --manifest "$out/plan-2026Q2/manifest.json" --plan "$out/plan-2026Q2/plan.csv")"
"$bin" import "${ws[@]}" draw "$out/plan-2026Q2"

step "10. what the joint sanctions did to the 2026Q2 selection probabilities"
# The same plan drawn from the model's own grades (before sanctions): same seed, frame, quotas and caps.
frame="$out/plan-2026Q2-frame"
"$bin" plan --scores "$out/scores-2026Q2.csv" --entities "$frame/entities.csv" --quotas "$frame/quotas.csv" \
  --inspectors "$frame/inspectors.csv" --departments "$frame/departments.csv" --scenarios "$frame/scenarios.csv" \
  --items "$frame/items.csv" --caps "$frame/caps.csv" --done "$frame/checks-done.csv" \
  --period 2026Q2 --seed "$seed2" --output "$out/plan-2026Q2-unsanctioned" > /dev/null
# Pairs (department, entity) whose stored grade differs from the model's, with π from each plan's inclusion.csv.
awk -F, '
  FILENAME == ARGV[1] { if (FNR > 1) department[$3 == "" ? "risk_" $1 : $3] = $1; next }
  FILENAME == ARGV[2] || FILENAME == ARGV[3] {
    source = FILENAME == ARGV[2] ? "model" : "held"
    if (FNR == 1) {
      for (k in column) delete column[k]
      for (i = 2; i <= NF; i++) if ($i ~ /_grade$/) { h = $i; sub(/_grade$/, "", h); if (h in department) column[i] = department[h] }
      next
    }
    for (i in column) if ($i != "") grade[source, column[i], $1] = $i
    next
  }
  {  # the inclusion.csv of each plan (entity_id, then π per department), then plan.csv files
    if (FILENAME ~ /inclusion.csv$/) {
      plan = FILENAME ~ /unsanctioned/ ? "before" : "after"
      if (FNR == 1) { for (k in piColumn) delete piColumn[k]; for (i = 2; i <= NF; i++) piColumn[i] = $i; next }
      for (i = 2; i <= NF; i++) if ($i != "") pi[plan, piColumn[i], $1] = $i
      next
    }
    plan = FILENAME ~ /unsanctioned/ ? "before" : "after"
    if (FNR > 1) { n = split($4, ds, ";"); for (k = 1; k <= n; k++) drawn[plan, ds[k], $2] = 1 }
  }
  END {
    for (key in grade) {
      split(key, parts, SUBSEP)
      if (parts[1] != "held") continue
      d = parts[2]; e = parts[3]
      if (grade["model", d, e] == "" || grade["model", d, e] == grade[key]) continue
      moved++; before += pi["before", d, e]; after += pi["after", d, e]
      drawnBefore += drawn["before", d, e]; drawnAfter += drawn["after", d, e]
      if (pi["after", d, e] > pi["before", d, e]) rose++
      printf "1  %-10s %s  grade %s -> %s  pi %.4f -> %.4f\n", d, e, grade["model", d, e], grade[key], pi["before", d, e], pi["after", d, e]
    }
    if (!moved) { print "0no grade was changed by joint sanctions"; exit }
    printf "0joint sanctions changed %d (department, entity) grades for 2026Q2; pi rose for %d of them: mean %.4f without the sanctions -> %.4f with them; drawn %d times without -> %d with\n", moved, rose, before / moved, after / moved, drawnBefore, drawnAfter
  }' "$frame/departments.csv" "$out/scores-2026Q2.csv" "$frame/scores.csv" \
  "$out/plan-2026Q2-unsanctioned/inclusion.csv" "$out/plan-2026Q2/inclusion.csv" \
  "$out/plan-2026Q2-unsanctioned/plan.csv" "$out/plan-2026Q2/plan.csv" | sort | cut -c2- | sed -n 1,9p

step "11. monitor the model from 2026Q1 to 2026Q2: score and characteristic stability, grade migration"
"$bin" monitor --model models/default.json --baseline "$city/entities.csv" --current "$out/entities-2026Q2.csv" \
  --output "$out/monitor-2026Q1-2026Q2"
step "12. credit repair: penalty records on 2026-04-01, a repair refused within the minimum window, then decided"
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
step "13. console accounts: one per role (the passwords are printed once, below)"
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
