#!/usr/bin/env bash
# Installs and builds what bench/run.sh needs (idempotent): wrk (Debian), the Node peer's npm packages
# (bench/node, from its lockfile), the harness jar (load generator + Netty floor) and, when the engine is in
# ~/.m2, the JMH jar. Does not build Switchboard itself (server/app/target/switchboard.jar).
set -euo pipefail
BENCH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(dirname "$BENCH")"
log() { echo "[bench/setup] $*" >&2; }

if ! command -v wrk >/dev/null 2>&1; then
  log "installing wrk"
  if ! apt-get install -y -qq wrk >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq wrk >/dev/null
  fi
fi

if [ ! -d "$BENCH/node/node_modules/socket.io" ]; then
  log "installing the Node peer's packages"
  (cd "$BENCH/node" && if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --silent; else npm install --no-audit --no-fund --silent; fi)
fi

# offline first (everything is usually in ~/.m2 already), online when something is missing
mvn_bench() { (cd "$BENCH" && { "$REPO/mvnw" -q -B -o "$@" 2>/dev/null || "$REPO/mvnw" -q -B "$@"; }); }

# true when the jar $2 is missing or a source of module $1 (pom, src/) is newer than it
newer_sources() { [ ! -f "$2" ] || [ -n "$(find "$1/pom.xml" "$1/src" -newer "$2" -type f 2>/dev/null | head -1)" ]; }

if newer_sources "$BENCH/harness" "$BENCH/harness/target/bench-harness.jar"; then
  log "building bench/harness"
  mvn_bench -pl harness clean package -DskipTests
fi

ENGINE_JAR="$HOME/.m2/repository/dev/switchboard/switchboard-engine/0.1.0-SNAPSHOT/switchboard-engine-0.1.0-SNAPSHOT.jar"
if [ -f "$ENGINE_JAR" ]; then
  if newer_sources "$BENCH/jmh" "$BENCH/jmh/target/bench-jmh.jar" || [ "$ENGINE_JAR" -nt "$BENCH/jmh/target/bench-jmh.jar" ]; then
    log "building bench/jmh against $(basename "$ENGINE_JAR")"
    mvn_bench -pl jmh clean package -DskipTests || log "JMH build failed (engine API changed?): microbenchmarks skipped"
  fi
else
  log "switchboard-engine not in ~/.m2: JMH microbenchmarks skipped (run: ./mvnw -q -B -Dsb.buildDir=target-x -pl engine/core install -DskipTests)"
fi
log "ready"
