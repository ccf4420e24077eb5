#!/usr/bin/env bash
# alloc.sh KIND(sb-api|sb-pub|floor) : bytes allocated per request by the server's I/O threads
set -euo pipefail
KIND=$1; WARM="${WARM:-15}"; MEASURE="${MEASURE:-10}"; work="$(mktemp -d)"
trap 'kill "${pid:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
cat > "$work/emit.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"namespace":"/mcp","room":"bench","event":"bench","data":{"t":0,"p":"$(printf 'x%.0s' $(seq 64))"}}'
LUA
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
alloc() { jcmd "$1" Thread.print -e | awk -v pat="$2" '$0 ~ pat && match($0, /allocated=[0-9]+[BKMG]/) {
      n = substr($0, RSTART + 10, RLENGTH - 11); unit = substr($0, RSTART + RLENGTH - 1, 1)
      sum += n * (unit == "G" ? 1073741824 : unit == "M" ? 1048576 : unit == "K" ? 1024 : 1)
    } END { printf "%.0f\n", sum }'; }
ws="$(free_port)"; api="$(free_port)"
case $KIND in
  sb-api|sb-pub) WS_PORT="$ws" API_PORT="$api" HOST=127.0.0.1 API_HOST=127.0.0.1 MAX_CONNECTIONS_PER_IP=0 MAX_SESSIONS_PER_IP=0 \
    HANDSHAKE_RATE_PER_IP=0 MAX_TCP_CONNECTIONS_PER_IP=0 java ${OPTS:-} -jar "${JAR:-/work/wt/m341.jar}" > "$work/server.log" 2>&1 & ;;
  floor) WS_PORT="$ws" API_PORT="$api" java ${OPTS:-} -jar /work/main/bench/harness/target/bench-harness.jar floor > "$work/server.log" 2>&1 & ;;
esac
pid=$!
port=$api; [ $KIND = sb-pub ] && port=$ws
for _ in $(seq 300); do curl -fs -XPOST -H 'Content-Type: application/json' -d '{"namespace":"/mcp","event":"x","data":1}' "http://127.0.0.1:$port/emit" > /dev/null && break; sleep 0.2; done
wrk -t1 -c32 -d"${WARM}s" -s "$work/emit.lua" "http://127.0.0.1:$port/emit" > /dev/null
before="$(alloc "$pid" '^"')"
wrk -t1 -c32 -d"${MEASURE}s" --latency -s "$work/emit.lua" "http://127.0.0.1:$port/emit" > "$work/wrk.txt"
after="$(alloc "$pid" '^"')"
requests="$(awk '/requests in/ { print $1 }' "$work/wrk.txt")"
echo "kind=$KIND requests=$requests bytes_per_request(all threads)=$(( (after - before) / requests )) $(awk '/Requests\/sec/ { print "req_per_s=" $2 } / 99%/ { print "p99=" $2 }' "$work/wrk.txt" | tr '\n' ' ')"
jcmd "$pid" Thread.print -e | grep -o '^"[^"]*".*allocated=[0-9]*[BKMG]' | sed -E 's/^("[^"]*").*(allocated=[0-9]+[BKMG])/\1 \2/' | sort -t= -k2 | tail -8
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
