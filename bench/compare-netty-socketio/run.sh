#!/usr/bin/env bash
# Same client scenarios (stock socket.io-client 4.8) against netty-socketio 2.0.14 and against Switchboard,
# printed side by side. Loopback only; bounded (connect count capped at 2000, each scenario time-boxed).
#
#   bench/compare-netty-socketio/run.sh [--connects N] [--concurrency C]
#                                       [--switchboard-url URL | --no-switchboard] [--nsio-url URL] [--no-node]
# A third column, the Node socket.io 4.8 server with the same endpoints, is the control (skip: --no-node).
# Switchboard: started from server/app/target/switchboard.jar (SwitchboardScenarioServer.java on its class
# path) when the jar exists, or from --switchboard-cp CLASSPATH (engine classes + dependencies), or reached at
# --switchboard-url (a server offering the same scenario endpoints).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
OUT="$HERE/target/results"
CONNECTS=200 CONCURRENCY=10 SB_URL="" SB_CP="" NSIO_URL="" NO_SB=0 NO_NODE=0

while [ $# -gt 0 ]; do
  case "$1" in
    --connects) CONNECTS="$2"; shift 2 ;;
    --concurrency) CONCURRENCY="$2"; shift 2 ;;
    --switchboard-url) SB_URL="$2"; shift 2 ;;
    --switchboard-cp) SB_CP="$2"; shift 2 ;;
    --nsio-url) NSIO_URL="$2"; shift 2 ;;
    --no-switchboard) NO_SB=1; shift ;;
    --no-node) NO_NODE=1; shift ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

log() { printf '[%s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

# start_server LOGFILE CMD... : starts a scenario server, waits for its {"type":"listening"} line, echoes "pid port"
start_server() {
  local logfile="$1"; shift
  "$@" >"$logfile" 2>&1 &
  local pid=$!
  local deadline=$((SECONDS + 90))
  while ! grep -q '"type":"listening"' "$logfile"; do
    if ! kill -0 "$pid" 2>/dev/null; then log "server exited:"; cat "$logfile" >&2; return 1; fi
    if [ $SECONDS -ge $deadline ]; then
      log "server did not listen within 90 s:"; cat "$logfile" >&2; kill "$pid" 2>/dev/null || true; return 1
    fi
    sleep 0.2
  done
  echo "$pid $(grep -m1 '"type":"listening"' "$logfile" | sed 's/.*"port":\([0-9]*\).*/\1/')"
}

"$ROOT/scripts/setup-node.sh"
mkdir -p "$OUT"
results=()

# ---- netty-socketio 2.0.14
if [ -n "$NSIO_URL" ]; then
  node "$HERE/compare.mjs" --url "$NSIO_URL" --label "netty-socketio" --connects "$CONNECTS" \
    --concurrency "$CONCURRENCY" --out "$OUT/netty-socketio.json" >/dev/null
else
  jar="$HERE/target/nsio-scenario-server.jar"
  if [ ! -f "$jar" ] || [ -n "$(find "$HERE/src" "$HERE/pom.xml" -newer "$jar" -print -quit)" ]; then
    log "building the netty-socketio scenario server"
    (cd "$HERE" && "$ROOT/mvnw" -B -q -f "$HERE/pom.xml" package)
  fi
  pid=""
  read -r pid port < <(start_server "$OUT/netty-socketio.log" java -jar "$jar" "$(free_port)")
  [ -n "${pid:-}" ] || { log "netty-socketio scenario server did not start"; exit 1; }
  PIDS+=("$pid")
  log "netty-socketio 2.0.14 listening on 127.0.0.1:$port (pid $pid)"
  node "$HERE/compare.mjs" --url "http://127.0.0.1:$port" --label "netty-socketio 2.0.14" --server-pid "$pid" \
    --connects "$CONNECTS" --concurrency "$CONCURRENCY" --out "$OUT/netty-socketio.json" >/dev/null
  kill "$pid" 2>/dev/null || true
fi
results+=("$OUT/netty-socketio.json")

# ---- control: the Node socket.io 4.8 server (validates the method: it should pass every scenario)
if [ "$NO_NODE" = 0 ]; then
  pid=""
  read -r pid port < <(start_server "$OUT/node-socketio.log" node "$HERE/node-scenario-server.mjs" "$(free_port)")
  [ -n "${pid:-}" ] || { log "Node socket.io scenario server did not start"; exit 1; }
  PIDS+=("$pid")
  log "Node socket.io listening on 127.0.0.1:$port (pid $pid)"
  node "$HERE/compare.mjs" --url "http://127.0.0.1:$port" --label "node socket.io 4.8" --server-pid "$pid" \
    --connects "$CONNECTS" --concurrency "$CONCURRENCY" --out "$OUT/node-socketio.json" >/dev/null
  kill "$pid" 2>/dev/null || true
  results+=("$OUT/node-socketio.json")
fi

# ---- Switchboard
if [ "$NO_SB" = 1 ]; then
  log "Switchboard skipped (--no-switchboard)"
elif [ -n "$SB_URL" ]; then
  node "$HERE/compare.mjs" --url "$SB_URL" --label "switchboard" --connects "$CONNECTS" \
    --concurrency "$CONCURRENCY" --out "$OUT/switchboard.json" >/dev/null
  results+=("$OUT/switchboard.json")
elif [ -n "$SB_CP" ] || [ -f "$ROOT/server/app/target/switchboard.jar" ]; then
  cp="${SB_CP:-$ROOT/server/app/target/switchboard.jar}"
  pid=""
  read -r pid port < <(start_server "$OUT/switchboard.log" java -cp "$cp" \
    "$HERE/switchboard/SwitchboardScenarioServer.java" 0) || true
  if [ -z "${pid:-}" ]; then
    log "Switchboard scenario server did not start (is the jar current? see $OUT/switchboard.log): column skipped"
  else
    PIDS+=("$pid")
    log "Switchboard scenario server listening on 127.0.0.1:$port (pid $pid)"
    node "$HERE/compare.mjs" --url "http://127.0.0.1:$port" --label "switchboard" --server-pid "$pid" \
      --connects "$CONNECTS" --concurrency "$CONCURRENCY" --out "$OUT/switchboard.json" >/dev/null
    kill "$pid" 2>/dev/null || true
    results+=("$OUT/switchboard.json")
  fi
else
  log "no server/app/target/switchboard.jar and no --switchboard-url: Switchboard column skipped"
fi

echo
node "$HERE/compare.mjs" --table "${results[@]}"
echo
echo "raw results: ${results[*]}"
