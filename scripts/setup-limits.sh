#!/usr/bin/env bash
# Kernel limits the tests need on a shared machine: dockerd takes one inotify instance per followed container log,
# and /files watches take one each, so the default 128 instances per user can run out while the suite runs.
# Idempotent; only ever raises a limit.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

raise() {
  local key="$1" want="$2" file="/proc/sys/${1//.//}"
  [ -r "$file" ] || return 0
  local have; have=$(cat "$file")
  if [ "$have" -lt "$want" ]; then
    if sysctl -qw "$key=$want" 2>/dev/null; then log "$key: $have -> $want"; else log "cannot raise $key (still $have)"; fi
  fi
}

raise fs.inotify.max_user_instances 1024
raise fs.inotify.max_user_watches 524288
