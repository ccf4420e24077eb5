#!/usr/bin/env bash
# Installs what the Redis adapter tests (engine/redis-adapter) need, idempotently:
#  - Debian's redis-server binary and redis-cli (Redis 7+: the sharded adapter mode needs SPUBLISH/SSUBSCRIBE).
#    The distribution's service is never started: the tests start their own redis-server on a free loopback port
#    (--save '' --appendonly no, own dir) and kill it at the end; the sharded-mode tests start a Redis Cluster of
#    six (--cluster-enabled yes, joined by redis-cli --cluster create --cluster-replicas 1) the same way.
#  - the npm packages of the Node interop peers (engine/redis-adapter/src/test/node: @socket.io/redis-emitter,
#    @socket.io/redis-adapter, socket.io, redis), exactly as locked; `npm ci` is skipped when node_modules
#    already matches package-lock.json.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

if command -v redis-server >/dev/null 2>&1; then
  log "redis-server present ($(redis-server --version | cut -d' ' -f3))"
else
  POLICY=/usr/sbin/policy-rc.d
  if [ ! -e "$POLICY" ] && [ "$(id -u)" -eq 0 ]; then
    # refuse service starts during the install: the package's own redis service must not run
    printf '#!/bin/sh\nexit 101\n' >"$POLICY"
    chmod 755 "$POLICY"
    trap 'rm -f "$POLICY"' EXIT
  fi
  apt_install redis-server
  need_cmd redis-server "apt-get install redis-server failed"
  log "redis-server installed ($(redis-server --version | cut -d' ' -f3))"
fi

need_cmd redis-cli "apt-get install redis-tools (redis-cli creates the test Redis Cluster)"
major="$(redis-server --version | sed -n 's/.* v=\([0-9]*\)\..*/\1/p')"
if [ -z "$major" ] || [ "$major" -lt 7 ]; then
  die "redis-server $(redis-server --version | cut -d' ' -f3) is older than 7.0: the sharded adapter tests need SPUBLISH/SSUBSCRIBE"
fi

NODE_DIR="$SB_ROOT/engine/redis-adapter/src/test/node"
STAMP="$NODE_DIR/node_modules/.switchboard-lock.sha256"
need_cmd node "install Node.js 18+ (Debian: apt-get install nodejs npm)"
need_cmd npm "install npm (Debian: apt-get install npm)"
want="$(sha256sum "$NODE_DIR/package-lock.json" | cut -d' ' -f1)"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] && [ -f "$NODE_DIR/node_modules/@socket.io/redis-adapter/package.json" ]; then
  log "redis interop npm packages up to date ($NODE_DIR)"
  exit 0
fi
log "npm ci in $NODE_DIR"
(cd "$NODE_DIR" && npm ci --no-audit --no-fund --loglevel=error)
echo "$want" >"$STAMP"
log "redis interop npm packages installed"
