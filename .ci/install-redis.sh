#!/usr/bin/env bash
# Installs what tests/Wirehub.Redis.Tests needs on a fresh Debian machine: Debian's redis-server and nginx-light (the
# tests start their own redis-server and nginx processes on free loopback ports; no daemon is used). Idempotent: skips
# what is there.
set -euo pipefail

need_apt=()
command -v redis-server >/dev/null 2>&1 || need_apt+=(redis-server redis-tools)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need_apt+=(nginx-light)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "install-redis: installing ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
# The packages start system-wide daemons where an init system runs; the tests never use them.
