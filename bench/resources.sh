#!/usr/bin/env bash
# The J9 routes alone, the way bench/run.sh measures them (that script runs them too, in its
# "my tasks and the board" section): a fresh database with `jiedai demo --receptions 3000
# --bookings 2000` (50 rooms and 20 cars, 2,000 bookings over the coming 30 days), then
# availability over 31 days and the week's schedule, each beside the bare axum route and
# /healthz measured in turn ROUNDS times (medians kept). Prints a Markdown table.
#
#   bench/resources.sh                        # SQLite
#   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres bench/resources.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-5s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-3}
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
engine=sqlite
url="sqlite://$WORK/j.db?mode=rwc"
if [ -n "${BENCH_DATABASE_URL:-}" ]; then
  engine=postgres
  DB=jiedai_bench_res_$$
  psql "$BENCH_DATABASE_URL" -qc "CREATE DATABASE $DB"
  url="${BENCH_DATABASE_URL%/*}/$DB"
fi
DATABASE_URL=$url "$BIN" demo --receptions 3000 --bookings 2000 >"$WORK/demo.log" 2>&1
hp=$(free_port); "$HELLO" 127.0.0.1:"$hp" >/dev/null 2>&1 & HELLO_PID=$!
port=$(free_port)
DATABASE_URL=$url RUST_LOG=warn "$BIN" serve --listen 127.0.0.1:"$port" >"$WORK/serve.log" 2>&1 & PID=$!
base="http://127.0.0.1:$port"
until curl -sf "$base/healthz" >/dev/null && curl -sf "http://127.0.0.1:$hp/" >/dev/null; do sleep 0.05; done
token=$(DATABASE_URL=$url "$BIN" token create coordinator --name bench-res | tail -n1)
jar=$WORK/jar
csrf=$(curl -s -c "$jar" "$base/login" | grep -o 'name="csrf" value="[^"]*"' | head -n1 | sed 's/.*value="//; s/"$//')
curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$csrf" --data-urlencode "username=coordinator" \
  --data-urlencode "password=jiedai-demo" "$base/login"
cookie=$(awk '$6=="jiedai_session" || $6=="jiedai_csrf" {printf "%s=%s; ", $6, $7}' "$jar")
bare=""; triv=""
for ((i = 0; i < ROUNDS; i++)); do
  bare+=$(wrk_run "http://127.0.0.1:$hp/")$'\n'
  triv+=$(wrk_run "$base/healthz")$'\n'
done
BARE=$(median <<<"${bare%$'\n'}")
TRIV=$(median <<<"${triv%$'\n'}")
from=$(date -u +%Y-%m-%d)
to=$(date -u -d '+30 days' +%Y-%m-%d)
rooms=$(wrk_run "$base/api/v1/availability?kind=room&from=$from&to=$to" -H "Authorization: Bearer $token")
cars=$(wrk_run "$base/api/v1/availability?kind=vehicle&from=$from&to=$to" -H "Authorization: Bearer $token")
sched=$(wrk_run "$base/resources/schedule" -H "Cookie: $cookie")
echo "| $engine | \`GET /\` (bare axum, bench/hello) $(cells "$BARE")"
echo "| $engine | \`GET /healthz\` (trivial) $(cells "$TRIV")"
echo "| $engine | \`GET /api/v1/availability?kind=room\` (50 rooms, 31 days) $(cells "$rooms")"
echo "| $engine | \`GET /api/v1/availability?kind=vehicle\` (20 cars, 31 days) $(cells "$cars")"
echo "| $engine | \`GET /resources/schedule\` (page, this week, 70 rooms and cars) $(cells "$sched")"
