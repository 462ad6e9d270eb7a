#!/usr/bin/env bash
# Benchmarks the release build with wrk: GET /api/v1/me (bearer token) and the sign-in page,
# beside the trivial /healthz of the same server and a bare axum route (bench/hello: `GET /`
# answering "ok" on the same axum, tokio and allocator, no middleware), plus start-up time and
# idle memory; the reception list (HTML page and API, 50 rows) and one reception (page and
# API) with 100,000 and with 10,000 receptions; and one million working-day computations of
# the calendar. Every route is reported as a share of the bare route and of /healthz; those
# two are measured in turn (bare, /healthz, bare, /healthz, ...) ROUNDS times in each section
# and their medians kept, as this machine's figures move by about 15% from run to run.
# Writes the figures to docs/benchmarks.md. Runs on SQLite, and on PostgreSQL too when
# BENCH_DATABASE_URL is set (an empty scratch database is created and dropped there).
#
#   bench/run.sh                 # SQLite only
#   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres bench/run.sh
#   DURATION=3s ROUNDS=1 bench/run.sh    # a quick check that the script runs
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
ROUNDS=${ROUNDS:-3}
command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk" >&2; exit 1; }

cargo build --release --quiet
cargo build --release --quiet -p jiedai-bench-hello
TARGET=${CARGO_TARGET_DIR:-$PWD/target}
BIN=$TARGET/release/jiedai
HELLO=$TARGET/release/jiedai-bench-hello
OUT=$PWD/docs/benchmarks.md
WORK=$(mktemp -d)
PID=""
HELLO_PID=""
trap 'kill $PID $HELLO_PID 2>/dev/null || true; rm -rf "$WORK"' EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# wrk_run NAME URL [HEADER] -> "rps p50 p99"
wrk_run() {
  local url=$1; shift
  local out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url")
  local rps p50 p99 non2xx
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1=="50%" {print $2}' <<<"$out")
  p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  [ -n "$non2xx" ] && echo "warning: $non2xx non-2xx answers on $url" >&2
  echo "$rps $p50 $p99"
}

# cookie_of BASE USER -> the Cookie header of USER signed in with the demo password
cookie_of() {
  local base=$1 user=$2 jar=$WORK/jar-$2
  rm -f "$jar"
  # The form's token is signed (bound to the cookie), so it is read from the page.
  local csrf; csrf=$(curl -s -c "$jar" "$base/login" | grep -o 'name="csrf" value="[^"]*"' | head -n1 | sed 's/.*value="//; s/"$//')
  curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$csrf" --data-urlencode "username=$user" \
    --data-urlencode "password=jiedai-demo" "$base/login"
  awk '$6=="jiedai_session" || $6=="jiedai_csrf" {printf "%s=%s; ", $6, $7}' "$jar"
}

# pct A B -> A as a share of B, e.g. "42%"
pct() { python3 -c "print(f'{$1/$2*100:.0f}%')"; }

# bare_and_trivial BASE: wrk the bare route and BASE/healthz in turn, ROUNDS times each; sets
# BARE and TRIV to the median run of each ("rps p50 p99", the run with the median requests/s).
bare_and_trivial() {
  local base=$1 bare_runs="" triv_runs="" i
  for ((i = 0; i < ROUNDS; i++)); do
    bare_runs+=$(wrk_run "$BARE_URL")$'\n'
    triv_runs+=$(wrk_run "$base/healthz")$'\n'
  done
  local mid=$((ROUNDS / 2 + 1))
  BARE=$(sort -g -k1,1 <<<"${bare_runs%$'\n'}" | sed -n "${mid}p")
  TRIV=$(sort -g -k1,1 <<<"${triv_runs%$'\n'}" | sed -n "${mid}p")
}

# cells "RPS P50 P99" -> "| rps | p50 | p99 | of bare axum | of /healthz |" against BARE and TRIV
cells() {
  local rps p50 p99
  read -r rps p50 p99 <<<"$1"
  echo "| $rps | $p50 | $p99 | $(pct "$rps" "${BARE%% *}") | $(pct "$rps" "${TRIV%% *}") |"
}

run_engine() {
  local engine=$1 url=$2
  cd "$WORK"
  # The bare route runs beside the server for the whole engine section, idle between its runs.
  local hello_port; hello_port=$(free_port)
  "$HELLO" 127.0.0.1:"$hello_port" >"$WORK/hello.log" 2>&1 &
  HELLO_PID=$!
  BARE_URL="http://127.0.0.1:$hello_port/"
  until curl -sf "$BARE_URL" >/dev/null; do sleep 0.01; done
  local port; port=$(free_port)
  local t0; t0=$(date +%s%N)
  DATABASE_URL=$url RUST_LOG=warn "$BIN" serve --demo --listen 127.0.0.1:"$port" >"$WORK/serve.log" 2>&1 &
  PID=$!
  until curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; do sleep 0.01; done
  local t1; t1=$(date +%s%N)
  local startup_ms=$(( (t1 - t0) / 1000000 ))
  sleep 1
  local rss_kb; rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$PID/status)
  local token; token=$(DATABASE_URL=$url "$BIN" token create admin --name bench | tail -n1)
  local base="http://127.0.0.1:$port"
  bare_and_trivial "$base"
  local me login
  me=$(wrk_run "$base/api/v1/me" -H "Authorization: Bearer $token")
  login=$(wrk_run "$base/login" -H "Accept-Language: zh-CN")
  local busy_rss_kb; busy_rss_kb=$(awk '/VmRSS/ {print $2}' /proc/$PID/status)
  kill $PID; wait $PID 2>/dev/null || true
  ROWS+="| $engine | \`GET /\` (bare axum, bench/hello) $(cells "$BARE")"$'\n'
  ROWS+="| $engine | \`GET /healthz\` (trivial) $(cells "$TRIV")"$'\n'
  ROWS+="| $engine | \`GET /api/v1/me\` (bearer token) $(cells "$me")"$'\n'
  ROWS+="| $engine | \`GET /login\` (page) $(cells "$login")"$'\n'
  # The reception list over a large table: 100,000 receptions, then a fresh database with
  # 10,000 (the page should cost the same: it reads 50 rows by an index either way).
  for n in 100000 10000; do
    local lurl=$url
    if [ "$n" = 10000 ]; then lurl=${SMALL_URL:?}; fi
    local t2; t2=$(date +%s)
    DATABASE_URL=$lurl "$BIN" demo --receptions "$n" >"$WORK/demo.log" 2>&1
    local load_s=$(( $(date +%s) - t2 ))
    DATABASE_URL=$lurl RUST_LOG=warn "$BIN" serve --listen 127.0.0.1:"$port" >"$WORK/serve.log" 2>&1 &
    PID=$!
    until curl -sf "$base/healthz" >/dev/null; do sleep 0.01; done
    local ltoken; ltoken=$(DATABASE_URL=$lurl "$BIN" token create admin --name bench-list | tail -n1)
    local cookie; cookie=$(cookie_of "$base" admin)
    # One reception: the first the API lists (in visit order).
    local id
    id=$(curl -sf -H "Authorization: Bearer $ltoken" "$base/api/v1/receptions?limit=1" |
      python3 -c 'import json, sys; print(json.load(sys.stdin)["items"][0]["id"])')
    curl -sf -o /dev/null -H "Cookie: $cookie" "$base/receptions/$id" || { echo "GET /receptions/$id failed" >&2; exit 1; }
    bare_and_trivial "$base"
    local page api one_page one_api
    page=$(wrk_run "$base/receptions?state=planning&tier=business" -H "Cookie: $cookie")
    api=$(wrk_run "$base/api/v1/receptions?limit=50" -H "Authorization: Bearer $ltoken")
    one_page=$(wrk_run "$base/receptions/$id" -H "Cookie: $cookie")
    one_api=$(wrk_run "$base/api/v1/receptions/$id" -H "Authorization: Bearer $ltoken")
    kill $PID; wait $PID 2>/dev/null || true
    LIST+="| $engine | $n | \`GET /\` (bare axum, bench/hello) $(cells "$BARE")"$'\n'
    LIST+="| $engine | $n | \`GET /healthz\` (trivial) $(cells "$TRIV")"$'\n'
    LIST+="| $engine | $n | \`GET /receptions?state=planning&tier=business\` (page, 50 rows) $(cells "$page")"$'\n'
    LIST+="| $engine | $n | \`GET /api/v1/receptions?limit=50\` $(cells "$api")"$'\n'
    LIST+="| $engine | $n | \`GET /receptions/{id}\` (page, one reception) $(cells "$one_page")"$'\n'
    LIST+="| $engine | $n | \`GET /api/v1/receptions/{id}\` $(cells "$one_api")"$'\n'
    LOADS+="| $engine | $n | ${load_s} s |"$'\n'
  done
  # My tasks and the coordinator's board: a fresh database with 3,000 generated receptions
  # (about 1,000 in planning) and 200 open tasks held by the demo's staff member.
  DATABASE_URL=${TASKS_URL:?} "$BIN" demo --receptions 3000 --tasks 200 --bookings 2000 >"$WORK/demo.log" 2>&1
  DATABASE_URL=$TASKS_URL RUST_LOG=warn "$BIN" serve --listen 127.0.0.1:"$port" >"$WORK/serve.log" 2>&1 &
  PID=$!
  until curl -sf "$base/healthz" >/dev/null; do sleep 0.01; done
  local staff_cookie gm_cookie stoken gtoken planning
  staff_cookie=$(cookie_of "$base" staff)
  gm_cookie=$(cookie_of "$base" coordinator)
  stoken=$(DATABASE_URL=$TASKS_URL "$BIN" token create staff --name bench-tasks | tail -n1)
  gtoken=$(DATABASE_URL=$TASKS_URL "$BIN" token create coordinator --name bench-board | tail -n1)
  planning=$(curl -sf -H "Authorization: Bearer $gtoken" "$base/api/v1/board" |
    python3 -c 'import json, sys; print(len(json.load(sys.stdin)["items"]))')
  local open_tasks
  open_tasks=$(curl -sf -H "Authorization: Bearer $stoken" "$base/api/v1/me/tasks" |
    python3 -c 'import json, sys; print(sum(1 for t in json.load(sys.stdin)["items"] if t["status"] in ("todo", "doing")))')
  # The worker fans the demo's events out within a second or two: let it finish first.
  sleep 3
  local unread
  unread=$(curl -sf -H "Authorization: Bearer $gtoken" "$base/api/v1/me/notifications/unread-count" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["count"])')
  bare_and_trivial "$base"
  local mine mine_api board board_api bell bell_api bell_count
  bell=$(wrk_run "$base/notifications" -H "Cookie: $gm_cookie")
  bell_api=$(wrk_run "$base/api/v1/me/notifications" -H "Authorization: Bearer $gtoken")
  bell_count=$(wrk_run "$base/api/v1/me/notifications/unread-count" -H "Authorization: Bearer $gtoken")
  mine=$(wrk_run "$base/tasks" -H "Cookie: $staff_cookie")
  mine_api=$(wrk_run "$base/api/v1/me/tasks" -H "Authorization: Bearer $stoken")
  board=$(wrk_run "$base/board" -H "Cookie: $gm_cookie")
  board_api=$(wrk_run "$base/api/v1/board" -H "Authorization: Bearer $gtoken")
  # Availability of the 50 rooms and 20 cars over a month (2,000 bookings), and the week's
  # schedule page.
  local from to avail_rooms avail_cars schedule
  from=$(date -u +%Y-%m-%d)
  to=$(date -u -d '+30 days' +%Y-%m-%d)
  avail_rooms=$(wrk_run "$base/api/v1/availability?kind=room&from=$from&to=$to" -H "Authorization: Bearer $gtoken")
  avail_cars=$(wrk_run "$base/api/v1/availability?kind=vehicle&from=$from&to=$to" -H "Authorization: Bearer $gtoken")
  schedule=$(wrk_run "$base/resources/schedule" -H "Cookie: $gm_cookie")
  kill $PID; wait $PID 2>/dev/null || true
  TASKS+="| $engine | \`GET /\` (bare axum, bench/hello) $(cells "$BARE")"$'\n'
  TASKS+="| $engine | \`GET /healthz\` (trivial) $(cells "$TRIV")"$'\n'
  TASKS+="| $engine | \`GET /tasks\` (page, $open_tasks open tasks) $(cells "$mine")"$'\n'
  TASKS+="| $engine | \`GET /api/v1/me/tasks\` ($open_tasks open tasks) $(cells "$mine_api")"$'\n'
  TASKS+="| $engine | \`GET /board\` (page, $planning receptions) $(cells "$board")"$'\n'
  TASKS+="| $engine | \`GET /api/v1/board\` ($planning receptions) $(cells "$board_api")"$'\n'
  TASKS+="| $engine | \`GET /notifications\` (page, the coordinator's $unread unread) $(cells "$bell")"$'\n'
  TASKS+="| $engine | \`GET /api/v1/me/notifications\` (50 a page) $(cells "$bell_api")"$'\n'
  TASKS+="| $engine | \`GET /api/v1/me/notifications/unread-count\` $(cells "$bell_count")"$'\n'
  TASKS+="| $engine | \`GET /api/v1/availability?kind=room\` (50 rooms, 31 days) $(cells "$avail_rooms")"$'\n'
  TASKS+="| $engine | \`GET /api/v1/availability?kind=vehicle\` (20 cars, 31 days) $(cells "$avail_cars")"$'\n'
  TASKS+="| $engine | \`GET /resources/schedule\` (page, this week, 70 rooms and cars) $(cells "$schedule")"$'\n'
  # Writes: creating receptions through the API, 32 clients at once, on the smaller database
  # (its list was measured already). On SQLite with each durability setting: FULL (the
  # default; every commit synced, survives power loss) and NORMAL.
  local modes="default"
  [ "$engine" = sqlite ] && modes="full normal"
  cat >"$WORK/create.lua" <<'LUA'
wrk.method = "POST"
wrk.body = '{"guest_organization":"Bench","purpose":"bench","visit_start":"2030-06-03"}'
wrk.headers["Content-Type"] = "application/json"
LUA
  local mode
  for mode in $modes; do
    local sync_env=()
    [ "$mode" != default ] && sync_env=(JIEDAI_DATABASE__SQLITE_SYNCHRONOUS=$mode)
    env "${sync_env[@]}" DATABASE_URL=$SMALL_URL RUST_LOG=warn "$BIN" serve --listen 127.0.0.1:"$port" >"$WORK/serve.log" 2>&1 &
    PID=$!
    until curl -sf "$base/healthz" >/dev/null; do sleep 0.01; done
    local wtoken; wtoken=$(DATABASE_URL=$SMALL_URL "$BIN" token create admin --name "bench-write-$mode" | tail -n1)
    bare_and_trivial "$base"
    local create
    create=$(wrk_run "$base/api/v1/receptions" -s "$WORK/create.lua" -H "Authorization: Bearer $wtoken")
    kill $PID; wait $PID 2>/dev/null || true
    local label="create"
    [ "$mode" = full ] && label="create, synchronous=FULL (default)"
    [ "$mode" = normal ] && label="create, synchronous=NORMAL"
    WRITES+="| $engine | \`POST /api/v1/receptions\` ($label) $(cells "$create")"$'\n'
  done
  kill $HELLO_PID; wait $HELLO_PID 2>/dev/null || true
  cd - >/dev/null
  STARTS+="| $engine | $startup_ms ms | $((rss_kb / 1024)) MB | $((busy_rss_kb / 1024)) MB |"$'\n'
}

# The working-day calendar: pure computation, no server.
CALENDAR=$(cargo bench --quiet -p jiedai-domain --bench calendar 2>/dev/null | grep -E '^(calendar|1,000,000)')

ROWS=""
WRITES=""
STARTS=""
LIST=""
LOADS=""
TASKS=""
SMALL_URL="sqlite://$WORK/small.db?mode=rwc" TASKS_URL="sqlite://$WORK/tasks.db?mode=rwc" \
  run_engine sqlite "sqlite://$WORK/jiedai.db?mode=rwc"
if [ -n "${BENCH_DATABASE_URL:-}" ]; then
  DB=jiedai_bench_$$
  psql "$BENCH_DATABASE_URL" -qc "CREATE DATABASE $DB"
  psql "$BENCH_DATABASE_URL" -qc "CREATE DATABASE ${DB}_small"
  psql "$BENCH_DATABASE_URL" -qc "CREATE DATABASE ${DB}_tasks"
  SMALL_URL="${BENCH_DATABASE_URL%/*}/${DB}_small" TASKS_URL="${BENCH_DATABASE_URL%/*}/${DB}_tasks" \
    run_engine postgres "${BENCH_DATABASE_URL%/*}/$DB"
  psql "$BENCH_DATABASE_URL" -qc "DROP DATABASE $DB WITH (FORCE)"
  psql "$BENCH_DATABASE_URL" -qc "DROP DATABASE ${DB}_small WITH (FORCE)"
  psql "$BENCH_DATABASE_URL" -qc "DROP DATABASE ${DB}_tasks WITH (FORCE)"
fi

KEPT=""
[ -f "$OUT" ] && KEPT=$(sed -n '/^## Side by side/,$p' "$OUT")
cat >"$OUT" <<MD
# Benchmarks

Measured by \`bench/run.sh\` on $(date -u +%Y-%m-%d) on this machine ($(nproc) cores), release build,
wrk with $THREADS threads and $CONNECTIONS connections for $DURATION per route, client and server
on the same machine. Each engine starts from an empty database with demo data.

Every route is reported twice over, as a share of requests/s:

- **of bare axum**: of \`GET /\` on \`bench/hello\`, a bare axum route answering \`ok\` built from
  the workspace's own axum, tokio and allocator (mimalloc), with no middleware and no state: the
  most this stack gives on this machine. It runs beside the server, on its own port.
- **of /healthz**: of the server's trivial \`GET /healthz\` (same answer, through the server's
  whole middleware stack), which measures what a route costs beyond the stack.

In each table section (per engine, and per table size below) the bare route and \`/healthz\` are
measured in turn, bare first, $ROUNDS times each, and the median run of each is shown: the
figures on this machine move by about 15% from one run to the next. Every other route is one
run, right after them.

## Throughput and latency

| engine | route | requests/s | p50 | p99 | of bare axum | of /healthz |
|---|---|---|---|---|---|---|
$ROWS
Aims: \`/healthz\` at ≥ 75% of the bare route; the authenticated JSON route at half or more of
\`/healthz\`'s throughput.

## The reception list over a large table

\`jiedai demo --receptions N\` writes N generated receptions (every state, two years around
today); then the server is started again on that database. The page is signed in as the
administrator (who sees every reception) and filtered by state and tier; the API lists the
first 50 in visit order. One reception is the first the API lists, its page (signed in as the
administrator) and its API (bearer token).

| engine | receptions | route | requests/s | p50 | p99 | of bare axum | of /healthz |
|---|---|---|---|---|---|---|---|
$LIST
Aims:

- \`/healthz\` at ≥ 75% of the bare route;
- the list page (HTML) at no fewer requests/s than the build before, side by side
  (\`bench/compare.sh\`), and p99 under 50 ms at 100,000 receptions (before J4 this aim read
  ≥ 15% (SQLite) / ≥ 11% (PostgreSQL) of \`/healthz\`, when \`/healthz\` was half as fast);
- one reception's page at ≥ the list page's requests/s;
- the same list with 10× less data no more than 1.5× faster.

## My tasks and the coordinator's board

\`jiedai demo --receptions 3000 --tasks 200 --bookings 2000\` on a fresh database: 3,000
generated receptions (about a third in planning) and 200 open tasks held by the demo's staff
member, one on each of the first 200 receptions in planning; 50 rooms and 20 cars in all (the demo's among them) and
2,000 bookings of them over the coming 30 days (availability is asked for 31 days). "My tasks" is signed in as that staff member (page)
or with their token (API); the board as the coordinator, over every reception in planning or
on site.

| engine | route | requests/s | p50 | p99 | of bare axum | of /healthz |
|---|---|---|---|---|---|---|
$TASKS
Aims: "my tasks" (200 open tasks) at no fewer requests/s than the list page of 50 rows above;
the board over about 1,000 receptions with p99 under 100 ms. The coordinator's notifications
(the demo's events, fanned out by the worker of the server measured): the list at least as fast
as my tasks; the unread count, read by every page for the bell, within reach of \`/api/v1/me\`.
Availability over a month and the week's schedule: p99 under 100 ms.

## Writes

Creating receptions (\`POST /api/v1/receptions\`, a draft with its audit record and the year's
code counter, one transaction each) with 32 clients at once, on the database of 10,000. SQLite
is measured with each durability setting (\`[database] sqlite_synchronous\`): \`full\`, the
default, syncs every commit so an acknowledged write survives a power loss; \`normal\` syncs at
checkpoints only (a crash of the process loses nothing, a power loss may drop the last commits).

| engine | route | requests/s | p50 | p99 | of bare axum | of /healthz |
|---|---|---|---|---|---|---|
$WRITES
| engine | receptions | time to generate and write them |
|---|---|---|
$LOADS
## Start-up and memory

| engine | start-up (process start to first answer, empty database incl. migrations and demo data) | idle RSS | RSS after the runs |
|---|---|---|---|
$STARTS
Aims: idle memory under 40 MB; start-up on an empty database under one second.

## Working-day calendar

\`cargo bench -p jiedai-domain --bench calendar\` (release), over the shipped 2004–2026 calendar:

\`\`\`
$CALENDAR
\`\`\`

Aim: one million working-day computations well under a second.

## Reading these figures

- wrk runs on the same two cores as the server, so the bare route and \`/healthz\` measure the
  pair rather than the server alone; figures within about 10% of each other are the same. The
  bare route is the ceiling: what is between it and \`/healthz\` is what every request pays —
  the envelope (request id, tracing span, security headers) and the route's guard (counters).
  Pages and the API also pass compression, the body limit, the timeout, the request's session
  and language, error pages and panic catching; the operations routes skip those. Before J4
  \`/healthz\` passed all of them, as eleven \`tower_http\` layers and four \`from_fn\`
  middlewares (per-request metrics behind a mutex, a formatted request id, context
  resolution, error rendering), and reached 37-49% of the bare route.
- Shares of \`/healthz\` before and after J4 do not compare: \`/healthz\` itself became about
  1.9× faster. Compare builds with \`bench/compare.sh\` instead (below), which runs both on the
  same machine at the same moment.
- \`/api/v1/me\` resolves the token through a half-second cache (see docs/operations.md); without
  it (four queries per request) it ran at 13% (SQLite) and 7% (PostgreSQL) of the trivial route.
- Idle memory can include argon2's 19 MiB work area from the demo data's six password hashes:
  each hash frees its area, but mimalloc gives freed memory back to the system only at its next
  collection after a short delay (0.1 s), and an idle server makes no collection. Once the server has
  worked a little the area is gone (RSS after the PostgreSQL runs was 21 MB when this was
  measured). With glibc's malloc
  the idle figure was 40 MB on this machine (39 MB in the run before), the area kept for good.
- Writes are bounded by the commit, not by the route: every create is one transaction (the
  draft, its form, its audit record, the year's code counter). On SQLite they are serialised,
  and with \`synchronous=FULL\` (the default) each commit waits for the write-ahead log to
  reach the disk; the difference between the two SQLite rows of "Writes" is the price of
  surviving a power loss.
- Start-up includes creating the database, running the migrations and loading the demo data.
- The reception list: the page costs the same at 10,000 and 100,000 receptions (it reads 50 rows
  through an index). From 3-7% of the trivial route to 10-16% before J4 (of the trivial route as it
  was then), found with perf (release build
  with frame pointers) and measured one change at a time:
  - mimalloc instead of glibc's malloc, whose allocations took about a third of the CPU
    (+50-70%), built without transparent huge pages (with them idle memory grew by 13 MB);
  - PostgreSQL returns plain rows, read without sqlx's per-value type checks, instead of JSON
    built by the database (json_build_array took a third of PostgreSQL's time);
  - list filters from closed sets (states, tiers, the late flag) and the LIMIT are written into
    the statement; values that vary per person or per day (department and user ids, dates),
    free text and the cursor are bound, so neither engine's statement cache is churned. A bound
    LIMIT made SQLite parse and plan the cached statement on every call (a sixth of the CPU);
    bound filter values made PostgreSQL plan every call (a tenth). PostgreSQL's
    \`force_generic_plan\` would have saved the same, but a generic plan scanned all 100,000
    rows for a state with no receptions (10-360 ms), so it is not used;
  - SQLite built without memory statistics (a lock on every allocation inside SQLite), and
    with the query planner stability guarantee, which stops the re-preparing for every other
    statement with a bound value the planner looks at (every \`.one()\`: reading one reception
    spent over half of SQLite's time re-preparing; with it, 16% more requests/s);
  - SQLite's JSON page read in place (dates and states without copies).
  Earlier: list columns only with the form in its own table, one JSON value per page on SQLite
  (one hand-over from sqlx's worker thread), who heads which department cached, statistics
  refreshed after a bulk load (without them PostgreSQL sorted every reception of the state).
  In J4: the state indexes carry the tier (a page filtered by state and tier reads from the
  table only the rows it shows), and one reception's page reads its history in the same query
  as the reception, as one JSON value, without the audit records' before and after documents.
MD
# What follows "## Side by side" in the previous file (comparisons of builds made with
# bench/compare.sh, which this script cannot remake) is kept.
if [ -n "$KEPT" ]; then printf '\n%s\n' "$KEPT" >>"$OUT"; fi
echo "wrote $OUT"
cat "$OUT"
