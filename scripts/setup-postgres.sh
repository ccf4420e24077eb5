#!/usr/bin/env bash
# Installs what the PostgreSQL bridge tests (server/channels) need, idempotently: Debian's PostgreSQL server
# binaries (initdb, pg_ctl, postgres) and psql. The distribution's cluster/service is never started: the tests run
# their own cluster with initdb/pg_ctl in a temp folder on a free loopback port, as the unprivileged `postgres`
# user (the server refuses to run as root), and stop it at the end.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

if [ -n "$(pg_bin)" ] && [ -x "$(pg_bin)/initdb" ] && command -v psql >/dev/null 2>&1; then
  log "postgresql present ($("$(pg_bin)/postgres" --version))"
else
  POLICY=/usr/sbin/policy-rc.d
  if [ ! -e "$POLICY" ] && [ "$(id -u)" -eq 0 ]; then
    # refuse service starts during the install: the package's own cluster must not run
    printf '#!/bin/sh\nexit 101\n' >"$POLICY"
    chmod 755 "$POLICY"
    trap 'rm -f "$POLICY"' EXIT
  fi
  apt_install postgresql postgresql-client
  [ -n "$(pg_bin)" ] || die "apt-get install postgresql did not provide /usr/lib/postgresql/*/bin"
  log "postgresql installed ($("$(pg_bin)/postgres" --version))"
fi

if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
  # the Debian package creates it; make sure tests running as root have a non-root user to run the server as
  useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  log "created system user postgres"
fi
command -v runuser >/dev/null 2>&1 || [ "$(id -u)" -ne 0 ] || die "runuser (util-linux) is needed to run postgres as non-root"
log "postgres binaries: $(pg_bin)"
