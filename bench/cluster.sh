#!/usr/bin/env bash
# Scale-out benchmark, one command: N Switchboard nodes on one Redis against N Node socket.io processes on
# @socket.io/redis-adapter (bench/cluster.mjs says what is measured).
#   bench/cluster.sh                                  # 6 nodes x 16,667 connections (100,000), ~15 minutes
#   NODES=2 CONNECTIONS=2000 bench/cluster.sh --tag small
#   REDIS_ADAPTER=sharded bench/cluster.sh            # hook for the sharded adapter mode (both kinds of node)
# Flags: --nodes --connections --targets switchboard,node --rates 0.25,0.5,1,2,4 --singles 3 --tag NAME
# Needs a built Switchboard (server/app/target/switchboard.jar or SB_JAR=...), redis-server, Java 17, Node 18+.
# Writes bench/results/<date>-cluster[-tag].{md,json}; every spawned process is killed at the end.
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$BENCH/setup.sh"
command -v redis-server >/dev/null || "$(dirname "$BENCH")/scripts/setup-redis.sh"
need=$((19000 + 200))
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$need" ]; then
  ulimit -n "$need" 2>/dev/null || { echo "[bench/cluster] ulimit -n is $(ulimit -n): each process needs $need open files" >&2; exit 2; }
fi
node "$BENCH/cluster.mjs" "$@" &
ORCH=$!
trap 'kill -TERM "$ORCH" 2>/dev/null || true' INT TERM EXIT
wait "$ORCH"
latest="$(ls -t "$BENCH"/results/*-cluster*.md 2>/dev/null | head -1)"
[ -n "$latest" ] && cat "$latest"
