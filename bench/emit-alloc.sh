#!/usr/bin/env bash
# Bytes allocated per warm POST /emit by the API port's threads (the selector answers a single emit): the bench's
# request (wrk -t1 -c32, 0 subscribers, /mcp room "bench"), read as the "allocated=" of `jcmd Thread.print -e`
# for every api-* thread before and after a wrk window, divided by the requests wrk made in it.
#   bench/emit-alloc.sh JAR [JAR...]     # each jar: fresh JVM, WARM s of wrk, then MEASURE s measured
# Env: WARM (15), MEASURE (10), SB_JAVA_OPTS. Prints one line per jar. Run under the exclusive machine lock.
set -euo pipefail
WARM="${WARM:-15}"
MEASURE="${MEASURE:-10}"
work="$(mktemp -d)"
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
cat > "$work/emit.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"namespace":"/mcp","room":"bench","event":"bench","data":{"t":0,"p":"$(printf 'x%.0s' $(seq 64))"}}'
LUA
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
api_allocated() { # sum of allocated= over the api-* threads
  jcmd "$1" Thread.print -e | awk '/^"api-/ && match($0, /allocated=[0-9]+[BKMG]/) {
      n = substr($0, RSTART + 10, RLENGTH - 11); unit = substr($0, RSTART + RLENGTH - 1, 1)
      sum += n * (unit == "G" ? 1073741824 : unit == "M" ? 1048576 : unit == "K" ? 1024 : 1)
    } END { printf "%.0f\n", sum }'
}
for jar in "$@"; do
  ws="$(free_port)"; api="$(free_port)"
  WS_PORT="$ws" API_PORT="$api" HOST=127.0.0.1 API_HOST=127.0.0.1 MAX_CONNECTIONS_PER_IP=0 MAX_SESSIONS_PER_IP=0 \
    HANDSHAKE_RATE_PER_IP=0 MAX_TCP_CONNECTIONS_PER_IP=0 java ${SB_JAVA_OPTS:-} -jar "$jar" > "$work/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 300); do curl -fs "http://127.0.0.1:$api/health" > /dev/null && break; sleep 0.2; done
  wrk -t1 -c32 -d"${WARM}s" -s "$work/emit.lua" "http://127.0.0.1:$api/emit" > /dev/null
  before="$(api_allocated "$pid")"
  wrk -t1 -c32 -d"${MEASURE}s" --latency -s "$work/emit.lua" "http://127.0.0.1:$api/emit" > "$work/wrk.txt"
  after="$(api_allocated "$pid")"
  requests="$(awk '/requests in/ { print $1 }' "$work/wrk.txt")"
  non2xx="$(awk '/Non-2xx/ { print $NF }' "$work/wrk.txt")"
  echo "jar=$jar requests=$requests non2xx=${non2xx:-0} api_allocated_bytes=$((after - before)) bytes_per_request=$(( (after - before) / requests )) $(awk '/Requests\/sec/ { print "req_per_s=" $2 } / 99%/ { print "p99=" $2 }' "$work/wrk.txt" | tr '\n' ' ')"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
done
