#!/usr/bin/env bash
# One entry point for the ecosystem tests (PM2, nginx, JS client, dashboard in headless Chromium, install files,
# the container image under dockerd and the Dockerfile lint, the release script).
#
#   ecosystem/test/run.sh [path/to/switchboard.jar]      (default: server/app/target/switchboard.jar)
#
# Installs what they need (idempotent): nginx and Chromium from Debian (scripts/setup-nginx.sh,
# scripts/setup-chromium.sh), the npm packages of ecosystem/client and ecosystem/test (npm ci), builds the
# client (ESM + CJS). Docker is optional: when scripts/setup-docker.sh has run (dockerd + busybox:local), the
# container log assertions run too; otherwise they are skipped and say so. Exit code = node --test's.
# Environment: SKIP_SETUP=1 skips the apt/npm steps; ECO_TESTS="client.test.mjs ..." runs a subset.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
JAR=${1:-${SWITCHBOARD_JAR:-$REPO/server/app/target/switchboard.jar}}
if [[ -d $(dirname "$JAR") ]]; then
    JAR=$(cd "$(dirname "$JAR")" && pwd)/$(basename "$JAR")
fi

log() { echo "ecosystem-tests: $*"; }

if [[ ! -f $JAR ]]; then
    log "jar not found: $JAR (build it first: ./mvnw -B -DskipTests package)" >&2
    exit 1
fi

npm_ci() {
    # npm ci wipes node_modules; skip it when the lockfile has not changed since the last install.
    local dir=$1 stamp=$1/node_modules/.package-lock.json
    if [[ -f $stamp && $stamp -nt $dir/package-lock.json ]]; then
        log "npm packages of ${dir#"$REPO"/} up to date"
        return
    fi
    log "npm ci in ${dir#"$REPO"/}"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
}

if [[ ${SKIP_SETUP:-0} != 1 ]]; then
    bash "$REPO/scripts/setup-nginx.sh"
    bash "$REPO/scripts/setup-chromium.sh"
    npm_ci "$REPO/ecosystem/client"
    npm_ci "$HERE"
fi

log "building ecosystem/client (ESM + CJS with tsc)"
(cd "$REPO/ecosystem/client" && npm run --silent build)

if [[ -x /usr/bin/docker ]] && timeout 10 /usr/bin/docker image inspect busybox:local >/dev/null 2>&1; then
    log "docker available: container log assertions enabled"
else
    log "docker or busybox:local unavailable: container log assertions will be skipped (run scripts/setup-docker.sh)"
fi

cd "$HERE"
mkdir -p artifacts
# shellcheck disable=SC2206 # word splitting of the subset list is intended
TESTS=(${ECO_TESTS:-readme.test.mjs install.test.mjs dockerfile.test.mjs jvm-flags.test.mjs image.test.mjs release.test.mjs pm2.test.mjs nginx.test.mjs client.test.mjs client-package.test.mjs dashboard.test.mjs existing-app.test.mjs})
log "jar: $JAR"
# One file at a time: they start JVMs, and the machine has 2 cores.
export SWITCHBOARD_JAR=$JAR
exec node --test --test-concurrency=1 --test-timeout=180000 "${TESTS[@]}"
