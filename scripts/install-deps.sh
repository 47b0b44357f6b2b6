#!/usr/bin/env bash
# Installs the system libraries OneCheck links against, when they are missing (Debian/Ubuntu).
# OpenBLAS provides CBLAS (and openblas_set_num_threads); liblapacke-dev the LAPACKE C interface.
# The console's browser tests drive Debian's chromium through chromium-driver (W3C WebDriver); fonts-noto-cjk
# draws its Chinese pages; zlib1g-dev decodes their screenshots; curl and openssl serve the TLS test; wrk loads
# the console benchmark.
set -euo pipefail
packages=(libopenblas-dev liblapacke-dev libsqlite3-dev zlib1g-dev chromium chromium-driver fonts-noto-cjk curl openssl wrk)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}" >&2
sudo_cmd=()
[ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq "${missing[@]}"
