#!/usr/bin/env bash
# The main job on a fresh machine: install the Debian packages, build, and run
# `orderlab run`, which writes the exit-event catalog, the GDP ratios with
# their 2/3 crossings and the paper's Figure 4.1 into out/ (store: orderlab.db).
# GDP comes from ../shared/data/wb_gdp/gdp.csv when present, else from the
# World Bank API.  Extra arguments go to `orderlab run`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
args=()
gdp=../shared/data/wb_gdp/gdp.csv
if [ -f "$gdp" ]; then
  # The staged copy is the World Bank's October 2024 release (2024-10-21,
  # ../shared/data/PROVENANCE.md section 3a); without it, `run` downloads.
  args=(--gdp "$gdp" --gdp-vintage 2024-10-21)
fi
exec ./build/orderlab run --out out "${args[@]}" "$@"
