#!/usr/bin/env bash
# `orderlab ratio` and `orderlab plot gdp` from the command line: output,
# formats, files written, exit codes and messages.  $1 is the CLI.
set -u
CLI="$1"
command -v sqlite3 >/dev/null || { echo "sqlite3 shell not installed: skip"; exit 77; }
T=$(mktemp -d "${TMPDIR:-/tmp}/orderlab-cli-ratio-XXXXXX")
trap 'rm -rf "$T"' EXIT
DB="$T/s.db"
. "$(dirname "$0")/sh/checks.sh"

"$CLI" --db "$DB" db info >/dev/null || { echo "cannot create a store"; exit 1; }

# Before any import: a clear message naming the import to run, exit 4.
"$CLI" --db "$DB" ratio --of CHN --to USA >"$T/out" 2>"$T/err"
check "no data" 4 $?
has "no data message" "$T/err" "NY.GDP.MKTP.CD"
has "no data hint" "$T/err" "orderlab import wb"
"$CLI" --db "$DB" plot gdp --out "$T/figs" >"$T/out" 2>"$T/err"
check "plot without data" 4 $?
has "plot hint" "$T/err" "orderlab fetch wdi"

# Fixture: 2000-2005, US 100 a year, China 50 60 70 80 60 70, Japan 10..60.
sqlite3 "$DB" <<'EOF'
INSERT OR IGNORE INTO countries(code, iso3, iso2, iso3n, wb, name_en, name_zh, kind) VALUES
 ('USA','USA','US',840,'USA','United States','美国','state'),
 ('CHN','CHN','CN',156,'CHN','China','中国','state'),
 ('JPN','JPN','JP',392,'JPN','Japan','日本','state');
INSERT INTO sources(id, kind, name, vintage) VALUES (1, 'wb', 'NY.GDP.MKTP.CD', '2024-10-21');
WITH y(year, us, cn, jp) AS (VALUES (2000,100e10,50e10,10e10), (2001,100e10,60e10,20e10),
  (2002,100e10,70e10,30e10), (2003,100e10,80e10,40e10), (2004,100e10,60e10,50e10),
  (2005,100e10,70e10,60e10))
INSERT INTO indicator_values(series, country, year, source_id, value, unit, vintage)
  SELECT 'NY.GDP.MKTP.CD', 'USA', year, 1, us, 'current US$', '2024-10-21' FROM y UNION ALL
  SELECT 'NY.GDP.MKTP.CD', 'CHN', year, 1, cn, 'current US$', '2024-10-21' FROM y UNION ALL
  SELECT 'NY.GDP.MKTP.CD', 'JPN', year, 1, jp, 'current US$', '2024-10-21' FROM y;
EOF

"$CLI" --db "$DB" ratio --of China --to USA >"$T/out" 2>"$T/err"
check "ratio" 0 $?
has "first year" "$T/out" "first year at or above 2/3: 2002"
has "sustained" "$T/out" "sustained crossing: 2005"
has "crossing down" "$T/out" "2004 down"
has "crossing count" "$T/out" "crossings: 3"
has "vintage" "$T/out" "vintage 2024-10-21"

"$CLI" --db "$DB" ratio --of CHN --to USA --threshold 75% --until 2004 >"$T/out" 2>&1
check "ratio threshold" 0 $?
has "threshold 3/4" "$T/out" "first year at or above 3/4: 2003"
has "no sustained" "$T/out" "sustained crossing: none"

"$CLI" --db "$DB" ratio --of CHN --to USA --format csv >"$T/out" 2>&1
check "csv" 0 $?
has "csv header" "$T/out" "^year,CHN,USA,ratio,at_or_above$"
has "csv row" "$T/out" "^2002,700000000000,1000000000000,0.69999999999999996,1$"

"$CLI" --db "$DB" ratio --of CHN --to USA --format json >"$T/out" 2>&1
check "json" 0 $?
has "json first" "$T/out" '"first_year":	2002'
has "json sustained" "$T/out" '"sustained_year":	2005'

"$CLI" --db "$DB" ratio --all --to USA >"$T/out" 2>&1
check "all" 0 $?
has "all CHN" "$T/out" "^CHN "
if grep -q "^JPN " "$T/out"; then fail "JPN never reaches 2/3"; fi

# Errors: unknown country (4), bad threshold, bad year, missing options (2).
"$CLI" --db "$DB" ratio --of Atlantis --to USA >"$T/out" 2>"$T/err"
check "unknown country" 4 $?
has "unknown country message" "$T/err" "Atlantis"
"$CLI" --db "$DB" ratio --of CHN --to USA --series NO.SUCH >"$T/out" 2>"$T/err"
check "unknown series" 4 $?
has "unknown series message" "$T/err" "NO.SUCH"
"$CLI" --db "$DB" ratio --of CHN --to USA --threshold abc >"$T/out" 2>"$T/err"
check "bad threshold" 2 $?
"$CLI" --db "$DB" ratio --of CHN --to USA --from 19x >"$T/out" 2>"$T/err"
check "bad year" 2 $?
"$CLI" --db "$DB" ratio --of CHN >"$T/out" 2>"$T/err"
check "no --to" 2 $?
"$CLI" --db "$DB" ratio --to USA >"$T/out" 2>"$T/err"
check "no --of" 2 $?
"$CLI" --db "$DB" ratio --help >"$T/out" 2>&1
check "help" 0 $?
has "help" "$T/out" "^ratio - "

# The figure in three formats, then one file by extension.
"$CLI" --db "$DB" plot gdp --out "$T/figs" >"$T/out" 2>&1
check "plot" 0 $?
has "plot prints crossings" "$T/out" "first year at or above 2/3: 2002"
for ext in svg png pdf; do
  [ -s "$T/figs/fig4_1_gdp.$ext" ] || fail "no fig4_1_gdp.$ext"
done
head -c 4 "$T/figs/fig4_1_gdp.pdf" | grep -q "%PDF" || fail "pdf magic"
"$CLI" --db "$DB" -q plot gdp --output "$T/one.png" --from 2001 >"$T/out" 2>"$T/err"
check "plot --output" 0 $?
[ -s "$T/one.png" ] || fail "no one.png"
[ -s "$T/out" ] && { fail "--quiet printed:"; cat "$T/out"; }
"$CLI" --db "$DB" plot gdp --output "$T/fig.gif" >"$T/out" 2>&1
check "plot unknown extension" 2 $?
"$CLI" --db "$DB" plot gdp --format tiff >"$T/out" 2>&1
check "plot unknown format" 2 $?
"$CLI" --db "$DB" plot gdp --output "$T/no/such/dir/f.svg" >"$T/out" 2>&1
check "plot unwritable" 5 $?
"$CLI" --db "$DB" plot gdp --countries USA,Atlantis --out "$T/figs" >"$T/out" 2>&1
check "plot unknown country" 4 $?
"$CLI" --db "$DB" plot pie >"$T/out" 2>&1
check "plot unknown figure" 2 $?

finish cli_ratio
