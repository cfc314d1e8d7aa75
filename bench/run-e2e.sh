#!/usr/bin/env bash
# End-to-end benchmarks: `wirehub echo` (slot A) against the Kestrel + System.Net.WebSockets reference server
# (slot B), in the same run, each pinned to core 0 with the `wirehub bench` load generator on core 1.
# Every scenario alternates the servers (A, B, A, B, ...), starts a fresh server process for every run, takes the
# median per server, and compares the medians with the targets. See bench/README.md.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
artifacts="$repo/artifacts/e2e"
rounds=3
quick=0
build=1
a_server=wirehub
scenarios="echo32,echo4k,broadcast,idle,handshakes"
out=""
note=""
bench_cmd=""
nice_level=""
server_core=0
generator_core=1
# Below the kernel's ephemeral range (32768 and up by default), so no client connection can hold the next port.
port=$((21000 + RANDOM % 10000))

usage() {
  cat <<'EOF'
usage: bench/run-e2e.sh [options]
  --quick              one round and shorter durations (about 3 minutes instead of 15)
  --rounds N           runs per server and scenario; the median is reported (default 3)
  --scenarios LIST     comma-separated subset of echo32,echo4k,broadcast,idle,handshakes
  --a-server NAME      what slot A runs: wirehub (default) or reference, to check the kit itself
  --bench-cmd CMD      the load generator command (default: dotnet <artifacts>/bin/Wirehub/release/wirehub.dll bench)
  --nice N             run servers and generator at this nice level, e.g. -10 on a busy machine (needs root)
  --artifacts DIR      build output folder (default artifacts/e2e)
  --no-build           use what is already in the artifacts folder
  --out FILE           results file (default bench/results/e2e-<UTC date and time>.json)
  --note TEXT          a remark stored with the results, e.g. what else the machine was doing
EOF
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) quick=1; rounds=1; shift ;;
    --rounds) rounds="$2"; shift 2 ;;
    --scenarios) scenarios="$2"; shift 2 ;;
    --a-server) a_server="$2"; shift 2 ;;
    --bench-cmd) bench_cmd="$2"; shift 2 ;;
    --nice) nice_level="$2"; shift 2 ;;
    --artifacts) artifacts="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --out) out="$2"; shift 2 ;;
    --note) note="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

fail() { echo "run-e2e: $*" >&2; exit 1; }

command -v jq >/dev/null || fail "jq is needed to read the reports; install it (apt-get install jq)."
command -v taskset >/dev/null || fail "taskset is needed to pin processes; install util-linux."
[[ $(nproc --all) -ge 2 ]] || fail "two cores are needed: one for the server, one for the load generator."
[[ "$a_server" == wirehub || "$a_server" == reference ]] || fail "--a-server takes wirehub or reference, not '$a_server'."

# Each connection is a descriptor in the generator and one in the server: 10 000 idle connections need more than
# the usual 1 024.
ulimit -n 20000 2>/dev/null || fail "cannot raise the open-files limit to 20000 (hard limit $(ulimit -Hn)); raise the hard limit first."

stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
out=${out:-"$repo/bench/results/e2e-$stamp.json"}
work=$(mktemp -d "${TMPDIR:-/tmp}/wirehub-e2e.XXXXXX")
server_pid=""
cleanup() {
  if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [[ $build -eq 1 ]]; then
  echo "building Release into $artifacts"
  dotnet build "$repo/src/Wirehub/Wirehub.csproj" -c Release --artifacts-path "$artifacts" -nologo -v quiet >"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; fail "building src/Wirehub failed (log above)."; }
  dotnet build "$repo/bench/Wirehub.ReferenceServer/Wirehub.ReferenceServer.csproj" -c Release --artifacts-path "$artifacts" \
    -nologo -v quiet >"$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; fail "building bench/Wirehub.ReferenceServer failed (log above)."; }
fi

wirehub_dll="$artifacts/bin/Wirehub/release/wirehub.dll"
reference_dll="$artifacts/bin/Wirehub.ReferenceServer/release/Wirehub.ReferenceServer.dll"
[[ -f "$reference_dll" ]] || fail "$reference_dll is missing; run without --no-build."
bench_cmd=${bench_cmd:-"dotnet $wirehub_dll bench"}
$bench_cmd --help >/dev/null 2>&1 \
  || fail "'$bench_cmd' does not run; src/Wirehub/Program.cs must add Wirehub.Cli.Bench.BenchCommand.Create(), or pass --bench-cmd."
if [[ "$a_server" == wirehub ]]; then
  [[ -f "$wirehub_dll" ]] && dotnet "$wirehub_dll" echo --help >/dev/null 2>&1 \
    || fail "'wirehub echo' is not available; pass --a-server reference to exercise the kit with the reference in both slots."
fi

# pinned CORE: the command prefix that pins to CORE (and sets the nice level); it execs the command, so a background
# job's $! is the pid of the command itself.
pinned() {
  pinned_cmd=(taskset -c "$1")
  if [[ -n "$nice_level" ]]; then pinned_cmd+=(nice -n "$nice_level"); fi
}

# start_server SLOT MODE: starts the slot's server on a fresh port and waits until it accepts connections; tries the
# next port when the server cannot bind one.
start_server() {
  for _ in 1 2 3; do
    if try_start_server "$@"; then return 0; fi
  done
  cat "$work/server.log" >&2
  fail "the server for slot $1 exited at start three times (last log above)."
}

try_start_server() {
  local slot=$1 mode=$2 kind
  kind=$([[ "$slot" == A ]] && echo "$a_server" || echo reference)
  port=$((port + 1))
  pinned "$server_core"
  if [[ "$kind" == wirehub ]]; then
    "${pinned_cmd[@]}" dotnet "$wirehub_dll" echo --port "$port" --mode "$mode" >"$work/server.log" 2>&1 &
  else
    "${pinned_cmd[@]}" dotnet "$reference_dll" --port "$port" --mode "$mode" >"$work/server.log" 2>&1 &
  fi
  server_pid=$!
  for _ in $(seq 1 150); do
    if ! kill -0 "$server_pid" 2>/dev/null; then wait "$server_pid" 2>/dev/null || true; server_pid=""; return 1; fi
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  fail "the $kind server did not listen on port $port within 15 s."
}

stop_server() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
  sleep 1  # let the kernel finish closing the last connections before the next server starts
}

if [[ $quick -eq 1 ]]; then
  echo_time=(--duration 4s --warmup 2s); step=2s; hold=1s; hs_time=(--duration 4s --warmup 1s)
else
  echo_time=(--duration 10s --warmup 3s); step=5s; hold=3s; hs_time=(--duration 10s --warmup 2s)
fi

# run_scenario NAME MODE ARGS...: A, B, A, B, ... with a fresh server each time; reports land in $work/NAME-SLOT-ROUND.json.
run_scenario() {
  local name=$1 mode=$2; shift 2
  local scenario=$1; shift
  for round in $(seq 1 "$rounds"); do
    for slot in A B; do
      start_server "$slot" "$mode"
      echo "== $name, server $slot, round $round/$rounds"
      pinned "$generator_core"
      "${pinned_cmd[@]}" $bench_cmd "$scenario" --url "ws://127.0.0.1:$port/" --server-pid "$server_pid" \
        --json "$work/$name-$slot-$round.json" "$@" || fail "the load generator failed on $name (server $slot)."
      stop_server
    done
  done
}

IFS=',' read -r -a selected <<<"$scenarios"
for name in "${selected[@]}"; do
  case "$name" in
    echo32) run_scenario echo32 echo echo --connections 64 --inflight 16 --size 32 "${echo_time[@]}" ;;
    echo4k) run_scenario echo4k echo echo --connections 64 --inflight 16 --size 4096 "${echo_time[@]}" ;;
    broadcast) run_scenario broadcast broadcast broadcast --clients 1000 --rates 200,400,700,1000,1400,2000 --step "$step" \
      --stop-above-p99 2s ;;
    idle) run_scenario idle echo idle --connections 10000 --hold "$hold" ;;
    handshakes) run_scenario handshakes echo handshakes --concurrency 32 "${hs_time[@]}" ;;
    *) fail "unknown scenario '$name'; choose from echo32,echo4k,broadcast,idle,handshakes." ;;
  esac
done

# ---- summary -------------------------------------------------------------------------------------------------------
# median NAME SLOT JQ-EXPRESSION: the median over rounds of one number from each report ("null" when absent).
median() {
  local name=$1 slot=$2 expr=$3
  local files=("$work/$name-$slot-"*.json)
  [[ -f "${files[0]}" ]] || { echo null; return; }
  jq -s "[.[] | ($expr) | select(. != null)] | sort | if length == 0 then null
         elif length % 2 == 1 then .[length / 2 | floor] else (.[length / 2 - 1] + .[length / 2]) / 2 end" "${files[@]}"
}

at1400='(.details.steps[] | select(.rate == 1400))'
summary=$(jq -n \
  --arg date "$stamp" --arg commit "$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  --arg cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')" --arg kernel "$(uname -r)" \
  --argjson quick "$quick" --argjson rounds "$rounds" --arg a "$a_server" --arg note "$note" --arg nice "$nice_level" \
  --argjson e32a "$(median echo32 A .throughput.messagesPerSecond)" --argjson e32b "$(median echo32 B .throughput.messagesPerSecond)" \
  --argjson e32ga "$(median echo32 A .cpu.generatorPercent)" --argjson e32sa "$(median echo32 A .cpu.serverPercent)" \
  --argjson e32gb "$(median echo32 B .cpu.generatorPercent)" --argjson e32sb "$(median echo32 B .cpu.serverPercent)" \
  --argjson e4a "$(median echo4k A .throughput.messagesPerSecond)" --argjson e4b "$(median echo4k B .throughput.messagesPerSecond)" \
  --argjson e4ga "$(median echo4k A .cpu.generatorPercent)" --argjson e4sa "$(median echo4k A .cpu.serverPercent)" \
  --argjson e4gb "$(median echo4k B .cpu.generatorPercent)" --argjson e4sb "$(median echo4k B .cpu.serverPercent)" \
  --argjson ia "$(median idle A .details.kibPerConnection)" --argjson ib "$(median idle B .details.kibPerConnection)" \
  --argjson ha "$(median handshakes A .throughput.messagesPerSecond)" --argjson hb "$(median handshakes B .throughput.messagesPerSecond)" \
  --argjson hga "$(median handshakes A .cpu.generatorPercent)" --argjson hsa "$(median handshakes A .cpu.serverPercent)" \
  --argjson hgb "$(median handshakes B .cpu.generatorPercent)" --argjson hsb "$(median handshakes B .cpu.serverPercent)" \
  --argjson bra "$(median broadcast A .details.highestRateHeld)" --argjson brb "$(median broadcast B .details.highestRateHeld)" \
  --argjson bpa "$(median broadcast A "$at1400.latency.p99Ms")" --argjson bpb "$(median broadcast B "$at1400.latency.p99Ms")" \
  --argjson bla "$(median broadcast A "$at1400.lost")" --argjson blb "$(median broadcast B "$at1400.lost")" \
  --argjson bia "$(median broadcast A "$at1400.messagesPerSecondIn")" \
  --argjson bga "$(median broadcast A "$at1400.cpu.generatorPercent")" --argjson bsa "$(median broadcast A "$at1400.cpu.serverPercent")" \
  '
  def ratio(a; b): if a == null or b == null or b == 0 then null else (a / b * 100 | round) / 100 end;
  # Throughput scenarios must saturate the server core; a paced one (broadcast) only needs generator headroom.
  def cpu(g; s): {generatorCpuPercent: g, serverCpuPercent: s,
                  generatorBound: (if g == null or s == null then null else (g >= s or s < 90) end)};
  def pacedCpu(g; s): {generatorCpuPercent: g, serverCpuPercent: s,
                  generatorBound: (if g == null then null else g >= 90 end)};
  {
    date: $date, commit: $commit, quick: ($quick == 1), rounds: $rounds, note: $note, nice: $nice,
    machine: {cpu: $cpu, kernel: $kernel, serverCore: 0, generatorCore: 1},
    servers: {A: $a, B: "reference"},
    echo32: {A: $e32a, B: $e32b, ratio: ratio($e32a; $e32b), target: ">= 2x B", pass: ((ratio($e32a; $e32b) // 0) >= 2),
             cpuA: cpu($e32ga; $e32sa), cpuB: cpu($e32gb; $e32sb)},
    echo4k: {A: $e4a, B: $e4b, ratio: ratio($e4a; $e4b), target: ">= 1.5x B", pass: ((ratio($e4a; $e4b) // 0) >= 1.5),
             cpuA: cpu($e4ga; $e4sa), cpuB: cpu($e4gb; $e4sb)},
    idleKiBPerConnection: {A: $ia, B: $ib, target: "A <= 6 KiB", pass: ($ia != null and $ia <= 6)},
    broadcast: {highestRateHeldA: $bra, highestRateHeldB: $brb, p99MsAt1400A: $bpa, p99MsAt1400B: $bpb,
                lostAt1400A: $bla, lostAt1400B: $blb, messagesPerSecondInAt1400A: $bia,
                target: "A holds 1400 msg/s in with p99 < 100 ms and nothing lost",
                pass: ($bpa != null and $bpa < 100 and $bla == 0 and ($bia // 0) >= 1400 * 0.97),
                cpuAAt1400: pacedCpu($bga; $bsa)},
    handshakes: {A: $ha, B: $hb, ratio: ratio($ha; $hb), target: ">= 1.5x B", pass: ((ratio($ha; $hb) // 0) >= 1.5),
                 cpuA: cpu($hga; $hsa), cpuB: cpu($hgb; $hsb)}
  }')

mkdir -p "$(dirname "$out")"
jq -s --argjson summary "$summary" '{summary: $summary, runs: .}' "$work"/*.json >"$out"

echo
echo "$summary" | jq -r '"Wirehub end-to-end, \(.date), commit \(.commit), A = \(.servers.A), B = reference, median of \(.rounds) run(s)\(if .quick then ", quick" else "" end)"'
echo
echo "$summary" | jq -r '
  def n(x): if x == null then "-" else (x | tostring) end;
  def k(x): if x == null then "-" else ((x | round) | tostring) end;
  def f(x): if x == null then "-" else ((x * 10 | round) / 10 | tostring) end;
  def verdict(p): if p then "PASS" else "FAIL" end;
  def cpu(c): if c.generatorCpuPercent == null then "" else
    "gen \(c.generatorCpuPercent | round)% srv \(c.serverCpuPercent | round)%" + (if c.generatorBound then "  CHECK: generator may be the limit" else "" end) end;
  (["scenario", "A", "B", "A/B", "target", "result", "cpu A (gen / server)"] | @tsv),
  (["echo 32 B msg/s", k(.echo32.A), k(.echo32.B), n(.echo32.ratio), .echo32.target, verdict(.echo32.pass), cpu(.echo32.cpuA)] | @tsv),
  (["echo 4 KiB msg/s", k(.echo4k.A), k(.echo4k.B), n(.echo4k.ratio), .echo4k.target, verdict(.echo4k.pass), cpu(.echo4k.cpuA)] | @tsv),
  (["idle KiB/connection", f(.idleKiBPerConnection.A), f(.idleKiBPerConnection.B), "", .idleKiBPerConnection.target, verdict(.idleKiBPerConnection.pass), ""] | @tsv),
  (["broadcast held msg/s", n(.broadcast.highestRateHeldA), n(.broadcast.highestRateHeldB), "", "A holds 1400", verdict(.broadcast.pass), cpu(.broadcast.cpuAAt1400)] | @tsv),
  (["  at 1400: p99 ms", f(.broadcast.p99MsAt1400A), f(.broadcast.p99MsAt1400B), "", "< 100", "", ""] | @tsv),
  (["  at 1400: lost", n(.broadcast.lostAt1400A), n(.broadcast.lostAt1400B), "", "0", "", ""] | @tsv),
  (["handshakes/s", k(.handshakes.A), k(.handshakes.B), n(.handshakes.ratio), .handshakes.target, verdict(.handshakes.pass), cpu(.handshakes.cpuA)] | @tsv)
' | column -t -s $'\t'
echo
echo "$summary" | jq -r 'def cpu(c): if c.generatorCpuPercent == null then "-" else
    "gen \(c.generatorCpuPercent | round)% srv \(c.serverCpuPercent | round)%" + (if c.generatorBound then " (CHECK: generator may be the limit)" else "" end) end;
  "cpu B (gen / server): echo 32 B \(cpu(.echo32.cpuB)); echo 4 KiB \(cpu(.echo4k.cpuB)); handshakes \(cpu(.handshakes.cpuB))"'
echo
echo "results written to $out"
