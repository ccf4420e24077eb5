# run10.sh: the alternating runs of README.md here (jetty, switchboard, floor, node; 3 repetitions). cpu/request = the
# server process's utime+stime over the measured window / requests in it.
P=${PROBE_SH:?path of bench/results/2026-12-07-selectors-probe.sh}
: "${PROBE_DIR:?mktemp -d dir with pct.lua and cpu.sh}" "${JAR:?switchboard.jar}" "${JF_DIR:?dir of JettyFloor.class}"
export PROBE_DIR JAR JF_DIR
one() { L=$1; shift; flock -x /work/wt/machine.lock env "$@" ONSTART='C0=$(bash $PROBE_DIR/cpu.sh $PID)' ONEND='C1=$(bash $PROBE_DIR/cpu.sh $PID); echo "CPU_TICKS $((C1-C0))" > $PROBE_DIR/'$L'.cpu' bash $P $L /mcp; 
  rq=$(grep Requests/sec $PROBE_DIR/$L.wrk.txt | awk '{print $2}'); t=$(awk '{print $2}' $PROBE_DIR/$L.cpu); python3 -c "print('  cpu/request %.1f us' % ($t*10000/($rq*10)))"; }
for r in 1 2 3; do
  one h-jetty-$r KIND=jetty
  one h-s2-$r JAR=$JAR
  one h-floor-$r KIND=floor
  one h-node-$r KIND=node
done
