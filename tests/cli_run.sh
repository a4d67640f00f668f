#!/usr/bin/env bash
# orderlab run: the main job on a fixture, on the real data when present,
# and its failure modes (no data and no download; unwritable output).
set -uo pipefail
cli=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# 1. No GDP in the store and downloads off: exit 4, and the message says how to load it.
out=$("$cli" --db "$tmp/a.db" run --out "$tmp/a" --no-fetch 2>&1); rc=$?
[ $rc -eq 4 ] || fail "no data: exit $rc, expected 4: $out"
[[ "$out" == *"orderlab import wb"* ]] || fail "no data: message does not say how to load: $out"

# 2. A fixture: China crosses 2/3 of the US in 2003 and stays; Japan peaks at 0.5.
{
  echo 'Country Name,Country Code,Year,Value'
  for y in 2000 2001 2002 2003 2004 2005; do
    echo "United States,USA,$y,300"
  done
  echo 'China,CHN,2000,100'; echo 'China,CHN,2001,150'; echo 'China,CHN,2002,190'
  echo 'China,CHN,2003,200'; echo 'China,CHN,2004,210'; echo 'China,CHN,2005,250'
  for y in 2000 2001 2002 2003 2004 2005; do echo "Japan,JPN,$y,150"; done
} > "$tmp/gdp.csv"
out=$("$cli" --db "$tmp/b.db" run --out "$tmp/b" --gdp "$tmp/gdp.csv" --gdp-vintage fixture 2>&1); rc=$?
[ $rc -eq 0 ] || fail "fixture run: exit $rc: $out"
[[ "$out" == *"CHN  China          first at or above 2/3: 2003; sustained: from 2003"* ]] || fail "CHN line: $out"
[[ "$out" == *"JPN  Japan          first at or above 2/3: never"* ]] || fail "JPN line: $out"
for f in events.csv events.json gdp_ratio.csv crossings.csv threshold_states.csv summary.json \
         fig4_1_gdp.svg fig4_1_gdp.png fig4_1_gdp.pdf; do
  [ -s "$tmp/b/$f" ] || fail "missing or empty: $f"
done
head -c 4 "$tmp/b/fig4_1_gdp.png" | grep -q PNG || fail "not a PNG"
head -c 4 "$tmp/b/fig4_1_gdp.pdf" | grep -q '%PDF' || fail "not a PDF"
grep -q '"first_year_at_or_above":[[:space:]]*2003' "$tmp/b/summary.json" || fail "summary.json"
grep -q '"vintage":[[:space:]]*"fixture"' "$tmp/b/summary.json" || fail "vintage not echoed"
grep -q '^CHN,USA,NY.GDP.MKTP.CD,2003,200,300,0.66666666666666663,1$' "$tmp/b/gdp_ratio.csv" || fail "ratio at exactly 2/3 counts as at or above"
[ "$(grep -c ',up,' "$tmp/b/crossings.csv")" -eq 1 ] || fail "one upward crossing expected"
n=$(($(wc -l < "$tmp/b/events.csv") - 1))
[ "$n" -ge 20 ] || fail "catalog has $n rows"
# A second run reuses the store: nothing imported again.
out=$("$cli" --db "$tmp/b.db" run --out "$tmp/b" --no-fetch 2>&1) || fail "second run: $out"
[[ "$out" != *"imported"* ]] || fail "second run imported again"

# 3. Output that cannot be written: exit 5.
touch "$tmp/file"
out=$("$cli" --db "$tmp/b.db" run --out "$tmp/file/sub" --no-fetch 2>&1); rc=$?
[ $rc -eq 5 ] || fail "unwritable output: exit $rc: $out"

# 4. The real World Bank data, when staged: the crossing years of docs/indicators.md.
if [ -n "${ORDERLAB_SHARED_DATA:-}" ] && [ -f "$ORDERLAB_SHARED_DATA/wb_gdp/gdp.csv" ]; then
  out=$("$cli" --db "$tmp/c.db" run --out "$tmp/c" --data "$ORDERLAB_SHARED_DATA" --no-fetch 2>&1); rc=$?
  [ $rc -eq 0 ] || fail "real data: exit $rc: $out"
  [[ "$out" == *"CHN  China          first at or above 2/3: 2018; sustained: none"* ]] || fail "real CHN: $out"
  [[ "$out" == *"JPN  Japan          first at or above 2/3: 1994; sustained: none"* ]] || fail "real JPN: $out"
fi
echo "run ok"
