#!/usr/bin/env bash
# One command for every benchmark: bench/run.sh [--quick] [--reps N] [--only idle,fanout,emit,jmh]
#                                               [--targets switchboard,node,floor]
# Needs a built Switchboard: server/app/target/switchboard.jar, else the newest server/app/target-*/switchboard.jar
# (or SB_JAR=...). SB_JAVA_OPTS go to Switchboard's JVM.
# Writes bench/results/<date>[-quick].json and .md; server logs in bench/results/logs/<date>[-quick]/.
# --quick finishes in about 3 minutes; the full run in about 27. Every spawned process is killed at the end.
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$BENCH/setup.sh"
node "$BENCH/orchestrate.mjs" "$@" &
ORCH=$!
cleanup() {
  kill -TERM "$ORCH" 2>/dev/null || true
}
trap cleanup INT TERM EXIT
wait "$ORCH"
latest="$(ls -t "$BENCH"/results/*.md 2>/dev/null | head -1)"
[ -n "$latest" ] && cat "$latest"
