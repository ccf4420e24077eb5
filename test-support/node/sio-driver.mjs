#!/usr/bin/env node
// Remote-controlled Socket.IO client for the Java tests: the real socket.io-client (v4, v3 or v2),
// driven by JSON lines on stdin, reporting JSON lines on stdout. Diagnostics go to stderr.
//
// Command:  {"cmd": <id echoed in the reply>, "op": "<name>", ...fields}
// Reply:    {"type": "reply", "cmd": <id>, "ok": true, ...} | {"type": "reply", "cmd": <id>, "ok": false, "error": "..."}
// Event:    {"type": "event", "id": "<socket id given at connect>", "kind": "<kind>", "t": <epoch ms>, ...}
// Binary:   any {"$binary": "<base64>"} in command args becomes a Buffer; any Buffer/ArrayBuffer/TypedArray
//           the server sends is reported as {"$binary": "<base64>"}.
// See test-support/node/README.md for every op and event kind.
import { createRequire } from 'node:module';
import readline from 'node:readline';

const require = createRequire(import.meta.url);
const CLIENTS = {
  v4: () => require('socket.io-client'),
  v3: () => require('socket.io-client-v3'),
  v2: () => require('socket.io-client-v2'),
};
const loaded = {};
// Packet parsers a client may use instead of socket.io-client's built-in one (opts.parser: "msgpack").
const PARSERS = {
  msgpack: () => require('socket.io-msgpack-parser'),
};
function clientParser(name, version) {
  const load = Object.hasOwn(PARSERS, name) ? PARSERS[name] : null;
  if (!load) throw new Error(`unknown parser '${name}' (use msgpack, or omit it for the built-in parser)`);
  if (version === 'v2') throw new Error('the msgpack parser option needs a v3 or v4 client');
  return load();
}
function clientLib(version) {
  const load = CLIENTS[version];
  if (!load) throw new Error(`unknown client version '${version}' (use v4, v3 or v2)`);
  return (loaded[version] ??= load());
}

const sockets = new Map(); // id -> { socket, version, pendingServerAcks: Map, nextServerAck }

// ---------------------------------------------------------------- output
function write(obj) {
  let line;
  try {
    line = JSON.stringify(obj);
  } catch (e) {
    line = JSON.stringify({ type: 'error', error: `unserializable output: ${e.message}` });
  }
  process.stdout.write(line + '\n');
}
const reply = (cmd, fields = {}) => write({ type: 'reply', cmd, ok: true, ...fields });
const fail = (cmd, error) => write({ type: 'reply', cmd, ok: false, error: String(error) });
const event = (id, kind, fields = {}) => write({ type: 'event', id, kind, t: Date.now(), ...fields });

// ---------------------------------------------------------------- binary <-> JSON
function decodeArgs(value) {
  if (Array.isArray(value)) return value.map(decodeArgs);
  if (value && typeof value === 'object') {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === '$binary') {
      if (typeof value.$binary !== 'string') throw new Error('$binary must be a base64 string');
      return Buffer.from(value.$binary, 'base64');
    }
    const out = {};
    for (const k of keys) out[k] = decodeArgs(value[k]);
    return out;
  }
  return value;
}

function encodeArgs(value) {
  if (value === undefined) return null;
  if (Buffer.isBuffer(value)) return { $binary: value.toString('base64') };
  if (value instanceof ArrayBuffer) return { $binary: Buffer.from(value).toString('base64') };
  if (ArrayBuffer.isView(value)) {
    return { $binary: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  }
  if (Array.isArray(value)) return value.map(encodeArgs);
  if (value instanceof Error) return { message: value.message, data: encodeArgs(value.data) };
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) if (typeof v !== 'function') out[k] = encodeArgs(v);
    return out;
  }
  if (typeof value === 'function') return null;
  return value;
}

// ---------------------------------------------------------------- helpers
function need(msg, field, type) {
  const v = msg[field];
  if (v === undefined || v === null) throw new Error(`missing field '${field}'`);
  if (type && typeof v !== type) throw new Error(`field '${field}' must be a ${type}`);
  return v;
}

function entry(msg) {
  const id = need(msg, 'id', 'string');
  const e = sockets.get(id);
  if (!e) throw new Error(`no socket with id '${id}'`);
  return e;
}

function managerOf(id) {
  const other = sockets.get(id);
  if (!other?.socket.io) throw new Error(`sameConnectionAs: no socket with id '${id}'`);
  return other.socket.io;
}

function transportName(socket) {
  return socket.io?.engine?.transport?.name ?? null;
}

// Server events arriving with an ack callback: keep the callback until an 'ack' op answers it.
function reportServerEvent(id, e, name, args) {
  let ackId = null;
  if (args.length && typeof args[args.length - 1] === 'function') {
    const cb = args.pop();
    ackId = ++e.nextServerAck;
    e.pendingServerAcks.set(ackId, cb);
  }
  event(id, 'event', { name, args: encodeArgs(args), ackId });
}

function watchEngine(id, manager) {
  const attach = () => {
    const engine = manager.engine;
    if (!engine || engine.__sbWatched) return;
    engine.__sbWatched = true;
    engine.on('upgrade', (transport) => event(id, 'upgrade', { transport: transport?.name ?? null }));
    engine.on('close', (reason, description) =>
      event(id, 'transport_close', { reason: String(reason), description: describe(description) }));
  };
  attach();
  manager.on('open', attach);
  manager.on('reconnect_attempt', (attempt) => event(id, 'reconnect_attempt', { attempt }));
  manager.on('reconnect', (attempt) => event(id, 'reconnect', { attempt }));
  manager.on('reconnect_failed', () => event(id, 'reconnect_failed'));
  manager.on('error', (err) => event(id, 'manager_error', { message: err?.message ?? String(err) }));
}

function describe(d) {
  if (d === undefined || d === null) return null;
  if (d instanceof Error) return d.message;
  if (typeof d === 'object') {
    return d.description?.message ?? d.message ?? d.context?.statusText ?? (d.type ? String(d.type) : null);
  }
  return String(d);
}

// ---------------------------------------------------------------- ops
const ops = {
  ping(msg) {
    reply(msg.cmd, { pid: process.pid, node: process.version, sockets: sockets.size });
  },

  connect(msg) {
    const id = need(msg, 'id', 'string');
    if (sockets.has(id)) throw new Error(`socket id '${id}' already in use`);
    const url = need(msg, 'url', 'string');
    const namespace = msg.namespace ?? '/';
    if (typeof namespace !== 'string' || !namespace.startsWith('/')) throw new Error("namespace must start with '/'");
    const opts = { ...(msg.opts ?? {}) };
    const version = opts.version ?? msg.version ?? 'v4';
    delete opts.version;
    if (opts.parser !== undefined) opts.parser = clientParser(opts.parser, version);
    // One test client = one connection unless the test asks for multiplexing explicitly.
    if (opts.forceNew === undefined && opts.multiplex === undefined) opts.forceNew = true;
    if (opts.auth !== undefined) opts.auth = decodeArgs(opts.auth);
    // sameConnectionAs: <id of a socket of this driver> opens the namespace on that socket's Manager (one Engine.IO
    // connection multiplexing both namespaces, as io(url + ns) does for an application without forceNew).
    const sameAs = opts.sameConnectionAs;
    delete opts.sameConnectionAs;
    const lib = clientLib(version);
    const io = lib.io ?? lib;
    const target = new URL(namespace, url.endsWith('/') ? url : url + '/').toString();
    const socket = sameAs === undefined ? io(target, opts) : managerOf(sameAs).socket(namespace, opts);
    const e = { socket, version, pendingServerAcks: new Map(), nextServerAck: 0 };
    sockets.set(id, e);

    socket.on('connect', () =>
      event(id, 'connect', { sid: socket.id ?? null, recovered: socket.recovered === true, transport: transportName(socket) }));
    socket.on('connect_error', (err) =>
      event(id, 'connect_error', { message: err?.message ?? String(err), data: encodeArgs(err?.data ?? null) }));
    socket.on('disconnect', (reason, description) =>
      event(id, 'disconnect', { reason: String(reason), description: describe(description) }));
    if (version === 'v2') {
      // v2 reports namespace middleware refusals as 'error' and has no onAny: report every event from onevent.
      socket.on('error', (err) =>
        event(id, 'connect_error', { message: typeof err === 'string' ? err : err?.message ?? String(err), data: encodeArgs(err?.data ?? err) }));
      socket.onevent = function (packet) {
        const args = (packet.data || []).slice();
        const name = args.shift();
        if (packet.id != null) args.push(this.ack(packet.id));
        reportServerEvent(id, e, name, args);
      };
    } else {
      socket.onAny((name, ...args) => reportServerEvent(id, e, name, args));
    }
    if (socket.io) watchEngine(id, socket.io);
    reply(msg.cmd, { id, version, url: target });
  },

  emit(msg) {
    const { socket } = entry(msg);
    const name = need(msg, 'event', 'string');
    const args = decodeArgs(msg.args ?? []);
    if (!Array.isArray(args)) throw new Error("'args' must be an array");
    let target = socket;
    if (msg.volatile) target = target.volatile;
    if (msg.compress === false) target = target.compress(false);
    if (!msg.ack) {
      target.emit(name, ...args);
      reply(msg.cmd, { sent: true });
      return;
    }
    const timeoutMs = Number(msg.timeoutMs ?? 5000);
    if (!(timeoutMs > 0)) throw new Error("'timeoutMs' must be a positive number");
    let done = false;
    const timer = setTimeout(() => {
      if (done) return;
      done = true;
      fail(msg.cmd, `ack timeout after ${timeoutMs} ms for event '${name}'`);
    }, timeoutMs);
    target.emit(name, ...args, (...ackArgs) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      reply(msg.cmd, { ack: encodeArgs(ackArgs) });
    });
  },

  ack(msg) {
    const e = entry(msg);
    const ackId = need(msg, 'ackId', 'number');
    const cb = e.pendingServerAcks.get(ackId);
    if (!cb) throw new Error(`no pending server ack ${ackId}`);
    e.pendingServerAcks.delete(ackId);
    cb(...decodeArgs(msg.args ?? []));
    reply(msg.cmd, { acked: ackId });
  },

  disconnect(msg) {
    const e = entry(msg);
    e.socket.disconnect();
    if (msg.forget !== false) sockets.delete(msg.id);
    reply(msg.cmd, {});
  },

  // Reconnect a socket that was disconnected (manually or by the server).
  reconnect(msg) {
    const e = entry(msg);
    e.socket.connect();
    reply(msg.cmd, {});
  },

  // Kill the engine transport under the socket. mode "destroy" (default): drop the TCP connection
  // without a close frame/packet when the transport is websocket (server sees an abrupt loss);
  // mode "close", or polling: engine.close(). Either way the client sees a transport loss and
  // reconnects if reconnection is on.
  'close-transport'(msg) {
    const e = entry(msg);
    const engine = e.socket.io?.engine;
    if (!engine) throw new Error('socket has no engine (not connected yet?)');
    const mode = msg.mode ?? 'destroy';
    const transport = engine.transport;
    const ws = transport?.ws;
    if (mode === 'destroy' && transport?.name === 'websocket' && ws) {
      if (typeof ws.terminate === 'function') ws.terminate();
      else if (ws._socket) ws._socket.destroy();
      else ws.close();
      reply(msg.cmd, { done: 'destroyed websocket', transport: 'websocket' });
      return;
    }
    engine.close();
    reply(msg.cmd, { done: 'engine.close()', transport: transport?.name ?? null });
  },

  state(msg) {
    const e = entry(msg);
    const s = e.socket;
    reply(msg.cmd, {
      id: msg.id,
      version: e.version,
      connected: s.connected === true,
      recovered: s.recovered === true,
      sid: s.id ?? null,
      engineId: s.io?.engine?.id ?? null,
      transport: transportName(s),
      pendingServerAcks: e.pendingServerAcks.size,
    });
  },

  list(msg) {
    reply(msg.cmd, { ids: [...sockets.keys()] });
  },

  shutdown(msg) {
    reply(msg.cmd, {});
    shutdown(0);
  },
};

// ---------------------------------------------------------------- main loop
function handle(line) {
  if (!line.trim()) return;
  let msg;
  try {
    msg = JSON.parse(line);
  } catch (e) {
    write({ type: 'reply', cmd: null, ok: false, error: `bad JSON: ${e.message}` });
    return;
  }
  if (!msg || typeof msg !== 'object' || Array.isArray(msg)) {
    write({ type: 'reply', cmd: null, ok: false, error: 'command must be a JSON object' });
    return;
  }
  const cmd = msg.cmd ?? null;
  const op = ops[msg.op];
  if (typeof msg.op !== 'string' || !Object.hasOwn(ops, msg.op)) {
    fail(cmd, `unknown op '${msg.op}' (known: ${Object.keys(ops).join(', ')})`);
    return;
  }
  try {
    op(msg);
  } catch (e) {
    fail(cmd, e?.message ?? String(e));
  }
}

let closing = false;
function shutdown(code) {
  if (closing) return;
  closing = true;
  for (const { socket } of sockets.values()) {
    try {
      socket.disconnect();
      socket.io?.engine?.close?.();
    } catch {
      /* already closed */
    }
  }
  sockets.clear();
  // Let the reply and close packets flush, then go.
  setTimeout(() => process.exit(code), 50).unref();
  process.stdout.write('', () => setTimeout(() => process.exit(code), 20));
}

process.on('uncaughtException', (e) => {
  process.stderr.write(`sio-driver uncaught: ${e?.stack ?? e}\n`);
  write({ type: 'error', error: `uncaught: ${e?.message ?? e}` });
});
process.on('unhandledRejection', (e) => {
  process.stderr.write(`sio-driver unhandled rejection: ${e?.stack ?? e}\n`);
  write({ type: 'error', error: `unhandled rejection: ${e?.message ?? e}` });
});
process.on('SIGTERM', () => shutdown(0));
process.stdout.on('error', () => process.exit(0)); // parent went away

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', handle);
rl.on('close', () => shutdown(0)); // stdin closed: the test JVM is gone or done

write({
  type: 'ready',
  pid: process.pid,
  node: process.version,
  clients: Object.fromEntries(
    Object.keys(CLIENTS).map((v) => {
      try {
        return [v, require(`${v === 'v4' ? 'socket.io-client' : 'socket.io-client-' + v}/package.json`).version];
      } catch {
        return [v, null];
      }
    }),
  ),
  parsers: Object.fromEntries(
    Object.keys(PARSERS).map((p) => {
      try {
        return [p, require(`socket.io-${p}-parser/package.json`).version];
      } catch {
        return [p, null];
      }
    }),
  ),
});
