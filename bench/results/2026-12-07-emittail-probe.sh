#!/bin/bash
# probe.sh JAR LABEL [extra java opts...]  -- warm 15 s, then 10 s measured with GC log, schedstat deltas
# Usage: PROBE_DIR=$(mktemp -d) [SRVPIN="taskset -c 0" WRKPIN="taskset -c 1"] [JFR=1] flock -x /work/wt/machine.lock bench/results/2026-12-07-emittail-probe.sh JAR LABEL [java options]
# Prints per-thread CPU, run-queue wait (/proc/<tid>/schedstat), time slices and involuntary switches over the
# measured 10 s, then wrk's latency distribution.
set -u
D=${PROBE_DIR:?mktemp -d dir}; JAR=$1; L=$2; shift 2
cd "$(dirname "$0")/../.."
WS=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
API=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
body='{"namespace":"/mcp","room":"bench","event":"bench","data":{"t":0,"p":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}}'
printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = %s\n' "'$body'" > $D/emit.lua
WS_PORT=$WS API_PORT=$API HOST=127.0.0.1 API_HOST=127.0.0.1 MAX_CONNECTIONS_PER_IP=0 MAX_SESSIONS_PER_IP=0 HANDSHAKE_RATE_PER_IP=0 MAX_TCP_CONNECTIONS_PER_IP=0 \
 ${SRVPIN:-} java -Xms64m -Xmx512m -XX:+UseG1GC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:G1PeriodicGCInterval=30000 -XX:+ExitOnOutOfMemoryError "$@" -jar $JAR > $D/$L.server.log 2>&1 &
PID=$!
for i in $(seq 100); do curl -sf http://127.0.0.1:$API/health >/dev/null && break; sleep 0.2; done
wrk -t1 -c32 -d15s -s $D/emit.lua http://127.0.0.1:$API/emit > $D/$L.warm.txt
[ -n "${JFR:-}" ] && jcmd $PID JFR.start name=p settings=profile filename=$D/$L.jfr >/dev/null 2>&1 || true
snap() { for t in /proc/$PID/task/*; do echo "$(basename $t) $(cat $t/comm | tr ' ' _) $(cat $t/schedstat) $(grep nonvoluntary $t/status | awk '{print $2}')"; done; }
snap > $D/$L.s0
date -u +%T.%N > $D/$L.t0
${WRKPIN:-} wrk -t1 -c32 -d10s --latency -s $D/emit.lua http://127.0.0.1:$API/emit > $D/$L.wrk.txt &
WPID=$!; sleep 0.5; WT=$(pgrep -P $WPID | head -1); WT=${WT:-$WPID}
cat /proc/$WPID/schedstat > $D/$L.wrk0 2>/dev/null; for t in /proc/$WPID/task/*; do echo "$(basename $t) $(cat $t/comm) $(cat $t/schedstat)"; done > $D/$L.wrkt0
sleep 9
for t in /proc/$WPID/task/*; do echo "$(basename $t) $(cat $t/comm) $(cat $t/schedstat)"; done > $D/$L.wrkt1
wait $WPID
snap > $D/$L.s1
[ -n "${JFR:-}" ] && jcmd $PID JFR.stop name=p >/dev/null 2>&1 || true
kill $PID; wait $PID 2>/dev/null
python3 - $D/$L.s0 $D/$L.s1 <<'PY'
import sys
a={l.split()[0]:l.split() for l in open(sys.argv[1])}
rows=[]
for l in open(sys.argv[2]):
    f=l.split()
    if f[0] in a:
        o=a[f[0]]; rows.append((f[1], (int(f[2])-int(o[2]))/1e6, (int(f[3])-int(o[3]))/1e6, int(f[4])-int(o[4]), int(f[5])-int(o[5])))
rows.sort(key=lambda r:-r[1])
print("thread cpu_ms runqueue_wait_ms timeslices nonvol_cs")
for r in rows[:12]: print("%s %.0f %.0f %d %d"%r)
PY
grep -E "Requests/sec|50%|90%|99%|Latency" $D/$L.wrk.txt
