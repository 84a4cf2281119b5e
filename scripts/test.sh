#!/usr/bin/env bash
# Runs every test: Rust unit and integration tests on SQLite and on a real PostgreSQL server,
# schemathesis against the REST API's OpenAPI document (scripts/api-contract.sh), then the
# release build (what users get), the end2end suite in headless Chromium against that release
# server and WASM bundle, and a load check of every page against it. Fails if any fails.
# Installs what is missing first (wasm32 target, wasm-bindgen-cli, cargo-leptos, wasm-opt,
# Chromium, PostgreSQL if no server is reachable, end2end npm packages, schemathesis).
#
#   scripts/test.sh          # everything
#   scripts/test.sh --plan   # only say what would be installed (installs and runs nothing)
#
# PostgreSQL: uses TEST_POSTGRES_URL (default postgres://postgres@127.0.0.1:5432/postgres);
# when nothing answers there it starts a private throwaway server on 127.0.0.1:55432.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"
cd "$ROOT"

pg_reachable() { psql "$1" -Atqc 'SELECT 1' >/dev/null 2>&1; }

PRIVATE_PG_DATA=""
stop_private_pg() {
  if [ -n "$PRIVATE_PG_DATA" ]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$PRIVATE_PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
    rm -rf "$PRIVATE_PG_DATA"
  fi
}

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

ensure_postgres() {
  local url="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
  if ! command -v psql >/dev/null 2>&1; then
    install_or_plan "the PostgreSQL client (Debian package postgresql-client)" apt_install postgresql-client
  fi
  if [ -n "$PLAN" ] && ! command -v psql >/dev/null 2>&1; then
    echo "plan: use the PostgreSQL at ${url%%\?*} if it answers, else start a private one"
    return
  fi
  if pg_reachable "$url"; then
    export TEST_POSTGRES_URL="$url"
    echo "PostgreSQL: using the server at ${url%%\?*}"
    return
  fi
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    install_or_plan "the PostgreSQL server (Debian package postgresql)" apt_install postgresql
  fi
  if [ -n "$PLAN" ]; then
    echo "plan: start a private PostgreSQL on 127.0.0.1:55432 (none answers at ${url%%\?*})"
    return
  fi
  step "No PostgreSQL answers at $url; starting a private one on 127.0.0.1:55432"
  PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
  PRIVATE_PG_DATA="$(mktemp -d /tmp/crm-test-pg.XXXXXX)"
  trap stop_private_pg EXIT
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$PRIVATE_PG_DATA"; fi
  as_postgres "$PG_BIN/initdb" -D "$PRIVATE_PG_DATA" --auth=trust --username=postgres -E UTF8 >/dev/null \
    || die "initdb failed"
  as_postgres "$PG_BIN/pg_ctl" -D "$PRIVATE_PG_DATA" -l "$PRIVATE_PG_DATA/server.log" -w \
    -o "-c listen_addresses=127.0.0.1 -p 55432 -k $PRIVATE_PG_DATA" start >/dev/null \
    || die "PostgreSQL did not start; see $PRIVATE_PG_DATA/server.log"
  export TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:55432/postgres"
  pg_reachable "$TEST_POSTGRES_URL" || die "PostgreSQL started but does not answer at $TEST_POSTGRES_URL"
}

step "Checking tools"
ensure_toolchain
ensure_chromium
ensure_node_modules
ensure_schemathesis
ensure_postgres
end_of_plan

step "Rust tests: unit, SQLite and PostgreSQL integration"
time_limited 40m env LEPTOS_OUTPUT_NAME=crm RUSTFLAGS="--cfg erase_components" \
  cargo test --no-default-features --features ssr

step "REST API contract: schemathesis against /api/v1/openapi.json (debug server, demo data)"
time_limited 15m scripts/api-contract.sh "$(cargo_target_dir)/debug/crm"

step "Building the release site (cargo leptos build --release --precompress)"
time_limited 40m cargo leptos build --release --precompress
E2E_CRM_BIN="$(cargo_target_dir)/release/crm"
export E2E_CRM_BIN

step "end2end: Playwright in headless Chromium against the release server"
time_limited 25m npm --prefix end2end test

step "Load: every page under hundreds of concurrent requests against the release server"
time_limited 5m npm --prefix end2end run --silent load

step "All tests passed"
