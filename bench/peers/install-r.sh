#!/usr/bin/env bash
# Installs the R peers of the ideal-point benchmark (bench/bench_ideal.c):
# R itself and the two R packages whose estimators orderlab is measured
# against.  Not part of scripts/install-deps.sh: building and testing
# orderlab never needs R; only the benchmark does, and it runs this script.
#
# Idempotent and quiet: exits 0 at once when everything is installed.  The
# package lists are refreshed (apt-get update) only when apt does not know a
# missing package or the install fails on stale lists.  Run as root or with
# sudo available.
set -euo pipefail

pkgs=(
  r-base-core       # Rscript
  r-cran-pscl       # pscl::ideal, the Clinton-Jackman-Rivers Gibbs sampler
  r-cran-mcmcpack   # MCMCpack::MCMCirt1d, the one-dimensional IRT Gibbs sampler
)

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

missing=()
for p in "${pkgs[@]}"; do
  installed "$p" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

# A package with no install candidate means the lists are missing or stale.
needs_update=0
for p in "${missing[@]}"; do
  cand=$(apt-cache policy "$p" 2>/dev/null | awk '/Candidate:/ {print $2}')
  if [ -z "$cand" ] || [ "$cand" = "(none)" ]; then needs_update=1; fi
done

echo "install-r: installing ${missing[*]}" >&2
if [ $needs_update -eq 1 ]; then $SUDO apt-get update -qq; fi
if ! $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
  # The candidates may point at files the mirror no longer has.
  [ $needs_update -eq 1 ] && exit 1
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

for p in "${pkgs[@]}"; do
  if ! installed "$p"; then
    echo "install-r: $p is still not installed" >&2
    exit 1
  fi
done
