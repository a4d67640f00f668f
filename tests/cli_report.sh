#!/usr/bin/env bash
# orderlab report: the HTML report on a fresh store (placeholders that say
# what is missing), on a small store the test makes (every section that has
# data), its failure modes, and the report opened in headless Chromium:
# every figure loads and the console shows nothing.  $1 is the CLI.
set -u
CLI="$1"
T=$(mktemp -d "${TMPDIR:-/tmp}/orderlab-cli-report-XXXXXX")
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/sh/checks.sh"

"$CLI" report --help >"$T/out" 2>"$T/err"
check "help" 0 $?
grep -q "^report - " "$T/out" || fail "help's first line"

# 1. A fresh store, no data: the report is written; what is missing says how to get it.
"$CLI" --db "$T/a.db" report --out "$T/a" --data "$T/nodata" >"$T/out" 2>"$T/err"
check "fresh store" 0 $?
hasf "no data directory said" "$T/err" "no data directory"
H="$T/a/index.html"
exists "index.html" "$H"
hasf "GDP import hint" "$H" "<code>orderlab import wb ../shared/data/wb_gdp/gdp.csv</code>"
hasf "UNGA hint" "$H" "<code>orderlab ideal estimate</code>"
hasf "sweep hint" "$H" "<code>orderlab report --sweep examples/paper-two-thirds.yaml</code>"
hasf "backtest section" "$H" "the naive forecast"
hasf "history needs data" "$H" "The history study needs the COW IGO memberships"
hasf "history command" "$H" "orderlab import cow-igo"
hasf "catalog bilingual" "$H" "Exit diplomacy <span lang=\"zh\">退出外交</span>"
hasf "status term" "$H" "<span lang=\"zh\">威胁退出</span>"
hasf "simulation on built-in facts" "$H" "built-in GDP facts"
hasf "Table 3.2 term" "$H" "Spillover effect <span lang=\"zh\">溢出效应</span>"
hasf "Table 4.2 new means" "$H" "挤压包容性带来的制度溢出收益"
hasf "no network" "$H" "default-src 'none'"
for f in table1_1_catalog.csv table3_2_effects.csv table4_1_strategy.csv table4_2_means.csv \
         simulate/power_ratio.svg simulate/power_ratio.png simulate/power_ratio.pdf simulate/action_map.svg \
         simulate/institution_year.csv; do exists "$f" "$T/a/$f"; done
hasf "Table 3.2 header" "$T/a/table3_2_effects.csv" "effect,effect_zh,account,total_usd,mean_usd_per_year,peak_usd,peak_year,threats,renegotiations,escalations,exits,rejoins,institutions"
hasf "Table 3.2 spillover row" "$T/a/table3_2_effects.csv" "spillover,溢出效应,Y,"
hasf "Table 4.1 levels" "$T/a/table4_1_strategy.csv" "with-competitor,与竞争对手在双边层面,"
hasf "Table 4.2 means" "$T/a/table4_2_means.csv" "squeeze_spillover,new,"
hasf "summary: shown" "$T/out" "table1_1 shown"
hasf "summary: missing" "$T/out" "fig4_1   missing"
if grep -q "src=\"http\|src=\"file\|<script src\|<link " "$H"; then fail "external resource in $H"; fi

# 2. A small store: GDP from --data (the fixture of cli_run.sh), ideal
#    points written straight into the store, a tiny Saltelli sweep.
mkdir -p "$T/data/wb_gdp"
{
  echo 'Country Name,Country Code,Year,Value'
  for y in 2000 2001 2002 2003 2004 2005; do echo "United States,USA,$y,300"; done
  echo 'China,CHN,2000,100'; echo 'China,CHN,2001,150'; echo 'China,CHN,2002,190'
  echo 'China,CHN,2003,200'; echo 'China,CHN,2004,210'; echo 'China,CHN,2005,250'
  for y in 2000 2001 2002 2003 2004 2005; do echo "Japan,JPN,$y,150"; done
} >"$T/data/wb_gdp/gdp.csv"
"$CLI" --db "$T/b.db" db info >/dev/null || { echo "cannot create a store"; exit 1; }
if command -v sqlite3 >/dev/null; then
  sqlite3 "$T/b.db" <<'EOF'
INSERT INTO runs(id, kind, status) VALUES (1, 'ideal', 'ok');
WITH s(n) AS (VALUES (1),(2),(3),(4),(5))
INSERT INTO ideal_points(estimate, country, period_kind, period, year, value, se, run_id)
  SELECT 'orderlab-dynamic', 'USA', 'session', n, 1945 + n, 1.5 + 0.1 * n, 0.2, 1 FROM s UNION ALL
  SELECT 'orderlab-dynamic', 'RUS', 'session', n, 1945 + n, -2 - 0.1 * n, NULL, 1 FROM s;
EOF
  ideal=1
else
  ideal=0
fi
cat >"$T/sal.yaml" <<'EOF'
name: tiny-saltelli
design: saltelli
samples: 8
replicates: 1
seed: 11
stochastic: true
parameters:
  - {key: threshold.tau, min: 0.5, max: 0.85}
  - {key: "leaders[transactional].temperament", min: 1, max: 3}
sweep:
  wave: {min_exits: 3, window: 4}
  heatmap: [threshold.tau, "leaders[transactional].temperament"]
  bins: 3
  bootstrap: 50
EOF
"$CLI" --db "$T/b.db" report --out "$T/b" --data "$T/data" --gdp-vintage fixture --sweep "$T/sal.yaml" \
  >"$T/out" 2>"$T/err"
check "small store" 0 $?
H="$T/b/index.html"
hasf "GDP imported" "$T/out" "loaded: orderlab import wb $T/data/wb_gdp/gdp.csv"
hasf "Figure 4.1 shown" "$T/out" "fig4_1   shown   NY.GDP.MKTP.CD, vintage fixture"
hasf "sweep shown" "$T/out" "sweep    shown   tiny-saltelli: 32 runs"
[ $ideal = 1 ] && has "Figure 4.2 shown" "$T/out" "fig4_2   shown   estimate orderlab-dynamic"
hasf "China's crossing" "$H" "<td>China (CHN)</td><td>2003</td><td>2003</td>"
hasf "Figure 4.1 caption" "$H" "Regenerate: <code>orderlab plot gdp --out DIR</code>"
for f in fig4_1_gdp.svg fig4_1_gdp.png fig4_1_gdp.pdf gdp_ratio.csv crossings.csv \
         sweep/sweep_heatmap.svg sweep/sweep_sensitivity.svg sweep/sobol.csv sweep/heatmap.csv; do
  exists "$f" "$T/b/$f"
done
[ $ideal = 1 ] && exists "fig4_2 data" "$T/b/fig4_2_ideal.csv"
hasf "Sobol table" "$H" "<h3>Sobol indices</h3>"
# A rerun resumes the sweep and imports nothing again.
"$CLI" --db "$T/b.db" report --out "$T/b" --data "$T/data" --sweep "$T/sal.yaml" >"$T/out2" 2>"$T/err"
check "rerun" 0 $?
if grep -q "^loaded" "$T/out2"; then fail "rerun imported again"; fi

# 3. Failures: an output that cannot be written (5); a malformed data file (3), store unchanged.
touch "$T/file"
"$CLI" --db "$T/b.db" report --out "$T/file/sub" >"$T/out" 2>"$T/err"
check "unwritable output" 5 $?
mkdir -p "$T/bad/wb_gdp"
printf 'Country Name,Country Code,Year,Value\nUnited States,USA,20x1,300\n' >"$T/bad/wb_gdp/gdp.csv"
"$CLI" --db "$T/c.db" report --out "$T/c" --data "$T/bad" >"$T/out" 2>"$T/err"
check "malformed GDP file" 3 $?
hasf "error names the file" "$T/err" "$T/bad/wb_gdp/gdp.csv:2"

# 4. In a browser: every figure loads, the console shows nothing.
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
  [ "$fails" -eq 0 ] || finish cli_report
  echo "chromium not installed (scripts/install-deps.sh installs it): browser check skipped"
  exit 77
fi
browse() { # directory of the report
  local n
  n=$(grep -o '<img ' "$1/index.html" | wc -l)
  # --dump-dom prints the DOM after the load event, when the report's own
  # script has marked <body> with loaded/total figures; --enable-logging
  # writes every console message (any level) as an INFO:CONSOLE line.
  timeout 120 "$CHROMIUM" --headless=new --no-sandbox --disable-gpu --enable-logging=stderr --v=0 \
    --user-data-dir="$T/profile" --dump-dom "file://$1/index.html" >"$T/dom" 2>"$T/console"
  check "chromium on $1" 0 $?
  hasf "every figure of $1 loaded" "$T/dom" "data-figures=\"$n/$n\""
  if grep -q "CONSOLE" "$T/console"; then
    fail "console messages from $1:"; grep "CONSOLE" "$T/console"
  fi
}
browse "$T/a"
browse "$T/b"
finish cli_report
