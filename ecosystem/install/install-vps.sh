#!/usr/bin/env bash
# Installs (or upgrades) Switchboard on a Debian/Ubuntu VPS as a systemd service. Idempotent: run it again with
# a new jar to upgrade; the previous jar stays in releases/ for rollback (see docs/operations.md).
#
#   sudo ecosystem/install/install-vps.sh --jar server/app/target/switchboard.jar [--nginx] [--no-start]
#
# What it does:
#   1. system user/group "switchboard" (no login, no home), added to group "docker" when that group exists
#   2. /opt/switchboard/releases/switchboard-<sha256 prefix>.jar, and /opt/switchboard/switchboard.jar -> it
#   3. /etc/switchboard/switchboard.env from the example, with a random EMIT_TOKEN — only if absent (never
#      overwritten: your settings survive upgrades); mode 0640 root:switchboard
#   4. /etc/systemd/system/switchboard.service, /var/log/switchboard
#   5. with --nginx: /etc/nginx/conf.d/switchboard.conf (checked with nginx -t before reload)
#   6. systemctl daemon-reload, enable, restart (skipped with --no-start or when systemd is not running)
#
# Options:
#   --jar PATH       the fat jar to install (required)
#   --nginx          also install the nginx site
#   --no-start       install files only
#   --root DIR       install under DIR instead of / (staging/packaging; implies --no-start, no user creation)
#   --keep N         releases to keep (default 5)
#   --rollback       point switchboard.jar back at the previous release and restart (no --jar needed)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ECOSYSTEM=$(dirname "$HERE")

JAR=""
ROOT=""
WITH_NGINX=0
START=1
KEEP=5
ROLLBACK=0

usage() { sed -n '2,/^set -euo/{/^#/p}' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
log() { echo "install-vps: $*"; }
die() { echo "install-vps: error: $*" >&2; exit 1; }

while (($#)); do
    case $1 in
        --jar) JAR=${2:-}; shift 2 ;;
        --root) ROOT=${2:-}; shift 2 ;;
        --nginx) WITH_NGINX=1; shift ;;
        --no-start) START=0; shift ;;
        --keep) KEEP=${2:-}; shift 2 ;;
        --rollback) ROLLBACK=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option '$1'" ;;
    esac
done

if ((ROLLBACK == 0)); then
    [[ -n $JAR ]] || die "--jar PATH is required"
    [[ -f $JAR ]] || die "jar '$JAR' does not exist"
fi
[[ $KEEP =~ ^[1-9][0-9]*$ ]] || die "--keep must be a positive number, got '$KEEP'"
if [[ -n $ROOT ]]; then
    [[ -d $ROOT ]] || die "--root '$ROOT' is not a directory"
    ROOT=$(cd "$ROOT" && pwd)
    START=0
else
    ((EUID == 0)) || die "run as root (sudo), or use --root DIR to stage the files"
fi

APP_DIR=$ROOT/opt/switchboard
ETC_DIR=$ROOT/etc/switchboard
LOG_DIR=$ROOT/var/log/switchboard
UNIT=$ROOT/etc/systemd/system/switchboard.service
ENV_FILE=$ETC_DIR/switchboard.env
OWNER=switchboard

ensure_user() {
    if [[ -n $ROOT ]]; then
        OWNER=root
        return
    fi
    if ! getent group switchboard >/dev/null; then
        groupadd --system switchboard
        log "created group switchboard"
    fi
    if ! id switchboard >/dev/null 2>&1; then
        useradd --system --gid switchboard --no-create-home --home-dir /opt/switchboard \
            --shell /usr/sbin/nologin switchboard
        log "created user switchboard"
    fi
    if getent group docker >/dev/null && ! id -nG switchboard | tr ' ' '\n' | grep -qx docker; then
        usermod -aG docker switchboard
        log "added switchboard to group docker (for /services)"
    fi
}

install_jar() {
    install -d -m 0755 "$APP_DIR" "$APP_DIR/releases"
    local sum release
    sum=$(sha256sum "$JAR" | cut -c1-12)
    release=$APP_DIR/releases/switchboard-$sum.jar
    if [[ -f $release ]]; then
        log "jar already installed as releases/switchboard-$sum.jar"
    else
        install -m 0644 "$JAR" "$release"
        log "installed releases/switchboard-$sum.jar"
    fi
    local current=""
    [[ -L $APP_DIR/switchboard.jar ]] && current=$(readlink "$APP_DIR/switchboard.jar")
    if [[ $current != "releases/switchboard-$sum.jar" ]]; then
        [[ -n $current ]] && ln -sfn "$current" "$APP_DIR/switchboard.jar.previous"
        ln -sfn "releases/switchboard-$sum.jar" "$APP_DIR/switchboard.jar.new"
        mv -T "$APP_DIR/switchboard.jar.new" "$APP_DIR/switchboard.jar"   # atomic switch
        log "switchboard.jar -> releases/switchboard-$sum.jar${current:+ (previous: $current)}"
    fi
    prune_releases
    install -d -m 0755 "$APP_DIR/docs"
    if [[ -f $ECOSYSTEM/../docs/operations.md ]]; then
        install -m 0644 "$ECOSYSTEM/../docs/operations.md" "$APP_DIR/docs/operations.md"
    fi
}

prune_releases() {
    # Keep the newest $KEEP releases, and always the current and previous ones.
    local keep_current keep_previous
    keep_current=$(readlink "$APP_DIR/switchboard.jar" 2>/dev/null || true)
    keep_previous=$(readlink "$APP_DIR/switchboard.jar.previous" 2>/dev/null || true)
    local count=0 file rel
    while IFS= read -r file; do
        count=$((count + 1))
        rel="releases/${file##*/}"
        if ((count > KEEP)) && [[ $rel != "$keep_current" && $rel != "$keep_previous" ]]; then
            rm -f "$file"
            log "pruned $rel"
        fi
    done < <(ls -1t "$APP_DIR"/releases/switchboard-*.jar 2>/dev/null)
}

random_token() {
    head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n'
}

install_env() {
    install -d -m 0750 -o root -g "$(group_of)" "$ETC_DIR"
    if [[ -f $ENV_FILE ]]; then
        log "keeping existing $ENV_FILE"
    else
        local tmp
        tmp=$(mktemp)
        sed "s/^EMIT_TOKEN=.*/EMIT_TOKEN=$(random_token)/" "$ECOSYSTEM/systemd/switchboard.env.example" >"$tmp"
        install -m 0640 -o root -g "$(group_of)" "$tmp" "$ENV_FILE"
        rm -f "$tmp"
        log "wrote $ENV_FILE (random EMIT_TOKEN; review CORS_ORIGINS and credentials)"
    fi
    install -d -m 0750 -o "$OWNER" -g "$(group_of)" "$LOG_DIR"
}

group_of() {
    if [[ -n $ROOT ]]; then echo root; else echo switchboard; fi
}

install_unit() {
    install -d -m 0755 "$(dirname "$UNIT")"
    local tmp
    tmp=$(mktemp)
    if getent group docker >/dev/null; then
        cp "$ECOSYSTEM/systemd/switchboard.service" "$tmp"
    else
        # SupplementaryGroups= naming a missing group makes the unit fail to start.
        sed 's/^SupplementaryGroups=docker$/#SupplementaryGroups=docker/' "$ECOSYSTEM/systemd/switchboard.service" >"$tmp"
    fi
    if [[ -f $UNIT ]] && cmp -s "$tmp" "$UNIT"; then
        log "unit unchanged"
    else
        install -m 0644 "$tmp" "$UNIT"
        log "installed $UNIT"
    fi
    rm -f "$tmp"
}

install_nginx() {
    ((WITH_NGINX)) || return 0
    local site=$ROOT/etc/nginx/conf.d/switchboard.conf
    install -d -m 0755 "$(dirname "$site")"
    install -m 0644 "$ECOSYSTEM/nginx/switchboard.conf" "$site"
    log "installed $site"
    if [[ -z $ROOT ]] && command -v nginx >/dev/null; then
        nginx -t
        if [[ -d /run/systemd/system ]]; then systemctl reload nginx || systemctl start nginx; fi
    fi
}

start_service() {
    if ((START == 0)); then
        log "not starting (--no-start/--root)"
        return
    fi
    if [[ ! -d /run/systemd/system ]]; then
        log "systemd is not running here; start with: systemctl enable --now switchboard"
        return
    fi
    systemctl daemon-reload
    systemctl enable switchboard >/dev/null
    systemctl restart switchboard
    log "switchboard restarted; status: systemctl status switchboard, logs: journalctl -u switchboard -f"
}

rollback() {
    local current previous
    previous=$(readlink "$APP_DIR/switchboard.jar.previous" 2>/dev/null) || die "no previous release to roll back to"
    [[ -f $APP_DIR/$previous ]] || die "previous release $previous is missing"
    current=$(readlink "$APP_DIR/switchboard.jar")
    ln -sfn "$previous" "$APP_DIR/switchboard.jar.new"
    mv -T "$APP_DIR/switchboard.jar.new" "$APP_DIR/switchboard.jar"
    ln -sfn "$current" "$APP_DIR/switchboard.jar.previous"
    log "rolled back: switchboard.jar -> $previous (was $current)"
}

if ((ROLLBACK)); then
    rollback
    start_service
    log "done"
    exit 0
fi

ensure_user
install_jar
install_env
install_unit
install_nginx
start_service
log "done"
