#!/bin/bash
cd "$(dirname "$0")/../../.."
export PROBE_DIR=${PROBE_DIR:?a mktemp -d dir with pct.lua} JAR=${JAR:?the switchboard jar}
P=bench/results/2026-12-07-selectors-probe.sh
G1="-Xms64m -Xmx512m -XX:+UseG1GC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:G1PeriodicGCInterval=30000 -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError"
PAR="-Xms64m -Xmx512m -XX:+UseParallelGC -XX:+ExitOnOutOfMemoryError"
SER="-Xms64m -Xmx512m -XX:+UseSerialGC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:+ExitOnOutOfMemoryError"
for r in 1 2 3; do
 BASEOPTS="$G1" KIND=sb bash $P g1-$r /mcp
 BASEOPTS="$PAR" KIND=sb bash $P par-$r /mcp
 BASEOPTS="$SER" KIND=sb bash $P ser-$r /mcp
 KIND=node bash $P node-$r /mcp
done
