#!/usr/bin/env bash
# Killing `orderlab import` in the middle (SIGKILL) leaves the store as it
# was before: integrity_check ok, the same row count in every table.  SIGINT
# stops it cleanly with exit 130 and the same unchanged store.  The fixture is
# a Penn World Table layout file with every ISO3 code of the crosswalk for
# 1950-2100 (about 38,000 lines, 730,000 values; 1.5 s or more to import).
set -euo pipefail
cli=$1
src=${OL_SOURCE_DIR:?OL_SOURCE_DIR names the source tree}
tmp=$(mktemp -d)
pid=
cleanup() { if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null || true; fi; rm -rf "$tmp"; }
trap cleanup EXIT
db=$tmp/orderlab.db
fail() { echo "FAIL: $*" >&2; exit 1; }

awk -F, 'NR > 1 && $2 ~ /^[A-Z][A-Z][A-Z]$/ { print $2 }' "$src/data/countries.csv" | sort -u > "$tmp/codes"
[ "$(wc -l < "$tmp/codes")" -ge 150 ] || fail "too few ISO3 codes in data/countries.csv"
{
  echo "countrycode,country,currency_unit,year,rgdpe,rgdpo,pop,emp,avh,hc,ccon,cda,cgdpe,cgdpo,cn,ck,ctfp,cwtfp,rgdpna,rconna,rdana,rnna,rkna,rtfpna,rwtfpna,labsh,irr,delta,xr,pl_con,pl_da,pl_gdpo,i_cig,i_xm,i_xr,i_outlier,i_irr,cor_exp,csh_c,csh_i,csh_g,csh_x,csh_m,csh_r,pl_c,pl_i,pl_g,pl_x,pl_m,pl_n,pl_k"
  awk '{ for (y = 1950; y <= 2100; y++)
           printf "%s,Name %s,Unit,%d,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,B,E,M,R,R,,0.5,0.2,0.1,0.3,-0.2,0.01,1,1,1,1,1,1,1\n", $1, $1, y }' "$tmp/codes"
} > "$tmp/big.csv"

# A store with something in it to keep.
printf 'Country Name,Country Code,Year,Value\nUnited States,USA,2023,27360935000000\nChina,CHN,2023,17794783039552\n' > "$tmp/gdp.csv"
"$cli" --db "$db" --quiet import wb --vintage 2024-10 "$tmp/gdp.csv"
"$cli" --db "$db" db info | grep -v '^store' > "$tmp/before"
grep -q '^indicator_values *2$' "$tmp/before" || fail "baseline import missing"

# SIGKILL in the middle of the import.
"$cli" --db "$db" --quiet import pwt --vintage big "$tmp/big.csv" &
pid=$!
sleep 0.3
kill -9 "$pid" 2>/dev/null || fail "the import ended before it could be killed; make the fixture bigger"
rc=0; wait "$pid" || rc=$?
pid=
[ "$rc" -eq 137 ] || fail "expected the import to die of SIGKILL (137), got $rc"
"$cli" --db "$db" db check >/dev/null || fail "integrity check failed after SIGKILL"
"$cli" --db "$db" db info | grep -v '^store' > "$tmp/after"
diff "$tmp/before" "$tmp/after" || fail "the store changed after SIGKILL"

# SIGINT: a clean rollback and exit 130.
"$cli" --db "$db" --quiet import pwt --vintage big "$tmp/big.csv" 2> "$tmp/err" &
pid=$!
sleep 0.3
kill -INT "$pid" 2>/dev/null || fail "the import ended before it could be interrupted; make the fixture bigger"
rc=0; wait "$pid" || rc=$?
pid=
[ "$rc" -eq 130 ] || { cat "$tmp/err" >&2; fail "expected exit 130 after SIGINT, got $rc"; }
grep -q "interrupted" "$tmp/err" || fail "no 'interrupted' message: $(cat "$tmp/err")"
"$cli" --db "$db" db check >/dev/null || fail "integrity check failed after SIGINT"
"$cli" --db "$db" db info | grep -v '^store' > "$tmp/after"
diff "$tmp/before" "$tmp/after" || fail "the store changed after SIGINT"

# Left alone, the same import completes (the fixture itself is valid).
"$cli" --db "$db" --quiet import pwt --vintage big "$tmp/big.csv"
"$cli" --db "$db" db check >/dev/null
echo ok
