#!/usr/bin/env bash
# POST /emit from a cold start, one command (bench/emit-cold.mjs says what is measured):
#   bench/emit-cold.sh                       # Switchboard, Node, floor; 3 repetitions x 30 s; ~6 minutes
#   bench/emit-cold.sh --reps 1 --seconds 20 --targets switchboard,node
#   SB_VARIANTS='cds=-XX:SharedArchiveFile=... -Xms64m ...' bench/emit-cold.sh   # JVM variants in the same run
# Needs a built Switchboard (server/app/target/switchboard.jar or SB_JAR=...). Writes bench/results/<date>-emit-cold*.
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$BENCH/setup.sh"
node "$BENCH/emit-cold.mjs" "$@" &
ORCH=$!
trap 'kill -TERM "$ORCH" 2>/dev/null || true' INT TERM EXIT
wait "$ORCH"
latest="$(ls -t "$BENCH"/results/*-emit-cold*.md 2>/dev/null | head -1)"
[ -n "$latest" ] && cat "$latest"
