#!/usr/bin/env bash
# `orderlab scenario check|show|params` from the command line: exit codes,
# the problem lines, the round trip through `show`, and the documentation's
# tables against the schema.  $1 is the CLI.
set -u
CLI="$1"
T=$(mktemp -d "${TMPDIR:-/tmp}/orderlab-cli-scenario-XXXXXX")
trap 'rm -rf "$T"' EXIT
export ORDERLAB_DB="$T/none.db"
. "$(dirname "$0")/sh/checks.sh"

# The built-in default, commented; it checks clean and shows back identically.
"$CLI" scenario show >"$T/default.yaml" 2>"$T/err"
check "show" 0 $?
has "show tau" "$T/default.yaml" "^  tau: 2/3 .*# \[P_C/P_H\]"
has "show hegemon" "$T/default.yaml" "{code: USA, role: hegemon}"
has "show hash" "$T/default.yaml" "content hash fnv1a64:[0-9a-f]\{16\}"
"$CLI" scenario check "$T/default.yaml" >"$T/out" 2>&1
check "check default" 0 $?
has "check ok" "$T/out" "default.yaml: ok (fnv1a64:[0-9a-f]\{16\})"
"$CLI" scenario show --canonical >"$T/c1.yaml" && "$CLI" scenario show --canonical "$T/c1.yaml" >"$T/c2.yaml"
check "canonical" 0 $?
cmp -s "$T/c1.yaml" "$T/c2.yaml" || fail "canonical show is not stable"
hasnt "canonical has no comments" "$T/c1.yaml" "# \["
[ -e "$ORDERLAB_DB" ] && fail "check or show created a store"

"$CLI" scenario show --defaults-only >"$T/out" 2>&1
check "defaults-only" 0 $?
has "defaults-only params" "$T/out" "^  steepness: 12"
hasnt "defaults-only no actors" "$T/out" "^actors:"

# A scenario with several problems: each on its own line, exit 3.
cat >"$T/bad.yaml" <<'YAML'
name: bad
threshhold: {tau: 0.5}
threshold: {steepness: -1}
actors:
  - {code: USA, role: hegemon}
  - {code: XYZ, role: hegemon}
YAML
"$CLI" scenario check "$T/bad.yaml" >"$T/out" 2>"$T/err"
check "check bad" 3 $?
has "unknown key" "$T/out" "bad.yaml:2:1: threshhold: unknown key 'threshhold' (did you mean 'threshold'?)"
has "range" "$T/out" "bad.yaml:3:24: threshold.steepness: -1 is out of range"
has "second hegemon" "$T/out" "bad.yaml:6:23: actors\[2\].role: a second hegemon"
has "unknown code" "$T/out" "bad.yaml:6:12: actors\[2\].code: unknown country code 'XYZ'"
has "no challenger" "$T/out" "bad.yaml:4:1: actors: no challenger"
has "count" "$T/err" "5 problems"
"$CLI" scenario check "$T/bad.yaml" --format csv >"$T/out" 2>&1
check "check csv" 3 $?
has "csv header" "$T/out" "^file,line,column,key,message$"
has "csv row" "$T/out" ",2,1,threshhold,"
"$CLI" scenario check "$T/bad.yaml" --format json >"$T/out" 2>&1
check "check json" 3 $?
has "json" "$T/out" '"line": 2, "column": 1, "key": "threshhold"'

# A CSV table with a bad cell: its own file, line and column.
printf 'code,role\nUSA,hegemon\nCHN,challengr\n' >"$T/actors.csv"
printf 'name: csv\nactors_csv: actors.csv\n' >"$T/csv.yaml"
"$CLI" scenario check "$T/csv.yaml" >"$T/out" 2>&1
check "check csv table" 3 $?
has "csv cell" "$T/out" "actors.csv:3:2: role: unknown value 'challengr' (did you mean 'challenger'?"

# Unreadable file 5; usage 2; help 0.
"$CLI" scenario check "$T/nonexistent.yaml" >"$T/out" 2>&1
check "missing file" 5 $?
has "missing file message" "$T/out" "nonexistent.yaml: cannot open"
"$CLI" scenario >"$T/out" 2>&1
check "no subcommand" 2 $?
"$CLI" scenario frobnicate >"$T/out" 2>&1
check "unknown subcommand" 2 $?
"$CLI" scenario check >"$T/out" 2>&1
check "check without file" 2 $?
"$CLI" scenario --help >"$T/out" 2>&1
check "help" 0 $?
has "help text" "$T/out" "orderlab scenario check FILE"

# docs/scenario.md holds the generated tables of the schema, unchanged.
if [ -n "${OL_SOURCE_DIR:-}" ] && [ -f "$OL_SOURCE_DIR/docs/scenario.md" ]; then
  "$CLI" scenario params --format markdown >"$T/params.md"
  sed -n '/<!-- BEGIN scenario params -->/,/<!-- END scenario params -->/p' "$OL_SOURCE_DIR/docs/scenario.md" |
    sed '1d;$d' >"$T/doc.md"
  if ! cmp -s "$T/params.md" "$T/doc.md"; then
    fail "docs/scenario.md's tables differ from 'orderlab scenario params --format markdown':"
    diff "$T/doc.md" "$T/params.md" | head -20
  fi
fi

finish cli_scenario
