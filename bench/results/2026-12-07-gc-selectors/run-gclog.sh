#!/bin/bash
cd "$(dirname "$0")/../../.."
export PROBE_DIR=${PROBE_DIR:?a mktemp -d dir with pct.lua} JAR=${JAR:?the switchboard jar} ENVX=API_SELECTORS=1
P=bench/results/2026-12-07-selectors-probe.sh
G1="-Xms64m -Xmx512m -XX:+UseG1GC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:G1PeriodicGCInterval=30000 -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError"
PAR="-Xms64m -Xmx512m -XX:+UseParallelGC -XX:+ExitOnOutOfMemoryError"
RSS='grep VmRSS /proc/$PID/status > $D/$L.rss'
for r in 1 2; do
 ONEND="$RSS" BASEOPTS="$G1" KIND=sb bash $P t-g1-$r /mcp "-Xlog:gc:file=${PROBE_DIR}/t-g1-$r.gc"
 ONEND="$RSS" BASEOPTS="$G1" KIND=sb bash $P t-g1p1-$r /mcp "-XX:ParallelGCThreads=1 -Xlog:gc:file=${PROBE_DIR}/t-g1p1-$r.gc"
 ONEND="$RSS" BASEOPTS="$G1" KIND=sb bash $P t-g1p1r-$r /mcp "-XX:ParallelGCThreads=1 -XX:G1ConcRefinementThreads=0 -Xlog:gc:file=${PROBE_DIR}/t-g1p1r-$r.gc"
 ONEND="$RSS" BASEOPTS="$PAR" KIND=sb bash $P t-par-$r /mcp "-Xlog:gc:file=${PROBE_DIR}/t-par-$r.gc"
 ONEND="$RSS" KIND=node bash $P t-node-$r /mcp
done
