"""A python-socketio client as a backend team writes it: one-argument handlers on /mcp.

Usage: mcp_status_client.py URL ROOM. Prints JOINED once in the room, then GOT <json> for the first
`status` event, or MISSING when none was handled within 10 s (a handler that raised lost it). Exit code 0
only when the event was handled.
"""
import json
import sys
import threading

import socketio

url, room = sys.argv[1], sys.argv[2]
handled = threading.Event()
sio = socketio.Client(reconnection=False)


@sio.on('status', namespace='/mcp')
def on_status(data):  # the README's contract: the posted data, nothing else
    print('GOT ' + json.dumps(data), flush=True)
    handled.set()


sio.connect(url, namespaces=['/mcp'], transports=['websocket'], wait_timeout=10)
ack = sio.call('join', {'room': room}, namespace='/mcp', timeout=10)
print('JOINED ' + json.dumps(ack), flush=True)
ok = handled.wait(10)
if not ok:
    print('MISSING', flush=True)
sio.disconnect()
sys.exit(0 if ok else 1)
