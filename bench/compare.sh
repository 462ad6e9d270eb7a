#!/usr/bin/env bash
# Compares two builds of the server side by side on the same machine, at the same moment:
# each gets its own fresh database with the demo data and N generated receptions, both run at
# once, and wrk measures them in turn (A, B, A, B, ...) ROUNDS times per route; the median
# requests/s of each is printed, with B as a share of A. Absolute figures on this machine move
# by about 15% between runs; alternating runs of the two builds cancel most of that.
#
#   bench/compare.sh OLD_BINARY NEW_BINARY
#   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres bench/compare.sh OLD NEW
#
# To build an older commit without disturbing this tree:
#   git worktree add /tmp/old <commit> && CARGO_TARGET_DIR=/tmp/old-target cargo build --release --manifest-path /tmp/old/Cargo.toml -p jiedai
#
# Routes (override with ROUTES, space-separated; {id} is the first reception in visit order):
# /healthz, the list page filtered by state and tier, one reception's page, and its API.
set -euo pipefail
A=$(realpath "${1:?usage: bench/compare.sh OLD_BINARY NEW_BINARY}")
B=$(realpath "${2:?usage: bench/compare.sh OLD_BINARY NEW_BINARY}")
N=${RECEPTIONS:-100000}
DURATION=${DURATION:-5s}
ROUNDS=${ROUNDS:-3}
ROUTES=${ROUTES:-"/healthz /receptions?state=planning&tier=business /receptions/{id} /api/v1/receptions/{id}"}
command -v wrk >/dev/null || { echo "wrk missing: apt-get install wrk" >&2; exit 1; }

WORK=$(mktemp -d)
PIDS=()
DBS=()
cleanup() {
  kill "${PIDS[@]}" 2>/dev/null || true
  for db in "${DBS[@]}"; do psql "$BENCH_DATABASE_URL" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start NAME BINARY: a fresh database with the demo data and N receptions, the server on it,
# a signed-in administrator's cookie and a token; sets URL_<NAME>, COOKIE_<NAME>, TOKEN_<NAME>,
# ID_<NAME>.
start() {
  local name=$1 bin=$2 url
  if [ -n "${BENCH_DATABASE_URL:-}" ]; then
    local db="jiedai_compare_${name,,}_$$"
    psql "$BENCH_DATABASE_URL" -qc "CREATE DATABASE $db"
    DBS+=("$db")
    url="${BENCH_DATABASE_URL%/*}/$db"
  else
    url="sqlite://$WORK/$name.db?mode=rwc"
  fi
  (cd "$WORK" && DATABASE_URL=$url "$bin" demo --receptions "$N" >"$WORK/$name-demo.log" 2>&1)
  local port; port=$(free_port)
  (cd "$WORK" && DATABASE_URL=$url RUST_LOG=warn exec "$bin" serve --listen 127.0.0.1:"$port" >"$WORK/$name.log" 2>&1) &
  PIDS+=($!)
  local base="http://127.0.0.1:$port"
  until curl -sf "$base/healthz" >/dev/null; do sleep 0.05; done
  local jar=$WORK/$name.jar
  # The form's token is read from the page (it is signed, not the cookie's value).
  local csrf; csrf=$(curl -s -c "$jar" "$base/login" | grep -o 'name="csrf" value="[^"]*"' | head -n1 | sed 's/.*value="//; s/"$//')
  curl -s -b "$jar" -c "$jar" -o /dev/null --data-urlencode "csrf=$csrf" --data-urlencode "username=admin" \
    --data-urlencode "password=jiedai-demo" "$base/login"
  local token; token=$(cd "$WORK" && DATABASE_URL=$url "$bin" token create admin --name compare | tail -n1)
  local id
  id=$(curl -sf -H "Authorization: Bearer $token" "$base/api/v1/receptions?limit=1" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["items"][0]["id"])')
  printf -v "URL_$name" '%s' "$base"
  printf -v "COOKIE_$name" '%s' "$(awk '$6=="jiedai_session" || $6=="jiedai_csrf" {printf "%s=%s; ", $6, $7}' "$jar")"
  printf -v "TOKEN_$name" '%s' "$token"
  printf -v "ID_$name" '%s' "$id"
}

# rps NAME ROUTE -> requests/s of one wrk run (API routes with the token, pages with the cookie)
rps() {
  local name=$1 route=$2 base cookie token id auth
  base=URL_$name; cookie=COOKIE_$name; token=TOKEN_$name; id=ID_$name
  route=${route//\{id\}/${!id}}
  if [[ $route == /api/* ]]; then auth="Authorization: Bearer ${!token}"; else auth="Cookie: ${!cookie}"; fi
  local out; out=$(wrk -t2 -c32 -d"$DURATION" -H "$auth" "${!base}$route")
  grep -q "Non-2xx" <<<"$out" && echo "warning: non-2xx answers on $name $route" >&2
  awk '/Requests\/sec/ {print $2}' <<<"$out"
}

median() { sort -g | sed -n "$((ROUNDS / 2 + 1))p"; }

start A "$A"
start B "$B"
engine=sqlite; [ -n "${BENCH_DATABASE_URL:-}" ] && engine=postgres
echo "| engine | route | A requests/s | B requests/s | B of A |"
echo "|---|---|---|---|---|"
for route in $ROUTES; do
  a_runs="" b_runs=""
  for ((i = 0; i < ROUNDS; i++)); do
    a_runs+=$(rps A "$route")$'\n'
    b_runs+=$(rps B "$route")$'\n'
  done
  a=$(median <<<"${a_runs%$'\n'}")
  b=$(median <<<"${b_runs%$'\n'}")
  echo "| $engine | \`GET $route\` | $a | $b | $(python3 -c "print(f'{$b/$a*100:.0f}%')") |"
done
