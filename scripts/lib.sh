# Shared set-up for scripts/run.sh and scripts/test.sh: installs what is missing, pinned, and
# reuses what ~/.cargo/bin already has. Sourced, not run.
#
# Plan mode (CRM_SETUP_PLAN=1, or `--plan` on either script) installs nothing: every step that
# would install something prints one `plan: install …` line instead, and the script stops after
# the checks. `.ci/run` uses it in a bare environment to prove that every missing tool is noticed.
# shellcheck shell=bash

# cargo-leptos 0.3.7 is the newest release whose own Cargo.lock builds with `--locked` on stable
# Rust 1.95 (0.3.11's lockfile needs rustc 1.96). It runs wasm-bindgen and wasm-opt from PATH,
# which we pin. `no_downloads` makes it use only what is installed here.
CARGO_LEPTOS_VERSION="0.3.7"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# wasm-opt comes from npm (scripts/tools): Debian's binaryen 108 mangles the tables of a module
# built by rustc 1.95 (reference types on by default), and the page fails at load.
TOOLS_BIN="$ROOT/scripts/tools/node_modules/.bin"
export PATH="$TOOLS_BIN:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

# A heading per step, with the seconds since the script started (where the minutes go).
step() { printf '\n\033[1m==> %s\033[0m  (at %ss)\n' "$*" "$SECONDS"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Any command that fails without its own message still ends the run with one line naming it.
trap 'rc=$?; printf "error: %s failed (exit %s) at %s:%s: %s\n" "${0##*/}" "$rc" "${BASH_SOURCE[0]##*/}" "$LINENO" "$BASH_COMMAND" >&2' ERR
set -o errtrace

PLAN="${CRM_SETUP_PLAN:-}"
for arg in "$@"; do [ "$arg" = "--plan" ] && PLAN=1; done
PLANNED=()

# `install_or_plan "what" command args…`: runs the install, or in plan mode records it.
install_or_plan() {
  local what="$1"
  shift
  if [ -n "$PLAN" ]; then
    echo "plan: install $what"
    PLANNED+=("$what")
    return 0
  fi
  step "Installing $what"
  "$@" || die "installing $what failed; the output above says why"
}

# Prints a tool's version (the first word of `--version` that starts with a digit), or nothing
# when the tool is absent or answers oddly. Never fails: a missing tool must be planned for, not
# end the script.
tool_version() {
  command -v "$1" >/dev/null 2>&1 || return 0
  "$@" --version 2>/dev/null | awk 'NR == 1 { for (i = 2; i <= NF; i++) if ($i ~ /^[0-9]/) { print $i; exit } }' || true
}

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi

APT_UPDATED=""
apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "need the Debian packages: $*; install them and re-run"
  if [ -z "$APT_UPDATED" ]; then
    $SUDO apt-get update -qq || die "apt-get update failed (no network to Debian's mirror?)"
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" \
    || die "apt-get install $* failed"
}

ensure_wasm_target() {
  command -v cargo >/dev/null 2>&1 || die "cargo not found: install Rust with rustup (https://rustup.rs) first"
  command -v rustup >/dev/null 2>&1 || die "rustup not found: the wasm32 target is added with rustup; install Rust with rustup"
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    install_or_plan "the wasm32-unknown-unknown target (rustup)" rustup target add wasm32-unknown-unknown
  fi
}

# The version of a package in Cargo.lock, e.g. `locked_version wasm-bindgen`.
locked_version() {
  awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock"
}

# The wasm-bindgen CLI must equal the wasm-bindgen crate in Cargo.lock, or the app fails to load.
ensure_wasm_bindgen() {
  local want have
  want="$(locked_version wasm-bindgen)"
  [ -n "$want" ] || die "wasm-bindgen not found in Cargo.lock"
  have="$(tool_version wasm-bindgen)"
  if [ "$have" != "$want" ]; then
    # Not --locked: 0.2.130's lockfile names a webpki-roots release the registry no longer serves.
    install_or_plan "wasm-bindgen-cli $want (have: ${have:-none}; ~2 minutes, once)" \
      cargo install wasm-bindgen-cli --version "=$want" --force
  fi
}

ensure_cargo_leptos() {
  local have=""
  command -v cargo-leptos >/dev/null 2>&1 && have="$(tool_version cargo leptos)"
  if [ "$have" != "$CARGO_LEPTOS_VERSION" ]; then
    # Its release profile asks for fat LTO with one codegen unit, which makes the build mostly
    # serial; a build tool does not need that, and without it both cores work.
    install_or_plan "cargo-leptos $CARGO_LEPTOS_VERSION (have: ${have:-none}; ~11 minutes on 2 cores, once)" \
      env CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
      cargo install cargo-leptos --version "=$CARGO_LEPTOS_VERSION" --locked --features no_downloads --force
  fi
}

# wasm-opt shrinks the release bundle; cargo-leptos runs the one on PATH (binaryen from npm, the
# version scripts/tools/package-lock.json pins).
ensure_wasm_opt() {
  ensure_npm_packages "$ROOT/scripts/tools" "wasm-opt (binaryen from npm: npm ci in scripts/tools/)"
}

# schemathesis (from PyPI) fuzzes the REST API against its OpenAPI document in scripts/test.sh.
# It lives in a venv of its own, holding exactly the packages scripts/tools/requirements.txt pins
# (schemathesis and everything it resolved to), so every machine runs the same version.
SCHEMATHESIS_VENV="$ROOT/scripts/tools/.venv"
SCHEMATHESIS_LOCK="$ROOT/scripts/tools/requirements.txt"
ensure_schemathesis() {
  local want
  want="$(awk -F'==' '$1 == "schemathesis" { print $2 }' "$SCHEMATHESIS_LOCK")"
  [ -n "$want" ] || die "schemathesis is not pinned in $SCHEMATHESIS_LOCK"
  # Debian's python3 makes venvs only with python3-venv (ensurepip) installed.
  if ! command -v python3 >/dev/null 2>&1 || ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
    install_or_plan "Python 3 with venv (Debian packages python3, python3-venv)" apt_install python3 python3-venv
  fi
  if [ ! -x "$SCHEMATHESIS_VENV/bin/schemathesis" ] \
    || ! cmp -s "$SCHEMATHESIS_LOCK" "$SCHEMATHESIS_VENV/.installed-lock"; then
    install_or_plan "schemathesis $want (PyPI, pinned in scripts/tools/requirements.txt, into scripts/tools/.venv)" \
      install_schemathesis
  fi
}

install_schemathesis() {
  rm -rf "$SCHEMATHESIS_VENV"
  python3 -m venv "$SCHEMATHESIS_VENV" || return 1
  # --no-deps: the lock names every package, so pip resolves nothing on its own.
  "$SCHEMATHESIS_VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps \
    -r "$SCHEMATHESIS_LOCK" || return 1
  cp "$SCHEMATHESIS_LOCK" "$SCHEMATHESIS_VENV/.installed-lock"
}

ensure_chromium() {
  if ! command -v chromium >/dev/null 2>&1; then
    install_or_plan "Chromium (Debian package chromium)" apt_install chromium
  fi
}

NODE_PLANNED=""
ensure_node() {
  [ -z "$NODE_PLANNED" ] || return 0
  if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
    install_or_plan "Node.js and npm (Debian packages nodejs, npm)" apt_install nodejs npm
    NODE_PLANNED=1
  fi
}

# `ensure_npm_packages DIR "what"`: npm ci in DIR unless its node_modules matches its lockfile.
ensure_npm_packages() {
  local dir="$1" what="$2"
  ensure_node
  if [ ! -f "$dir/node_modules/.installed-lock" ] || ! cmp -s "$dir/package-lock.json" "$dir/node_modules/.installed-lock"; then
    install_or_plan "$what" npm_ci "$dir"
  fi
}

npm_ci() {
  (cd "$1" && npm ci --no-audit --no-fund) || return 1
  cp "$1/package-lock.json" "$1/node_modules/.installed-lock"
}

ensure_node_modules() {
  ensure_npm_packages "$ROOT/end2end" "the end2end npm packages (npm ci in end2end/)"
}

ensure_toolchain() {
  ensure_wasm_target
  ensure_wasm_bindgen
  ensure_cargo_leptos
  ensure_wasm_opt
}

# In plan mode: prints what was planned and ends the script (nothing was installed, so nothing
# after the checks can run).
end_of_plan() {
  [ -n "$PLAN" ] || return 0
  if [ "${#PLANNED[@]}" -eq 0 ]; then echo "plan: nothing to install"; fi
  exit 0
}

# Runs cargo with the environment cargo-leptos gives its dev server build, so `cargo test` and
# `cargo leptos build` share one build of every dependency instead of compiling the tree twice.
cargo_as_leptos() {
  LEPTOS_OUTPUT_NAME="crm" RUSTFLAGS="--cfg erase_components" cargo "$@"
}

# Where cargo puts what it builds (CARGO_TARGET_DIR, or target/ here).
cargo_target_dir() {
  printf '%s\n' "${CARGO_TARGET_DIR:-$ROOT/target}"
}

# Runs a command with a time limit, so a hang fails the run with a message instead of stalling
# CI until its hard limit, and ends the script with one line naming it if it fails.
# `time_limited 40m cmd args…`
time_limited() {
  local limit="$1" rc=0
  shift
  timeout --kill-after=30s "$limit" "$@" || rc=$?
  [ "$rc" -ne 124 ] && [ "$rc" -ne 137 ] || die "timed out after $limit: $*"
  [ "$rc" -eq 0 ] || die "$* failed (exit $rc); what failed is printed above"
}
