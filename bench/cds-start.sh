#!/usr/bin/env bash
# Start time with and without an AppCDS archive (JDK 17 dynamic archive), same jar, alternated:
#   bench/cds-start.sh [reps=3]
# 1. training run: the jar with -XX:ArchiveClassesAtExit, 5 s of POST /emit (wrk), SIGTERM -> archive at exit;
# 2. reps x (shipped options | + -XX:SharedArchiveFile): ms from process start to the first /health answer, RSS then.
# Needs server/app/target/switchboard.jar (or SB_JAR) and wrk. Loopback only; every server is stopped.
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPS="${1:-3}"
D="$(mktemp -d)"
PID=""
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$D"' EXIT
cp "${SB_JAR:-$BENCH/../server/app/target/switchboard.jar}" "$D/sb.jar"   # CDS checks the jar's path and mtime
OPTS="-Xms64m -Xmx512m -XX:+UseG1GC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:G1PeriodicGCInterval=30000 -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError"
port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
start() { # $1 = extra JVM options; sets PID, API
  API=$(port); local ws; ws=$(port)
  WS_PORT=$ws API_PORT=$API HOST=127.0.0.1 API_HOST=127.0.0.1 java $OPTS $1 -jar "$D/sb.jar" >>"$D/server.log" 2>&1 &
  PID=$!
  for _ in $(seq 1 3000); do curl -sf "http://127.0.0.1:$API/health" >/dev/null && return 0; sleep 0.02; done
  echo "no /health within 60 s" >&2; return 1
}
stop() { kill "$PID"; wait "$PID" 2>/dev/null || true; PID=""; }

start "-XX:ArchiveClassesAtExit=$D/sb.jsa"
printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = %s\n' \
  "'{\"namespace\":\"/mcp\",\"room\":\"bench\",\"event\":\"bench\",\"data\":{\"t\":0}}'" > "$D/emit.lua"
wrk -t1 -c8 -d5s -s "$D/emit.lua" "http://127.0.0.1:$API/emit" >/dev/null
stop
echo "archive: $(du -h "$D/sb.jsa" | cut -f1)"
for rep in $(seq 1 "$REPS"); do
  for v in shipped cds; do
    extra=""; [ "$v" = cds ] && extra="-XX:SharedArchiveFile=$D/sb.jsa"
    t0=$(date +%s%N); start "$extra"; t1=$(date +%s%N)
    echo "$v rep=$rep start_ms=$(( (t1 - t0) / 1000000 )) rss_kb=$(awk '/VmRSS/{print $2}' /proc/$PID/status) load1=$(cut -d' ' -f1 /proc/loadavg)"
    stop
  done
done
