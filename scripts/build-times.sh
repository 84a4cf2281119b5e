#!/usr/bin/env bash
# How long the CRM crate takes to rebuild after a one-line edit: a view's text (server and
# browser builds) and an SQL statement (server build only: stores are not in the WASM), in the
# debug profile `cargo leptos watch` uses and in release. Each edit is reverted afterwards.
# `scripts/build-times.sh [debug|release|all]` (default all); run it on an idle machine.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/lib.sh

VIEW_FILE="src/ui/pager.rs"
VIEW_FROM='"Next page"'
VIEW_TO='"Next page "'
SQL_FILE="src/contacts/store.rs"
SQL_FROM='"SELECT id FROM contacts'
SQL_TO='"SELECT  id FROM contacts'

restore() {
  for file in "$VIEW_FILE" "$SQL_FILE"; do
    [ -f "$file.build-times" ] && mv "$file.build-times" "$file"
  done
  return 0
}
trap restore EXIT

# `edit FILE FROM TO`: replaces the first line holding FROM, keeping the original beside it.
edit() {
  local file="$1" from="$2" to="$3"
  grep -qF "$from" "$file" || die "$file no longer holds $from: update scripts/build-times.sh"
  cp "$file" "$file.build-times"
  python3 - "$file" "$from" "$to" <<'EOF'
import sys
path, old, new = sys.argv[1:]
text = open(path).read()
open(path, "w").write(text.replace(old, new, 1))
EOF
}

server() { cargo_as_leptos build --quiet --no-default-features --features ssr --bin crm "$@"; }
browser() {
  cargo_as_leptos build --quiet --no-default-features --features hydrate --lib \
    --target wasm32-unknown-unknown "$@"
}

# `seconds CMD…`: runs it and prints how long it took.
seconds() {
  local start end
  start="$(date +%s.%N)"
  "$@"
  end="$(date +%s.%N)"
  python3 -c "print(f'{$end - $start:.1f}')"
}

measure() {
  local profile="$1" flags=()
  [ "$profile" = release ] && flags=(--release)
  local browser_flags=("${flags[@]}")
  [ "$profile" = release ] && browser_flags=(--profile wasm-release)
  step "$profile: warming up (a first build may take minutes)"
  server "${flags[@]}"
  browser "${browser_flags[@]}"

  edit "$VIEW_FILE" "$VIEW_FROM" "$VIEW_TO"
  local view_server view_browser
  view_server="$(seconds server "${flags[@]}")"
  view_browser="$(seconds browser "${browser_flags[@]}")"
  restore
  server "${flags[@]}"
  browser "${browser_flags[@]}"

  edit "$SQL_FILE" "$SQL_FROM" "$SQL_TO"
  local sql_server
  sql_server="$(seconds server "${flags[@]}")"
  restore
  server "${flags[@]}"

  printf '%-8s view edit: server %6s s, browser %6s s; SQL edit: server %6s s\n' \
    "$profile" "$view_server" "$view_browser" "$sql_server"
}

case "${1:-all}" in
  debug | release) measure "$1" ;;
  all) measure debug && measure release ;;
  *) die "usage: scripts/build-times.sh [debug|release|all]" ;;
esac
