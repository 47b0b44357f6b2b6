#!/usr/bin/env bash
# Registry import throughput: `onecheck import entities` (validated, upserted, one transaction) against the
# sqlite3 shell's own `.import` of the same CSV into a table of the same schema (no validation), in one run.
#   bash Benchmarks/scripts/bench_registry.sh [entities=1000000] [repeats=3] [onecheck binary]
# Prints each run's seconds, the medians, rows/s and the ratio onecheck / sqlite3.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$(dirname "$here")")
entities=${1:-1000000}
repeats=${2:-3}
onecheck=${3:-}
out="$root/Benchmarks/out/registry"
mkdir -p "$out"
command -v sqlite3 >/dev/null || { echo "sqlite3 shell not found (apt-get install sqlite3)" >&2; exit 1; }
if [ -z "$onecheck" ]; then
  (cd "$root" && swift build -c release --product onecheck)
  onecheck="$root/.build/release/onecheck"
fi

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

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
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
