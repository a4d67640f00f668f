#!/usr/bin/env bash
# `orderlab history` from the command line: help, exit codes, formats and the
# files written.  $1 is the CLI.
set -u
CLI="$1"
command -v sqlite3 >/dev/null || { echo "sqlite3 shell not installed: skip"; exit 77; }
T=$(mktemp -d "${TMPDIR:-/tmp}/orderlab-cli-history-XXXXXX")
trap 'rm -rf "$T"' EXIT
DB="$T/s.db"
. "$(dirname "$0")/sh/checks.sh"

"$CLI" history --help >"$T/out"; check "help" 0 $?
has "help" "$T/out" "^history - "
"$CLI" --db "$DB" history --window 0 2>"$T/err"; check "bad window" 2 $?
"$CLI" --db "$DB" history --threshold x 2>"$T/err"; check "bad threshold" 2 $?
"$CLI" --db "$DB" history >"$T/out" 2>"$T/err"; check "no memberships" 4 $?
has "hint" "$T/err" "import cow-igo"

sqlite3 "$DB" <<'SQL'
INSERT INTO sources(id, kind, name, vintage) VALUES (901, 'wb', 'NY.GDP.MKTP.CD', 'v1'), (902, 'cow-igo', 'igo.csv', 'v3');
INSERT INTO institutions(code, name_en, dissolved) VALUES ('TA','A',NULL),('TB','B',NULL),('TC','C',NULL);
WITH RECURSIVE y(v) AS (SELECT 1990 UNION ALL SELECT v + 1 FROM y WHERE v < 2012)
INSERT INTO indicator_values(series, country, year, source_id, value, unit, vintage)
SELECT 'NY.GDP.MKTP.CD', c, v, 901, CASE c WHEN 'USA' THEN 100 ELSE (CASE WHEN v < 2000 THEN 50 ELSE 70 END) END, 'US$', 'v1'
FROM y, (SELECT 'USA' AS c UNION ALL SELECT 'JPN');
WITH RECURSIVE y(v) AS (SELECT 1990 UNION ALL SELECT v + 1 FROM y WHERE v < 2012)
INSERT INTO memberships SELECT i, 'USA', v, 902,
  CASE WHEN i = 'TA' AND v >= 2002 THEN 'none' WHEN i = 'TB' AND v >= 1994 THEN 'none' ELSE 'full' END
FROM y, (SELECT 'TA' AS i UNION ALL SELECT 'TB' UNION ALL SELECT 'TC');
SQL
"$CLI" --db "$DB" history --no-catalog --measure "NY.GDP.MKTP.CD, pwt.cgdpo" --window 3 >"$T/out" 2>"$T/err"
check "table" 0 $?
has "crossing listed" "$T/out" "2000 JPN / USA"
has "missing measure listed" "$T/out" "pwt.cgdpo: not in the store"
has "Japan" "$T/out" "first at or above 2/3 in 2000"
"$CLI" --db "$DB" history --no-catalog --measure NY.GDP.MKTP.CD --window 3 --format csv >"$T/csv"
check "csv" 0 $?
has "csv header" "$T/csv" "^series,k,events,leader_exits"
has "csv k=2 (2002, the exit from A)" "$T/csv" "^NY.GDP.MKTP.CD,2,1,1,"
"$CLI" --db "$DB" history --no-catalog --measure NY.GDP.MKTP.CD --window 3 --format json >"$T/json"
check "json" 0 $?
has "json" "$T/json" '"peak_year":'
"$CLI" --db "$DB" -q history --no-catalog --measure NY.GDP.MKTP.CD --window 3 --out "$T/o" >/dev/null
check "out" 0 $?
for f in history_events.csv history_crossings.csv history_model.csv history_us_japan.csv history_summary.json \
         history_event_time_NY.GDP.MKTP.CD.svg history_event_time_NY.GDP.MKTP.CD.png history_event_time_NY.GDP.MKTP.CD.pdf; do
  [ -s "$T/o/$f" ] || fail "$f not written"
done
touch "$T/file"
"$CLI" --db "$DB" history --no-catalog --measure NY.GDP.MKTP.CD --out "$T/file" >/dev/null 2>&1
check "out not a directory" 5 $?
finish cli_history
