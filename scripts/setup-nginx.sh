#!/usr/bin/env bash
# Installs nginx (Debian package) for the ecosystem tests, which start their own nginx on a loopback port
# with a temporary config derived from ecosystem/nginx/switchboard.conf.
# Idempotent. Debian 12, run as root. Never starts the distribution's nginx service: a policy-rc.d that
# refuses service starts is put in place for the install when the machine has none.
set -euo pipefail

log() { echo "setup-nginx: $*"; }

if command -v nginx >/dev/null 2>&1 && dpkg-query -W -f='${Status}' nginx 2>/dev/null | grep -q 'install ok installed'; then
    log "nginx present ($(nginx -v 2>&1))"
    exit 0
fi

POLICY=/usr/sbin/policy-rc.d
if [[ ! -e $POLICY ]]; then
    printf '#!/bin/sh\nexit 101\n' >"$POLICY"
    chmod 755 "$POLICY"
    trap 'rm -f "$POLICY"' EXIT
fi

export DEBIAN_FRONTEND=noninteractive
log "installing nginx"
apt-get update -qq
apt-get install -y -qq --no-install-recommends nginx >/dev/null
log "installed ($(nginx -v 2>&1))"
