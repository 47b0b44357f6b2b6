#!/usr/bin/env bash
# `onecheck import city` into a fresh SQLite workspace against the sqlite3 shell's `.import` of the same files (each
# into a plain table, as part 2 of bench_registry.sh), paired and alternating with farm-bench; optionally also
# against another onecheck binary (an older build) in a second farm-bench run:
#   bash Benchmarks/scripts/bench_import_city.sh [entities=1000000] [repeats=3] [onecheck binary] [older binary]
# The city is generated once (`--seed 2026`) into Benchmarks/out/import-city-N. farm-bench prints the medians of
# user, sys, cpu and wall seconds and peak memory of each side, and A/B (A = the onecheck binary).
set -euo pipefail
source "$(dirname "$0")/bench-common.sh" "$@"
older=${4:-}
command -v sqlite3 >/dev/null || { echo "sqlite3 shell not found (apt-get install sqlite3)" >&2; exit 1; }
command -v farm-bench >/dev/null || { echo "farm-bench not found" >&2; exit 1; }
out="$root/Benchmarks/out/import-city-$entities"
city="$out/city"
mkdir -p "$out"
[ -f "$city/entities.csv" ] || "$onecheck" generate --entities "$entities" --seed 2026 --output "$city" --quiet

# One side each: a script that starts from nothing and loads the city.
cat > "$out/ours.sh" <<EOF
#!/usr/bin/env bash
set -euo pipefail
rm -f "$out/ws.onecheck"*
"\$1" init "$out/ws.onecheck" >/dev/null
"\$1" import -w "$out/ws.onecheck" city "$city" >/dev/null
EOF
cat > "$out/theirs.sh" <<EOF
#!/usr/bin/env bash
set -euo pipefail
rm -f "$out/plain.sqlite"*
cols() { head -n 1 "$city/\$1" | tr ',' '\n' | awk '{printf "%s%s TEXT", (NR > 1 ? ", " : ""), \$1}'; }
sqlite3 "$out/plain.sqlite" "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
  CREATE TABLE departments (\$(cols departments.csv)); CREATE TABLE scenarios (\$(cols scenarios.csv));
  CREATE TABLE items (\$(cols items.csv));
  CREATE TABLE entities (\$(cols entities.csv), PRIMARY KEY (entity_id)) WITHOUT ROWID;
  CREATE TABLE inspectors (\$(cols inspectors.csv), PRIMARY KEY (inspector_id)) WITHOUT ROWID;
  CREATE TABLE caps (\$(cols caps.csv)); CREATE TABLE quotas (\$(cols quotas.csv));" >/dev/null
for t in departments scenarios items entities inspectors caps quotas; do
  sqlite3 "$out/plain.sqlite" ".import --csv --skip 1 $city/\$t.csv \$t"
done
EOF
chmod +x "$out/ours.sh" "$out/theirs.sh"

echo "import city ($onecheck) against the sqlite3 shell's .import of the same files, $entities entities:"
farm-bench -n "$repeats" --warmup 0 --timeout 1200 --vs "$out/theirs.sh" -- "$out/ours.sh" "$onecheck"
n=$(sqlite3 "$out/ws.onecheck" "SELECT COUNT(*) FROM entities")
[ "$n" = "$entities" ] || { echo "the workspace holds $n of $entities entities" >&2; exit 1; }
if [ -n "$older" ]; then
  echo "import city ($onecheck) against the older binary $older:"
  farm-bench -n "$repeats" --warmup 0 --timeout 1200 --vs "$out/ours.sh $older" -- "$out/ours.sh" "$onecheck"
fi
