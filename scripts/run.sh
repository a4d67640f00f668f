#!/usr/bin/env bash
# The main job on a fresh machine: install the Debian packages, build, and run
# `orderlab run`, which writes the exit-event catalog, the GDP ratios with
# their 2/3 crossings and the paper's Figure 4.1 into out/ (store: orderlab.db).
# GDP comes from ../shared/data/wb_gdp/gdp.csv when present, else from the
# World Bank API.  Extra arguments go to `orderlab run`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
exec ./build/orderlab run --out out "$@"
