#!/usr/bin/env bash
# Installs what the python-socketio interop test (namespaces McpHistoryIdsPythonTest) needs, idempotently:
# Debian's python3-socketio (its client speaks Engine.IO v4 / Socket.IO v5) with the HTTP and WebSocket libraries
# its client uses (python3-requests, python3-websocket).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# Debian's interpreter, not a python3 that pyenv or a venv may put first on PATH: the packages are installed for it
PY=/usr/bin/python3
apt_install python3 python3-socketio python3-requests python3-websocket
"$PY" -c 'import socketio, requests, websocket' || die "python3-socketio is installed but $PY cannot import it"
log "python-socketio present ($(dpkg-query -W -f='${Version}' python3-socketio))"
