#!/usr/bin/env bash
# Installs the npm packages the tests and benchmarks use (test-support/node) exactly as locked.
# Idempotent: skips `npm ci` when node_modules was installed from the current package-lock.json.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

NODE_DIR="$SB_ROOT/test-support/node"
STAMP="$NODE_DIR/node_modules/.switchboard-lock.sha256"

need_cmd node "install Node.js 18+ (Debian: apt-get install nodejs npm)"
need_cmd npm "install npm (Debian: apt-get install npm)"
major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$major" -ge 18 ] || die "Node.js $(node -v) is too old: 18 or newer is needed"

want="$(sha256sum "$NODE_DIR/package-lock.json" | cut -d' ' -f1)"
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] && [ -f "$NODE_DIR/node_modules/socket.io-client/package.json" ]; then
  log "npm packages up to date ($NODE_DIR)"
  exit 0
fi

log "npm ci in $NODE_DIR"
(cd "$NODE_DIR" && npm ci --no-audit --no-fund --loglevel=error)
echo "$want" > "$STAMP"
log "npm packages installed"
