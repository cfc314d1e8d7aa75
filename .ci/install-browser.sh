#!/usr/bin/env bash
# Installs what tests/Wirehub.Browser.Tests needs on a fresh Debian machine: Debian's headless-capable Chromium at
# /usr/bin/chromium, which Playwright drives as the system browser (no browser download). Idempotent.
set -euo pipefail

if [ ! -x /usr/bin/chromium ]; then
  echo "install-browser: installing chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
fi
