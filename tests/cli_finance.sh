#!/usr/bin/env bash
# The finance and long-run importers and the commands on them at the command
# line: import summaries, exit 3 with file:line:column for bad input (the
# store unchanged), exit 2 for bad options, exit 4 for missing data with a
# hint; ratio --leader auto, balance, contributions, burden and plot
# crossings on small fixtures; --help of every new command.
set -euo pipefail
cli=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/orderlab.db
fail() { echo "FAIL: $*" >&2; exit 1; }
ol() { "$cli" --db "$db" "$@"; }

# (outputs are captured first: with pipefail, grep -q closing the pipe early would fail the writer)
for c in balance contributions burden; do
  out=$(ol "$c" --help); [[ $out == "$c - "* ]] || fail "$c --help"
done
out=$(ol plot --help); [[ $out == *"plot crossings"* ]] || fail "plot --help has no crossings"
kinds=$(ol import --list)
for k in maddison census-trade sipri un-finance who imf; do
  [[ $kinds == *"  $k "* ]] || fail "import --list lacks $k"
done

# ---- imports
printf 'countrycode,country,region,year,gdppc,pop\nGBR,United Kingdom,x,1850,3000,27000\nUSA,United States,x,1850,2000,28000\nGBR,United Kingdom,x,1870,3200,31000\nUSA,United States,x,1870,2500,40000\nDEU,Germany,x,1870,2000,39000\n' > "$tmp/mpd2023_full_data.csv"
out=$(ol import maddison "$tmp/mpd2023_full_data.csv")
[[ $out == *"10 read, 10 kept, 0 skipped, 0 rejected"* ]] || fail "maddison summary: $out"

H='year,CTY_CODE,CTYNAME,IJAN,IFEB,IMAR,IAPR,IMAY,IJUN,IJUL,IAUG,ISEP,IOCT,INOV,IDEC,IYR,EJAN,EFEB,EMAR,EAPR,EMAY,EJUN,EJUL,EAUG,ESEP,EOCT,ENOV,EDEC,EYR'
line() { # year code name imports-per-month exports-per-month months
  local y=$1 c=$2 n=$3 m=$4 e=$5 k=$6 s="" i
  s="$y,$c,$n"
  for i in $(seq 1 12); do if [ "$i" -le "$k" ]; then s="$s,$m"; else s="$s,0"; fi; done; s="$s,$((m * k))"
  for i in $(seq 1 12); do if [ "$i" -le "$k" ]; then s="$s,$e"; else s="$s,0"; fi; done; s="$s,$((e * k))"
  echo "$s"
}
{ echo "$H"; line 2018 5700 China 45 10 12; line 2018 0015 World 200 140 12; line 2024 5700 China 30 10 6; } > "$tmp/country.csv"
out=$(ol import census-trade "$tmp/country.csv")
[[ $out == *"6 read, 6 kept, 0 skipped, 0 rejected"* ]] || fail "census summary: $out"
printf 'Country Name,Country Code,Year,Value\nUnited States,USA,2018,20000000000000\n' > "$tmp/gdp.csv"
ol import -q wb --vintage t "$tmp/gdp.csv"

printf 'year,donor,status,category,is_other,entity,type,amount_usd\n2018,United States of America,member,Government,0,UN,Assessed,591388114\n2018,China,member,Government,0,UN,Assessed,408611886\n2018,European Union,organization,European Union,0,UN,Voluntary earmarked,5\n' > "$tmp/donors.csv"
out=$(ol import un-finance --vintage t "$tmp/donors.csv")
[[ $out == *"3 read, 2 kept, 1 skipped, 0 rejected"* ]] || fail "un-finance summary: $out"
printf 'United States of America\t22.0\r\nChina\t15.255' > "$tmp/WHA75.tsv"
out=$(ol import who --vintage t "$tmp/WHA75.tsv")
[[ $out == *"2 read, 2 kept"* ]] || fail "who summary: $out"
printf 'country,vote_percentage\nUnited States3,16.51\nChina3,6.08\n' > "$tmp/votes.csv"
rc=0; ol import imf "$tmp/votes.csv" > /dev/null 2> "$tmp/err" || rc=$?
[ "$rc" -eq 2 ] || fail "imf without a date: exit $rc, want 2: $(cat "$tmp/err")"
grep -q "snapshot" "$tmp/err" || fail "imf without a date: $(cat "$tmp/err")"
ol import -q imf --vintage 2020-12 "$tmp/votes.csv"
printf 'Country,Notes,2018\nUnited States of America,,0.033\nUnited Kingdom,,0.02\n' > "$tmp/sipri_share_of_gdp.csv"
printf 'Country,Notes,2018\nUnited States of America,,682491.4\nUnited Kingdom,,50000\n' > "$tmp/sipri_current_usd.csv"
ol import -q sipri --vintage t "$tmp/sipri_share_of_gdp.csv" "$tmp/sipri_current_usd.csv"

# ---- bad input: exit 3 at file:line:column, the store unchanged
ol db info | grep -v '^store' > "$tmp/before"
expect_bad() { # name content where kind [options]
  local name=$1 content=$2 where=$3 kind=$4
  shift 4
  printf "$content" > "$tmp/$name"
  local rc=0
  ol import "$kind" --vintage bad "$@" "$tmp/$name" > /dev/null 2> "$tmp/err" || rc=$?
  [ "$rc" -eq 3 ] || fail "$name: exit $rc, want 3: $(cat "$tmp/err")"
  grep -q "$tmp/$name:$where" "$tmp/err" || fail "$name: no '$where' in: $(cat "$tmp/err")"
  ol db info | grep -v '^store' > "$tmp/after"
  diff "$tmp/before" "$tmp/after" > /dev/null || fail "$name: the store changed"
}
expect_bad mpd.csv 'countrycode,country,region,year,gdppc,pop\nQQQ,Nowhere,x,1850,1,1\n' "2:1: field 'countrycode'" maddison
{ echo "$H"; line 2018 5701 Nowhere 1 1 12; } > "$tmp/tmpl"
expect_bad cty.csv "$(cat "$tmp/tmpl")\n" "2:2: field 'CTY_CODE'" census-trade
expect_bad sipri_current_usd.csv 'Country,Notes,2018\nJapan,,-4\n' "2:3: field '2018'" sipri
expect_bad d.csv 'year,donor,status,category,is_other,entity,type,amount_usd\n2018,Atlantis,member,Government,0,UN,Assessed,1\n' "2:2: field 'donor'" un-finance
expect_bad WHA25.tsv 'Japan\t4.87\r\nAtlantis\t1' "2:1: field 'member'" who
expect_bad q.csv 'country,vote_percentage\nJapan,107\n' "2:2: field 'vote_percentage'" imf --vintage 2020

# ---- ratio --leader auto
out=$(ol ratio --leader auto --series maddison.gdp)
[[ $out == *"1850-1869  GBR"* ]] || fail "leader reigns: $out"
[[ $out == *"1870-1870  USA"* ]] || fail "leader reigns: $out"
[[ $out == *"GBR    USA    1850-1869  1850+"* ]] || fail "leader pair: $out"
ol ratio --leader auto --series maddison.gdp --format json > "$tmp/l.json"
python3 -c 'import json,sys; d=json.load(sys.stdin); assert d["reigns"][0]["code"]=="GBR", d' < "$tmp/l.json" \
  || fail "leader json"
out=$(ol ratio --leader auto --series maddison.gdp --format csv); [[ $out == "leader,challenger,reign_from"* ]] || fail "leader csv"
rc=0; ol ratio --leader auto --to USA 2>/dev/null || rc=$?
[ "$rc" -eq 2 ] || fail "--leader auto with --to: exit $rc, want 2"
rc=0; ol ratio --leader first 2>/dev/null || rc=$?
[ "$rc" -eq 2 ] || fail "--leader first: exit $rc, want 2"
rc=0; ol ratio --among USA --to GBR --of USA 2>/dev/null || rc=$?
[ "$rc" -eq 2 ] || fail "--among without --leader: exit $rc, want 2"
rc=0; ol ratio --leader auto --series sipri.milex_constant 2> "$tmp/err" || rc=$?
[ "$rc" -eq 4 ] || fail "leader on a missing series: exit $rc, want 4"
grep -q "hint: import SIPRI" "$tmp/err" || fail "no SIPRI hint: $(cat "$tmp/err")"

# ---- balance
out=$(ol balance --of CHN --with USA)
[[ $out == *"2018            0.5          0.1          0.4      0.002       58.3"* ]] || fail "balance 2018: $out"
[[ $out == *"partial year"* ]] || fail "balance: no partial year: $out"
out=$(ol balance --of CHN --format csv); grep -q '^2024,.*,1,partial:1-6$' <<< "$out" || fail "balance csv partial: $out"
ol balance --of CHN --format json > "$tmp/b.json"
python3 -c 'import json,sys; d=json.load(sys.stdin); y=d["years"][0]; assert abs(y["share_of_gdp"]-0.000021)<1e-12, y' < "$tmp/b.json" \
  || fail "balance json"
rc=0; ol balance --of JPN 2> "$tmp/err" || rc=$?
[ "$rc" -eq 4 ] || fail "balance of JPN: exit $rc, want 4"
grep -q "hint: import the US Census file" "$tmp/err" || fail "no census hint"
rc=0; ol balance 2>/dev/null || rc=$?
[ "$rc" -eq 2 ] || fail "balance without --of: exit $rc, want 2"

# ---- contributions
out=$(ol contributions --of USA)
[[ $out == *"2018   UN                    591.4           1000.0    59.14"* ]] || fail "contributions: $out"
[[ $out == *"WHO scale of assessments (who.scale, percent): 2022 22 2023 22"* ]] || fail "contributions WHO: $out"
out=$(ol contributions --of USA --format csv); grep -q '^2018,UN,591388114,1000000000,0.5913881140' <<< "$out" || fail "contributions csv"
rc=0; ol contributions --of USA --type gift 2>/dev/null || rc=$?
[ "$rc" -eq 2 ] || fail "contributions --type gift: exit $rc, want 2"
rc=0; ol contributions --of USA --source other 2>/dev/null || rc=$?
[ "$rc" -eq 2 ] || fail "contributions --source other: exit $rc, want 2"

# ---- burden
out=$(ol burden)
[[ $out == *"2018        3.30        2.00"* ]] || fail "burden: $out"
out=$(ol burden --format csv --allies GBR); grep -q '^2018,0.033' <<< "$out" || fail "burden csv"
rc=0; ol burden --of CHN 2>/dev/null || rc=$?
[ "$rc" -eq 4 ] || fail "burden of CHN: exit $rc, want 4"

# ---- plot crossings (with a measure that has data for the UK cases)
out=$(ol plot crossings --series maddison.gdp,nmc.cinc --out "$tmp/fig")
[ -s "$tmp/fig/crossings.png" ] && [ -s "$tmp/fig/crossings.svg" ] && [ -s "$tmp/fig/crossings.pdf" ] || fail "crossings files"
[[ $out == *"UK-US (USA / GBR)"* ]] || fail "crossings table: $out"
[[ $out == *"maddison.gdp     first 1850+"* ]] || fail "crossings table: $out"
[[ $out == *"nmc.cinc         no data"* ]] || fail "crossings: no-data measure: $out"
rc=0; ol plot crossings --countries USA,CHN 2>/dev/null || rc=$?
[ "$rc" -eq 2 ] || fail "plot crossings --countries: exit $rc, want 2"
rm -f "$tmp/empty.db"
rc=0; "$cli" --db "$tmp/empty.db" plot crossings --out "$tmp/fig2" 2> "$tmp/err" || rc=$?
[ "$rc" -eq 4 ] || fail "plot crossings on an empty store: exit $rc, want 4: $(cat "$tmp/err")"

# ---- the census code system
out=$(ol country --system census 5700); [[ $out == *CHN* ]] || fail "country --system census"
echo ok
