#!/bin/bash
# probe.sh LABEL NS [EXTRA_JAVA_OPTS]: start a target (KIND=sb|floor|node|jetty), WARM s (20) of wrk -t1 -c32 POST /emit,
# CHURN s (5) more on new connections, then MEAS s (10) measured with --latency and finer percentiles (pct.lua).
# KIND=jetty: bare Jetty 12 (JettyFloor.java beside this file: `javac -cp $JAR -d $JF_DIR JettyFloor.java`), the
# Jetty classes taken from the Switchboard jar ($JAR), API_SELECTORS selectors (2), a non-blocking handler that reads
# the body and answers a fixed JSON: the HTTP server under Switchboard's API port, doing no work.
# Before a run: cp bench/results/2026-12-07-selectors-pct.lua "$PROBE_DIR/pct.lua". Run each under flock -x /work/wt/machine.lock.
set -u
D=${PROBE_DIR:?mktemp -d dir}; L=$1; NS=$2; EXTRA=${3:-}
WS=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
API=$WS; while [ $API = $WS ]; do API=$(python3 -c "import socket;s=socket.socket();s.bind((\"127.0.0.1\",0));print(s.getsockname()[1])"); done
body='{"namespace":"'$NS'","room":"bench","event":"bench","data":{"t":0,"p":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"}}'
printf 'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = %s\n' "'$body'" > $D/$L.lua; [ -n "${HDR:-}" ] && echo "$HDR" >> $D/$L.lua; cat $D/pct.lua >> $D/$L.lua
OPTS="${BASEOPTS:--Xms64m -Xmx512m -XX:+UseG1GC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:G1PeriodicGCInterval=30000 -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError} $EXTRA"
export WS_PORT=$WS API_PORT=$API HOST=127.0.0.1
SP=""; [ -n "${PIN_SERVER:-}" ] && SP="taskset -c $PIN_SERVER"
WP=""; [ -n "${PIN_WRK:-}" ] && WP="taskset -c $PIN_WRK"
case ${KIND:-sb} in
 sb) API_HOST=127.0.0.1 MAX_CONNECTIONS_PER_IP=0 MAX_SESSIONS_PER_IP=0 HANDSHAKE_RATE_PER_IP=0 MAX_TCP_CONNECTIONS_PER_IP=0 env ${ENVX:-} $SP java $OPTS -jar ${JAR:-/path/to/switchboard.jar} > $D/$L.server.log 2>&1 & ;;
 floor) $SP java $OPTS -jar /work/main/bench/harness/target/bench-harness.jar floor > $D/$L.server.log 2>&1 & ;;
jetty) env ${ENVX:-} $SP java $OPTS -cp ${JAR}:${JF_DIR:?dir of the compiled JettyFloor.class} JettyFloor > $D/$L.server.log 2>&1 & ;;
 node) $SP node /work/main/bench/node/server.mjs > $D/$L.server.log 2>&1 & ;;
esac
PID=$!
TP=$API; [ "${USE_WS:-}" = 1 ] && TP=$WS
for i in $(seq 150); do curl -sf http://127.0.0.1:$API/health >/dev/null && break; sleep 0.2; done
curl -s -XPOST -H 'Content-Type: application/json' --data "$body" http://127.0.0.1:$TP/emit; echo
$WP wrk -t1 -c32 -d${WARM:-20}s -s $D/$L.lua http://127.0.0.1:$TP/emit > $D/$L.warm.txt
$WP wrk -t1 -c32 -d${CHURN:-5}s -s $D/$L.lua http://127.0.0.1:$TP/emit > $D/$L.recon.txt
[ -n "${ONSTART:-}" ] && eval "$ONSTART"
TIMEFORMAT="wrk real %R user %U sys %S"; time $WP wrk -t1 -c32 -d${MEAS:-10}s --latency -s $D/$L.lua http://127.0.0.1:$TP/emit > $D/$L.wrk.txt
[ -n "${ONEND:-}" ] && eval "$ONEND"
kill $PID; wait $PID 2>/dev/null
echo "== $L ns=$NS $(date -u +%T) load: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -E "Requests/sec|PCT|Non-2xx" $D/$L.wrk.txt | tr -s ' ' | tr '\n' ' '; echo
