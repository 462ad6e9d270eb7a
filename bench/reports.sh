#!/usr/bin/env bash
# The reports over 100,000 receptions (J10), measured as bench/run.sh measures routes: a fresh
# database with `jiedai demo --receptions 100000 --history` (receptions over two years around
# today; those in planning whose visit has ended are closed with their close-out history:
# tasks, material back, survey sums; no money or reviews, so the spend parts read only the
# demo's own settled receptions), then
#   - the time of one request, alone (the median and the slowest of SINGLE sequential
#     requests, measured by curl): the year's summary as JSON, the same for one department,
#     everything (two years), and the page;
#   - requests per second under CONNECTIONS clients, beside the bare axum route and /healthz
#     measured in turn ROUNDS times (medians kept).
# Prints Markdown tables.
#
#   bench/reports.sh                        # SQLite
#   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres bench/reports.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-5s}
CONNECTIONS=${CONNECTIONS:-8}
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-3}
SINGLE=${SINGLE:-20}
RECEPTIONS=${RECEPTIONS:-100000}
command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk" >&2; exit 1; }
cargo build --release --quiet -p jiedai -p jiedai-bench-hello
TARGET=${CARGO_TARGET_DIR:-$PWD/target}
BIN=$TARGET/release/jiedai
HELLO=$TARGET/release/jiedai-bench-hello
WORK=$(mktemp -d)
PID=""
HELLO_PID=""
DB=""
cleanup() {
  kill $PID $HELLO_PID 2>/dev/null || true
  [ -n "$DB" ] && psql "$BENCH_DATABASE_URL" -qc "DROP DATABASE $DB WITH (FORCE)" || true
  rm -rf "$WORK"
}
trap cleanup EXIT
# shellcheck source=bench/lib.sh
source bench/lib.sh
# single URL HEADER -> "median_ms max_ms" of SINGLE sequential requests (after one warm-up)
single() {
  local url=$1 header=$2
  curl -sf -o /dev/null -H "$header" "$url"
  for ((i = 0; i < SINGLE; i++)); do
    curl -sf -o /dev/null -w '%{time_total}\n' -H "$header" "$url"
  done | sort -g | awk '{a[NR]=$1} END {printf "%.1f %.1f\n", a[int((NR+1)/2)]*1000, a[NR]*1000}'
}
engine=sqlite
url="sqlite://$WORK/j.db?mode=rwc"
if [ -n "${BENCH_DATABASE_URL:-}" ]; then
  engine=postgres
  DB=jiedai_bench_rep_$$
  psql "$BENCH_DATABASE_URL" -qc "CREATE DATABASE $DB"
  url="${BENCH_DATABASE_URL%/*}/$DB"
fi
DATABASE_URL=$url "$BIN" demo --receptions "$RECEPTIONS" --history >"$WORK/demo.log" 2>&1
grep -E "generated|closed" "$WORK/demo.log" >&2
hp=$(free_port); "$HELLO" 127.0.0.1:"$hp" >/dev/null 2>&1 & HELLO_PID=$!
port=$(free_port)
DATABASE_URL=$url RUST_LOG=warn "$BIN" serve --listen 127.0.0.1:"$port" >"$WORK/serve.log" 2>&1 & PID=$!
base="http://127.0.0.1:$port"
until curl -sf "$base/healthz" >/dev/null && curl -sf "http://127.0.0.1:$hp/" >/dev/null; do sleep 0.05; done
token=$(DATABASE_URL=$url "$BIN" token create coordinator --name bench-rep | tail -n1)
jar=$WORK/jar
csrf=$(curl -s -c "$jar" "$base/login" | grep -o 'name="csrf" value="[^"]*"' | head -n1 | sed 's/.*value="//; s/"$//')
curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$csrf" --data-urlencode "username=coordinator" \
  --data-urlencode "password=jiedai-demo" "$base/login"
cookie=$(awk '$6=="jiedai_session" || $6=="jiedai_csrf" {printf "%s=%s; ", $6, $7}' "$jar")
auth="Authorization: Bearer $token"
year=$(curl -sf -H "$auth" "$base/api/v1/reports/summary" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["receptions"]["total"], d["from"], d["to"])')
read -r in_year from to <<<"$year"
echo "receptions in the year's summary ($from to $to): $in_year" >&2
everything="from=$(date -u -d '-400 days' +%Y-%m-%d)&to=$(date -u -d '+400 days' +%Y-%m-%d)"
echo "| engine | one request, alone | median ms | slowest ms |"
echo "|---|---|---|---|"
read -r m x <<<"$(single "$base/api/v1/reports/summary" "$auth")"
echo "| $engine | \`GET /api/v1/reports/summary\` (the year: $in_year receptions) | $m | $x |"
read -r m x <<<"$(single "$base/api/v1/reports/summary?department=2" "$auth")"
echo "| $engine | \`GET /api/v1/reports/summary?department=2\` (the year, one department) | $m | $x |"
read -r m x <<<"$(single "$base/api/v1/reports/summary?$everything" "$auth")"
echo "| $engine | \`GET /api/v1/reports/summary\` (every reception, two years) | $m | $x |"
read -r m x <<<"$(single "$base/reports" "Cookie: $cookie")"
echo "| $engine | \`GET /reports\` (page, the year) | $m | $x |"
echo
bare=""; triv=""
for ((i = 0; i < ROUNDS; i++)); do
  bare+=$(wrk_run "http://127.0.0.1:$hp/")$'\n'
  triv+=$(wrk_run "$base/healthz")$'\n'
done
BARE=$(median <<<"${bare%$'\n'}")
TRIV=$(median <<<"${triv%$'\n'}")
summary=$(wrk_run "$base/api/v1/reports/summary" -H "$auth")
pagerun=$(wrk_run "$base/reports" -H "Cookie: $cookie")
echo "| engine | route ($CONNECTIONS clients) | req/s | p50 | p99 | share of bare | share of /healthz |"
echo "|---|---|---|---|---|---|---|"
echo "| $engine | \`GET /\` (bare axum, bench/hello) $(cells "$BARE")"
echo "| $engine | \`GET /healthz\` (trivial) $(cells "$TRIV")"
echo "| $engine | \`GET /api/v1/reports/summary\` (the year) $(cells "$summary")"
echo "| $engine | \`GET /reports\` (page, the year) $(cells "$pagerun")"
