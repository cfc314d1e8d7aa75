#!/usr/bin/env bash
# Runs every test suite of the repository and ends with one line: "N passed, N failed".
# Installs missing prerequisites first (see .ci/install.sh), so it works on a fresh machine.
set -uo pipefail
cd "$(dirname "$0")"

bash .ci/install.sh || { echo "prerequisites could not be installed"; echo "0 passed, 1 failed"; exit 1; }
ulimit -n 20000 2>/dev/null || true

if ! dotnet build Wirehub.slnx -c Release -nologo -v quiet; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi

results=$(mktemp -d)
passed=0
failed=0
for project in tests/*/*.csproj; do
  name=$(basename "$project" .csproj)
  echo "== $name"
  dotnet test "$project" -c Release --no-build -nologo \
    --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" --results-directory "$results"
  code=$?
  trx="$results/$name.trx"
  p=0; f=0
  if [ -f "$trx" ]; then
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
    p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); p=${p:-0}
    f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=${f:-0}
    # Tests that did not finish (a crashed or aborted test host) count as failed.
    total=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters"); total=${total:-0}
    executed=$(sed -n 's/.* executed="\([0-9]*\)".*/\1/p' <<<"$counters"); executed=${executed:-0}
    f=$((f + total - executed))
  fi
  if [ "$code" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "$name: the test run failed without reporting a failed test"; fi
  passed=$((passed + p)); failed=$((failed + f))
done

# The JavaScript SDK's unit tests (node:test), counted from the summary of the TAP report.
echo "== clients/js (node --test)"
tap=$(cd clients/js && node --test --test-reporter=tap test/*.test.js 2>&1)
code=$?
p=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' <<<"$tap" | tail -1); p=${p:-0}
f=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' <<<"$tap" | tail -1); f=${f:-0}
c=$(sed -n 's/^# cancelled \([0-9]*\)$/\1/p' <<<"$tap" | tail -1); f=$((f + ${c:-0}))
if [ "$code" -ne 0 ]; then echo "$tap"; else grep -E '^# (tests|pass|fail) ' <<<"$tap"; fi
if [ "$code" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; echo "clients/js: node --test failed without reporting a failed test"; fi
passed=$((passed + p)); failed=$((failed + f))

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
