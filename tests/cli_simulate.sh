#!/usr/bin/env bash
# `orderlab simulate` from the command line: the default on a fresh store,
# the files and figures, --seed echoed into every output, determinism (two
# runs: identical files), the rerun from scenario.yaml, a Monte Carlo, the
# run in the store, and the exit codes of bad options, a bad scenario and an
# unwritable directory.  $1 is the CLI.
set -u
CLI="$1"
T=$(mktemp -d "${TMPDIR:-/tmp}/orderlab-cli-simulate-XXXXXX")
trap 'rm -rf "$T"' EXIT
export ORDERLAB_DB="$T/s.db"
. "$(dirname "$0")/sh/checks.sh"

"$CLI" simulate --help >"$T/out" 2>"$T/err"
check "help" 0 $?
has "help" "$T/out" "^simulate - "

# The default, deterministic, on a fresh store (no data imported).
"$CLI" simulate --seed 7 --out "$T/a" >"$T/out" 2>"$T/err"
check "default" 0 $?
has "summary line" "$T/out" "seed 7, 1 run"
has "first threat" "$T/out" "first threat"
for f in actor_year.csv institution_year.csv actions.csv metrics.csv summary.json scenario.yaml \
         power_ratio.svg power_ratio.png power_ratio.pdf action_map.svg action_map.png action_map.pdf; do
  [ -s "$T/a/$f" ] || fail "missing $f"
done
has "seed in summary" "$T/a/summary.json" '"seed":	7'
has "seed in scenario" "$T/a/scenario.yaml" "^seed: 7"
has "png" "$T/a/power_ratio.png" "PNG"
has "csv header" "$T/a/actions.csv" "^run,year,institution,action,actor,counterpart,rival,means,effect,probability$"
[ -z "$(ls -A "$T/a" | grep '\.tmp$')" ] || fail "temporary files left"

# Determinism: the same again gives the same bytes; the echoed scenario reruns it.
"$CLI" -q simulate --seed 7 --out "$T/b" --format none 2>"$T/err"
check "second run" 0 $?
"$CLI" -q simulate "$T/a/scenario.yaml" --out "$T/c" --format none 2>"$T/err"
check "rerun from scenario.yaml" 0 $?
for f in actor_year.csv institution_year.csv actions.csv metrics.csv summary.json scenario.yaml; do
  cmp -s "$T/a/$f" "$T/b/$f" || fail "$f differs between identical runs"
  cmp -s "$T/a/$f" "$T/c/$f" || fail "$f differs on the rerun from scenario.yaml"
done

# A small Monte Carlo: shares in the summary, two runs in detail; a format
# list with blanks around its comma.
"$CLI" -q simulate --runs 5 --stochastic --detail 2 --format "png , pdf" --out "$T/mc" 2>"$T/err"
check "monte carlo" 0 $?
exists "mc png" "$T/mc/power_ratio.png"
exists "mc pdf" "$T/mc/power_ratio.pdf"
[ -e "$T/mc/power_ratio.svg" ] && fail "an svg not asked for"
has "mc shares" "$T/mc/summary.json" '"share_of_runs"'
has "mc stochastic" "$T/mc/scenario.yaml" "rule: logit"
has "mc detail" "$T/mc/metrics.csv" "^1,2030,"
if grep -q "^2,1990," "$T/mc/metrics.csv"; then fail "run 2 written in detail"; fi

# The runs in the store.
n=$(sqlite3 "$T/s.db" "SELECT count(*) FROM runs WHERE kind = 'simulate' AND status = 'ok'")
[ "$n" = 4 ] || fail "$n runs stored, expected 4"
n=$(sqlite3 "$T/s.db" "SELECT seed FROM runs ORDER BY id LIMIT 1")
[ "$n" = 7 ] || fail "stored seed $n, expected 7"

# Bad options, a bad scenario, an unwritable directory (nothing stored).
"$CLI" simulate --runs 0 >/dev/null 2>"$T/err"; check "--runs 0" 2 $?
"$CLI" simulate --seed -1 >/dev/null 2>"$T/err"; check "--seed -1" 2 $?
"$CLI" simulate --format gif >/dev/null 2>"$T/err"; check "--format gif" 2 $?
"$CLI" simulate a.yaml b.yaml >/dev/null 2>"$T/err"; check "two scenarios" 2 $?
printf 'name: bad\nthreshold:\n  tau: 7\n' >"$T/bad.yaml"
"$CLI" simulate "$T/bad.yaml" --out "$T/bad" >/dev/null 2>"$T/err"; check "bad scenario" 3 $?
echo x >"$T/plain"
"$CLI" simulate --out "$T/plain/sub" >/dev/null 2>"$T/err"; check "unwritable" 5 $?
n=$(sqlite3 "$T/s.db" "SELECT count(*) FROM runs")
[ "$n" = 4 ] || fail "a failed run was stored ($n runs)"

finish cli_simulate
