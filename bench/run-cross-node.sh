#!/usr/bin/env bash
# Cross-node fan-out: one publisher on one node, subscribers spread over three `wirehub serve --broker redis` nodes
# (3 x 3 000 by default), against single-node fan-out (one `wirehub serve`, in-memory broker, the same 9 000
# subscribers) measured in the same run. The load generator is `wirehub bench fanout`. Both setups sit behind the nginx
# configuration of docs/SCALING.md (round robin, no stickiness): the subscribers connect first and spread evenly over
# the nodes, then the publisher lands on one of them. Servers, Redis and nginx are pinned to core 0, the generator to
# core 1. Writes bench/results/cross-node-<UTC date and time>.json; docs/SCALING.md records the figures.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
artifacts="$repo/artifacts/cross-node"
subscribers_per_node=3000
rates="5,10,20,40"
step=5s
size=32
build=1
out=""
note=""
server_core=0
generator_core=1
# Below the kernel's ephemeral range (32768 and up by default), so no client connection can hold the ports.
base_port=$((21000 + RANDOM % 9000))

usage() {
  cat <<'EOF'
usage: bench/run-cross-node.sh [options]
  --subscribers-per-node N   subscribers on each of the three nodes (default 3000; the single node gets 3 x N)
  --rates LIST               publish rates in messages/s, one step each (default 5,10,20,40)
  --step DURATION            how long each rate is held (default 5s)
  --size N                   characters of each message's data (default 32)
  --artifacts DIR            build output folder (default artifacts/cross-node)
  --no-build                 use what is already in the artifacts folder
  --out FILE                 results file (default bench/results/cross-node-<UTC date and time>.json)
  --note TEXT                a remark stored with the results, e.g. what else the machine was doing
EOF
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --subscribers-per-node) subscribers_per_node="$2"; shift 2 ;;
    --rates) rates="$2"; shift 2 ;;
    --step) step="$2"; shift 2 ;;
    --size) size="$2"; shift 2 ;;
    --artifacts) artifacts="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    --out) out="$2"; shift 2 ;;
    --note) note="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option '$1'" >&2; usage >&2; exit 2 ;;
  esac
done

fail() { echo "run-cross-node: $*" >&2; exit 1; }

for tool in jq taskset redis-server; do
  command -v "$tool" >/dev/null || fail "$tool is needed; run .ci/install-redis.sh (and apt-get install jq util-linux)."
done
nginx=$(command -v nginx || echo /usr/sbin/nginx)
[[ -x "$nginx" ]] || fail "nginx is needed; run .ci/install-redis.sh."
# nginx holds two sockets per proxied connection: 9 000 subscribers need about 18 100 open files.
ulimit -n 20000 2>/dev/null || fail "cannot raise the open-file limit to 20000; 9 000 subscribers need it (raise the hard limit)."

stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
out=${out:-"$repo/bench/results/cross-node-$stamp.json"}
work=$(mktemp -d)
pids=()
cleanup() {
  local code=$?
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [[ $code -ne 0 ]]; then
    echo "run-cross-node: failed; the servers' logs are in $work" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

if [[ $build -eq 1 ]]; then
  echo "run-cross-node: building wirehub (Release)"
  dotnet build "$repo/src/Wirehub/Wirehub.csproj" -c Release --artifacts-path "$artifacts" -nologo -v quiet >/dev/null
fi
wirehub="$artifacts/bin/Wirehub/release/wirehub.dll"
[[ -f "$wirehub" ]] || fail "$wirehub is missing: run without --no-build."

# Starts a process pinned to a core, in the background; its pid goes to $last_pid and to the list cleanup stops.
# (Called directly, never in $(...): a subshell would lose the list.)
last_pid=""
start_pinned() {
  local core=$1 log=$2; shift 2
  taskset -c "$core" "$@" >"$log" 2>&1 &
  last_pid=$!
  pids+=("$last_pid")
}

wait_for_port() {
  local port=$1 what=$2
  for _ in $(seq 1 200); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  fail "$what did not listen on port $port."
}

serve() {
  local port=$1 log=$2; shift 2
  start_pinned "$server_core" "$log" dotnet "$wirehub" serve --host 127.0.0.1 --port "$port" --api-key bench \
    --publish-rate 100000 --message-rate 100000 --log-format simple "$@"
  wait_for_port "$port" "wirehub serve (log: $log)"
}

# nginx with the documented configuration, its upstream block holding the given ports.
start_nginx() {
  local port=$1 dir=$2; shift 2
  mkdir -p "$dir"
  local servers=""
  for p in "$@"; do servers+="    server 127.0.0.1:$p max_fails=1 fail_timeout=5s;\n"; done
  local documented
  documented=$(awk '/^```nginx$/{on=1; next} /^```$/{if(on){exit}} on' "$repo/docs/SCALING.md")
  [[ -n "$documented" ]] || fail "docs/SCALING.md has no nginx block."
  documented=$(printf '%s\n' "$documented" | awk -v servers="$servers" '
    /^[ \t]*server [0-9.]+:[0-9]+/ { if (!done) { printf "%s", servers; done = 1 } next }
    { print }' | sed -E "s/listen [0-9]+;/listen 127.0.0.1:$port;/")
  cat >"$dir/nginx.conf" <<EOF
# Two workers share the connections: each may hold 20 000 files, and a proxied connection takes two.
worker_processes 2;
worker_rlimit_nofile 20000;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 19000; }
http {
    access_log off;
    client_body_temp_path $dir/body;
    proxy_temp_path $dir/proxy;
    fastcgi_temp_path $dir/fastcgi;
    uwsgi_temp_path $dir/uwsgi;
    scgi_temp_path $dir/scgi;
$documented
}
EOF
  start_pinned "$server_core" "$dir/nginx.out" "$nginx" -p "$dir" -c "$dir/nginx.conf" -g "daemon off;"
  wait_for_port "$port" "nginx (config: $dir/nginx.conf)"
}

# Runs the generator on core 1 against a URL; writes the report to a file. A short run first warms the servers up
# (just-in-time compilation of the fan-out path), so the first measured step does not pay for it.
run_fanout() {
  local url=$1 report=$2 subscribers=$3
  taskset -c "$generator_core" dotnet "$wirehub" bench fanout --url "$url" --subscribers 300 \
    --rates 20 --step 3s --settle 1s --size "$size" --progress off >/dev/null
  taskset -c "$generator_core" dotnet "$wirehub" bench fanout --url "$url" --subscribers "$subscribers" \
    --rates "$rates" --step "$step" --size "$size" --progress lines --json "$report"
}

total=$((3 * subscribers_per_node))
redis_port=$base_port
node_ports=($((base_port + 1)) $((base_port + 2)) $((base_port + 3)))
single_port=$((base_port + 4))
proxy_single=$((base_port + 5))
proxy_cross=$((base_port + 6))

echo "run-cross-node: single node, in-memory broker, $total subscribers"
load_single=$(cut -d' ' -f1-3 /proc/loadavg)
serve "$single_port" "$work/single.log"
single_pid=$last_pid
start_nginx "$proxy_single" "$work/nginx-single" "$single_port"
single_nginx=$last_pid
run_fanout "ws://127.0.0.1:$proxy_single/connection" "$work/single.json" "$total"
kill "$single_pid" "$single_nginx"

echo "run-cross-node: three nodes on Redis, $subscribers_per_node subscribers each"
load_cross=$(cut -d' ' -f1-3 /proc/loadavg)
start_pinned "$server_core" "$work/redis.log" redis-server --port "$redis_port" --bind 127.0.0.1 --save "" \
  --appendonly no --dir "$work" --daemonize no
wait_for_port "$redis_port" "redis-server"
for i in 0 1 2; do
  serve "${node_ports[$i]}" "$work/node-$i.log" --broker redis --redis "127.0.0.1:$redis_port"
done
start_nginx "$proxy_cross" "$work/nginx-cross" "${node_ports[@]}"
run_fanout "ws://127.0.0.1:$proxy_cross/connection" "$work/cross.json" "$total"

mkdir -p "$(dirname "$out")"
jq -n --slurpfile single "$work/single.json" --slurpfile cross "$work/cross.json" \
  --arg date "$stamp" --arg note "$note" --arg rates "$rates" --arg step "$step" \
  --arg loadSingle "$load_single" --arg loadCross "$load_cross" \
  --argjson perNode "$subscribers_per_node" --argjson size "$size" \
  --arg cpu "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')" --arg cores "$(nproc)" \
  --arg redis "$(redis-server --version | awk '{print $3}' | cut -d= -f2)" --arg nginx "$("$nginx" -v 2>&1 | cut -d/ -f2)" '
  def steps(r): r.details.steps // r.steps // [];
  def row(s): {rate: s.rate, deliveriesPerSecond: s.deliveriesPerSecond, p50Ms: s.latency.p50Ms, p99Ms: s.latency.p99Ms,
               lost: s.lost, held: s.held};
  {
    date: $date,
    note: $note,
    machine: {cpu: $cpu, cores: ($cores | tonumber), redis: $redis, nginx: $nginx,
              loadAverageAtStart: {singleNode: $loadSingle, crossNode: $loadCross}},
    setup: {
      publisher: "one, on one node (the last connection through round robin)",
      crossNode: "3 x wirehub serve --broker redis, \($perNode) subscribers each, behind nginx (docs/SCALING.md), servers + Redis + nginx pinned to core 0, generator to core 1",
      singleNode: "1 x wirehub serve (in-memory broker), \(3 * $perNode) subscribers, behind the same nginx configuration and pinning",
      rates: $rates, step: $step, size: $size
    },
    singleNode: [steps($single[0])[] | row(.)],
    crossNode: [steps($cross[0])[] | row(.)],
    ratio: [range(0; [steps($single[0]) | length, (steps($cross[0]) | length)] | min) as $i
            | {rate: steps($single[0])[$i].rate,
               deliveriesPerSecond: ((steps($cross[0])[$i].deliveriesPerSecond / steps($single[0])[$i].deliveriesPerSecond) * 1000 | round / 1000),
               p99: ((steps($cross[0])[$i].latency.p99Ms / steps($single[0])[$i].latency.p99Ms) * 100 | round / 100)}],
    reports: {singleNode: $single[0], crossNode: $cross[0]}
  }' >"$out"
echo "run-cross-node: wrote $out"
jq -r '"rate  single: deliveries/s  p99 ms | cross-node: deliveries/s  p99 ms | ratio deliveries/s  p99",
       (range(0; .ratio | length) as $i | "\(.singleNode[$i].rate)  \(.singleNode[$i].deliveriesPerSecond)  \(.singleNode[$i].p99Ms) | \(.crossNode[$i].deliveriesPerSecond)  \(.crossNode[$i].p99Ms) | \(.ratio[$i].deliveriesPerSecond)  \(.ratio[$i].p99)")' "$out"
