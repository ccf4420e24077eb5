#!/usr/bin/env bash
# Installs and starts a local Docker engine for the /services tests, and builds the image busybox:local.
# Idempotent: safe to run again while dockerd is already up. Debian 12, run as root.
# No registry is reachable here, so the image is imported from a busybox-static rootfs.
# dockerd runs without networking (--bridge=none, no iptables): test containers use --network none.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

DOCKER=/usr/bin/docker          # Debian's client; /usr/local/bin/docker may be another one
DOCKERD=/usr/sbin/dockerd
SOCKET=/var/run/docker.sock
PIDFILE=/var/run/docker.pid
LOGFILE=${DOCKERD_LOG:-/var/log/switchboard-dockerd.log}
IMAGE=busybox:local
START_DEADLINE_S=${DOCKERD_START_DEADLINE_S:-60}

install_packages() {
    apt_install docker.io busybox-static
}

engine_up() {
    timeout 10 "$DOCKER" version >/dev/null 2>&1
}

start_dockerd() {
    if engine_up; then
        log "dockerd already running"
        return
    fi
    # A pidfile left by a killed dockerd makes the next one refuse to start.
    if [[ -f $PIDFILE ]] && ! kill -0 "$(cat "$PIDFILE" 2>/dev/null)" 2>/dev/null; then
        rm -f "$PIDFILE"
    fi
    log "starting dockerd (log: $LOGFILE)"
    setsid "$DOCKERD" --host="unix://$SOCKET" --pidfile="$PIDFILE" \
        --bridge=none --iptables=false --ip6tables=false --ip-masq=false \
        --userland-proxy=false --storage-driver=overlay2 \
        </dev/null >>"$LOGFILE" 2>&1 &
    local deadline=$((SECONDS + START_DEADLINE_S))
    until engine_up; do
        if ((SECONDS >= deadline)); then
            log "dockerd did not answer within ${START_DEADLINE_S}s; last log lines:"
            tail -n 20 "$LOGFILE" >&2 || true
            die "dockerd failed to start"
        fi
        sleep 0.2
    done
    log "dockerd up"
}

build_image() {
    if "$DOCKER" image inspect "$IMAGE" >/dev/null 2>&1; then
        log "image $IMAGE present"
        return
    fi
    local rootfs
    rootfs=$(mktemp -d)
    trap 'rm -rf "$rootfs"' RETURN
    mkdir -p "$rootfs/bin" "$rootfs/tmp" "$rootfs/proc" "$rootfs/sys" "$rootfs/dev" "$rootfs/etc"
    cp /bin/busybox "$rootfs/bin/busybox"
    local applet
    for applet in $(/bin/busybox --list); do
        [[ $applet == busybox ]] || ln -sf busybox "$rootfs/bin/$applet"
    done
    log "importing $IMAGE"
    tar -C "$rootfs" -c . | "$DOCKER" import --change 'CMD ["/bin/sh"]' - "$IMAGE" >/dev/null
    log "image $IMAGE built"
}

install_packages
start_dockerd
build_image
