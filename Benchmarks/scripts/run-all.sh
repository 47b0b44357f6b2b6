#!/usr/bin/env bash
# Every OneCheck benchmark with its Python peer, in one run. Makes its own venv (Benchmarks/.venv).
#   bash Benchmarks/scripts/run-all.sh [entities=1000000] [repeats=5]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bench=$(dirname "$here")
root=$(dirname "$bench")
entities=${1:-1000000}
repeats=${2:-5}
out="$bench/out"
mkdir -p "$out"

python3 -m venv "$bench/.venv"
"$bench/.venv/bin/pip" install -q polars numpy threadpoolctl
py="$bench/.venv/bin/python"

(cd "$root" && swift build -c release --product onecheck)
onecheck="$root/.build/release/onecheck"

city="$out/city-$entities"
if [ ! -f "$city/entities.csv" ]; then
  "$onecheck" generate --entities "$entities" --seed 2026 --output "$city"
fi

echo "== end to end: onecheck score vs polars + numpy ($entities entities), replacing the previous output, then new files"
"$py" "$here/bench_scoring.py" --onecheck "$onecheck" --model "$root/models/default.json" \
  --input "$city/entities.csv" --out "$out" --repeats "$repeats"
"$py" "$here/bench_scoring.py" --onecheck "$onecheck" --model "$root/models/default.json" \
  --input "$city/entities.csv" --out "$out" --repeats "$repeats" --fresh
echo "== end to end with 4 reasons per head (the default model with the city's training range added)"
"$py" "$here/with_training_range.py" "$root/models/default.json" "$city/entities.csv" "$out/default-ranged.json"
"$py" "$here/bench_scoring.py" --onecheck "$onecheck" --model "$out/default-ranged.json" \
  --input "$city/entities.csv" --out "$out" --repeats "$repeats" --reasons 4

echo "== kernel: 3M × 64 → 8 heads vs square dgemm (Swift, then numpy)"
(cd "$bench" && swift run -c release kernel-ratio --repeats "$repeats")
env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE "$py" "$here/bench_kernel_numpy.py" --repeats "$repeats"

echo "== registry: import and scoring from the registry vs sqlite3 .import ($entities entities)"
bash "$here/bench_registry.sh" "$entities" "$repeats" "$onecheck"
