#!/usr/bin/env bash
# Installs Debian's headless-capable Chromium (/usr/bin/chromium) for the dashboard end-to-end test, which
# drives it with playwright-core (executablePath /usr/bin/chromium; no browser download).
# Idempotent. Debian 12, run as root.
set -euo pipefail

log() { echo "setup-chromium: $*"; }

if [[ -x /usr/bin/chromium ]] && dpkg-query -W -f='${Status}' chromium 2>/dev/null | grep -q 'install ok installed'; then
    log "chromium present ($(/usr/bin/chromium --version 2>/dev/null || echo unknown version))"
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
log "installing chromium"
apt-get update -qq
# fonts-dejavu-core: readable text in screenshots.
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
log "installed ($(/usr/bin/chromium --version 2>/dev/null || echo unknown version))"
