#!/usr/bin/env bash
# Channel fan-out benchmark: 1 publisher and N subscribers (10 000 by default) of one wirehub.v1 channel on
# `wirehub serve`, measured in the same run as the raw broadcast path (`wirehub echo --mode broadcast`) with the same
# number of clients and the same publish rates, then again beside stalled subscribers that never read. Each server is
# pinned to core 0 and the `wirehub bench` load generator to core 1, both at nice -20; every run starts a fresh
# server; the figures are medians over the rounds. See bench/README.md, "Channel fan-out".
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
artifacts="$repo/artifacts/fanout"
rounds=3
build=1
clients=10000
stalled=100
rates="5,10,20,40,80"
step=5s
settle=5s
size=64
send_queue=16KiB
nice_level=-20
out=""
note=""
server_core=0
generator_core=1
# Below the kernel's ephemeral range (32768 and up by default), so no client connection can hold the next port.
port=$((21000 + RANDOM % 10000))

usage() {
  cat <<'EOF'
usage: bench/run-fanout.sh [options]
  --quick              one round, 2 000 clients, 3 s steps (about 2 minutes instead of 10)
  --rounds N           runs per path; the median is reported (default 3)
  --clients N          subscribers of the channel, and clients of the raw broadcast (default 10000)
  --stalled N          subscribers that never read, in the third run of each round (default 100)
  --rates LIST         publish rates in messages/s, one step each, for every path (default 5,10,20,40,80)
  --step DURATION      how long each rate is held (default 5s)
  --size N             payload bytes of the raw broadcast, data characters of the fan-out (default 64)
  --send-queue-bytes B the fan-out server's send-queue bound per connection (default 16KiB, so stalled subscribers
                       reach it within the run)
  --nice N             nice level of the pinned server and generator (default -20; needs root)
  --artifacts DIR      build output folder (default artifacts/fanout)
  --no-build           use what is already in the artifacts folder
  --out FILE           results file (default bench/results/fanout-<UTC date and time>.json)
  --note TEXT          a remark stored with the results, e.g. what else the machine was doing
EOF
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --quick) rounds=1; clients=2000; stalled=20; step=3s; settle=3s; shift ;;
    --rounds) rounds="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    --stalled) stalled="$2"; shift 2 ;;
    --rates) rates="$2"; shift 2 ;;
    --step) step="$2"; shift 2 ;;
    --size) size="$2"; shift 2 ;;
    --send-queue-bytes) send_queue="$2"; shift 2 ;;
    --nice) nice_level="$2"; shift 2 ;;
    --artifacts) artifacts="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --out) out="$2"; shift 2 ;;
    --note) note="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

fail() { echo "run-fanout: $*" >&2; exit 1; }

command -v jq >/dev/null || fail "jq is needed to read the reports; install it (apt-get install jq)."
command -v taskset >/dev/null || fail "taskset is needed to pin processes; install util-linux."
[[ $(nproc --all) -ge 2 ]] || fail "two cores are needed: one for the server, one for the load generator."

# Every client is a descriptor in the generator and one in the server: 10 000 subscribers need far more than 1 024.
ulimit -n 20000 2>/dev/null || fail "cannot raise the open-files limit to 20000 (hard limit $(ulimit -Hn)); raise the hard limit first."

stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
out=${out:-"$repo/bench/results/fanout-$stamp.json"}
work=$(mktemp -d "${TMPDIR:-/tmp}/wirehub-fanout.XXXXXX")
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
fi

wirehub_dll="$artifacts/bin/Wirehub/release/wirehub.dll"
[[ -f "$wirehub_dll" ]] || fail "$wirehub_dll is missing; run without --no-build."
dotnet "$wirehub_dll" bench fanout --help >/dev/null 2>&1 || fail "'wirehub bench fanout' is not available in $wirehub_dll."

# pinned CORE: the command prefix that pins to CORE at the nice level; it execs the command, so a background job's $!
# is the pid of the command itself.
pinned() {
  pinned_cmd=(taskset -c "$1")
  if [[ -n "$nice_level" ]]; then pinned_cmd+=(nice -n "$nice_level"); fi
}

# start_server KIND: starts `wirehub echo --mode broadcast` (raw) or `wirehub serve` (fanout) on a fresh port and waits
# until it accepts connections; tries the next port when the server cannot bind one.
start_server() {
  for _ in 1 2 3; do
    if try_start_server "$1"; then return 0; fi
  done
  cat "$work/server.log" >&2
  fail "the $1 server exited at start three times (last log above)."
}

try_start_server() {
  port=$((port + 1))
  pinned "$server_core"
  if [[ "$1" == raw ]]; then
    "${pinned_cmd[@]}" dotnet "$wirehub_dll" echo --port "$port" --mode broadcast >"$work/server.log" 2>&1 &
  else
    # Rates and frame counts far above the benchmark's, no WebSocket keep-alive pings (the generator does not answer
    # them, as with the raw server) and no fallback transports: the WebSocket fan-out path alone.
    "${pinned_cmd[@]}" dotnet "$wirehub_dll" serve --host 127.0.0.1 --port "$port" --publish-rate 1000000 \
      --message-rate 1000000 --keep-alive-interval 0s --fallback false --send-queue-bytes "$send_queue" \
      >"$work/server.log" 2>&1 &
  fi
  server_pid=$!
  for _ in $(seq 1 150); do
    if ! kill -0 "$server_pid" 2>/dev/null; then wait "$server_pid" 2>/dev/null || true; server_pid=""; return 1; fi
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  fail "the $1 server did not listen on port $port within 15 s."
}

stop_server() {
  kill "$server_pid" 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
  sleep 2  # let the kernel finish closing the last connections before the next server starts
}

common=(--rates "$rates" --step "$step" --settle "$settle" --size "$size" --progress lines)
for round in $(seq 1 "$rounds"); do
  echo "== round $round/$rounds: raw broadcast, $clients clients"
  start_server raw
  pinned "$generator_core"
  "${pinned_cmd[@]}" dotnet "$wirehub_dll" bench broadcast --url "ws://127.0.0.1:$port/" --server-pid "$server_pid" \
    --clients "$clients" "${common[@]}" --json "$work/raw-$round.json" >"$work/raw-$round.txt" \
    || fail "the load generator failed on the raw broadcast (round $round)."
  stop_server

  echo "== round $round/$rounds: fan-out, 1 publisher and $clients subscribers"
  start_server fanout
  pinned "$generator_core"
  "${pinned_cmd[@]}" dotnet "$wirehub_dll" bench fanout --url "ws://127.0.0.1:$port/connection" --server-pid "$server_pid" \
    --subscribers "$clients" "${common[@]}" --json "$work/fanout-$round.json" >"$work/fanout-$round.txt" \
    || fail "the load generator failed on the fan-out (round $round)."
  stop_server

  echo "== round $round/$rounds: fan-out beside $stalled stalled subscribers"
  start_server fanout
  pinned "$generator_core"
  "${pinned_cmd[@]}" dotnet "$wirehub_dll" bench fanout --url "ws://127.0.0.1:$port/connection" --server-pid "$server_pid" \
    --subscribers "$clients" --stalled "$stalled" "${common[@]}" --json "$work/stalled-$round.json" >"$work/stalled-$round.txt" \
    || fail "the load generator failed on the fan-out with stalled subscribers (round $round)."
  stop_server
done

# ---- summary -------------------------------------------------------------------------------------------------------
# per_rate PATH: for each rate, the medians over rounds of deliveries/s, p50, p99, lost and server CPU, and the server
# CPU time per delivery in microseconds.
per_rate() {
  jq -s '
    def median: sort | if length == 0 then null elif length % 2 == 1 then .[length / 2 | floor]
                       else (.[length / 2 - 1] + .[length / 2]) / 2 end;
    [.[].details.steps[]] | group_by(.rate) | map({
      rate: .[0].rate,
      messagesPerSecondIn: ([.[].messagesPerSecondIn] | median),
      deliveriesPerSecond: ([.[].deliveriesPerSecond] | median),
      p50Ms: ([.[].latency.p50Ms] | median),
      p99Ms: ([.[].latency.p99Ms] | median),
      lost: ([.[].lost] | median),
      serverCpuPercent: ([.[].cpu.serverPercent | select(. != null)] | median),
      serverMicrosecondsPerDelivery: ([.[] | select(.cpu.serverPercent != null and .deliveriesPerSecond > 0)
                                       | .cpu.serverPercent / 100 / .deliveriesPerSecond * 1e6] | median),
      held: ([.[].held] | map(if . then 1 else 0 end) | median | . >= 0.5),
      sustained: ([.[] | (.lost == 0 and .messagesPerSecondIn >= .rate * 0.97)] | map(if . then 1 else 0 end) | median | . >= 0.5)
    })' "$work/$1-"*.json
}

scalar() {
  jq -s "[.[] | ($2)] | sort | if length == 0 then null elif length % 2 == 1 then .[length / 2 | floor]
         else (.[length / 2 - 1] + .[length / 2]) / 2 end" "$work/$1-"*.json
}

summary=$(jq -n \
  --arg date "$stamp" --arg commit "$(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
  --arg cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')" --arg kernel "$(uname -r)" \
  --arg load "$(cut -d' ' -f1-3 /proc/loadavg)" --arg note "$note" --arg nice "$nice_level" \
  --argjson rounds "$rounds" --argjson clients "$clients" --argjson stalled "$stalled" --arg rates "$rates" \
  --arg step "$step" --argjson size "$size" --arg sendQueue "$send_queue" \
  --argjson raw "$(per_rate raw)" --argjson fanout "$(per_rate fanout)" --argjson withStalled "$(per_rate stalled)" \
  --argjson rawHeld "$(scalar raw .details.highestRateHeld)" --argjson fanoutHeld "$(scalar fanout .details.highestRateHeld)" \
  --argjson stalledHeld "$(scalar stalled .details.highestRateHeld)" \
  --argjson stalledClosed "$(scalar stalled .details.stalledClosedByServer)" \
  '
  def at($steps; $rate): ($steps | map(select(.rate == $rate)) | .[0]);
  def ratio(a; b): if a == null or b == null or b == 0 then null else (a / b * 100 | round) / 100 end;
  # The highest rate the raw path sustains: it got the rate out and delivered every message to every client.
  ($raw | map(select(.sustained)) | map(.rate) | max) as $rawSustained
  | (if $rawSustained == null then null else at($fanout; $rawSustained) end) as $f
  | (if $rawSustained == null then null else at($raw; $rawSustained) end) as $r
  | (if $rawSustained == null then null else at($withStalled; $rawSustained) end) as $s
  | {
    date: $date, commit: $commit, note: $note, nice: $nice, loadAverageAtEnd: $load,
    machine: {cpu: $cpu, kernel: $kernel, serverCore: 0, generatorCore: 1},
    parameters: {rounds: $rounds, clients: $clients, stalled: $stalled, rates: $rates, step: $step, size: $size,
                 fanoutSendQueueBytes: $sendQueue},
    raw: {highestRateHeld: $rawHeld, highestRateSustained: $rawSustained, steps: $raw},
    fanout: {highestRateHeld: $fanoutHeld, steps: $fanout},
    fanoutWithStalled: {highestRateHeld: $stalledHeld, stalledClosedByServer: $stalledClosed, steps: $withStalled},
    targets: {
      cost: {rate: $rawSustained, rawMicrosecondsPerDelivery: $r.serverMicrosecondsPerDelivery,
             fanoutMicrosecondsPerDelivery: $f.serverMicrosecondsPerDelivery,
             ratio: ratio($f.serverMicrosecondsPerDelivery; $r.serverMicrosecondsPerDelivery),
             target: "fan-out server CPU per delivery <= 1.3x the raw broadcast path at the highest rate raw sustains",
             pass: ((ratio($f.serverMicrosecondsPerDelivery; $r.serverMicrosecondsPerDelivery) // 99) <= 1.3)},
      latency: {rate: $rawSustained, fanoutP99Ms: $f.p99Ms, rawP99Ms: $r.p99Ms, fanoutLost: $f.lost,
                target: "fan-out p99 < 100 ms, nothing lost, at the highest rate raw sustains",
                pass: ($f != null and $f.p99Ms < 100 and $f.lost == 0)},
      stalled: {rate: $rawSustained, p99MsWithout: $f.p99Ms, p99MsWith: $s.p99Ms, lostWith: $s.lost,
                ratio: ratio($s.p99Ms; $f.p99Ms), stalledClosedByServer: $stalledClosed}
    }
  }')

mkdir -p "$(dirname "$out")"
jq -n --argjson summary "$summary" --slurpfile raw <(jq -s . "$work"/raw-*.json) \
  --slurpfile fanout <(jq -s . "$work"/fanout-*.json) --slurpfile stalled <(jq -s . "$work"/stalled-*.json) \
  '{summary: $summary, runs: {raw: $raw[0], fanout: $fanout[0], fanoutWithStalled: $stalled[0]}}' >"$out"

echo
echo "$summary" | jq -r '"Wirehub channel fan-out, \(.date), commit \(.commit), \(.parameters.clients) clients, median of \(.parameters.rounds) round(s), load \(.loadAverageAtEnd)"'
echo
echo "$summary" | jq -r '
  def f(x): if x == null then "-" else ((x * 10 | round) / 10 | tostring) end;
  def k(x): if x == null then "-" else ((x | round) | tostring) end;
  (["rate", "raw deliv/s", "raw p99 ms", "fanout deliv/s", "fanout p99 ms", "stalled p99 ms", "raw us/deliv", "fanout us/deliv"] | @tsv),
  (.raw.steps[] as $r | (.fanout.steps | map(select(.rate == $r.rate)) | .[0]) as $f
   | (.fanoutWithStalled.steps | map(select(.rate == $r.rate)) | .[0]) as $s
   | [($r.rate | tostring), k($r.deliveriesPerSecond), f($r.p99Ms), k($f.deliveriesPerSecond), f($f.p99Ms), f($s.p99Ms),
      f($r.serverMicrosecondsPerDelivery), f($f.serverMicrosecondsPerDelivery)] | @tsv)
' | column -t -s $'\t'
echo
echo "$summary" | jq -r '
  def v(p): if p then "PASS" else "FAIL" end;
  def f(x): if x == null then "-" else ((x * 10 | round) / 10 | tostring) end;
  "highest rate raw sustains (everything delivered): \(.raw.highestRateSustained // "none") msg/s; held with p99 < 100 ms: raw \(.raw.highestRateHeld), fan-out \(.fanout.highestRateHeld), fan-out beside stalled \(.fanoutWithStalled.highestRateHeld)",
  "cost at that rate: fan-out / raw server CPU per delivery = \(.targets.cost.ratio // "-") (target <= 1.3): \(v(.targets.cost.pass))",
  "latency at that rate: fan-out p99 \(f(.targets.latency.fanoutP99Ms)) ms (target < 100 ms, nothing lost): \(v(.targets.latency.pass))",
  "stalled subscribers: p99 \(f(.targets.stalled.p99MsWithout)) ms without, \(f(.targets.stalled.p99MsWith)) ms with; closed by the server: \(.targets.stalled.stalledClosedByServer // "-") of \(.parameters.stalled)"'
echo
echo "results written to $out"
