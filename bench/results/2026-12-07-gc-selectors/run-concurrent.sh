#!/bin/bash
cd "$(dirname "$0")/../../.."
export PROBE_DIR=${PROBE_DIR:?a mktemp -d dir with pct.lua} JAR=${JAR:?the switchboard jar} ENVX=API_SELECTORS=1
P=bench/results/2026-12-07-selectors-probe.sh
RSS='grep VmRSS /proc/$PID/status > $D/$L.rss'
SHEN="-Xms64m -Xmx512m -XX:+UseShenandoahGC -XX:+ExitOnOutOfMemoryError"
ZGC="-Xms64m -Xmx512m -XX:+UseZGC -XX:+ExitOnOutOfMemoryError"
PAR="-Xms64m -Xmx512m -XX:+UseParallelGC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:+ExitOnOutOfMemoryError"
for r in 1 2; do
 ONEND="$RSS" BASEOPTS="$SHEN" KIND=sb bash $P u-shen-$r /mcp "-Xlog:gc:file=$PROBE_DIR/u-shen-$r.gc"
 ONEND="$RSS" BASEOPTS="$ZGC" KIND=sb bash $P u-zgc-$r /mcp "-Xlog:gc:file=$PROBE_DIR/u-zgc-$r.gc"
 ONEND="$RSS" BASEOPTS="$PAR" KIND=sb bash $P u-par-$r /mcp
 ONEND="$RSS" KIND=node bash $P u-node-$r /mcp
done
