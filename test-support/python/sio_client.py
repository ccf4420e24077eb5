"""A python-socketio client (Debian's python3-socketio), remote-controlled by JSON lines, for the Java tests.

Run with /usr/bin/python3 (scripts/setup-python.sh installs the packages for that interpreter). One process = one
socketio.Client = one Engine.IO connection, multiplexing every namespace given to `connect`.

Commands (stdin), each answered by {"type": "reply", "cmd": <id>, "ok": true, ...} or {"ok": false, "error": "..."}:
  {"cmd": 1, "op": "connect", "url": "http://127.0.0.1:3007", "namespaces": ["/mcp", "/echo"],
   "transports": ["websocket"] | null, "events": {"/mcp": ["connected", "joined", "progress"], ...}}
  {"cmd": 2, "op": "call", "namespace": "/mcp", "event": "join", "args": [{"room": "r1"}], "timeoutMs": 5000}
        -> "ack": [the ack's arguments]
  {"cmd": 3, "op": "emit", "namespace": "/mcp", "event": "x", "args": [...]}
  {"cmd": 4, "op": "disconnect"}
Events (stdout): {"type": "event", "namespace": "/mcp", "name": "progress", "args": [data]}

Every handler registered for `events` takes exactly ONE argument, as an application's handlers do: an event with
any other number of arguments raises TypeError inside python-socketio and is never reported, so a test waiting for
it fails. That is how a test proves an event carries exactly the posted arguments.
Binary: {"$binary": "<base64>"} in args becomes bytes; bytes received are reported the same way.
"""
import base64
import json
import logging
import sys
import threading

import socketio

logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
out_lock = threading.Lock()
sio = None


def write(obj):
    with out_lock:
        sys.stdout.write(json.dumps(obj) + '\n')
        sys.stdout.flush()


def decode(value):
    if isinstance(value, list):
        return [decode(v) for v in value]
    if isinstance(value, dict):
        if list(value.keys()) == ['$binary']:
            return base64.b64decode(value['$binary'])
        return {k: decode(v) for k, v in value.items()}
    return value


def encode(value):
    if isinstance(value, (bytes, bytearray)):
        return {'$binary': base64.b64encode(bytes(value)).decode('ascii')}
    if isinstance(value, (list, tuple)):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {k: encode(v) for k, v in value.items()}
    return value


def one_argument_handler(namespace, name):
    def handler(data):  # exactly one argument, on purpose (see the module doc)
        write({'type': 'event', 'namespace': namespace, 'name': name, 'args': [encode(data)]})
    return handler


def op_connect(msg):
    global sio
    if sio is not None:
        raise ValueError('already connected')
    sio = socketio.Client(reconnection=False)
    for namespace, names in (msg.get('events') or {}).items():
        for name in names:
            sio.on(name, one_argument_handler(namespace, name), namespace=namespace)
    sio.connect(msg['url'], namespaces=msg['namespaces'], transports=msg.get('transports'),
                wait_timeout=msg.get('timeoutMs', 10000) / 1000)
    return {'sid': sio.sid, 'transport': sio.transport()}


def op_call(msg):
    ack = sio.call(msg['event'], data=tuple(decode(msg.get('args') or [])), namespace=msg['namespace'],
                   timeout=msg.get('timeoutMs', 5000) / 1000)
    # python-socketio returns one ack argument as itself and several as a tuple
    return {'ack': encode(list(ack) if isinstance(ack, tuple) else [ack])}


def op_emit(msg):
    sio.emit(msg['event'], data=tuple(decode(msg.get('args') or [])), namespace=msg['namespace'])
    return {'sent': True}


def op_disconnect(msg):
    if sio is not None:
        sio.disconnect()
    return {}


OPS = {'connect': op_connect, 'call': op_call, 'emit': op_emit, 'disconnect': op_disconnect}


def main():
    write({'type': 'ready', 'socketio': getattr(socketio, '__version__', None)})
    for line in sys.stdin:
        if not line.strip():
            continue
        cmd = None
        try:
            msg = json.loads(line)
            cmd = msg.get('cmd')
            op = OPS.get(msg.get('op'))
            if op is None:
                raise ValueError("unknown op '%s' (known: %s)" % (msg.get('op'), ', '.join(OPS)))
            write({'type': 'reply', 'cmd': cmd, 'ok': True, **op(msg)})
        except Exception as e:  # any failure is an error reply; the driver keeps running
            write({'type': 'reply', 'cmd': cmd, 'ok': False, 'error': '%s: %s' % (type(e).__name__, e)})
    if sio is not None:
        sio.disconnect()


if __name__ == '__main__':
    main()
