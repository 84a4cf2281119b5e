#!/usr/bin/env bash
# Proves the set-up path on a bare machine without installing anything: runs both README
# commands in plan mode in an environment that has only the Rust toolchain (a fresh HOME and
# CARGO_HOME, a PATH without the project's tools, a copy of the repo without node_modules), and
# fails unless every tool that is missing there is planned and nothing errors.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bare="$(mktemp -d /tmp/crm-bare.XXXXXX)"
trap 'rm -rf "$bare"' EXIT

# The tools the project installs for itself: hidden here, so each must be planned.
hidden="cargo-leptos wasm-bindgen wasm-opt chromium node npm npx psql"

# A PATH with every system command except the hidden ones.
mkdir -p "$bare/bin" "$bare/cargo/bin" "$bare/home" "$bare/repo/end2end"
for dir in /usr/local/sbin /usr/local/bin /usr/sbin /usr/bin /sbin /bin; do
  [ -d "$dir" ] || continue
  for tool in "$dir"/*; do
    name="${tool##*/}"
    case " $hidden " in *" $name "*) continue ;; esac
    [ -e "$bare/bin/$name" ] || ln -s "$tool" "$bare/bin/$name"
  done
done
# CARGO_HOME holding only rustup's proxies (cargo, rustc, rustup…), as rustup installs them.
real_cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
for proxy in cargo rustc rustup rustdoc rustfmt cargo-fmt cargo-clippy clippy-driver; do
  [ -e "$real_cargo_bin/$proxy" ] && ln -s "$real_cargo_bin/$proxy" "$bare/cargo/bin/$proxy"
done
cp -r scripts Cargo.toml Cargo.lock "$bare/repo/"
rm -rf "$bare/repo/scripts/tools/node_modules" "$bare/repo/scripts/tools/.venv"
cp end2end/package.json end2end/package-lock.json "$bare/repo/end2end/"

in_bare() {
  env -i HOME="$bare/home" CARGO_HOME="$bare/cargo" RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}" \
    PATH="$bare/cargo/bin:$bare/bin" TERM=dumb "$@"
}

check_plan() {
  local script="$1"
  shift
  local out rc=0
  out="$(in_bare bash "$bare/repo/scripts/$script" --plan 2>&1)" || rc=$?
  printf '%s\n' "$out" | sed "s|^|  $script: |"
  [ "$rc" -eq 0 ] || { echo "error: $script --plan exited $rc on a bare machine" >&2; exit 1; }
  if printf '%s\n' "$out" | grep -q '^error:'; then
    echo "error: $script --plan printed an error on a bare machine" >&2
    exit 1
  fi
  local expected
  for expected in "$@"; do
    printf '%s\n' "$out" | grep -q "^plan: install $expected" \
      || { echo "error: $script --plan does not plan to install '$expected', which the bare machine lacks" >&2; exit 1; }
  done
}

check_plan run.sh "wasm-bindgen-cli $(awk '$0 == "name = \"wasm-bindgen\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)" \
  "cargo-leptos" "Node.js" "wasm-opt"
check_plan test.sh "wasm-bindgen-cli" "cargo-leptos" "wasm-opt" "Chromium" "Node.js" \
  "the end2end npm packages" "the PostgreSQL client" "schemathesis"
echo "set-up plan: every missing tool is planned, nothing errors"
