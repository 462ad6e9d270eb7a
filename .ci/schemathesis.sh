#!/usr/bin/env bash
# Schemathesis against a running server: the OpenAPI document must describe exactly what the
# server answers. Usage:
#
#   .ci/schemathesis.sh sqlite|postgres
#   .ci/schemathesis.sh install      (only installs Schemathesis: before runs side by side)
#
# Needs an already-built binary: $JIEDAI_BIN, default ${CARGO_TARGET_DIR:-target}/debug/jiedai.
# Makes a fresh database (a temporary SQLite file, or a PostgreSQL database with a random name
# on postgres://postgres@127.0.0.1:5432, dropped at exit), migrates it, loads the demo data,
# adds an administrator with a token, serves on a free port and runs Schemathesis (installed
# once into a venv under ${CARGO_TARGET_DIR:-target}/st-venv) on every /api/v1/ operation.
# Exits non-zero on any failure. ST_MAX_EXAMPLES (default 150: about two minutes an engine on
# two cores) sets the cases per operation, ST_SEED (default 1) the seed; ST_REPORT_DIR keeps
# Schemathesis' NDJSON report there. In CI, the server the test suite built runs (see .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."

engine=${1:-}
case "$engine" in
  sqlite | postgres | install) ;;
  *)
    echo "usage: $0 sqlite|postgres|install" >&2
    exit 2
    ;;
esac

target=${CARGO_TARGET_DIR:-target}
bin=${JIEDAI_BIN:-$target/debug/jiedai}
bin=$(realpath -m "$bin")
[ -x "$bin" ] || [ "$engine" = install ] || {
  echo "no binary at $bin: build it first (cargo build -p jiedai)" >&2
  exit 2
}
examples=${ST_MAX_EXAMPLES:-150}
venv=$(realpath -m "$target/st-venv")
st_version=4.32.5

if ! "$venv/bin/st" --version 2>/dev/null | grep -q "$st_version"; then
  # The newest Python at hand: 3.11 before 3.11.8 can fail inside Hypothesis ("AST constructor
  # recursion depth mismatch", CPython gh-106905).
  python=
  pyenv_versions=${PYENV_ROOT:-$HOME/.pyenv}/versions
  for p in python3.13 "$pyenv_versions"/3.13*/bin/python3 python3.12 "$pyenv_versions"/3.12*/bin/python3 python3; do
    if "$p" -c 'import sys, venv; v = sys.version_info; sys.exit(not (v >= (3, 12, 2) or (3, 11, 8) <= v < (3, 12)))' \
      2>/dev/null || [ "$p" = python3 ]; then
      python=$p
      break
    fi
  done
  echo "installing schemathesis $st_version into $venv ($($python --version))"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/pip" install -q "schemathesis==$st_version"
fi
[ "$engine" = install ] && exit 0

work=$(mktemp -d)
server_pid=
pg_db=
cleanup() {
  local status=$?
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ -n "$pg_db" ]; then
    dropdb -h 127.0.0.1 -p 5432 -U postgres --if-exists --force "$pg_db" || true
  fi
  if [ "$status" -ne 0 ] && [ -f "$work/server.log" ]; then
    echo "--- last lines of the server's log" >&2
    tail -n 20 "$work/server.log" >&2 || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT INT TERM

case "$engine" in
  sqlite)
    url="sqlite://$work/jiedai.db?mode=rwc"
    ;;
  postgres)
    pg_db="jiedai_st_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
    createdb -h 127.0.0.1 -p 5432 -U postgres "$pg_db"
    url="postgres://postgres@127.0.0.1:5432/$pg_db"
    ;;
esac

# The server reads every JIEDAI_* variable as a setting: give it only its own.
jiedai() {
  env -u JIEDAI_BIN JIEDAI_DATABASE__URL="$url" "$bin" "$@"
}

jiedai migrate >/dev/null
jiedai demo >/dev/null
jiedai user add st-admin --role admin --department 综管部 --display-name "Schemathesis" >/dev/null
token=$(jiedai token create st-admin --name schemathesis | tail -n 1)
# A second administrator's token: the run may revoke it, never the one it runs with.
jiedai token create admin --name decoy >/dev/null

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# Started directly (not through the function), so that $! is the server itself.
env -u JIEDAI_BIN NO_COLOR=1 JIEDAI_DATABASE__URL="$url" "$bin" serve --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server_pid=$!
base="http://127.0.0.1:$port"
for _ in $(seq 1 100); do
  if python3 - "$base/readyz" <<'EOF' 2>/dev/null; then break; fi
import sys, urllib.request
sys.exit(0 if urllib.request.urlopen(sys.argv[1], timeout=1).status == 200 else 1)
EOF
  kill -0 "$server_pid" 2>/dev/null || {
    echo "the server did not start" >&2
    exit 1
  }
  sleep 0.1
done

# The run must not revoke the token it runs with (an administrator may revoke any token, one's
# own too): such a case is pointed at a token id that does not exist instead; every other id
# stays fair game. (It cannot lock itself out otherwise: the server refuses to disable one's
# own account or drop one's own administrator role.)
own_tokens=$(python3 - "$base/api/v1/tokens" "$token" <<'EOF'
import json, sys, urllib.request
req = urllib.request.Request(sys.argv[1], headers={"Authorization": "Bearer " + sys.argv[2]})
print(",".join(str(t["id"]) for t in json.load(urllib.request.urlopen(req))["items"]))
EOF
)
cat >"$work/hooks.py" <<EOF
import schemathesis

OWN_TOKENS = {$own_tokens}


def number(value):
    # The id the server reads: it trims, and takes "+1" or "01" for 1.
    try:
        return int(str(value).strip())
    except ValueError:
        return None


@schemathesis.hook
def before_call(ctx, case, **kwargs):
    if case.method.upper() == "DELETE" and case.path == "/api/v1/tokens/{id}":
        if number((case.path_parameters or {}).get("id")) in OWN_TOKENS:
            case.path_parameters["id"] = 2_000_000_000
EOF

# Valid per the document, yet refused with 422 by rules JSON Schema cannot state: rules
# between fields, references to what exists, the state of the data, a secret. Only these
# operations may answer 422 to a request the document calls valid; every other check stays.
cat >"$work/schemathesis.toml" <<'EOF'
[[operations]]
include-name = [
  # A visit's end not before its start and at most 60 days on, departure not before arrival,
  # companion rows matching their count; the caller's department.
  "POST /api/v1/receptions",
  "PUT /api/v1/receptions/{id}",
  # A comment for return, reject and cancel; a submission complete for the procedure; a
  # cancellation before the visit.
  "POST /api/v1/receptions/{id}/{action}",
  # department_id and head_user_id must name one that exists; nobody disables themselves.
  "POST /api/v1/users",
  "PUT /api/v1/users/{id}",
  "POST /api/v1/departments",
  "PUT /api/v1/departments/{id}",
  # A day already in the calendar; what a file holds.
  "POST /api/v1/calendar/days",
  "POST /api/v1/calendar/import",
  # A procedure is checked as a whole (stages in order, every tier, the survey's total).
  "PUT /api/v1/procedure",
  # An Idempotency-Key already used with another body.
  "POST /api/v1/tokens",
  # A list filter ending before it starts.
  "GET /api/v1/receptions",
  # A copy's last day not before its first, within the years taken.
  "POST /api/v1/receptions/{id}/copy",
  # A deputy who exists and is not oneself; a period whose end is not before its start nor
  # before today, at most a year long.
  "PUT /api/v1/me/delegation",
  # People who exist, are active and (for a task) in a group; two different people; a reason
  # to waive a task.
  "PUT /api/v1/tasks/{id}",
  "PUT /api/v1/teams/{id}",
  "POST /api/v1/tasks/{id}/{action}",
  # A task added by hand: a work item that is not only spaces, a group that exists, people
  # active and in a group, a reception in planning.
  "POST /api/v1/receptions/{id}/tasks",
  # An agenda's items on the visit's days, each with a title that is not only spaces, its
  # responsible active.
  "PUT /api/v1/receptions/{id}/agenda",
  # A channel's name that is not only spaces, an http(s) address with a host, a secret
  # without spaces, a department that exists.
  "POST /api/v1/channels",
  "PUT /api/v1/channels/{id}",
  # Rooms, cars, stock, bookings, item lines and lost property (J9): a name that is not only
  # spaces and holds no control character, a driver or responsible who exists and is active,
  # a room or car that exists and is not disabled, a booking that ends after it starts, a
  # line from stock naming its item (and only a rental a return day), a count back adding up
  # to its line, a courier's tracking number, a time not in the future; an Idempotency-Key
  # already used with another body.
  "POST /api/v1/rooms",
  "PUT /api/v1/rooms/{id}",
  "POST /api/v1/vehicles",
  "PUT /api/v1/vehicles/{id}",
  "POST /api/v1/stock",
  "PUT /api/v1/stock/{id}",
  "POST /api/v1/receptions/{id}/bookings",
  "POST /api/v1/receptions/{id}/items",
  "PUT /api/v1/receptions/{id}/items/{line}",
  "POST /api/v1/receptions/{id}/items/{line}/count-back",
  "POST /api/v1/receptions/{id}/lost-found",
  "POST /api/v1/lost-found/{id}/return",
  # Availability's range: its end not before its start, at most 62 days.
  "GET /api/v1/availability",
  # Settlements (J10): an expense's amount not zero (negative only on an adjusting line, which
  # needs a reason), its day near the visit, a payer who exists and is active, an item line
  # of the reception's rented or bought ones; a comment to return; a period whose end is not
  # before its start; an Idempotency-Key already used with another body.
  "POST /api/v1/receptions/{id}/expenses",
  "PUT /api/v1/expenses/{id}",
  "POST /api/v1/receptions/{id}/settlement/{action}",
  "GET /api/v1/settlements.xlsx",
  "GET /api/v1/settlements.csv",
  # The satisfaction survey (J10): a score for every item of the reception's procedure
  # version, each within its reference, only items that version has; an e-mail address that
  # is one; a waiver's reason not only spaces; an Idempotency-Key already used with another
  # body.
  "POST /api/v1/receptions/{id}/survey-links",
  "POST /api/v1/receptions/{id}/survey/responses",
  "POST /api/v1/receptions/{id}/survey/waive",
  # The review meeting and improvement actions (J10): held not in the future, at least one
  # attendee who is an active person, each group once, a text that is not only spaces; an
  # owner who exists and is active; a note to mark an action done; an Idempotency-Key
  # already used with another body.
  "PUT /api/v1/receptions/{id}/review",
  "POST /api/v1/actions",
  "PUT /api/v1/actions/{id}",
  "POST /api/v1/receptions/{id}/lessons/{action_id}/apply",
  # The reports' period (J10): its end not before its start, at most ten years.
  "GET /api/v1/reports/summary",
]
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422"]

# A file is taken by what its bytes are (a PDF or an image), not by what it claims; a
# multipart body whose part headers do not parse is malformed (400).
[[operations]]
include-name = "POST /api/v1/receptions/{id}/attachments"
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "403", "404", "409", "413", "422"]

[[operations]]
include-name = "POST /api/v1/expenses/{id}/receipts"
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "403", "404", "409", "413", "422"]

# The current password must be the right one, and its check is throttled like a sign-in:
# after five wrong ones in the window, 429 (documented) until the window passes.
[[operations]]
include-name = "POST /api/v1/me/password"
checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "409", "422", "429"]
EOF

report=()
if [ -n "${ST_REPORT_DIR:-}" ]; then
  report=(--report ndjson --report-dir "$(realpath -m "$ST_REPORT_DIR")")
fi
start=$(date +%s)
set +e
# From the temporary folder: Schemathesis keeps a cache in the working directory.
(cd "$work" && SCHEMATHESIS_HOOKS="$work/hooks.py" "$venv/bin/st" --config-file "$work/schemathesis.toml" run "$base/api/openapi.json" \
  -H "Authorization: Bearer $token" \
  --include-path-regex '^/api/v1/' \
  -n "$examples" --seed "${ST_SEED:-1}" --workers 2 \
  --phases examples,coverage,fuzzing \
  --no-color "${report[@]}")
status=$?
set -e
# A run that lost its own credentials tested nothing but 401s after that point.
if ! python3 - "$base/api/v1/me" "$token" <<'EOF'; then
import sys, urllib.request
req = urllib.request.Request(sys.argv[1], headers={"Authorization": "Bearer " + sys.argv[2]})
sys.exit(0 if urllib.request.urlopen(req).status == 200 else 1)
EOF
  echo "the run's token no longer works: the results after it lost it mean nothing" >&2
  status=1
fi
echo "schemathesis ($engine): exit $status after $(($(date +%s) - start))s"
exit "$status"
