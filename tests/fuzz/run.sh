#!/usr/bin/env bash
# Property-based fuzzing of the whole API from its own OpenAPI document, with schemathesis, against
# the real binary (target/debug/backend) on a fresh database.
#
#   tests/fuzz/run.sh sqlite
#   TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres tests/fuzz/run.sh postgres
#
# Two runs against one server: every operation as a signed-in admin who holds credits (session.toml:
# a Bearer token from /api/auth/login, fetched again after the fuzzer's own logout-all), then the
# routes an API key may call, with a key (api-key.toml). The key run goes first: the session run
# revokes keys at random. Checks: all of schemathesis's, but `positive_data_acceptance` (it
# expects every schema-valid request to succeed, while business rules refuse some: an empty prompt,
# a password under 8 characters, an admin demoting themselves; see SECURITY.md). A failure prints
# the request that reproduces it. Exits non-zero on any failure or when fewer than FUZZ_MIN_CASES
# requests were generated, and ends with the line `fuzz: N passed, N failed` (operations).
#
# Settings: FUZZ_EXAMPLES (examples per operation and phase, default 100), FUZZ_SEED (default a
# fixed one, so CI runs are reproducible; `random` for a new one), FUZZ_MIN_CASES (default 2000).
set -euo pipefail

backend=${1:-}
case "$backend" in
  sqlite | postgres) ;;
  *) echo "usage: $0 sqlite|postgres" >&2; exit 2 ;;
esac

root=$(cd "$(dirname "$0")/../.." && pwd)
fuzz=$root/tests/fuzz
work=$root/target/fuzz
# Outside the work tree, so a fresh clone on the same machine (CI) reuses it.
venv=${FUZZ_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/saas-starter/fuzz-venv}
binary=$root/target/debug/backend
examples=${FUZZ_EXAMPLES:-100}
seed=${FUZZ_SEED:-20261123}
min_cases=${FUZZ_MIN_CASES:-2000}
email='fuzz-admin@example.com'
password='fuzz admin password'

say() { echo "fuzz[$backend]: $*"; }

# --- tools: schemathesis in its own venv, reinstalled when the pins change -----------------------
mkdir -p "$work"
if ! cmp -s "$fuzz/requirements.txt" "$venv/requirements.txt" 2>/dev/null; then
  say "installing schemathesis into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check -r "$fuzz/requirements.txt"
  cp "$fuzz/requirements.txt" "$venv/requirements.txt"
fi
(cd "$root" && cargo build -q -p backend)

# Each run keeps its logs and reports here until the next run on the same backend.
rm -rf "$work/run-$backend-"*
run=$(mktemp -d "$work/run-$backend-XXXXXX")
server_pid=
pg_admin_url=
pg_database=

# shellcheck disable=SC2329 # run by the EXIT trap
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    # A graceful stop, as an orchestrator would ask; past Actix's 30 s shutdown timeout, a kill:
    # a worker holding a keep-alive connection was seen to never finish its graceful shutdown
    # (actix/actix-web#3169), and the fuzz results are in by now.
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 35); do
      kill -0 "$server_pid" 2>/dev/null || break
      sleep 1
    done
    if kill -0 "$server_pid" 2>/dev/null; then
      say "the server did not stop within 35 s of SIGTERM; killing it"
      kill -9 "$server_pid" 2>/dev/null || true
    fi
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ -n "$pg_database" ]; then
    psql -q "$pg_admin_url" -c "DROP DATABASE IF EXISTS $pg_database WITH (FORCE)" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

# --- a fresh database ----------------------------------------------------------------------------
case "$backend" in
  sqlite)
    database_url="sqlite://$run/app.db"
    ;;
  postgres)
    pg_admin_url=${TEST_DATABASE_URL:?TEST_DATABASE_URL must name a PostgreSQL server whose user may create databases}
    pg_database="fuzz_$(date +%s)_$$"
    psql -q "$pg_admin_url" -c "CREATE DATABASE $pg_database" >/dev/null
    # The admin URL with its database name replaced (a query string is kept).
    base=${pg_admin_url%%\?*}
    query=${pg_admin_url#"$base"}
    authority=${base#*://}
    if [[ $authority == */* ]]; then base=${base%/*}; fi
    database_url="$base/$pg_database$query"
    ;;
esac

# The server's whole environment: nothing leaks in from the caller's, and it runs in the run's
# directory, so no `.env` file is read and no built SPA is served (the API only).
server_env=(
  "APP_MODE=dev"
  "DATABASE_URL=$database_url"
  "JWT_SECRET=fuzz-secret-0123456789abcdef0123456789"
  "BCRYPT_COST=4"
  "RATE_LIMIT_ENABLED=false"
  "BIND_ADDR=127.0.0.1:0"
  "LOG_FORMAT=json"
  "RUST_LOG=info"
)
# task [NAME=VALUE...] SUBCOMMAND ARGS...: a command-line task of the binary, on the same database.
task() {
  local extra=()
  while [[ $1 == *=* ]]; do extra+=("$1"); shift; done
  (cd "$run" && env -i "${server_env[@]}" "${extra[@]}" "$binary" "$@" >/dev/null)
}

# --- the server ----------------------------------------------------------------------------------
(cd "$run" && exec env -i "${server_env[@]}" "$binary" serve) >"$run/server.log" 2>&1 &
server_pid=$!
api=
for _ in $(seq 1 300); do
  api=$(grep -o 'listening on http://[0-9.:]*' "$run/server.log" | head -1 | sed 's/^listening on //') || true
  [ -n "$api" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$run/server.log" >&2; say "the server did not start"; exit 1; }
  sleep 0.1
done
[ -n "$api" ] || { cat "$run/server.log" >&2; say "the server did not say where it listens within 30 s"; exit 1; }
say "server on $api ($database_url)"

# --- an admin with credits, and an API key of theirs --------------------------------------------
task "ADMIN_PASSWORD=$password" create-admin --email "$email"
task grant-credits --email "$email" --amount 1000000
json_field() { "$venv/bin/python" -c "import json, sys; print(json.load(sys.stdin)[sys.argv[1]])" "$1"; }
token=$(curl -sf "$api/api/auth/login" -H 'content-type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"$password\"}" | json_field access_token)
api_key=$(curl -sf "$api/api/keys" -H "authorization: Bearer $token" \
  -H 'content-type: application/json' -d '{"name":"fuzz"}' | json_field key)

# --- the runs ------------------------------------------------------------------------------------
seed_args=()
[ "$seed" = random ] || seed_args=(--seed "$seed")
total_cases=0
status=0

# fuzz_run NAME CONFIG [schemathesis options...]
fuzz_run() {
  local name=$1 config=$2
  shift 2
  local log="$run/$name.log" rc=0
  say "run $name"
  # In the run's directory, where schemathesis keeps its cache.
  (cd "$run" && FUZZ_EMAIL=$email FUZZ_PASSWORD=$password FUZZ_API_KEY=$api_key \
    "$venv/bin/schemathesis" --config-file "$fuzz/$config" run "$api/api/openapi.json" \
    --checks all --exclude-checks positive_data_acceptance \
    --max-examples "$examples" "${seed_args[@]}" --workers 1 --request-timeout 10 \
    --report junit --report-junit-path "$run/$name.xml" --no-color "$@") \
    >"$log" 2>&1 || rc=$?
  # The failures with their reproducing requests, then the summary.
  awk '/^=+ (FAILURES|ERRORS|WARNINGS|SUMMARY) =+$/ { on = 1 } on' "$log"
  [ "$rc" -eq 0 ] || [ -s "$run/$name.xml" ] || cat "$log"
  local cases
  cases=$(sed -n 's/^ *\([0-9][0-9]*\) generated.*/\1/p' "$log" | tail -1)
  total_cases=$((total_cases + ${cases:-0}))
  say "run $name: exit $rc, ${cases:-0} requests generated (log: $log)"
  [ "$rc" -eq 0 ] || status=1
}

fuzz_run api-key api-key.toml \
  --include-path-regex '^/api/(me|credits|credits/ledger|credits/usage|generate-text|demo/premium)$'
fuzz_run session session.toml

# The server survived all of it: still up and ready.
if ! curl -sf -m 5 "$api/readyz" >/dev/null; then
  say "the server is not ready after the runs"
  status=1
fi
if grep -q 'panicked at' "$run/server.log"; then
  say "the server panicked:"
  grep -A2 'panicked at' "$run/server.log" | head -20
  status=1
fi

# Operations passed and failed, from the JUnit reports.
read -r passed failed < <("$venv/bin/python" - "$run"/*.xml <<'EOF'
import sys
import xml.etree.ElementTree as ET

passed = failed = 0
for path in sys.argv[1:]:
    for case in ET.parse(path).getroot().iter("testcase"):
        if case.find("failure") is not None or case.find("error") is not None:
            failed += 1
        else:
            passed += 1
print(passed, failed)
EOF
)
if [ "$total_cases" -lt "$min_cases" ]; then
  say "only $total_cases requests were generated, fewer than FUZZ_MIN_CASES=$min_cases"
  status=1
fi
say "$total_cases requests generated; server log: $run/server.log"
[ "$status" -eq 0 ] || [ "$failed" -gt 0 ] || failed=1
echo "fuzz: $passed passed, $failed failed"
exit "$status"
