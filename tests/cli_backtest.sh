#!/usr/bin/env bash
# `orderlab backtest` from the command line: help, the default on a fresh
# store (the four files, the table), determinism, --from and --to, the
# formats, and the exit codes of a start year outside the scenario's years,
# bad options and an unknown scenario file.  $1 is the CLI.
set -u
CLI="$1"
T=$(mktemp -d "${TMPDIR:-/tmp}/orderlab-cli-backtest-XXXXXX")
trap 'rm -rf "$T"' EXIT
export ORDERLAB_DB="$T/s.db"
. "$(dirname "$0")/sh/checks.sh"

"$CLI" backtest --help >"$T/out" 2>"$T/err"
check "help" 0 $?
has "help" "$T/out" "^backtest - "
has "help usage" "$T/out" "orderlab backtest \[SCENARIO\] \[--from Y\]"

# The default on a fresh store.
"$CLI" backtest --out "$T/a" >"$T/out" 2>"$T/err"
check "default" 0 $?
has "table header" "$T/out" "from 2008 (power data known until 2008) to 2019, hegemon USA"
has "matrix" "$T/out" "observed \\\\ predicted"
has "naive forecast" "$T/out" 'agree ([0-9.]* %; the naive forecast "always stays" [0-9.]* %)'
for f in confusion.csv timing.csv misses.csv summary.json; do
  [ -s "$T/a/$f" ] || fail "no $f"
done
has "confusion header" "$T/a/confusion.csv" "^observed,stay,threaten,exit,renegotiate,out,total$"
has "timing header" "$T/a/timing.csv" "^institution,predicted_year,predicted,observed_year,observed,error_years$"
has "misses header" "$T/a/misses.csv" "^year,institution,predicted,observed,event,reason,alternative,utility,account"
has "summary window" "$T/a/summary.json" '"from":	2008'
has "summary accuracy" "$T/a/summary.json" '"accuracy":'
has "catalog event in misses" "$T/a/misses.csv" "USA-"
ls -a "$T/a" | grep -q '\.tmp$' && fail "temporary files left"

# Deterministic: the same files again.
"$CLI" backtest -q --out "$T/b" >"$T/out" 2>"$T/err"
check "again" 0 $?
for f in confusion.csv timing.csv misses.csv summary.json; do
  cmp -s "$T/a/$f" "$T/b/$f" || fail "$f differs between two runs"
done
[ -s "$T/out" ] && fail "--quiet printed"

# --from, --to and the formats.
"$CLI" backtest --from 2000 --to 2018 --out "$T/c" --format json >"$T/out" 2>"$T/err"
check "from 2000 json" 0 $?
has "json from" "$T/out" '"from":	2000'
has "json to" "$T/out" '"to":	2018'
has "json known" "$T/out" '"known_until":	2000'
"$CLI" backtest --from 2012 --out "$T/d" --format csv >"$T/out" 2>"$T/err"
check "from 2012 csv" 0 $?
has "csv is misses" "$T/out" "^year,institution,predicted,observed"

# --hold-leader: the start year's profile for the whole run, said in the
# table and in summary.json; the default run says the profiles are the
# scenario's.
"$CLI" backtest --out "$T/g" >"$T/out" 2>"$T/err"
has "default: scenario's profiles" "$T/out" "^leader profiles: as the scenario (baseline in 2008"
has "default summary: scenario" "$T/g/summary.json" '"profiles":	"scenario"'
"$CLI" backtest --hold-leader --out "$T/h" >"$T/out" 2>"$T/err"
check "hold-leader" 0 $?
has "held line" "$T/out" "^leader profile held: baseline (in force in 2008) for the whole run; 3 later profile(s) left out"
has "held summary" "$T/h/summary.json" '"profiles":	"held"'
has "held summary dropped" "$T/h/summary.json" '"dropped":	3'
cmp -s "$T/g/confusion.csv" "$T/h/confusion.csv" && fail "--hold-leader changed nothing"
"$CLI" backtest --hold-leader --from 2018 --out "$T/i" --format json >"$T/out" 2>"$T/err"
check "hold-leader from 2018" 0 $?
has "held in 2018" "$T/out" '"at_start":	"transactional"'

# A scenario file, with a shorter span.
"$CLI" scenario show >"$T/s.yaml" 2>"$T/err"
sed -i "s/^  end: 2030/  end: 2026/" "$T/s.yaml"
"$CLI" backtest "$T/s.yaml" --from 2005 --out "$T/e" --format json >"$T/out" 2>"$T/err"
check "scenario file" 0 $?
has "to: the default" "$T/out" '"to":	2019'
"$CLI" backtest "$T/s.yaml" --from 2005 --to 2027 --out "$T/f" >"$T/out" 2>"$T/err"
check "to after the scenario's end" 2 $?

# Bad input.
"$CLI" backtest --from 1980 --out "$T/f" >"$T/out" 2>"$T/err"
check "from before the scenario" 2 $?
has "from named" "$T/err" "from"
"$CLI" backtest --from 2031 --out "$T/f" >"$T/out" 2>"$T/err"
check "from after the scenario" 2 $?
"$CLI" backtest --from 20x8 >"$T/out" 2>"$T/err"
check "from not a year" 2 $?
"$CLI" backtest --from 2010 --to 2009 --out "$T/f" >"$T/out" 2>"$T/err"
check "to before from" 2 $?
"$CLI" backtest --format xml >"$T/out" 2>"$T/err"
check "bad format" 2 $?
"$CLI" backtest --bogus >"$T/out" 2>"$T/err"
check "unknown option" 2 $?
"$CLI" backtest a.yaml b.yaml >"$T/out" 2>"$T/err"
check "two scenarios" 2 $?
"$CLI" backtest "$T/no-such.yaml" --out "$T/f" >"$T/out" 2>"$T/err"
rc=$?
[ "$rc" -ne 0 ] || fail "unknown scenario: exit 0"
has "unknown scenario named" "$T/err" "no-such.yaml"
[ -e "$T/f" ] && fail "output written on error"

finish cli_backtest
