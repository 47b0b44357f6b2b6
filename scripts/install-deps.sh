#!/usr/bin/env bash
# Installs what OneCheck builds and tests with, when it is missing (Debian/Ubuntu); run by `make deps` (so by
# `make demo` and `make test`) and by `.ci/run`. Idempotent, and offline-safe when everything is present: it only
# reaches a package registry for what is missing.
# - Build: OpenBLAS (CBLAS, openblas_set_num_threads), liblapacke-dev (the LAPACKE C interface), SQLite.
# - Tests of `export-model`: an independent PMML evaluator — JPMML-Evaluator through the PyPI package
#   jpmml-evaluator (its jars are in the wheel; JPype runs them on the machine's Java) in a venv at
#   .build/test-venv, where the tests look for it (or at $ONECHECK_TEST_PYTHON); a Java runtime; a PostgreSQL
#   server and client, for the SQL export run in a private cluster (scripts/postgres-cluster.sh).
# - The console's browser tests drive Debian's chromium through chromium-driver (W3C WebDriver); fonts-noto-cjk
#   draws its Chinese pages; zlib1g-dev decodes their screenshots; curl and openssl serve the TLS test; wrk loads
#   the console benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
for p in libopenblas-dev liblapacke-dev libsqlite3-dev zlib1g-dev chromium chromium-driver fonts-noto-cjk curl openssl wrk; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v psql >/dev/null 2>&1 || missing+=(postgresql-client)
command -v python3 >/dev/null 2>&1 || missing+=(python3)
python3 -m venv --help >/dev/null 2>&1 || missing+=(python3-venv)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq
  "${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}"
fi
venv=.build/test-venv
if ! "$venv/bin/python" -c "import jpmml_evaluator, pandas" >/dev/null 2>&1; then
  echo "installing: jpmml-evaluator and pandas into $venv" >&2
  rm -rf "$venv"
  mkdir -p .build
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "jpmml-evaluator==0.16.0" "pandas>=2"
fi
