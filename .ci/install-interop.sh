#!/usr/bin/env bash
# Installs what tests/Wirehub.Interop.Tests needs on a fresh Debian machine: Debian's python3-websockets (for
# /usr/bin/python3), Node.js with npm, and the locked npm packages of the Node peers. Idempotent: skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
/usr/bin/python3 -c 'import websockets' 2>/dev/null || need_apt+=(python3-websockets)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "install-interop: installing ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

peers=tests/Wirehub.Interop.Tests/peers/node
# npm ci reinstalls from scratch; skip it when the lock file's packages are already in place.
if ! cmp -s "$peers/package-lock.json" "$peers/node_modules/.package-lock.json.installed" 2>/dev/null; then
  (cd "$peers" && npm ci --no-audit --no-fund --loglevel=error)
  cp "$peers/package-lock.json" "$peers/node_modules/.package-lock.json.installed"
fi
