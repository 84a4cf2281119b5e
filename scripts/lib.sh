# Shared set-up for scripts/run.sh and scripts/test.sh: installs what is missing, pinned, and
# reuses what ~/.cargo/bin already has. Sourced, not run.

# cargo-leptos 0.3.7 is the newest release whose own Cargo.lock builds with `--locked` on stable
# Rust 1.95 (0.3.11's lockfile needs rustc 1.96). It runs wasm-bindgen from PATH, which we pin to
# Cargo.lock's version. `no_downloads` makes it use only what is installed here.
CARGO_LEPTOS_VERSION="0.3.7"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi

APT_UPDATED=""
apt_install() {
  command -v apt-get >/dev/null 2>&1 || die "need the Debian packages: $*; install them and re-run"
  if [ -z "$APT_UPDATED" ]; then
    $SUDO apt-get update -qq || die "apt-get update failed"
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" \
    || die "apt-get install $* failed"
}

ensure_wasm_target() {
  command -v cargo >/dev/null 2>&1 || die "cargo not found: install Rust with rustup first"
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    step "Adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
}

# The wasm-bindgen CLI must equal the wasm-bindgen crate in Cargo.lock, or the app fails to load.
ensure_wasm_bindgen() {
  local want have
  want="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")"
  [ -n "$want" ] || die "wasm-bindgen not found in Cargo.lock"
  have="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')"
  if [ "$have" != "$want" ]; then
    step "Installing wasm-bindgen-cli $want (have: ${have:-none}); a few minutes, once"
    # Not --locked: 0.2.130's lockfile names a webpki-roots release the registry no longer serves.
    cargo install wasm-bindgen-cli --version "=$want" --force \
      || die "installing wasm-bindgen-cli $want failed"
  fi
}

ensure_cargo_leptos() {
  local have
  have="$(cargo leptos --version 2>/dev/null | awk '{print $2}')"
  if [ "$have" != "$CARGO_LEPTOS_VERSION" ]; then
    step "Building cargo-leptos $CARGO_LEPTOS_VERSION (have: ${have:-none}); 15-20 minutes on 2 cores, once"
    # Its release profile asks for fat LTO with one codegen unit, which makes the build mostly
    # serial; a build tool does not need that, and without it both cores work.
    CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
      cargo install cargo-leptos --version "=$CARGO_LEPTOS_VERSION" --locked --features no_downloads --force \
      || die "installing cargo-leptos $CARGO_LEPTOS_VERSION failed"
  fi
}

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ]; then
    step "Installing Chromium from Debian's packages"
    apt_install chromium
  fi
}

ensure_node_modules() {
  command -v npm >/dev/null 2>&1 || { step "Installing Node.js from Debian's packages"; apt_install nodejs npm; }
  local lock="$ROOT/end2end/package-lock.json" stamp="$ROOT/end2end/node_modules/.installed-lock"
  if [ ! -f "$stamp" ] || ! cmp -s "$lock" "$stamp"; then
    step "Installing end2end npm packages (npm ci)"
    (cd "$ROOT/end2end" && npm ci --no-audit --no-fund) || die "npm ci in end2end failed"
    cp "$lock" "$stamp"
  fi
}

ensure_toolchain() {
  ensure_wasm_target
  ensure_wasm_bindgen
  ensure_cargo_leptos
}

# Runs cargo with the environment cargo-leptos gives its dev server build, so `cargo test` and
# `cargo leptos build` share one build of every dependency instead of compiling the tree twice.
cargo_as_leptos() {
  LEPTOS_OUTPUT_NAME="crm" RUSTFLAGS="--cfg erase_components" cargo "$@"
}

# Runs a command with a time limit, so a hang fails the run with a message instead of stalling
# CI until its hard limit. `time_limited 40m cmd args…`
time_limited() {
  local limit="$1" rc=0
  shift
  timeout --kill-after=30s "$limit" "$@" || rc=$?
  [ "$rc" -ne 124 ] && [ "$rc" -ne 137 ] || die "timed out after $limit: $*"
  return "$rc"
}
