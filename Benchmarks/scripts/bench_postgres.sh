#!/usr/bin/env bash
# `onecheck import city` into PostgreSQL against `psql \copy` of the same files into plain tables (issue 18 §2:
# within 1.5×), in a private cluster (scripts/postgres-cluster.sh, stopped at the end), runs alternating
# (odd runs onecheck first, even runs psql first), medians over the repeats.
#   bash Benchmarks/scripts/bench_postgres.sh [entities=1000000] [repeats=3] [onecheck binary] [older binary]
#
# With an older binary, its import city runs in the same alternation (odd runs: onecheck, psql, older; even runs
# the reverse) and the medians are compared with the first binary's as well.
#
# Each side loads a fresh database (created, then dropped after the run). The reference is one `psql -1` (one
# transaction, like import city) of `\copy … FROM … CSV HEADER` for every file import city reads, each into a
# table of text columns (entities and inspectors keyed as in the registry). Per run: wall seconds, the client's CPU
# seconds (user + sys of onecheck or psql) and the server's CPU seconds (every process of the private cluster,
# living and exited, from /proc: the backend does most of the work of both sides). The load of a shared machine
# moves wall times; CPU seconds are the steadier comparison.
set -euo pipefail
source "$(dirname "$0")/bench-common.sh" "$@"
out="$root/Benchmarks/out/postgres"
mkdir -p "$out"
command -v psql >/dev/null || { echo "psql not found (apt-get install postgresql-client)" >&2; exit 1; }

# The same generated city as bench_registry.sh.
city="$root/Benchmarks/out/registry/city-$entities"
[ -f "$city/entities.csv" ] || "$onecheck" generate --entities "$entities" --seed 2026 --output "$city" --quiet

cluster=$(mktemp -d "${TMPDIR:-/tmp}/onecheck-bench-pg.XXXXXX")
trap 'bash "$root/scripts/postgres-cluster.sh" stop "$cluster"' EXIT INT TERM
eval "$(bash "$root/scripts/postgres-cluster.sh" start "$cluster")"
server=$ONECHECK_TEST_POSTGRES_URL
postmaster=$(head -n 1 "$cluster/data/postmaster.pid")
url() { local base=${server%%\?*}; echo "${base%/*}/$1?${server#*\?}"; }
sql() { psql "$server" -v ON_ERROR_STOP=1 -qAtc "$1"; }

# CPU seconds of the cluster so far: the postmaster's own and its exited children's (reaped into cutime/cstime),
# and every living child's (their own and their exited children's).
server_cpu() {
  local ticks
  # cat, not awk on the files: a process may end between the glob and the read.
  ticks=$(cat /proc/[0-9]*/stat 2>/dev/null | awk -v pm="$postmaster" '{
      # The command name (field 2) may hold spaces: the fields after the closing parenthesis, state first.
      pid = $1; sub(/^.*\) /, "")
      if (pid == pm || $2 == pm) total += $12 + $13 + $14 + $15
    } END { print total + 0 }')
  echo "$ticks / $(getconf CLK_TCK)" | bc -l
}

cols() { head -n 1 "$city/$1" | tr ',' '\n' | awk '{printf "%s\"%s\" text", (NR > 1 ? ", " : ""), $1}'; }

# One timed load: `$1` names the side; the command follows. Sets wall, client and server CPU seconds.
timed() {
  local side=$1; shift
  local c0 t0 t1 c1
  c0=$(server_cpu); t0=$(now)
  /usr/bin/time -f '%U %S' -o "$out/time.txt" "$@" >/dev/null
  t1=$(now)
  sleep 0.2 # the backend exits after its connection closes; its CPU is then the postmaster's children's
  c1=$(server_cpu)
  wall=$(echo "$t1 - $t0" | bc -l)
  client=$(awk '{print $1 + $2}' "$out/time.txt")
  serv=$(echo "$c1 - $c0" | bc -l)
  printf '  %-8s wall %7.2f s, client cpu %6.2f s, server cpu %6.2f s\n' "$side" "$wall" "$client" "$serv"
}

ours_wall=(); ours_cpu=(); ours_client=(); ours_server=()
ref_wall=(); ref_cpu=(); ref_client=(); ref_server=()
older=${4:-}
old_wall=(); old_cpu=(); old_client=(); old_server=()
# One import city by binary `$2` into a fresh database; appends to the arrays named by `$3` (ours or old).
run_import() {
  local db=bench_$3_$1 binary=$2
  local -n to_wall=$3_wall to_client=$3_client to_server=$3_server to_cpu=$3_cpu
  sql "CREATE DATABASE $db"
  "$binary" init "$(url "$db")" >/dev/null
  timed "$3" "$binary" import -w "$(url "$db")" city "$city"
  to_wall+=("$wall"); to_client+=("$client"); to_server+=("$serv"); to_cpu+=("$(echo "$client + $serv" | bc -l)")
  local n
  n=$(psql "$(url "$db")" -qAtc "SELECT COUNT(*) FROM entities")
  [ "$n" = "$entities" ] || { echo "import city stored $n of $entities entities" >&2; exit 1; }
  sql "DROP DATABASE $db"
}
run_ours() { run_import "$1" "$onecheck" ours; }
run_older() { [ -z "$older" ] || run_import "$1" "$older" old; }
run_reference() {
  local db=bench_ref_$1
  sql "CREATE DATABASE $db"
  psql "$(url "$db")" -v ON_ERROR_STOP=1 -q <<SQL
CREATE TABLE departments ($(cols departments.csv)); CREATE TABLE scenarios ($(cols scenarios.csv));
CREATE TABLE items ($(cols items.csv));
CREATE TABLE entities ($(cols entities.csv), PRIMARY KEY (entity_id));
CREATE TABLE inspectors ($(cols inspectors.csv), PRIMARY KEY (inspector_id));
CREATE TABLE caps ($(cols caps.csv)); CREATE TABLE quotas ($(cols quotas.csv));
SQL
  : >"$out/copy.sql"
  for t in departments scenarios items entities inspectors caps quotas; do
    echo "\\copy $t FROM '$city/$t.csv' WITH (FORMAT csv, HEADER true)" >>"$out/copy.sql"
  done
  timed "psql" psql "$(url "$db")" -v ON_ERROR_STOP=1 -q -1 -f "$out/copy.sql"
  ref_wall+=("$wall"); ref_client+=("$client"); ref_server+=("$serv"); ref_cpu+=("$(echo "$client + $serv" | bc -l)")
  local n
  n=$(psql "$(url "$db")" -qAtc "SELECT COUNT(*) FROM entities")
  [ "$n" = "$entities" ] || { echo "psql \\copy stored $n of $entities entities" >&2; exit 1; }
  sql "DROP DATABASE $db"
}

echo "city of $entities entities ($city), $repeats alternating runs, private cluster in $cluster"
for ((r = 1; r <= repeats; r++)); do
  echo "run $r"
  if ((r % 2)); then run_ours "$r"; run_reference "$r"; run_older "$r"
  else run_older "$r"; run_reference "$r"; run_ours "$r"; fi
done
m() { printf '%s\n' "$@" | median; }
ow=$(m "${ours_wall[@]}"); rw=$(m "${ref_wall[@]}"); oc=$(m "${ours_cpu[@]}"); rc=$(m "${ref_cpu[@]}")
printf 'median over %d runs, city of %d entities:\n' "$repeats" "$entities"
printf '  onecheck import city: wall %.2f s, cpu %.2f s (client %.2f + server %.2f)\n' "$ow" "$oc" \
  "$(m "${ours_client[@]}")" "$(m "${ours_server[@]}")"
printf '  psql \\copy of the same files: wall %.2f s, cpu %.2f s (client %.2f + server %.2f)\n' "$rw" "$rc" \
  "$(m "${ref_client[@]}")" "$(m "${ref_server[@]}")"
printf '  ratio: wall %.2f, cpu %.2f\n' "$(echo "$ow / $rw" | bc -l)" "$(echo "$oc / $rc" | bc -l)"
if [ -n "$older" ]; then
  olw=$(m "${old_wall[@]}"); olc=$(m "${old_cpu[@]}")
  printf '  older binary (%s): wall %.2f s, cpu %.2f s (client %.2f + server %.2f)\n' "$older" "$olw" "$olc" \
    "$(m "${old_client[@]}")" "$(m "${old_server[@]}")"
  printf '  onecheck / older: wall %.3f, cpu %.3f, server cpu %.3f\n' "$(echo "$ow / $olw" | bc -l)" \
    "$(echo "$oc / $olc" | bc -l)" "$(echo "$(m "${ours_server[@]}") / $(m "${old_server[@]}")" | bc -l)"
fi
printf 'load average at the end: %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
