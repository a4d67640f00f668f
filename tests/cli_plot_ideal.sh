#!/usr/bin/env bash
# `orderlab plot ideal` (Figure 4.2) from the command line: files written,
# the data file, warnings and exit codes.  $1 is the CLI.
set -u
CLI="$1"
command -v sqlite3 >/dev/null || { echo "sqlite3 shell not installed: skip"; exit 77; }
T=$(mktemp -d "${TMPDIR:-/tmp}/orderlab-cli-plot-ideal-XXXXXX")
trap 'rm -rf "$T"' EXIT
DB="$T/s.db"
. "$(dirname "$0")/sh/checks.sh"

"$CLI" --db "$DB" db info >/dev/null || { echo "cannot create a store"; exit 1; }

# Before any estimate: exit 4 and the hint.
"$CLI" --db "$DB" plot ideal --out "$T/figs" >"$T/out" 2>"$T/err"
check "no estimate" 4 $?
has "no estimate hint" "$T/err" "orderlab ideal estimate"
has "import hint" "$T/err" "import idealpoints"

# USA and RUS in sessions 1-5 (se for USA only); a published one for CHN.
sqlite3 "$DB" <<'EOF'
INSERT INTO runs(id, kind, status) VALUES (1, 'ideal', 'ok');
WITH s(n) AS (VALUES (1),(2),(3),(4),(5))
INSERT INTO ideal_points(estimate, country, period_kind, period, year, value, se, run_id)
  SELECT 'orderlab-dynamic', 'USA', 'session', n, 1945 + n, 1.5 + 0.1 * n, 0.2, 1 FROM s UNION ALL
  SELECT 'orderlab-dynamic', 'RUS', 'session', n, 1945 + n, -2 - 0.1 * n, NULL, 1 FROM s;
EOF

"$CLI" --db "$DB" plot ideal --out "$T/figs" >"$T/out" 2>"$T/err"
check "plot ideal" 0 $?
for f in fig4_2_ideal.svg fig4_2_ideal.png fig4_2_ideal.pdf fig4_2_ideal.csv; do exists "$f" "$T/figs/$f"; done
has "missing countries warned" "$T/err" "no ideal point of CHN, IND, BRA, ZAF, GBR, FRA, DEU, JPN"
has "data header" "$T/figs/fig4_2_ideal.csv" "^estimate,country,name,period_kind,period,year,value,se$"
has "data row" "$T/figs/fig4_2_ideal.csv" "^orderlab-dynamic,USA,United States,session,1,1946,1.6,0.2$"
has "data row without se" "$T/figs/fig4_2_ideal.csv" "^orderlab-dynamic,RUS,Russia,session,5,1950,-2.5,$"
has "note" "$T/out" "one point per UNGA session\|One point per UNGA session"

# One file by its extension, the years, the band and --data (the list with
# blanks around its commas and a trailing comma: the same two countries).
"$CLI" --db "$DB" plot ideal --countries "USA , Russia," --from 1947 --to 1949 --se --out "$T/one.png" \
  --data "$T/one.csv" >"$T/out" 2>"$T/err"
check "one file" 0 $?
exists "png" "$T/one.png"
[ "$(head -c 4 "$T/one.png" | tail -c 3)" = "PNG" ] || fail "not a PNG"
[ "$(wc -l <"$T/one.csv")" -eq 7 ] || fail "one.csv has $(wc -l <"$T/one.csv") lines, expected 7"
"$CLI" --db "$DB" plot ideal --countries RUS --se --output "$T/ru.svg" >"$T/out" 2>"$T/err"
check "band without se" 0 $?
has "band warning" "$T/err" "no standard errors"
[ -e "$T/ru.csv" ] && fail "a data file beside --output"

# Exit codes.
"$CLI" --db "$DB" plot ideal --out "$T/fig.gif" >"$T/out" 2>"$T/err"
check "bad extension" 2 $?
"$CLI" --db "$DB" plot ideal --output "$T/fig.jpeg" >"$T/out" 2>"$T/err"
check "bad extension (output)" 2 $?
"$CLI" --db "$DB" plot ideal --countries USA,Atlantis --out "$T/x.svg" >"$T/out" 2>"$T/err"
check "unknown country" 4 $?
has "unknown country message" "$T/err" "Atlantis"
"$CLI" --db "$DB" plot ideal --countries CHN,IND --out "$T/x.svg" >"$T/out" 2>"$T/err"
check "none has data" 4 $?
has "none has data hint" "$T/err" "orderlab ideal estimate"
"$CLI" --db "$DB" plot ideal --estimate bsv-all --out "$T/x.svg" >"$T/out" 2>"$T/err"
check "estimate not stored" 4 $?
"$CLI" --db "$DB" plot ideal --threshold 0.5 >"$T/out" 2>"$T/err"
check "gdp option" 2 $?
"$CLI" --db "$DB" plot gdp --estimate bsv-all >"$T/out" 2>"$T/err"
check "ideal option" 2 $?
"$CLI" --db "$DB" plot ideal --from 2000 --to 1990 >"$T/out" 2>"$T/err"
check "years backwards" 2 $?
"$CLI" --db "$DB" plot ideal --out "$T/no/such/dir/x.svg" >"$T/out" 2>"$T/err"
check "unwritable" 5 $?

finish cli_plot_ideal
