#!/usr/bin/env bash
# The economic importers and `fetch wdi` at the command line: summaries,
# exit code 3 with file:line:column for each kind of bad input (the store
# unchanged), exit 6 when the World Bank API cannot be reached, exit 2 for
# bad options.  Only loopback addresses are used.
set -euo pipefail
cli=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
db=$tmp/orderlab.db
fail() { echo "FAIL: $*" >&2; exit 1; }
ol() { "$cli" --db "$db" "$@"; }

printf 'Country Name,Country Code,Year,Value\nUnited States,USA,2023,27360935000000\n"Bahamas, The",BHS,2023,\n' > "$tmp/gdp.csv"
out=$(ol import wb --vintage 2024-10 "$tmp/gdp.csv")
[[ $out == *"2 read, 1 kept, 1 skipped, 0 rejected"* ]] || fail "summary: $out"
ol db info | grep -v '^store' > "$tmp/before"

# expect_bad NAME CONTENT WHERE [KIND] [OPTIONS...]: exit 3, the message
# starts with file:line:column, and the store is unchanged.
expect_bad() {
  local name=$1 content=$2 where=$3 kind=${4:-wb}
  shift 4 || shift $#
  printf "$content" > "$tmp/$name"
  local rc=0
  ol import "$kind" --vintage t "$@" "$tmp/$name" > /dev/null 2> "$tmp/err" || rc=$?
  [ "$rc" -eq 3 ] || fail "$name: exit $rc, want 3: $(cat "$tmp/err")"
  grep -q "$tmp/$name:$where" "$tmp/err" || fail "$name: no '$where' in: $(cat "$tmp/err")"
  grep -q "the store is unchanged" "$tmp/err" || fail "$name: no 'unchanged' note"
  ol db info | grep -v '^store' > "$tmp/after"
  diff "$tmp/before" "$tmp/after" > /dev/null || fail "$name: the store changed"
}
H='Country Name,Country Code,Year,Value\n'
expect_bad unknown.csv  "${H}United States,USA,2023,1\nNowhere,QQQ,2023,2\n" "3:2: field 'Country Code'"
expect_bad number.csv   "${H}United States,USA,2023,1e\n"                  "2:4: field 'Value'"
expect_bad dup.csv      "${H}United States,USA,2023,1\nUnited States,USA,2023,1\n" "3:2: field 'Country Code'"
expect_bad year.csv     "${H}United States,USA,1066,1\n"                   "2:3: field 'Year'"
expect_bad fields.csv   "${H}United States,USA,2023\n"                     "2:3:"
expect_bad latin1.csv   "${H}C\xf4te d'Ivoire,CIV,2023,1\n"                "2:1:"
expect_bad missing.csv  'Country Name,Country Code,Year\nUnited States,USA,2023\n' "1: field 'Value'"
expect_bad cinc.csv 'stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc,version\nUSA,2,2016,1,1,1,1,1,1,2,2021\n' \
  "2:10: field 'cinc'" nmc
expect_bad abb.csv 'stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc,version\nJPN,2,2016,1,1,1,1,1,1,0.1,2021\n' \
  "2:1: field 'stateabb'" nmc

# Tolerated rejects are imported and reported.
printf "${H}United States,USA,2022,1\nNowhere,QQQ,2023,2\n" > "$tmp/some.csv"
out=$(ol import wb --vintage t --max-rejects 1 --rejects "$tmp/rej.csv" "$tmp/some.csv" 2>/dev/null)
[[ $out == *"2 read, 1 kept, 0 skipped, 1 rejected"* ]] || fail "tolerated: $out"
grep -q ',3,2,Country Code,unknown World Bank country code' "$tmp/rej.csv" || fail "reject report: $(cat "$tmp/rej.csv")"

# fetch: a loopback port with nothing listening is a network error (exit 6).
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
rc=0; ol fetch --base-url "http://127.0.0.1:$port" wdi NY.GDP.MKTP.CD 2> "$tmp/err" || rc=$?
[ "$rc" -eq 6 ] || fail "fetch to a closed port: exit $rc, want 6: $(cat "$tmp/err")"
grep -q "127.0.0.1:$port" "$tmp/err" || fail "fetch error names no URL: $(cat "$tmp/err")"
rc=0; ol fetch --from 2020 --until 2000 wdi NY.GDP.MKTP.CD 2>/dev/null || rc=$?
[ "$rc" -eq 2 ] || fail "--from after --until: exit $rc, want 2"
rc=0; ol fetch wdi 2>/dev/null || rc=$?
[ "$rc" -eq 2 ] || fail "no indicator: exit $rc, want 2"
rc=0; ol fetch imf NY.GDP.MKTP.CD 2>/dev/null || rc=$?
[ "$rc" -eq 2 ] || fail "unknown source: exit $rc, want 2"
ol fetch --help | grep -q "^fetch - " || fail "fetch --help"
ol import --list | grep -q "wb-api" || fail "wb-api not listed"
echo ok
