#!/usr/bin/env bash
# `orderlab ideal compare FILE` from the command line: the report in its
# three formats, the polarity warning and the exit codes.  $1 is the CLI.
set -u
CLI="$1"
command -v sqlite3 >/dev/null || { echo "sqlite3 shell not installed: skip"; exit 77; }
"$CLI" ideal compare --help >/dev/null 2>&1 || { echo "no 'ideal compare' in this build: skip"; exit 77; }
T=$(mktemp -d "${TMPDIR:-/tmp}/orderlab-cli-idealcmp-XXXXXX")
trap 'rm -rf "$T"' EXIT
DB="$T/s.db"
. "$(dirname "$0")/sh/checks.sh"

"$CLI" --db "$DB" db info >/dev/null || { echo "cannot create a store"; exit 1; }
# The published file (session layout): B = 1 3 2 4 in session 1, 2 4 6 8 in
# session 2, plus a South Yemen row labelled YAR (a reject).
cat >"$T/IdealpointestimatesAll_Jun2024.csv" <<'EOF'
"","ccode","session","NVotesAll","IdealPointAll","Q5%All","Q50%All","Q95%All","iso3c","Countryname"
"1",2,1,40,1,,,,"USA","United States"
"2",200,1,40,3,,,,"GBR","United Kingdom"
"3",220,1,40,2,,,,"FRA","France"
"4",365,1,40,4,,,,"RUS","Russia"
"5",2,2,40,2,,,,"USA","United States"
"6",200,2,40,4,,,,"GBR","United Kingdom"
"7",220,2,40,6,,,,"FRA","France"
"8",365,2,40,8,,,,"RUS","Russia"
"9",680,25,40,0.1,,,,"YAR","South Yemen"
EOF
F="$T/IdealpointestimatesAll_Jun2024.csv"

# Before any estimate: exit 4 and the hint.
"$CLI" --db "$DB" ideal compare "$F" >"$T/out" 2>"$T/err"
check "no estimate" 4 $?
has "no estimate message" "$T/err" "no ideal points named 'orderlab-dynamic'"
has "no estimate hint" "$T/err" "orderlab ideal estimate"

# A = 1 2 3 4 in both sessions (r = 0.8 in session 1, 1 in session 2).
sqlite3 "$DB" <<'EOF'
INSERT INTO runs(id, kind, status) VALUES (1, 'ideal', 'ok');
WITH a(c, s, v) AS (VALUES ('USA',1,1),('GBR',1,2),('FRA',1,3),('RUS',1,4),
                           ('USA',2,1),('GBR',2,2),('FRA',2,3),('RUS',2,4))
INSERT INTO ideal_points(estimate, country, period_kind, period, year, value, se, run_id)
  SELECT 'orderlab-dynamic', c, 'session', s, 1945 + s, v, 0.1, 1 FROM a UNION ALL
  SELECT 'orderlab-ordinal', c, 'session', s, 1945 + s, -v, 0.1, 1 FROM a;
EOF

"$CLI" --db "$DB" ideal compare "$F" --top 2 >"$T/out" 2>"$T/err"
check "compare" 0 $?
has "rejects counted" "$T/out" "rejected 1"
has "reject shown" "$T/err" "YAR"
has "matched" "$T/out" "matched on the session: 8 country-sessions"
has "per session minimum" "$T/out" "minimum r = 0.8000 (session 1, 1946)"
has "per session median" "$T/out" "median r = 0.9000"
has "pooled" "$T/out" "pooled         r = "
has "static estimators" "$T/out" "static estimators"
has "common scale" "$T/out" "least-squares line"
has "disagreements" "$T/out" "The 2 largest disagreements"
has "per country no r" "$T/out" "4 without r (fewer than 3 sessions)"
# the sessions' own lines are B = 0.5 + 0.8 A and B = 2 A
has "calibration" "$T/out" "calibration    r = 0.7230 with A standardised within each session, r = 0.9757 with each session"
has "own line" "$T/out" "^       2   1947      4   1.0000 .* 2.0000$"

# One year: session 2 alone, the rest counted as left out.
"$CLI" --db "$DB" ideal compare "$F" --from 1947 --to 1947 -q >"$T/out" 2>"$T/err"
check "years" 0 $?
has "years matched" "$T/out" "matched on the session: 4 country-sessions"
has "years left out" "$T/out" "left out: 4 rows of A and 4 of B dated outside the years asked"
has "years r" "$T/out" "overall        r = 1.0000"
"$CLI" --db "$DB" ideal compare "$F" --from 2000 --to 1990 >"$T/out" 2>"$T/err"
check "years reversed" 2 $?
has "years reversed message" "$T/err" "is after --to 1990"
"$CLI" --db "$DB" ideal compare "$F" --from 19x6 >"$T/out" 2>"$T/err"
check "years not a year" 2 $?
"$CLI" --db "$DB" ideal compare "$F" --from 2030 >"$T/out" 2>"$T/err"
check "years outside the data" 3 $?
has "years outside message" "$T/err" "dated from 2030"

"$CLI" --db "$DB" ideal compare "$F" --format csv -q >"$T/out" 2>"$T/err"
check "csv" 0 $?
has "csv header" "$T/out" "^section,country,period,year,n,statistic,value$"
has "csv period r" "$T/out" "^period,,1,1946,4,r,0.8$"
has "csv rejects" "$T/out" "^overall,,,,,file_rejected,1$"
has "csv calibration" "$T/out" "^overall,,,,8,r_period_lines,0.97570487"
has "csv own slope" "$T/out" "^period,,1,1946,4,slope,0.8"

"$CLI" --db "$DB" ideal compare "$F" --format json -q >"$T/out" 2>"$T/err"
check "json" 0 $?
has "json r" "$T/out" '"period_r_min":	0\.\(8\|7999999\)'
has "json reversed" "$T/out" '"reversed":	false'

# Opposite polarity: said loudly, not flipped.
"$CLI" --db "$DB" ideal compare "$F" --estimate orderlab-ordinal >"$T/out" 2>"$T/err"
check "reversed" 0 $?
has "reversed warning" "$T/out" "NEGATIVE"
has "reversed stderr" "$T/err" "opposite polarity"

# Exit codes.
"$CLI" --db "$DB" ideal compare "$F" --max-rejects 0 >"$T/out" 2>"$T/err"
check "too many rejects" 3 $?
"$CLI" --db "$DB" ideal compare "$T/none.csv" >"$T/out" 2>"$T/err"
check "unreadable" 5 $?
printf 'a,b\n1,2\n' >"$T/bad.csv"
"$CLI" --db "$DB" ideal compare "$T/bad.csv" >"$T/out" 2>"$T/err"
check "bad file" 3 $?
"$CLI" --db "$DB" ideal compare "$F" --with-estimate bsv-fp >"$T/out" 2>"$T/err"
check "no such estimate in the file" 4 $?
printf '"","ccode","session","NVotesAll","IdealPointAll","Q5%%All","Q50%%All","Q95%%All","iso3c","Countryname"\n"1",2,70,40,1,,,,"USA","x"\n' >"$T/other.csv"
"$CLI" --db "$DB" ideal compare "$T/other.csv" >"$T/out" 2>"$T/err"
check "nothing matched" 3 $?
has "nothing matched message" "$T/err" "nothing to compare"
"$CLI" --db "$DB" ideal compare >"$T/out" 2>"$T/err"
check "no file" 2 $?
"$CLI" --db "$DB" ideal compare "$F" --min-n 2 >"$T/out" 2>"$T/err"
check "min-n" 2 $?
"$CLI" --db "$DB" ideal compare "$F" --format xml >"$T/out" 2>"$T/err"
check "format" 2 $?

finish cli_ideal_compare
