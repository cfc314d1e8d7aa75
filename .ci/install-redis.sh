#!/usr/bin/env bash
# Installs what tests/Wirehub.Redis.Tests needs on a fresh Debian machine: Debian's redis-server (the tests start their
# own redis-server processes on free loopback ports; no daemon is used). Idempotent: skips what is there.
set -euo pipefail

if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
  echo "install-redis: installing redis-server"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends redis-server redis-tools >/dev/null
fi
# The package starts a system-wide daemon on 6379 where an init system runs; the tests never use it.
