#!/usr/bin/env bash
# What the test suite needs besides the build (run by `make test` before `swift test`; idempotent):
# - an independent PMML evaluator: JPMML-Evaluator through the PyPI package jpmml-evaluator (its jars are in the
#   wheel) on the machine's Java, in a venv at .build/test-venv (the export-model tests find it there, or at
#   $ONECHECK_TEST_PYTHON);
# - a Java runtime and a PostgreSQL server (for the SQL export run in a private cluster), from Debian's packages
#   when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
missing=()
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v psql >/dev/null 2>&1 || missing+=(postgresql-client)
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
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "jpmml-evaluator==0.16.0" "pandas>=2"
fi
