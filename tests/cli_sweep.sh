#!/usr/bin/env bash
# `orderlab sweep` from the command line, on the built-in scenario and a
# fresh store: the files, 1 and 2 threads byte-identical, `mpirun -n 2`
# against one process byte-identical, kill -9 in the middle and a resume
# equal to an uninterrupted sweep, a rerun into the same directory,
# `simulate --sweep DIR --run-id K` equal to row K, the runs row in the
# store, and the exit codes of bad input.  $1 is the CLI.
set -u
CLI="$1"
no_mpi=0
T=$(mktemp -d "${TMPDIR:-/tmp}/orderlab-cli-sweep-XXXXXX")
pid=
cleanup() { if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null; fi; rm -rf "$T"; }
trap cleanup EXIT
export ORDERLAB_DB="$T/s.db"
. "$(dirname "$0")/sh/checks.sh"
same_outputs() { # description, dir a, dir b: every output file equal
  for f in manifest.csv runs.csv aggregate.csv heatmap.csv summary.json scenario.yaml design.yaml ${4:-}; do
    cmp -s "$2/$f" "$3/$f" || fail "$1: $f differs"
  done
}

"$CLI" sweep --help >"$T/out" 2>"$T/err"
check "help" 0 $?
has "help" "$T/out" "^sweep - "

# A small Saltelli design on the built-in scenario (2 x 16 x 4 = 128 runs).
cat >"$T/sal.yaml" <<'EOF'
name: small-saltelli
design: saltelli
samples: 16
replicates: 2
seed: 11
stochastic: true
parameters:
  - {key: threshold.tau, min: 0.5, max: 0.85}
  - {key: "leaders[transactional].temperament", min: 1, max: 3}
sweep:
  wave: {min_exits: 3, window: 4}
  bins: 3
  bootstrap: 100
EOF
"$CLI" sweep "$T/sal.yaml" --out "$T/a" --threads 1 --format svg >"$T/out" 2>"$T/err"
check "sweep, 1 thread" 0 $?
has "summary line" "$T/out" "sweep small-saltelli on scenario default: 128 runs (64 points x 2 replicates)"
has "threads line" "$T/out" "on 1 thread x 1 rank; 0 failed"
for f in design.yaml scenario.yaml manifest.csv runs.csv aggregate.csv heatmap.csv sobol.csv summary.json \
         magnitudes.csv magnitudes.md sweep_heatmap.svg sweep_sensitivity.svg .sweep; do
  [ -s "$T/a/$f" ] || fail "missing $f"
done
[ ! -e "$T/a/parts" ] || fail "part files left after the merge"
[ "$(wc -l <"$T/a/runs.csv")" = 129 ] || fail "runs.csv has $(wc -l <"$T/a/runs.csv") lines"
has "runs header" "$T/a/runs.csv" "^run,status,error,first_threat_year,first_exit_year,threats,exits,"
has "manifest header" "$T/a/manifest.csv" '^run,point,replicate,seed,threshold.tau,leaders\[transactional\].temperament$'
has "sobol rows" "$T/a/sobol.csv" "^exits,threshold.tau,"
has "aggregate rows" "$T/a/aggregate.csv" "^threshold.tau,3,"
has "magnitudes header" "$T/a/magnitudes.csv" "^subject,kind,account,quantity,value,unit,origin,source,years,note$"
has "magnitudes built-in" "$T/a/magnitudes.csv" "^USA,actor,power,.*,built-in,"
cmp -s "$T/sal.yaml" "$T/a/design.yaml" || fail "design.yaml is not the design"
n=$(sqlite3 "$T/s.db" "SELECT count(*) FROM runs WHERE kind = 'sweep' AND status = 'ok' AND seed = 11")
[ "$n" = 1 ] || fail "$n sweep rows in the store, expected 1"

# 2 threads: the same bytes.
"$CLI" -q sweep "$T/sal.yaml" --out "$T/b" --threads 2 --format none 2>"$T/err"
check "sweep, 2 threads" 0 $?
same_outputs "1 vs 2 threads" "$T/a" "$T/b" sobol.csv

# Rerun into the same directory: nothing to run; another design there is refused.
"$CLI" sweep "$T/sal.yaml" --out "$T/b" --format none >"$T/out" 2>"$T/err"
check "rerun" 0 $?
has "rerun ran nothing" "$T/out" "ran 0 (128 finished before)"
sed 's/seed: 11/seed: 12/' "$T/sal.yaml" >"$T/sal12.yaml"
"$CLI" sweep "$T/sal12.yaml" --out "$T/b" --format none >/dev/null 2>"$T/err"
check "another sweep in DIR" 2 $?
has "another sweep message" "$T/err" "holds another sweep: its design"
mkdir "$T/full" && echo x >"$T/full/x"
"$CLI" sweep "$T/sal.yaml" --out "$T/full" --format none >/dev/null 2>"$T/err"
check "a non-empty directory" 2 $?

# simulate --sweep DIR --run-id K: row K of runs.csv, byte for byte.
for k in 0 77; do
  "$CLI" -q simulate --sweep "$T/a" --run-id $k --out "$T/r$k" --format none 2>"$T/err"
  check "simulate --sweep, run $k" 0 $?
  sed -n "$((k + 2))p" "$T/a/runs.csv" >"$T/want"
  sed -n 2p "$T/r$k/sweep_run.csv" >"$T/got"
  cmp -s "$T/want" "$T/got" || fail "run $k: $(cat "$T/got") != $(cat "$T/want")"
  [ -s "$T/r$k/actions.csv" ] || fail "run $k: no actions.csv"
  cmp -s "$T/a/magnitudes.csv" "$T/r$k/magnitudes.csv" || fail "run $k: magnitudes.csv differs from the sweep's"
done
"$CLI" simulate --sweep "$T/a" --out "$T/r" >/dev/null 2>"$T/err"; check "--sweep without --run-id" 2 $?
"$CLI" simulate --sweep "$T/a" --run-id 128 --out "$T/r" >/dev/null 2>"$T/err"; check "--run-id beyond" 2 $?
"$CLI" simulate --sweep "$T/full" --run-id 0 --out "$T/r" >/dev/null 2>"$T/err"; check "--sweep not a sweep" 4 $?

# MPI: two ranks against one process.
if command -v mpirun >/dev/null 2>&1; then
  export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMPI_MCA_rmaps_base_oversubscribe=1
  # OpenMPI's own allocations at exit are not ours to report
  [ "${OL_SANITIZED:-0}" = 1 ] && export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
  mpirun -n 2 "$CLI" sweep "$T/sal.yaml" --out "$T/m" --format none >"$T/out" 2>"$T/err"
  check "mpirun -n 2" 0 $?
  has "two ranks" "$T/out" "on 1 thread x 2 ranks"
  same_outputs "1 process vs 2 ranks" "$T/a" "$T/m" sobol.csv
  mpirun -n 1 "$CLI" -q sweep "$T/sal.yaml" --out "$T/m1" --format none 2>"$T/err"
  check "mpirun -n 1" 0 $?
  same_outputs "1 process vs 1 rank" "$T/a" "$T/m1" sobol.csv
else
  echo "SKIP: mpirun not installed; the MPI checks did not run"
  no_mpi=1
fi

# kill -9 in the middle, then resume: the runs of an uninterrupted sweep.
cat >"$T/big.yaml" <<'EOF'
name: big
design: lhs
samples: 6000
seed: 3
stochastic: true
parameters:
  - {key: threshold.tau, min: 0.5, max: 0.85}
  - {key: "actors[role=ally].dependence", op: scale, min: 0.5, max: 1}
EOF
"$CLI" -q sweep "$T/big.yaml" --out "$T/k" --threads 2 --format none 2>"$T/err" &
pid=$!
for _ in $(seq 1 400); do
  rows=$(cat "$T"/k/parts/*.csv 2>/dev/null | wc -l)
  [ "$rows" -gt 300 ] && break
  sleep 0.02
done
# a second sweep into the same directory meanwhile is refused
"$CLI" sweep "$T/big.yaml" --out "$T/k" --format none >/dev/null 2>"$T/err2"
rc=$?
if kill -0 "$pid" 2>/dev/null; then
  [ "$rc" = 5 ] && grep -q "another orderlab sweep is running" "$T/err2" ||
    { fail "a second sweep in a busy directory: exit $rc"; cat "$T/err2"; }
fi
kill -9 "$pid" 2>/dev/null || fail "the sweep ended before it could be killed"
wait "$pid" 2>/dev/null
pid=
[ ! -e "$T/k/runs.csv" ] || fail "runs.csv written by a killed sweep"
"$CLI" sweep "$T/big.yaml" --out "$T/k" --threads 2 --format none >"$T/out" 2>"$T/err"
check "resume after kill -9" 0 $?
grep -q "finished before" "$T/out" && ! grep -q "(0 finished before)" "$T/out" ||
  { fail "the resume ran everything again:"; cat "$T/out"; }
"$CLI" -q sweep "$T/big.yaml" --out "$T/k2" --threads 2 --format none 2>"$T/err"
check "uninterrupted" 0 $?
same_outputs "killed and resumed vs uninterrupted" "$T/k" "$T/k2"

# Bad input: a key the scenario has not, at its place in the file (exit 3).
printf 'design: grid\nparameters:\n  - {key: threshold.tua, levels: [0.5]}\n' >"$T/bad.yaml"
"$CLI" sweep "$T/bad.yaml" --out "$T/bad" >/dev/null 2>"$T/err"; check "unknown key" 3 $?
has "unknown key message" "$T/err" "bad.yaml:3:11: field 'threshold.tua': unknown key 'threshold.tua' (did you mean 'threshold.tau'?)"
[ ! -e "$T/bad" ] || fail "a directory made for a bad design"
printf 'design: grid\nparameters:\n  - {key: years.start, levels: [2000]}\n' >"$T/bad2.yaml"
"$CLI" sweep "$T/bad2.yaml" --out "$T/bad" >/dev/null 2>"$T/err"; check "world-builder key" 3 $?
has "world-builder message" "$T/err" "changes what the world builder reads"
printf 'design: grid\nparameters:\n  - {key: threshold.tau, levels: [0.5]}\nsweep: {wave: {window: 0}}\n' >"$T/bad3.yaml"
"$CLI" sweep "$T/bad3.yaml" --out "$T/bad" >/dev/null 2>"$T/err"; check "bad option" 3 $?
has "bad option message" "$T/err" "bad3.yaml:4:24: field 'sweep.wave.window'"
"$CLI" sweep "$T/nothere.yaml" --out "$T/bad" >/dev/null 2>"$T/err"; check "no design file" 5 $?
"$CLI" sweep >/dev/null 2>"$T/err"; check "no design" 2 $?
"$CLI" sweep a b c >/dev/null 2>"$T/err"; check "three files" 2 $?
"$CLI" sweep "$T/sal.yaml" --threads 0 >/dev/null 2>"$T/err"; check "--threads 0" 2 $?
"$CLI" sweep "$T/sal.yaml" --format gif >/dev/null 2>"$T/err"; check "--format gif" 2 $?

[ "$fails" = 0 ] || finish cli_sweep
# every other check passed; without mpirun the test is skipped, not passed
[ "${no_mpi:-0}" = 1 ] && exit 77
finish cli_sweep
