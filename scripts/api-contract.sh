#!/usr/bin/env bash
# The REST API against its own OpenAPI document: starts the server on a fresh SQLite database with
# the demo data, signs in as the demo admin, makes an API token and runs schemathesis (every
# check, a fixed seed) against /api/v1/openapi.json. Fails when schemathesis reports a failure:
# a status the document does not list, a request the document allows that the server refuses
# or the other way round, an answer that does not match its schema, a server error.
#
#   scripts/api-contract.sh [path/to/crm]   # default: the debug build `cargo test` leaves
#
# scripts/test.sh runs it after the Rust tests. Installs schemathesis if it is missing.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"
cd "$ROOT"

ensure_schemathesis
end_of_plan

bin="$(cargo_target_dir)/debug/crm"
for arg in "$@"; do [ "$arg" = "--plan" ] || bin="$arg"; done
[ -x "$bin" ] || die "no server binary at $bin: build it first (cargo test builds it)"

work="$(mktemp -d /tmp/crm-api-contract.XXXXXX)"
server_pid=""
stop_server() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap stop_server EXIT

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
# Every CRM_* variable is read as configuration: the server gets only these.
(
  while read -r name; do unset "$name"; done < <(compgen -e | grep '^CRM_' || true)
  export CRM_DEMO__SEED=true CRM_SERVER__ADDRESS="127.0.0.1:$port" \
    CRM_DATABASE__URL="sqlite://$work/crm.db" \
    CRM_API__REQUESTS_PER_MINUTE=1000000 # the fuzzer sends thousands of requests with one token
  exec "$bin"
) >"$work/server.log" 2>&1 &
server_pid=$!

for _ in $(seq 120); do
  curl -fsS -o /dev/null "$base/health" 2>/dev/null && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; die "the server exited at start"; }
  sleep 0.5
done
curl -fsS -o /dev/null "$base/health" || { cat "$work/server.log" >&2; die "the server did not answer /health in 60 s"; }

# The demo admin signs in through the UI's server function and makes a token, as a person would.
curl -fsS -o /dev/null -c "$work/cookies" -H "Origin: $base" \
  --data-urlencode "email=admin@demo.example" --data-urlencode "password=demo-password-1" \
  "$base/api/auth/sign_in" || die "signing in as the demo admin failed"
token="$(curl -fsS -b "$work/cookies" -H "Origin: $base" --data-urlencode "name=schemathesis" \
  "$base/api/api_tokens/create" | python3 -c 'import json, sys; print(json.load(sys.stdin)["secret"])')" \
  || die "creating an API token failed"
# The PBX webhook takes the tenant's PBX token instead (schemathesis.toml sends it there).
PBX_TOKEN="$(curl -fsS -b "$work/cookies" -H "Origin: $base" --data "" \
  "$base/api/pbx_tokens/rotate" | python3 -c 'import json, sys; print(json.load(sys.stdin)["secret"])')" \
  || die "creating a PBX token failed"
export PBX_TOKEN

# Every operation, every check, 40 examples each. The seed and no example database make each run
# send the same requests, so a failure is the code's, not the dice's. One worker: the stateful
# phase's chains then run in one order too.
step "schemathesis against $base/api/v1/openapi.json"
# From the temporary folder: schemathesis keeps a cache of failures (`st replay`) where it runs.
rc=0
(cd "$work" && timeout --kill-after=30s 10m "$SCHEMATHESIS_VENV/bin/schemathesis" \
  --config-file "$ROOT/scripts/tools/schemathesis.toml" \
  run "$base/api/v1/openapi.json" \
  --checks all --max-examples 40 --seed 20261202 --generation-database none --workers 1 \
  --header "Authorization: Bearer $token" --no-color) || rc=$?
if [ "$rc" -ne 0 ]; then
  [ "$rc" -ne 124 ] || echo "error: schemathesis timed out after 10 minutes" >&2
  echo "server log (last 40 lines):" >&2
  tail -n 40 "$work/server.log" >&2
  exit "$rc"
fi
