#!/usr/bin/env bash
# Live heap per idle connection, free of G1's sizing: start the jar with the shipped options, take a class histogram
# (it runs a full GC) before and while 19,900 idle clients are connected, print (after - before) / connections.
#   bench/live-heap.sh path/to/switchboard.jar [label]      (run bench/setup.sh once first: it builds the harness)
# Loopback only; the server and the load generator are killed at the end.
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JAR=$1; LABEL=${2:-$(basename "$JAR")}; N=19900
HARNESS="$BENCH/harness/target/bench-harness.jar"
WS=$((30000 + RANDOM % 2000)); API=$((33000 + RANDOM % 2000))
LOG=$(mktemp -d)
HOST=127.0.0.1 WS_PORT=$WS API_PORT=$API API_HOST=127.0.0.1 MAX_CONNECTIONS_PER_IP=0 MAX_SESSIONS_PER_IP=0 \
  HANDSHAKE_RATE_PER_IP=0 MAX_TCP_CONNECTIONS_PER_IP=0 \
  java -Xms64m -Xmx512m -XX:+UseG1GC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:G1PeriodicGCInterval=30000 \
  -jar "$JAR" >"$LOG/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true; [ -n "${LG:-}" ] && kill $LG 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$API/health" >/dev/null && break; sleep 0.5; done
live() { jcmd "$PID" GC.class_histogram | tail -1 | awk '{print $3}'; }
before=$(live)
java -jar "$HARNESS" loadgen threads=2 srcNet=127.21.$((RANDOM % 200)) srcCount=4 maxRunMs=120000 mode=idle \
  wsPort=$WS apiPort=$API serverPid=$PID n=$N settleMs=3000 holdMs=25000 conc=200 connectTimeoutMs=60000 \
  >"$LOG/loadgen.log" 2>&1 &
LG=$!
connected() { curl -sf "http://127.0.0.1:$API/health" | grep -o '"mcp":[0-9]*' | cut -d: -f2; }
for _ in $(seq 1 60); do [ "$(connected || echo 0)" -ge "$N" ] && break; sleep 1; done
echo "$LABEL: $(connected) sockets on /mcp"
after=$(live)
wait $LG || true
echo "$LABEL: live heap ${before} -> ${after} bytes with $N idle connections: $(( (after - before) / N )) B per connection"
