#!/usr/bin/env bash
# `orderlab affinity` from the command line: the three formats, the options,
# exit codes and messages, on a fixture of nine roll calls imported with the
# unvotes importers (the same as tests/test_affinity.c).  $1 is the CLI.
set -u
CLI="$1"
T=$(mktemp -d "${TMPDIR:-/tmp}/orderlab-cli-affinity-XXXXXX")
trap 'rm -rf "$T"' EXIT
DB="$T/s.db"
. "$(dirname "$0")/sh/checks.sh"
run() { "$CLI" --db "$DB" affinity "$@" >"$T/out" 2>"$T/err"; }

# Before any import: which imports to run, exit 4.
run
check "no votes" 4 $?
has "no votes message" "$T/err" "no UN General Assembly votes"
has "no votes hint" "$T/err" "orderlab import unvotes-rollcalls"
has "no votes hint 2" "$T/err" "orderlab import unvotes-votes"

cat >"$T/rc.csv" <<'EOF'
rcid,session,importantvote,date,unres,amend,para,short,descr
1,1,0,1946-01-10,R/1/1,0,0,A,a
2,1,0,1946-02-10,R/1/2,0,0,B,b
3,1,0,1946-12-01,R/1/3,0,0,C,c
4,2,0,1947-03-01,R/2/1,0,0,D,d
5,2,0,1947-10-01,R/2/2,1,0,E,e
6,2,0,1947-11-01,R/2/3,0,0,F,f
7,3,0,,R/3/1,0,0,G,g
8,3,0,1948-10-01,R/3/2,0,0,H,h
9,3,0,1948-11-01,R/3/3,0,0,I,i
EOF
cat >"$T/votes.csv" <<'EOF'
rcid,country,country_code,vote
1,United States,US,yes
1,United Kingdom,GB,yes
1,France,FR,yes
1,Canada,CA,no
2,United States,US,no
2,United Kingdom,GB,no
2,France,FR,abstain
2,Canada,CA,no
3,United States,US,abstain
3,United Kingdom,GB,abstain
3,France,FR,no
4,United States,US,yes
4,United Kingdom,GB,yes
4,France,FR,no
4,Canada,CA,yes
5,United States,US,no
5,United Kingdom,GB,no
5,France,FR,yes
6,United States,US,yes
6,United Kingdom,GB,yes
6,France,FR,yes
6,Canada,CA,yes
7,United States,US,yes
7,United Kingdom,GB,yes
7,France,FR,no
8,United Kingdom,GB,yes
8,France,FR,no
EOF
"$CLI" --db "$DB" -q import unvotes-rollcalls "$T/rc.csv" >"$T/out" 2>"$T/err"
check "import roll calls" 0 $?
run
check "roll calls without votes" 4 $?
has "votes only" "$T/err" "unvotes-votes"
hasnt "not the roll calls again" "$T/err" "the roll calls (unvotes-rollcalls"
"$CLI" --db "$DB" -q import unvotes-votes "$T/votes.csv" >"$T/out" 2>"$T/err"
check "import votes" 0 $?

# The table.
run
check "table" 0 $?
has "table title" "$T/out" "^Agreement with United States (USA) by year"
has "table header" "$T/out" "^country *year with *n *agree *s_score *kappa$"
has "table FRA 1946" "$T/out" "^FRA *1946 USA *3 *0.3333 *0.3333 *0.0000$"
has "table CAN 1947 kappa missing" "$T/out" "^CAN *1947 USA *1 *1.0000 *1.0000 *-$"
has "table count" "$T/out" "^6 rows"
has "table roll calls" "$T/out" "5 used, 1 unanimous left out, 1 without a vote of USA"
hasnt "no reference row" "$T/out" "^USA "

# CSV: kappa missing is an empty field.
run --format csv
check "csv" 0 $?
has "csv header" "$T/out" "^country,year,with,n,agree,s_score,kappa$"
has "csv FRA 1946" "$T/out" "^FRA,1946,USA,3,0.3333333333,0.3333333333,0$"
has "csv FRA 1947" "$T/out" "^FRA,1947,USA,2,0,-1,-1$"
has "csv CAN 1947" "$T/out" "^CAN,1947,USA,1,1,1,$"
[ "$(wc -l <"$T/out")" -eq 7 ] || { fail "csv lines"; cat "$T/out"; }

# JSON: kappa missing is null, never NaN.
run --format json
check "json" 0 $?
has "json kappa null" "$T/out" '"kappa":	null'
has "json with" "$T/out" '"code":	"USA"'
has "json by" "$T/out" '"by":	"year"'
has "json used" "$T/out" '"used":	5'
hasnt "json nan" "$T/out" ":[[:space:]]*-\?nan"

# By session: rc 7 (no date) counts in session 3.
run --by session --format csv
check "session" 0 $?
has "session header" "$T/out" "^country,session,with,n,agree,s_score,kappa$"
has "session 3" "$T/out" "^FRA,3,USA,1,0,-1,0$"

# Options.
run --country France --country CA --format csv
check "countries" 0 $?
hasnt "countries: no GBR" "$T/out" "^GBR"
has "countries: CAN" "$T/out" "^CAN,1946"
run --country FRA,GBR --from 1947 --to 1947 --format csv
check "range" 0 $?
[ "$(wc -l <"$T/out")" -eq 3 ] || { fail "range lines"; cat "$T/out"; }
run --min-votes 3
check "min-votes" 0 $?
has "min-votes footer" "$T/out" "4 country-years with fewer than 3 joint votes left out"
run --min-votes 3 --format csv
has "min-votes on stderr with csv" "$T/err" "4 country-years with fewer than 3 joint votes left out"
"$CLI" --db "$DB" -q affinity --min-votes 3 --format csv >"$T/out" 2>"$T/err"
[ -s "$T/err" ] && { fail "--quiet printed:"; cat "$T/err"; }
run --agreement lijphart --country FRA --format csv
has "lijphart" "$T/out" "^FRA,1946,USA,3,0.6666666667,0.3333333333,0$"
run --keep-unanimous --country FRA --format csv
has "keep unanimous" "$T/out" "^FRA,1947,USA,3,0.3333333333,-0.3333333333,-0.5$"
run --final-passage --country FRA --format csv
has "final passage" "$T/out" "^FRA,1947,USA,1,0,-1,0$"
run --with "United Kingdom" --country FRA --format csv
check "with GB" 0 $?
has "with GB 1948" "$T/out" "^FRA,1948,GBR,1,0,-1,0$"

# Unknown, ambiguous, never voted: exit 4 with the candidates.
run --with Atlantis
check "unknown reference" 4 $?
has "unknown reference message" "$T/err" "Atlantis"
run --with Korea
check "unknown, names contain it" 4 $?
has "candidates" "$T/err" "KOR (South Korea)"
run --with Congo
check "ambiguous" 4 $?
has "ambiguous candidates" "$T/err" "COD"
run --with Japan
check "never voted" 4 $?
has "never voted message" "$T/err" "JPN (Japan) cast no vote"
run --country FRA,Narnia
check "unknown country" 4 $?
has "unknown country message" "$T/err" "Narnia"

# Usage errors: exit 2.
for bad in "--by decade" "--min-votes 0" "--min-votes x" "--from 1950 --to 1940" "--from abc" \
           "--agreement kappa" "--format xml" "extra" "--nonsense"; do
  # shellcheck disable=SC2086
  run $bad
  check "usage: $bad" 2 $?
done
run --by session --from x
has "--from names the unit" "$T/err" "needs a session"

run --help
check "help" 0 $?
has "help" "$T/out" "^affinity - "
"$CLI" help affinity >"$T/out" 2>&1
check "orderlab help affinity" 0 $?
"$CLI" --help >"$T/out" 2>&1
has "listed" "$T/out" "^  affinity "

finish cli_affinity
