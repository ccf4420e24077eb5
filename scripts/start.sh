#!/usr/bin/env bash
# Builds the fat jar and starts Switchboard in the foreground with its embedded defaults
# (public port 3007, HTTP API 127.0.0.1:3008). Arguments go to the server; JAVA_OPTS to the JVM.
#   HOST=0.0.0.0      bind the public port on every interface (default here: 127.0.0.1, a local development
#                     server where all five namespaces answer without auth; the jar's own default is 0.0.0.0)
#   SB_SKIP_BUILD=1   start the existing jar without rebuilding
#   SB_JAR=path       the jar to start (default server/app/target/switchboard.jar; with SB_SKIP_BUILD=1)
set -euo pipefail
. "$(dirname "$0")/lib.sh"
cd "$SB_ROOT"

need_cmd java "install a JDK 17+"
jar="${SB_JAR:-$SB_ROOT/server/app/target/switchboard.jar}"
if [ "${SB_SKIP_BUILD:-0}" != "1" ] || [ ! -f "$jar" ]; then
  log "building ($jar)"
  ./mvnw -B -q -DskipTests package
fi
[ -f "$jar" ] || die "$jar was not built"
# the JVM options shipped in ecosystem/ (docs/benchmarks.md: heap free ratios keep idle RSS near live data)
JAVA_OPTS=${JAVA_OPTS:--Xms64m -Xmx512m -XX:+UseG1GC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:G1PeriodicGCInterval=30000 -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError}
if [ -z "${HOST:-}" ]; then
  export HOST=127.0.0.1
  log "HOST=127.0.0.1 (loopback: every namespace open to local clients; set HOST=0.0.0.0 to expose it, then configure AUTH_TOKENS or a JWT key)"
else
  log "HOST=$HOST (from the environment)"
fi
log "starting switchboard: java $JAVA_OPTS -jar $jar $*"
# shellcheck disable=SC2086
exec java $JAVA_OPTS -jar "$jar" "$@"
