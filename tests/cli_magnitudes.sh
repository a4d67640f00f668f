#!/usr/bin/env bash
# docs/model-magnitudes.md cannot drift: its generated section is the
# magnitudes.md of `orderlab simulate` on a fresh store, byte for byte; and
# magnitudes.csv is written beside the other outputs.  $1 is the CLI;
# with --update as $2 the section is rewritten instead.
set -u
CLI="$1"
DOC="${OL_SOURCE_DIR:-$(dirname "$0")/..}/docs/model-magnitudes.md"
MARK='<!-- generated below: do not edit -->'
T=$(mktemp -d "${TMPDIR:-/tmp}/orderlab-cli-magnitudes-XXXXXX")
trap 'rm -rf "$T"' EXIT
export ORDERLAB_DB="$T/s.db"
"$CLI" simulate --quiet --format none --out "$T/o" 2>"$T/err" || { echo "FAIL: simulate"; cat "$T/err"; exit 1; }
for f in magnitudes.csv magnitudes.md; do
  [ -s "$T/o/$f" ] || { echo "FAIL: no $f"; exit 1; }
done
head -1 "$T/o/magnitudes.csv" | grep -q '^subject,kind,account,quantity,value,unit,origin,source,years,note$' ||
  { echo "FAIL: magnitudes.csv header"; exit 1; }
if grep -q ',store,' "$T/o/magnitudes.csv"; then echo "FAIL: a fresh store fed a magnitude"; exit 1; fi
grep -qF -- "$MARK" "$DOC" || { echo "FAIL: no marker in $DOC"; exit 1; }
sed -n "1,/^${MARK}\$/p" "$DOC" >"$T/head"
cat "$T/head" "$T/o/magnitudes.md" >"$T/doc"
if [ "${2:-}" = "--update" ]; then cp "$T/doc" "$DOC"; echo "updated $DOC"; exit 0; fi
if ! cmp -s "$T/doc" "$DOC"; then
  echo "FAIL: $DOC differs from the run (bash tests/cli_magnitudes.sh CLI --update):"
  diff "$DOC" "$T/doc" | head -20
  exit 1
fi
exit 0
