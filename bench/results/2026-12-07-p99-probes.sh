#!/bin/bash
# p99-probes.sh KIND(sb|floor|node) LABEL CONNS WARM_S  -- warm WARM_S s of wrk -t1 -cCONNS, then 10 s measured --latency.
# JVMs log jit+compilation=debug to a file; compiles in the measured window = lines added between the two snapshots,
# compiler-thread CPU from /proc/<tid>/schedstat deltas.
# Usage: [RECONNECT_S=5] PROBE_DIR=$(mktemp -d) JAR=... HARNESS=... NODE_SERVER=... flock -x /work/wt/machine.lock bench/results/2026-12-07-p99-probes.sh sb sb-c32 32 60
set -u
D=${PROBE_DIR:?mktemp -d dir}; K=$1; L=$2; C=$3; W=$4
WS=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
API=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
body='{"namespace":"/mcp","room":"bench","event":"bench","data":{"t":0,"p":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}}'
printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = %s\n' "'$body'" > $D/emit.lua
OPTS="-Xms64m -Xmx512m -XX:+UseG1GC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:G1PeriodicGCInterval=30000 -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError -Xlog:jit+compilation=debug:file=$D/$L.jit:uptime"
export WS_PORT=$WS API_PORT=$API HOST=127.0.0.1
case $K in
 sb) API_HOST=127.0.0.1 MAX_CONNECTIONS_PER_IP=0 MAX_SESSIONS_PER_IP=0 HANDSHAKE_RATE_PER_IP=0 MAX_TCP_CONNECTIONS_PER_IP=0 java $OPTS -jar $JAR > $D/$L.server.log 2>&1 & ;;
 floor) java $OPTS -jar $HARNESS floor > $D/$L.server.log 2>&1 & ;;
 node) node $NODE_SERVER > $D/$L.server.log 2>&1 & ;;
esac
PID=$!
for i in $(seq 150); do curl -sf http://127.0.0.1:$API/health >/dev/null && break; sleep 0.2; done
wrk -t1 -c$C -d${W}s -s $D/emit.lua http://127.0.0.1:$API/emit > $D/$L.warm.txt
# RECONNECT_S>0: a second, short wrk run (new connections, old ones closed) before the measured one, so the deopt
# and recompilation that the first reconnect triggers happen before the window, not in it
[ "${RECONNECT_S:-0}" -gt 0 ] && wrk -t1 -c$C -d${RECONNECT_S}s -s $D/emit.lua http://127.0.0.1:$API/emit > $D/$L.recon.txt
snap() { for t in /proc/$PID/task/*; do echo "$(basename $t) $(cat $t/comm | tr ' ' _) $(cat $t/schedstat)"; done; }
snap > $D/$L.s0; J0=$(cat $D/$L.jit 2>/dev/null | wc -l)
wrk -t1 -c$C -d10s --latency -s $D/emit.lua http://127.0.0.1:$API/emit > $D/$L.wrk.txt
snap > $D/$L.s1; J1=$(cat $D/$L.jit 2>/dev/null | wc -l)
kill $PID; wait $PID 2>/dev/null
echo "== $L ($K, -c$C, warm ${W}s, reconnect ${RECONNECT_S:-0}s) $(date -u +%T) load: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ $K != node ]; then
  T4=$(tail -n +$((J0+1)) $D/$L.jit | head -$((J1-J0)) | awk '$3==4 || $4==4' | wc -l)
  echo "jit log lines in window: $((J1-J0)) (tier-4 lines ~$T4)"
fi
python3 - $D/$L.s0 $D/$L.s1 <<'PY'
import sys
a={l.split()[0]:l.split() for l in open(sys.argv[1])}
rows=[]
for l in open(sys.argv[2]):
    f=l.split()
    if f[0] in a: rows.append((f[1],(int(f[2])-int(a[f[0]][2]))/1e6))
c2=sum(r[1] for r in rows if r[0].startswith('C2'))
c1=sum(r[1] for r in rows if r[0].startswith('C1'))
tot=sum(r[1] for r in rows)
print("cpu_ms total %.0f  C2 %.0f  C1 %.0f" % (tot,c2,c1))
PY
grep -E "Requests/sec|50%|90%|99%|Latency " $D/$L.wrk.txt
