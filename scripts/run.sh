#!/usr/bin/env bash
# Runs the CRM on SQLite (data/crm.db), seeding the demo tenant on first start, from an optimised
# build: small WASM (wasm-opt), precompressed files, hashed names the browser caches for good.
# Installs what is missing first: the wasm32 target, wasm-bindgen-cli, cargo-leptos, wasm-opt.
#
#   scripts/run.sh          # build and serve on http://127.0.0.1:3000
#   scripts/run.sh --plan   # only say what would be installed
# While developing, `cargo leptos watch` rebuilds (debug, faster) and reloads on every save.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh" "$@"
cd "$ROOT"

ensure_toolchain
end_of_plan
step "Building the optimised site and starting the CRM (cargo leptos serve --release); the URL and demo login follow"
exec cargo leptos serve --release --precompress "$@"
