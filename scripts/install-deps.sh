#!/usr/bin/env bash
# Installs the Debian 12 packages orderlab builds, tests and runs with.
# Idempotent: packages already present are left alone, and apt is only
# called when something is missing. Run as root or with sudo available.
set -euo pipefail

# Why each package: see docs/dependencies.md.
pkgs=(
  build-essential cmake pkg-config git
  libsqlite3-dev sqlite3          # the store; sqlite3 shell for the import benchmark
  libcsv-dev                      # streaming RFC 4180 CSV parser
  libcjson-dev                    # JSON output and the World Bank API
  libcurl4-openssl-dev            # orderlab fetch
  libplplot-dev plplot-driver-cairo  # figures (SVG/PNG/PDF through cairo)
  libgsl-dev                      # statistics and random numbers
  librandom123-dev                # counter-based generator (Philox) for independent run streams
  libyaml-dev                     # scenario files
  libexpat1-dev libzip-dev        # reading .xlsx workbooks (SIPRI's marked estimates)
  libcmocka-dev                   # unit tests
  openmpi-bin libopenmpi-dev      # sweeps across MPI ranks (mpirun, mpicc); optional: without them sweeps run in one process
  python3                         # loopback HTTP server used by the fetch tests
  chromium                        # headless browser that opens the HTML report in tests/cli_report.sh (figures load, console clean)
)

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#pkgs[@]} packages present"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
