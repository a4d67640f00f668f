#!/usr/bin/env bash
# `orderlab ideal estimate` from the command line: each model on a small
# imported fixture, the CSV and the rows in the store, the summary, --no-store,
# the bootstrap, determinism over threads, and the exit codes (2 bad option,
# 3 votes that do not identify the model, 4 an empty store, 5 an unwritable
# file).  $1 is the CLI.
set -u
CLI="$1"
command -v sqlite3 >/dev/null || { echo "sqlite3 shell not installed: skip"; exit 77; }
T=$(mktemp -d "${TMPDIR:-/tmp}/orderlab-cli-ideal-XXXXXX")
trap 'rm -rf "$T"' EXIT
DB="$T/s.db"
. "$(dirname "$0")/sh/checks.sh"
q() { sqlite3 "$DB" "$1"; }

"$CLI" ideal --help >"$T/out" 2>"$T/err"
check "help" 0 $?
has "help" "$T/out" "^ideal - "
"$CLI" ideal estimate --help >"$T/out" 2>"$T/err"
check "estimate --help" 0 $?
has "estimate help" "$T/out" "--bootstrap N"

# An empty store: exit 4 and the import to run.
"$CLI" --db "$DB" ideal estimate --out "$T/e.csv" >"$T/out" 2>"$T/err"
check "empty store" 4 $?
has "empty store hint" "$T/err" "orderlab import unvotes-rollcalls"
[ -e "$T/e.csv" ] && fail "a CSV was written from an empty store"

# Fixture: 15 countries (USA first) in sessions 44-46 (1989-1991), 15 roll
# calls a session.  Country k (USA k = 14) votes yes on roll call j when
# k >= cut, abstains when k = cut - 1, else no; cut moves with j and the
# session.  Roll calls 1-5 of each session recur with the same description.
codes=(ZA AU JP BR IN RU CN ES IT DE FR GB MX CA US)
{
  echo "rcid,session,importantvote,date,unres,amend,para,short,descr"
  for s in 44 45 46; do
    for j in $(seq 1 15); do
      rcid=$((s * 100 + j))
      if [ "$j" -le 5 ]; then d="Recurring resolution on the question number $j"; else d="Resolution $j of session $s"; fi
      echo "$rcid,$s,0,$((s + 1945))-10-$(printf %02d "$j"),R/$s/$j,0,0,TOPIC $j,$d"
    done
  done
} >"$T/rc.csv"
{
  echo "rcid,country,country_code,vote"
  for s in 44 45 46; do
    for j in $(seq 1 15); do
      cut=$((2 + (j * 5 + s) % 11))
      for k in $(seq 0 14); do
        if [ "$k" -ge "$cut" ]; then v=yes; elif [ "$k" -eq $((cut - 1)) ]; then v=abstain; else v=no; fi
        echo "$((s * 100 + j)),Country ${codes[$k]},${codes[$k]},$v"
      done
    done
  done
} >"$T/votes.csv"
"$CLI" --db "$DB" -q import unvotes-rollcalls "$T/rc.csv" >"$T/out" 2>"$T/err"
check "import roll calls" 0 $?
"$CLI" --db "$DB" -q import unvotes-votes "$T/votes.csv" >"$T/out" 2>"$T/err"
check "import votes" 0 $?
same "votes imported" 675 "$(q "SELECT count(*) FROM votes")"

# Each model: exit 0, the CSV (header, 15 x 3 rows), the rows in the store.
for m in binary ordinal dynamic; do
  "$CLI" --db "$DB" ideal estimate --model "$m" --threads 2 --out "$T/$m.csv" >"$T/out" 2>"$T/err"
  check "estimate $m" 0 $?
  has "$m summary" "$T/err" "ideal points ($m): 45 country-sessions"
  has "$m summary counts" "$T/err" "votes: 675 read"
  has "$m summary store" "$T/err" "estimate orderlab-$m"
  [ -s "$T/$m.csv" ] || { fail "no $m.csv"; continue; }
  same "$m csv header" "estimate,country,session,year,value,se,nvotes" "$(head -1 "$T/$m.csv")"
  same "$m csv rows" 45 "$(tail -n +2 "$T/$m.csv" | grep -c "^orderlab-$m,")"
  same "$m stored rows" 45 "$(q "SELECT count(*) FROM ideal_points WHERE estimate = 'orderlab-$m' \
    AND period_kind = 'session' AND run_id IS NOT NULL")"
  same "$m run" 1 "$(q "SELECT count(*) FROM runs WHERE kind = 'ideal' AND note = 'orderlab-$m' AND status = 'ok'")"
  # the anchor (USA) on the positive side, China (k = 6) on the other
  same "$m USA positive" 3 "$(q "SELECT count(*) FROM ideal_points WHERE estimate = 'orderlab-$m' \
    AND country = 'USA' AND value > 0")"
  same "$m ZAF negative" 3 "$(q "SELECT count(*) FROM ideal_points WHERE estimate = 'orderlab-$m' \
    AND country = 'ZAF' AND value < 0")"
done
"$CLI" --db "$DB" ideal estimate --model binary --out "$T/binary.csv" >"$T/out" 2>"$T/err"
has "binary abstentions" "$T/err" "abstentions left out"
if grep -q " 0 abstentions left out" "$T/err"; then fail "binary left no abstention out"; fi
"$CLI" --db "$DB" ideal estimate --out "$T/dynamic.csv" >"$T/out" 2>"$T/err"
check "default model" 0 $?
has "default is dynamic" "$T/err" "ideal points (dynamic)"
has "bridged" "$T/err" "15 roll calls bridged"
has "items" "$T/err" "35 items"
# A second fit replaced the first one's points: one fit per model, all runs kept.
same "one fit per model" 45 "$(q "SELECT count(*) FROM ideal_points WHERE estimate = 'orderlab-dynamic'")"
same "runs kept" 5 "$(q "SELECT count(*) FROM runs WHERE kind = 'ideal'")"
same "counts in params" 675 "$(q "SELECT json_extract(params, '\$.counts.votes_read') FROM runs ORDER BY id DESC LIMIT 1")"

# The years, --no-store (nothing written to the store), --bridge none.
"$CLI" --db "$DB" ideal estimate --model ordinal --from 1990 --to 1990 --no-store --out "$T/y.csv" >"$T/out" 2>"$T/err"
check "years, no store" 0 $?
same "one session" 15 "$(tail -n +2 "$T/y.csv" | wc -l | tr -d ' ')"
same "session 45 only" 15 "$(grep -c "^orderlab-ordinal,[A-Z]*,45,1990," "$T/y.csv")"
has "outside the years" "$T/err" "30 outside the years"
same "no-store wrote nothing" 5 "$(q "SELECT count(*) FROM runs WHERE kind = 'ideal'")"
same "no-store kept the points" 45 "$(q "SELECT count(*) FROM ideal_points WHERE estimate = 'orderlab-ordinal'")"
"$CLI" --db "$DB" ideal estimate --bridge none --no-store --out "$T/nb.csv" >"$T/out" 2>"$T/err"
check "bridge none" 0 $?
has "no bridging" "$T/err" "45 items, 0 roll calls bridged"

# No anchor: accepted, and the positions are estimated all the same (the
# sign is arbitrary): USA and South Africa at opposite ends.
"$CLI" --db "$DB" -q ideal estimate --anchor "" --no-store --out "$T/na.csv" 2>"$T/err"
check "no anchor" 0 $?
same "no anchor: opposite ends" 3 "$(awk -F, '$2 == "USA" { u[$3] = $5 } $2 == "ZAF" { z[$3] = $5 }
  END { n = 0; for (s in u) if (u[s] * z[s] < 0) n++; print n }' "$T/na.csv")"

# The bootstrap: se filled; the same seed and any threads give the same bytes.
"$CLI" --db "$DB" -q ideal estimate --bootstrap 5 --seed 3 --threads 1 --no-store --out "$T/b1.csv" 2>"$T/err"
check "bootstrap" 0 $?
same "se filled" 45 "$(tail -n +2 "$T/b1.csv" | awk -F, '$6 != "" && $6 > 0' | wc -l | tr -d ' ')"
"$CLI" --db "$DB" -q ideal estimate --bootstrap 5 --seed 3 --threads 2 --no-store --out "$T/b2.csv" 2>"$T/err"
check "bootstrap again" 0 $?
cmp -s "$T/b1.csv" "$T/b2.csv" || fail "the same seed gave other numbers with 2 threads"
same "no se without bootstrap" 45 "$(tail -n +2 "$T/nb.csv" | awk -F, '$6 == ""' | wc -l | tr -d ' ')"
"$CLI" --db "$DB" -q ideal estimate --no-store --out "$T/q.csv" >"$T/out" 2>"$T/err"
[ -s "$T/out" ] || [ -s "$T/err" ] && { fail "--quiet printed"; cat "$T/out" "$T/err"; }

# Every kernel set gives the same bytes (unknown to the processor: the widest it has, named in the summary).
for k in portable avx2 avx512 auto; do
  "$CLI" --db "$DB" ideal estimate --kernels "$k" --no-store --out "$T/k_$k.csv" >"$T/out" 2>"$T/err"
  check "kernels $k" 0 $?
  has "kernels named ($k)" "$T/err" "kernels)"
  cmp -s "$T/q.csv" "$T/k_$k.csv" || fail "--kernels $k gave other numbers"
done
"$CLI" --db "$DB" ideal estimate --kernels portable --no-store --out "$T/k.csv" >"$T/out" 2>"$T/err"
has "portable kernels ran" "$T/err" "(portable kernels)"

# The Gibbs sampler: posterior sds in the se column, the same bytes for any number of threads.
"$CLI" --db "$DB" ideal estimate --method gibbs --burn 20 --draws 40 --threads 2 --no-store --out "$T/g2.csv" \
  >"$T/out" 2>"$T/err"
check "gibbs" 0 $?
has "gibbs summary" "$T/err" "Gibbs: 60 sweeps (20 burn-in, 40 kept, thin 1)"
has "gibbs positions moving" "$T/err" "positions still moving (|Geweke z| > 3): [0-9.]* % (1.5 % in a converged chain)"
same "gibbs se filled" 45 "$(tail -n +2 "$T/g2.csv" | awk -F, '$6 != "" && $6 > 0' | wc -l | tr -d ' ')"
"$CLI" --db "$DB" -q ideal estimate --method gibbs --burn 20 --draws 40 --threads 1 --out "$T/g1.csv"
# the run's params keep the sampler's diagnostics
same "params method" gibbs "$(q "SELECT json_extract(params, '\$.method') FROM runs ORDER BY id DESC LIMIT 1")"
same "params moving expected" 0.015 \
  "$(q "SELECT round(json_extract(params, '\$.geweke_expected'), 3) FROM runs ORDER BY id DESC LIMIT 1")"
same "params moving is a share" 1 \
  "$(q "SELECT json_extract(params, '\$.geweke_moving') BETWEEN 0 AND 1 FROM runs ORDER BY id DESC LIMIT 1")"
cmp -s "$T/g1.csv" "$T/g2.csv" || fail "the Gibbs draws depend on the threads"
# per-session problems are sampled in parallel, each by one thread with its own generator
for j in 1 2; do
  "$CLI" --db "$DB" -q ideal estimate --model ordinal --method gibbs --burn 20 --draws 40 --threads $j --no-store \
    --out "$T/go$j.csv"
  check "gibbs ordinal, $j threads" 0 $?
done
cmp -s "$T/go1.csv" "$T/go2.csv" || fail "the per-session Gibbs draws depend on the threads"

# Bad options: exit 2, nothing written.
runs=$(q "SELECT count(*) FROM runs")
for args in "--model foo" "--model=foo" "--lop x" "--lop 0.5" "--tol 0" "--threads 0" "--bridge maybe" \
            "--walk sideways" "--walk-sd 1" "--min-votes 0" "--bootstrap -1" "--anchor TOOLONGCODE" "--from 1991 --to 1990" \
            "--seed x" "--kernels sse" "--method mcmc" "--draws 1" "--thin 0" "--burn -1" \
            "--method gibbs --bootstrap 5" "extra" "--no-such-option"; do
  # shellcheck disable=SC2086
  "$CLI" --db "$DB" ideal estimate $args --out "$T/bad.csv" >"$T/out" 2>"$T/err"
  check "bad option $args" 2 $?
done
has "bad model message" "$T/err" "ideal"
"$CLI" --db "$DB" ideal estimate --from 1991 --to 1990 >"$T/out" 2>"$T/err"
has "years reversed message" "$T/err" "--from 1991 is after --to 1990"
"$CLI" --db "$DB" ideal estimate --from 99 >"$T/out" 2>"$T/err"
check "two-digit year" 2 $?
has "two-digit year message" "$T/err" "--from needs a year"
"$CLI" --db "$DB" ideal estimate --model foo >"$T/out" 2>"$T/err"
has "unknown model message" "$T/err" "unknown model 'foo'"
"$CLI" --db "$DB" ideal >"$T/out" 2>"$T/err"
check "no subcommand" 2 $?
"$CLI" --db "$DB" ideal guess >"$T/out" 2>"$T/err"
check "unknown subcommand" 2 $?
[ -e "$T/bad.csv" ] && fail "a bad option wrote a CSV"
same "bad options stored nothing" "$runs" "$(q "SELECT count(*) FROM runs")"

# Votes that do not identify the model: exit 3 with the reason.
"$CLI" --db "$DB" ideal estimate --anchor ZZZ --out "$T/bad.csv" >"$T/out" 2>"$T/err"
check "unknown anchor" 3 $?
has "anchor message" "$T/err" "ZZZ"
"$CLI" --db "$DB" ideal estimate --model binary --min-votes 1000 --out "$T/bad.csv" >"$T/out" 2>"$T/err"
check "too few votes" 3 $?
has "identify message" "$T/err" "do not identify"
"$CLI" --db "$DB" ideal estimate --from 2000 --out "$T/bad.csv" >"$T/out" 2>"$T/err"
check "no roll call in the years" 3 $?
[ -e "$T/bad.csv" ] && fail "an unidentified fit wrote a CSV"
same "unidentified stored nothing" "$runs" "$(q "SELECT count(*) FROM runs")"

# An unwritable CSV: exit 5, nothing stored.
"$CLI" --db "$DB" ideal estimate --out "$T/no/such/dir/x.csv" >"$T/out" 2>"$T/err"
check "unwritable" 5 $?
has "unwritable path" "$T/err" "no/such/dir"
same "unwritable stored nothing" "$runs" "$(q "SELECT count(*) FROM runs")"

finish cli_ideal
