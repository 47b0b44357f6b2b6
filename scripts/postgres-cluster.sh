#!/usr/bin/env bash
# A private PostgreSQL cluster for the test suite: initdb in a temporary directory, listening only on a Unix
# socket in that directory, owned by an unprivileged user (PostgreSQL refuses to run as root: when run as root,
# the cluster belongs to Debian's `postgres` user, or `nobody` without one). Nothing else on the machine is touched: no system cluster,
# no port, no service.
#
#   eval "$(bash scripts/postgres-cluster.sh start DIR)"   # prints `export ONECHECK_TEST_POSTGRES_URL=…`
#   bash scripts/postgres-cluster.sh stop DIR
set -euo pipefail
command=${1:?usage: postgres-cluster.sh start|stop DIR}
dir=${2:?usage: postgres-cluster.sh start|stop DIR}
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bindir/initdb" ] || { echo "postgres-cluster: no PostgreSQL server found (install Debian's postgresql)" >&2; exit 1; }
as_owner=()
owner=
if [ "$(id -u)" -eq 0 ]; then
  # Debian's `postgres` user when the server package made one, else `nobody`: never root.
  owner=postgres
  id -u "$owner" >/dev/null 2>&1 || owner=nobody
  as_owner=(runuser -u "$owner" --)
fi

case "$command" in
start)
  mkdir -p "$dir"
  if [ -n "$owner" ]; then chown "$owner" "$dir"; fi
  "${as_owner[@]}" "$bindir/initdb" -D "$dir/data" -U onecheck --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses='' -k $dir -c fsync=off -c max_connections=100" start >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
  "${as_owner[@]}" "$bindir/createdb" -h "$dir" -U onecheck onecheck_test
  echo "export ONECHECK_TEST_POSTGRES_URL='postgres://onecheck@localhost/onecheck_test?host=$dir'"
  ;;
stop)
  [ -d "$dir/data" ] && "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  ;;
*) echo "usage: postgres-cluster.sh start|stop DIR" >&2; exit 2 ;;
esac
