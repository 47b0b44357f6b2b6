# Shared by the bench_*.sh scripts, sourced after `set -euo pipefail`:
#   source "$(dirname "$0")/bench-common.sh" "$@"
# sets `here` (this folder), `root` (the repository), `entities` ($1, default 1,000,000), `repeats` ($2, default 3)
# and `onecheck` ($3; default: the release build, built first), and defines `now` (seconds, as text) and `median`
# (of the numbers on stdin).
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$(dirname "$here")")
entities=${1:-1000000}
repeats=${2:-3}
onecheck=${3:-}
if [ -z "$onecheck" ]; then
  (cd "$root" && swift build -c release --product onecheck)
  onecheck="$root/.build/release/onecheck"
fi
now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
