#!/usr/bin/env bash
# The main job on a fresh machine: install the Debian packages, build, and run
# `orderlab report`, which writes the report into out/ (out/index.html, one
# self-contained page, and beside it every figure as SVG/PNG/PDF with its data
# file; the store is orderlab.db).  docs/report.md describes the sections.
#
# With ../shared/data present, what the store lacks is imported from it
# (World Bank GDP, the UN General Assembly votes; the ideal points are
# fitted), so the report uses the full data.  Without it, GDP is downloaded
# from the World Bank API when the network allows, the simulation runs on its
# built-in facts, and each section without data says what is missing and how
# to import it.  The sensitivity section runs the paper's question,
# examples/paper-two-thirds.yaml (12,288 runs, a few seconds).  Extra
# arguments go to `orderlab report`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
args=(--out out --sweep examples/paper-two-thirds.yaml)
data=../shared/data
if [ -d "$data" ]; then
  # The staged GDP is the World Bank's October 2024 release (2024-10-21,
  # ../shared/data/PROVENANCE.md section 3a).
  args+=(--data "$data" --gdp-vintage 2024-10-21)
else
  args+=(--fetch)
fi
start=$(date +%s.%N)
./build/orderlab report "${args[@]}" "$@"
end=$(date +%s.%N)
awk -v a="$start" -v b="$end" -v c="${args[*]}" 'BEGIN{printf "main job: %.1f s (orderlab report %s)\n", b - a, c}'
echo "open out/index.html in a browser"
