#!/usr/bin/env bash
# Partitioning by jurisdiction on PostgreSQL, measured (issue 18 §3; SCALE.md): the entities and the directory
# memberships of a generated city of K jurisdictions, loaded by COPY into the layout SCALE.md proposes
# (`PARTITION BY LIST (jurisdiction)`, one partition per jurisdiction and an empty DEFAULT, jurisdiction leading
# every key) and into the same tables unpartitioned, in a private cluster (scripts/postgres-cluster.sh).
# Shows partition pruning (EXPLAIN of one jurisdiction's queries) and times, alternating the two layouts, the
# queries a jurisdiction's daily work makes, medians over the repeats; then removes one jurisdiction both ways.
#   bash Benchmarks/scripts/postgres-partitions.sh [entities=1000000] [jurisdictions=10] [repeats=5] [onecheck binary]
# The entity files are those of `onecheck generate --jurisdictions K` (a `jurisdiction` column, J01…); the
# memberships are one row per department of department of each entity's scenario (its lead and partners). This is an experiment beside the
# engine: the registry's own PostgreSQL schema is not partitioned.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$(dirname "$here")")
entities=${1:-1000000}
count=${2:-10}
repeats=${3:-5}
onecheck=${4:-$root/.build/release/onecheck}
out="$root/Benchmarks/out/postgres-partitions"
mkdir -p "$out"
[ -x "$onecheck" ] || { echo "no onecheck binary at $onecheck: swift build -c release --product onecheck" >&2; exit 1; }
city="$out/city-$entities-$count"
[ -f "$city/entities.csv" ] || "$onecheck" generate --entities "$entities" --jurisdictions "$count" --seed 2026 \
  --output "$city" --quiet

cluster=$(mktemp -d "${TMPDIR:-/tmp}/onecheck-partitions.XXXXXX")
trap 'bash "$root/scripts/postgres-cluster.sh" stop "$cluster"' EXIT INT TERM
eval "$(bash "$root/scripts/postgres-cluster.sh" start "$cluster")"
db=$ONECHECK_TEST_POSTGRES_URL
psql_() { psql "$db" -v ON_ERROR_STOP=1 -qAt "$@"; }
now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

header=$(head -n 1 "$city/entities.csv")
columns=$(echo "$header" | tr ',' '\n' | awk '{printf "%s\"%s\" text%s", (NR > 1 ? ", " : ""), $1, ($1 == "jurisdiction" || $1 == "entity_id" ? " NOT NULL" : "")}')
jurisdictions=$(awk -F, -v h="$header" 'BEGIN { n = split(h, c, ","); for (i = 1; i <= n; i++) if (c[i] == "jurisdiction") k = i }
  NR > 1 { seen[$k] = 1 } END { for (j in seen) print j }' "$city/entities.csv" | sort)
[ "$(echo "$jurisdictions" | wc -l)" -eq "$count" ] || { echo "expected $count jurisdictions in $city/entities.csv" >&2; exit 1; }
probe=$(echo "$jurisdictions" | sed -n "$(( (count + 1) / 2 ))p")   # a jurisdiction in the middle

# Memberships: (jurisdiction, department, entity), one per department of the entity's scenario (lead and partners).
awk -F, -v h="$header" 'BEGIN { n = split(h, c, ","); for (i = 1; i <= n; i++) { if (c[i] == "jurisdiction") j = i;
    if (c[i] == "entity_id") e = i; if (c[i] == "scenario") s = i } }
  FILENAME ~ /scenarios.csv$/ { if (FNR > 1) departments[$1] = $3 (($4 == "") ? "" : ";" $4); next }
  FNR > 1 { k = split(departments[$s], ds, ";"); for (x = 1; x <= k; x++) printf "%s\t%s\t%s\n", $j, ds[x], $e }' \
  "$city/scenarios.csv" "$city/entities.csv" > "$out/memberships.tsv"

# Both layouts: <name>_flat (one table each) and <name>_part (a partition per jurisdiction and a DEFAULT).
{
  for layout in flat part; do
    suffix=""; [ "$layout" = part ] && suffix=" PARTITION BY LIST (jurisdiction)"
    echo "CREATE TABLE entities_$layout ($columns, PRIMARY KEY (jurisdiction, entity_id))$suffix;"
    echo "CREATE TABLE memberships_$layout (jurisdiction text NOT NULL, department text NOT NULL, entity text NOT NULL,
      PRIMARY KEY (jurisdiction, department, entity),
      FOREIGN KEY (jurisdiction, entity) REFERENCES entities_$layout (jurisdiction, entity_id) ON DELETE CASCADE)$suffix;"
    echo "CREATE INDEX ON memberships_$layout (jurisdiction, entity);"
  done
  for j in $jurisdictions; do
    lower=$(echo "$j" | tr 'A-Z' 'a-z')
    echo "CREATE TABLE entities_part_$lower PARTITION OF entities_part FOR VALUES IN ('$j');"
    echo "CREATE TABLE memberships_part_$lower PARTITION OF memberships_part FOR VALUES IN ('$j');"
  done
  echo "CREATE TABLE entities_part_default PARTITION OF entities_part DEFAULT;"
  echo "CREATE TABLE memberships_part_default PARTITION OF memberships_part DEFAULT;"
} > "$out/schema.sql"
psql_ -f "$out/schema.sql"

echo "city: $entities entities in $count jurisdictions ($city), $(wc -l < "$out/memberships.tsv") memberships; probe $probe"
echo "== load by COPY (one transaction per layout, entities then memberships)"
for layout in flat part; do
  t0=$(now)
  psql_ -1 -c "\\copy entities_$layout FROM '$city/entities.csv' WITH (FORMAT csv, HEADER true)" \
    -c "\\copy memberships_$layout FROM '$out/memberships.tsv'"
  t1=$(now)
  psql_ -c "ANALYZE entities_$layout; ANALYZE memberships_$layout;"
  printf '  %-4s %.2f s\n' "$layout" "$(echo "$t1 - $t0" | bc -l)"
done
echo "  rows per entities partition: $(psql_ -F' ' -c "SELECT tableoid::regclass, COUNT(*) FROM entities_part GROUP BY 1 ORDER BY 1" | tr '\n' ',' | sed 's/,$//')"
echo "  sizes (tables and indexes): flat $(psql_ -c "SELECT pg_size_pretty(pg_total_relation_size('entities_flat') + pg_total_relation_size('memberships_flat'))"), partitioned $(psql_ -c "SELECT pg_size_pretty(SUM(pg_total_relation_size(c.oid))) FROM pg_class c JOIN pg_inherits i ON i.inhrelid = c.oid WHERE i.inhparent IN ('entities_part'::regclass, 'memberships_part'::regclass)")"

# One jurisdiction's queries: $T is the layout's suffix, $J the jurisdiction.
declare -A queries=(
  [1-count]="SELECT district, COUNT(*) FROM entities_\$T WHERE jurisdiction = '\$J' GROUP BY district"
  [2-frame]="SELECT e.entity_id, e.scenario, e.district, string_agg(m.department, ';' ORDER BY m.department) FROM entities_\$T e JOIN memberships_\$T m ON m.jurisdiction = e.jurisdiction AND m.entity = e.entity_id WHERE e.jurisdiction = '\$J' GROUP BY e.entity_id, e.scenario, e.district ORDER BY e.entity_id"
  [3-lookup]="SELECT * FROM entities_\$T WHERE jurisdiction = '\$J' AND entity_id = '\$E'"
  [4-directory]="SELECT m.department, e.scenario, COUNT(*) FROM memberships_\$T m JOIN entities_\$T e ON e.jurisdiction = m.jurisdiction AND e.entity_id = m.entity WHERE m.jurisdiction = '\$J' GROUP BY 1, 2"
)
lookup=$(psql_ -c "SELECT MAX(entity_id) FROM entities_flat WHERE jurisdiction = '$probe'")
query() { local q=${queries[$1]}; q=${q//\$T/$2}; q=${q//\$E/$lookup}; echo "${q//\$J/$probe}"; }

echo "== EXPLAIN of $probe's queries on the partitioned layout (which relations are scanned)"
for name in $(printf '%s\n' "${!queries[@]}" | sort); do
  scanned=$(psql_ -c "EXPLAIN (COSTS OFF) $(query "$name" part)" | grep -oE '(entities|memberships)_(part|flat)[a-z0-9_]*' | sort -u | tr '\n' ' ')
  echo "  $name: $scanned"
done
psql_ -c "EXPLAIN (COSTS OFF) $(query 2-frame part)" > "$out/explain-frame-part.txt"
psql_ -c "EXPLAIN (COSTS OFF) $(query 2-frame flat)" > "$out/explain-frame-flat.txt"

# Server-side execution time of a query, in ms (EXPLAIN ANALYZE without per-node timing; rows are not sent).
timing() { psql_ -c "EXPLAIN (ANALYZE, TIMING OFF, SUMMARY ON) $1" | awk '/Execution Time/ {print $3}'; }
echo "== $probe's queries, server execution ms, median of $repeats alternating runs (after one warm-up each)"
printf '  %-12s %10s %10s %7s\n' query flat partitioned ratio
for name in $(printf '%s\n' "${!queries[@]}" | sort); do
  timing "$(query "$name" flat)" >/dev/null; timing "$(query "$name" part)" >/dev/null
  flat=(); part=()
  for ((r = 1; r <= repeats; r++)); do
    if ((r % 2)); then flat+=("$(timing "$(query "$name" flat)")"); part+=("$(timing "$(query "$name" part)")")
    else part+=("$(timing "$(query "$name" part)")"); flat+=("$(timing "$(query "$name" flat)")"); fi
  done
  f=$(printf '%s\n' "${flat[@]}" | median); p=$(printf '%s\n' "${part[@]}" | median)
  printf '  %-12s %10.2f %10.2f %7.2f\n' "$name" "$f" "$p" "$(echo "$p / $f" | bc -l)"
done

# A partition referenced by another partitioned table's foreign key cannot be dropped while attached: the
# memberships' partition is detached and dropped first, then the entities' one.
echo "== removing $probe: DELETE from the flat tables (cascading to memberships) vs DETACH and DROP of its partitions"
lower=$(echo "$probe" | tr 'A-Z' 'a-z')
t0=$(now); psql_ -1 -c "DELETE FROM entities_flat WHERE jurisdiction = '$probe'"; t1=$(now)
psql_ -c "ALTER TABLE memberships_part DETACH PARTITION memberships_part_$lower" -c "DROP TABLE memberships_part_$lower" \
  -c "ALTER TABLE entities_part DETACH PARTITION entities_part_$lower" -c "DROP TABLE entities_part_$lower"; t2=$(now)
printf '  flat DELETE %.2f s, DETACH and DROP of the partitions %.2f s\n' "$(echo "$t1 - $t0" | bc -l)" "$(echo "$t2 - $t1" | bc -l)"
printf 'load average at the end: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
