#!/usr/bin/env bash
# Installs what tests/Wirehub.Browser.Tests and the JavaScript SDK's tests need on a fresh Debian machine: Debian's
# Chromium at /usr/bin/chromium, which Playwright drives as the system browser (no browser download), and Node.js for
# `node --test` in clients/js. Idempotent: skips what is there.
set -euo pipefail

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium fonts-liberation)
command -v node >/dev/null 2>&1 || need_apt+=(nodejs)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "install-browser: installing ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
