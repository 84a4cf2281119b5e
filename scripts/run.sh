#!/usr/bin/env bash
# Runs the CRM on SQLite (data/crm.db), seeding the demo tenant on first start.
# Installs what is missing first: the wasm32 target, wasm-bindgen-cli, cargo-leptos.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$ROOT"

ensure_toolchain
step "Building and starting the CRM (cargo leptos serve); the URL and demo login follow"
exec cargo leptos serve "$@"
