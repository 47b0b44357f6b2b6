#!/usr/bin/env bash
# A private PostgreSQL cluster for the test suite: initdb in a temporary directory, listening on a Unix socket in
# that directory, owned by an unprivileged user (PostgreSQL refuses to run as root: when run as root, the cluster
# belongs to Debian's `postgres` user, or `nobody` without one). Nothing else on the machine is touched: no system
# cluster, no service; no TCP port unless --tls asks for one.
#
#   eval "$(bash scripts/postgres-cluster.sh start DIR [--tls])"   # prints `export ONECHECK_TEST_POSTGRES_URL=…`
#   bash scripts/postgres-cluster.sh stop DIR
#
# --tls: the cluster also serves TLS on 127.0.0.1, on a free port, with a throwaway CA made by openssl in DIR/tls
# (ca.crt signs the server's certificate, for the name `localhost` only; other-ca.crt signs nothing). pg_hba.conf
# then accepts TCP only through TLS (`hostssl`, SCRAM with a random password, for the user onecheck); the Unix
# socket stays trusted. It also prints
#   ONECHECK_TEST_POSTGRES_TLS_URL        postgres://onecheck:PASSWORD@localhost:PORT/onecheck_test (no sslmode)
#   ONECHECK_TEST_POSTGRES_TLS_CA         DIR/tls/ca.crt
#   ONECHECK_TEST_POSTGRES_TLS_OTHER_CA   DIR/tls/other-ca.crt
set -euo pipefail
usage="usage: postgres-cluster.sh start DIR [--tls] | stop DIR"
command=${1:?$usage}
dir=${2:?$usage}
tls=${3:-}
case "$tls" in ""|--tls) ;; *) echo "$usage" >&2; exit 2 ;; esac
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

# A throwaway CA and the server's key and certificate (for `localhost`), and a second CA that signed nothing.
make_certificates() {
  local t=$dir/tls
  mkdir -p "$t"
  local ec=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes)
  for ca in ca other-ca; do
    openssl req -x509 "${ec[@]}" -keyout "$t/$ca.key" -out "$t/$ca.crt" -days 2 -subj "/CN=OneCheck test $ca" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
  done
  openssl req -new "${ec[@]}" -keyout "$t/server.key" -out "$t/server.csr" -subj "/CN=localhost" 2>/dev/null
  printf '%s\n' "subjectAltName=DNS:localhost" "basicConstraints=CA:FALSE" \
    "keyUsage=critical,digitalSignature,keyEncipherment" "extendedKeyUsage=serverAuth" >"$t/server.ext"
  openssl x509 -req -in "$t/server.csr" -CA "$t/ca.crt" -CAkey "$t/ca.key" -CAcreateserial -days 2 \
    -extfile "$t/server.ext" -out "$t/server.crt" 2>/dev/null
  chmod 600 "$t/server.key"
  if [ -n "$owner" ]; then chown -R "$owner" "$t"; fi
}

# A free TCP port on 127.0.0.1 (nothing answers on it now).
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

case "$command" in
start)
  mkdir -p "$dir"
  if [ -n "$owner" ]; then chown "$owner" "$dir"; fi
  "${as_owner[@]}" "$bindir/initdb" -D "$dir/data" -U onecheck --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  options="-k $dir -c fsync=off -c max_connections=100"
  port=5432
  if [ -n "$tls" ]; then
    make_certificates
    # Only TLS over TCP, only for onecheck, with its password; the socket as before.
    printf '%s\n' "local all all trust" "hostssl all onecheck 127.0.0.1/32 scram-sha-256" >"$dir/data/pg_hba.conf"
    options="$options -c ssl=on -c ssl_cert_file=$dir/tls/server.crt -c ssl_key_file=$dir/tls/server.key"
    options="$options -c listen_addresses=127.0.0.1"
  else
    options="$options -c listen_addresses=''"
  fi
  # A port taken between the probe and the start: another one, a few times.
  for attempt in 1 2 3 4 5; do
    if [ -n "$tls" ]; then port=$(free_port); fi
    if "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 -o "$options -p $port" start >/dev/null; then
      started=1; break
    fi
    [ -n "$tls" ] || break
  done
  [ -n "${started:-}" ] || { cat "$dir/server.log" >&2; exit 1; }
  "${as_owner[@]}" "$bindir/createdb" -h "$dir" -p "$port" -U onecheck onecheck_test
  if [ -n "$tls" ]; then
    password=$(openssl rand -hex 16)
    # Through standard input: never an argument in a process list.
    printf "ALTER ROLE onecheck PASSWORD '%s';\n" "$password" \
      | "${as_owner[@]}" psql -h "$dir" -p "$port" -U onecheck -d onecheck_test -q -v ON_ERROR_STOP=1 -f - >/dev/null
    echo "export ONECHECK_TEST_POSTGRES_URL='postgres://onecheck@localhost:$port/onecheck_test?host=$dir'"
    echo "export ONECHECK_TEST_POSTGRES_TLS_URL='postgres://onecheck:$password@localhost:$port/onecheck_test'"
    echo "export ONECHECK_TEST_POSTGRES_TLS_CA='$dir/tls/ca.crt'"
    echo "export ONECHECK_TEST_POSTGRES_TLS_OTHER_CA='$dir/tls/other-ca.crt'"
  else
    echo "export ONECHECK_TEST_POSTGRES_URL='postgres://onecheck@localhost/onecheck_test?host=$dir'"
  fi
  ;;
stop)
  [ -d "$dir/data" ] && "${as_owner[@]}" "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  ;;
*) echo "$usage" >&2; exit 2 ;;
esac
