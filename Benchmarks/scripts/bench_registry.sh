#!/usr/bin/env bash
# Registry throughput, in one run, medians over repeats:
#  1. `onecheck import entities` (validated, upserted, one transaction) against the sqlite3 shell's own `.import`
#     of the same CSV into a table of the same schema (no validation);
#  2. `onecheck import city` of a generated city of the same size (entities with their features, memberships,
#     the roster, the catalogue) against sqlite3 `.import` of the same files (every file import city reads, each
#     into a plain table);
#  3. scoring from the registry: `onecheck registry features --period` (next period's entities file) + `onecheck
#     score` of it, against `onecheck score` of the city's entities.csv straight from the CSV.
#   bash Benchmarks/scripts/bench_registry.sh [entities=1000000] [repeats=3] [onecheck binary]
# Prints each run's seconds, the medians, rows/s and the ratios.
set -euo pipefail
source "$(dirname "$0")/bench-common.sh" "$@"
out="$root/Benchmarks/out/registry"
mkdir -p "$out"
command -v sqlite3 >/dev/null || { echo "sqlite3 shell not found (apt-get install sqlite3)" >&2; exit 1; }

csv="$out/entities-$entities.csv"
if [ ! -f "$csv" ]; then
  # Valid GB 32100-2015 codes from a seeded generator, so every run imports the same file.
  python3 - "$entities" "$csv" <<'PY'
import random, sys
n, path = int(sys.argv[1]), sys.argv[2]
alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
rng = random.Random(2026)
seen = set()
with open(path, "w") as f:
    f.write("credit_code,name,scenario,district,legal_representative,credit_grade\n")
    i = 0
    while i < n:
        prefix = "91" + "".join(rng.choice(alphabet) for _ in range(15))
        if prefix in seen:
            continue
        seen.add(prefix)
        s = sum(alphabet.index(c) * w for c, w in zip(prefix, weights))
        code = prefix + alphabet[(31 - s % 31) % 31]
        f.write(f"{code},Shop {i} Ltd.,REST,D{i % 16},Person {i},{'ABCD'[i % 4]}\n")
        i += 1
PY
fi
printf 'code,name\nMKT,Market regulation\n' > "$out/departments.csv"
printf 'code,name,lead_department\nREST,Restaurants,MKT\n' > "$out/scenarios.csv"

ours=(); theirs=()
for ((r = 1; r <= repeats; r++)); do
  rm -f "$out/ws.onecheck"* "$out/plain.sqlite"*
  "$onecheck" init "$out/ws.onecheck" >/dev/null
  "$onecheck" import -w "$out/ws.onecheck" departments "$out/departments.csv" >/dev/null
  "$onecheck" import -w "$out/ws.onecheck" scenarios "$out/scenarios.csv" >/dev/null
  t0=$(now); "$onecheck" import -w "$out/ws.onecheck" entities "$csv" >/dev/null; t1=$(now)
  ours+=("$(echo "$t1 - $t0" | bc -l)")

  # The same table definition as schema version 1, in WAL mode, without the registry's validation.
  sqlite3 "$out/plain.sqlite" "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
    CREATE TABLE entities (credit_code TEXT PRIMARY KEY NOT NULL CHECK (length(credit_code) = 18),
      name TEXT NOT NULL, scenario TEXT NOT NULL, district TEXT NOT NULL DEFAULT '',
      legal_representative TEXT NOT NULL DEFAULT '',
      credit_grade TEXT NOT NULL CHECK (credit_grade IN ('A','B','C','D'))) WITHOUT ROWID;
    CREATE INDEX entities_scenario ON entities(scenario);" >/dev/null
  t0=$(now); sqlite3 "$out/plain.sqlite" ".import --csv --skip 1 $csv entities"; t1=$(now)
  theirs+=("$(echo "$t1 - $t0" | bc -l)")
  n1=$(sqlite3 "$out/ws.onecheck" "SELECT COUNT(*) FROM entities"); n2=$(sqlite3 "$out/plain.sqlite" "SELECT COUNT(*) FROM entities")
  [ "$n1" = "$entities" ] && [ "$n2" = "$entities" ] || { echo "row counts differ: $n1 $n2" >&2; exit 1; }
  printf 'run %d: onecheck import %.3f s, sqlite3 .import %.3f s\n' "$r" "${ours[-1]}" "${theirs[-1]}"
done
m1=$(printf '%s\n' "${ours[@]}" | median); m2=$(printf '%s\n' "${theirs[@]}" | median)
printf 'median over %d runs, %d entities: onecheck import %.3f s (%.0f rows/s), sqlite3 .import %.3f s (%.0f rows/s), ratio %.2f\n' \
  "$repeats" "$entities" "$m1" "$(echo "$entities / $m1" | bc -l)" "$m2" "$(echo "$entities / $m2" | bc -l)" "$(echo "$m1 / $m2" | bc -l)"

# 2 and 3: a generated city of the same size.
city="$out/city-$entities"
[ -f "$city/entities.csv" ] || "$onecheck" generate --entities "$entities" --seed 2026 --output "$city" --quiet
header=$(head -n 1 "$city/entities.csv")
columns=$(echo "$header" | tr ',' '\n' | awk '{printf "%s%s TEXT", (NR > 1 ? ", " : ""), $1}')
city_ours=(); city_theirs=(); features=(); scoring=(); direct=()
for ((r = 1; r <= repeats; r++)); do
  rm -f "$out/city.onecheck"* "$out/plain-city.sqlite"* "$out/next.csv" "$out/next-scores.csv" "$out/direct-scores.csv"
  "$onecheck" init "$out/city.onecheck" >/dev/null
  t0=$(now); "$onecheck" import -w "$out/city.onecheck" city "$city" >/dev/null; t1=$(now)
  city_ours+=("$(echo "$t1 - $t0" | bc -l)")
  # Like with like: every file `import city` reads, each into a plain table of TEXT columns (entities and
  # inspectors keyed as in the registry), in WAL mode, without validation.
  cols() { head -n 1 "$city/$1" | tr ',' '\n' | awk '{printf "%s%s TEXT", (NR > 1 ? ", " : ""), $1}'; }
  sqlite3 "$out/plain-city.sqlite" "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
    CREATE TABLE departments ($(cols departments.csv)); CREATE TABLE scenarios ($(cols scenarios.csv));
    CREATE TABLE items ($(cols items.csv));
    CREATE TABLE entities ($columns, PRIMARY KEY (entity_id)) WITHOUT ROWID;
    CREATE TABLE inspectors ($(cols inspectors.csv), PRIMARY KEY (inspector_id)) WITHOUT ROWID;
    CREATE TABLE caps ($(cols caps.csv)); CREATE TABLE quotas ($(cols quotas.csv));" >/dev/null
  t0=$(now)
  for t in departments scenarios items entities inspectors caps quotas; do
    sqlite3 "$out/plain-city.sqlite" ".import --csv --skip 1 $city/$t.csv $t"
  done
  t1=$(now)
  city_theirs+=("$(echo "$t1 - $t0" | bc -l)")
  t0=$(now); "$onecheck" registry features -w "$out/city.onecheck" --period 2026Q1 --output "$out/next.csv" >/dev/null; t1=$(now)
  "$onecheck" score --model "$city/default-model.json" --input "$out/next.csv" --output "$out/next-scores.csv" --no-progress >/dev/null
  t2=$(now)
  "$onecheck" score --model "$city/default-model.json" --input "$city/entities.csv" --output "$out/direct-scores.csv" --no-progress >/dev/null
  t3=$(now)
  features+=("$(echo "$t1 - $t0" | bc -l)"); scoring+=("$(echo "$t2 - $t0" | bc -l)"); direct+=("$(echo "$t3 - $t2" | bc -l)")
  n=$(($(wc -l < "$out/next-scores.csv") - 1))
  [ "$n" = "$entities" ] || { echo "scored $n of $entities entities from the registry" >&2; exit 1; }
  printf 'run %d: import city %.3f s, sqlite3 .import of its files %.3f s; features %.3f s + score = %.3f s, score from CSV %.3f s\n' \
    "$r" "${city_ours[-1]}" "${city_theirs[-1]}" "${features[-1]}" "${scoring[-1]}" "${direct[-1]}"
done
c1=$(printf '%s\n' "${city_ours[@]}" | median); c2=$(printf '%s\n' "${city_theirs[@]}" | median)
f1=$(printf '%s\n' "${features[@]}" | median); s1=$(printf '%s\n' "${scoring[@]}" | median); d1=$(printf '%s\n' "${direct[@]}" | median)
printf 'median over %d runs, city of %d entities: onecheck import city %.3f s, sqlite3 .import of the same files %.3f s, ratio %.2f\n' \
  "$repeats" "$entities" "$c1" "$c2" "$(echo "$c1 / $c2" | bc -l)"
printf 'median over %d runs: scoring from the registry %.3f s (features export %.3f s + score), scoring the CSV %.3f s, ratio %.2f\n' \
  "$repeats" "$s1" "$f1" "$d1" "$(echo "$s1 / $d1" | bc -l)"
