#!/usr/bin/env bash
# Makes sure PM2 (pinned in test-support/node/package.json) is installed there and prints the pm2 binary path.
# Idempotent. Tests run PM2 with a temporary PM2_HOME and `pm2 kill` it at the end; nothing here starts a daemon.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PM2="$SB_ROOT/test-support/node/node_modules/.bin/pm2"

if [ ! -x "$PM2" ]; then
  [ -x "$SB_ROOT/scripts/setup-node.sh" ] || [ -f "$SB_ROOT/scripts/setup-node.sh" ] || die "scripts/setup-node.sh is missing"
  bash "$SB_ROOT/scripts/setup-node.sh"
fi
[ -x "$PM2" ] || die "pm2 not found at $PM2 after setup-node.sh (is pm2 in test-support/node/package.json?)"
# `pm2 --version` would spawn a daemon in ~/.pm2: read the version from the package instead.
log "pm2 $(node -p "require('$SB_ROOT/test-support/node/node_modules/pm2/package.json').version")"
echo "$PM2"
