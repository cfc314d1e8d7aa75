#!/usr/bin/env bash
# Installs what the test suites need on a fresh Debian machine by running each suite's installer, .ci/install-*.sh.
# Each is idempotent: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

for script in .ci/install-*.sh; do
  [ -f "$script" ] && bash "$script"
done
exit 0
