#!/usr/bin/env bash
# Installs what the test suites need on a fresh Debian machine. Idempotent: skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
/usr/bin/python3 -c 'import websockets' 2>/dev/null || need_apt+=(python3-websockets)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
command -v npm >/dev/null 2>&1 || need_apt+=(npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing: ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

for script in .ci/install-*.sh; do
  [ -f "$script" ] && bash "$script"
done
exit 0
