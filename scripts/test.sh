#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds with warnings as
# errors and runs every CTest test (unit, cli, and data when ../shared/data
# is present).  `scripts/test.sh --sanitize` does the same under
# AddressSanitizer + UndefinedBehaviorSanitizer in build-asan/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh

build=build
flags=(-DORDERLAB_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo)
if [ "${1:-}" = "--sanitize" ]; then
  build=build-asan
  flags+=(-DORDERLAB_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug -DORDERLAB_BENCH=OFF)
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi
cmake -S . -B "$build" "${flags[@]}"
cmake --build "$build" -j"$(nproc)"
ctest --test-dir "$build" --output-on-failure -j"$(nproc)"
