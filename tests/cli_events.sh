#!/usr/bin/env bash
# CLI test of 'orderlab events': exit codes and output of list, show, import
# and vocab.  $1 is the orderlab binary.
set -u
OL=${1:?usage: cli_events.sh path/to/orderlab}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/orderlab-cli-events-XXXXXX")
trap 'rm -rf "$tmp"' EXIT
db="$tmp/t.db"
failures=0

fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# run EXPECTED_EXIT CMD... : runs CMD, keeps stdout in $out and stderr in $err.
run() {
    local want=$1; shift
    "$@" >"$tmp/out" 2>"$tmp/err"
    local got=$?
    out=$(cat "$tmp/out"); err=$(cat "$tmp/err")
    if [ "$got" -ne "$want" ]; then
        fail "'$*' exited $got, expected $want; stderr: $err"
    fi
}
has() { grep -qF -- "$2" <<<"$1" || fail "expected '$2' in: $(head -c 600 <<<"$1")"; }
hasnt() { grep -qF -- "$2" <<<"$1" && fail "did not expect '$2' in: $(head -c 600 <<<"$1")"; }

# --- help
run 0 "$OL" events --help
has "$out" "events - list, show and import exit events"

# --- list: the built-in catalog, table fitted to 100 columns
run 0 "$OL" --db "$db" events
has "$out" "USA-WTO-2018-threat"
has "$out" "PRK-NPT-2003-exit"
has "$out" "(23 events)"
widest=$(awk '{ if (length($0) > w) w = length($0) } END { print w }' <<<"$out")
[ "$widest" -le 100 ] || fail "table line of $widest columns"
run 0 "$OL" --db "$db" events list --quiet
hasnt "$out" "events)"

# --- filters
run 0 "$OL" --db "$db" events --scope paper --format csv
[ "$(tail -n +2 <<<"$out" | wc -l)" -eq 4 ] || fail "--scope paper: expected 4 rows, got: $out"
has "$out" "USA-UPU-2018-notice"
run 0 "$OL" --db "$db" events --status exited --from 2017 --to 2018 --format csv
[ "$(tail -n +2 <<<"$out" | wc -l)" -eq 6 ] || fail "exited 2017-2018: expected 6 rows"
run 0 "$OL" --db "$db" events --actor PRK --domain security --format json
has "$out" '"id":	"PRK-NPT-1993-notice"'
has "$out" '"domain_zh":	["安全"]'
run 0 "$OL" --db "$db" events --institution unesco --form multilateral
has "$out" "USA-UNESCO-1984-exit"
has "$out" "(2 events)"

# --- bad filters and options: exit 2 (usage) or 4 (unknown country)
run 2 "$OL" --db "$db" events --status left
has "$err" "unknown status 'left'"
run 2 "$OL" --db "$db" events --from nineteen
run 2 "$OL" --db "$db" events --scope everything
run 2 "$OL" --db "$db" events --format xml
run 2 "$OL" --db "$db" events frobnicate
run 4 "$OL" --db "$db" events --actor Atlantis

# --- show: every field, both languages
run 0 "$OL" --db "$db" events show USA-KORUS-2017-threat
has "$out" "threatened-termination-revised (威胁废除、商定修订)"
has "$out" "bilateral (双边)"
has "$out" "2019-01-01"
has "$out" "美欧、美日"
run 0 "$OL" --db "$db" events show USA-UPU-2018-notice --format json
has "$out" '"reversal":	"reversed"'
run 4 "$OL" --db "$db" events show NO-SUCH-ID
has "$err" "no event with id 'NO-SUCH-ID'"
run 2 "$OL" --db "$db" events show

# --- import: a user's row, then export and re-import
cat >"$tmp/mine.csv" <<'EOF'
id,institution,institution_en,domain,form,actor,status,announced,effective,source
GBR-UNESCO-1985-exit,UNESCO,UNESCO,governance,multilateral,GBR,exited,1984-12,1985-12-31,Foreign Office statement
EOF
run 0 "$OL" --db "$db" events import "$tmp/mine.csv"
has "$out" "1 read, 1 kept"
run 0 "$OL" --db "$db" events --origin user --format csv
has "$out" "GBR-UNESCO-1985-exit,UNESCO,UNESCO,,governance,multilateral,GBR,200"
run 0 "$OL" --db "$db" import events "$tmp/mine.csv"   # the same, through 'import'
run 0 "$OL" --db "$db" events --origin user
has "$out" "(1 event)"

# --- bad import: exit 3 naming file, line, column and field; nothing written
cat >"$tmp/bad.csv" <<'EOF'
id,institution,institution_en,domain,form,actor,status,announced,effective,source
X-1,WTO,WTO,trade,multilateral,USA,exited,2018-05-01,2018-04-30,s
EOF
run 3 "$OL" --db "$db" events import "$tmp/bad.csv"
has "$err" "bad.csv:2:9: field 'effective': effective 2018-04-30 is before announced 2018-05-01"
has "$err" "the store is unchanged"
cat >"$tmp/bad2.csv" <<'EOF'
id,institution,institution_en,domain,form,actor,status,source
X-1,WTO,WTO,trade,multilateral,XYZ,exited,s
EOF
run 3 "$OL" --db "$db" events import "$tmp/bad2.csv"
has "$err" "bad2.csv:2:6: field 'actor': unknown country code 'XYZ'"
printf 'id,institution\nX-1,WTO\n' >"$tmp/bad3.csv"
run 3 "$OL" --db "$db" events import "$tmp/bad3.csv"
has "$err" "missing column"
run 5 "$OL" --db "$db" events import "$tmp/absent.csv"
run 2 "$OL" --db "$db" events import
run 0 "$OL" --db "$db" events --format csv
[ "$(tail -n +2 <<<"$out" | wc -l)" -eq 24 ] || fail "after failed imports: expected 24 rows"

# --- vocab
run 0 "$OL" events vocab
has "$out" "plurilateral-cross-regional"
has "$out" "诸边（跨区域）"
has "$out" "溢出效应"

if [ "$failures" -ne 0 ]; then
    echo "$failures failure(s)" >&2
    exit 1
fi
echo "cli_events: ok"
