// The Node.js peer: socket.io 4.8 serving the same contract as Switchboard, for benchmarks only.
// Namespaces /services /deployments /system /mcp /files (each emits `connected` on connect; /mcp has join/leave);
// HTTP API on API_PORT: POST /emit {namespace, room|rooms, except, event, data, volatile} -> {success, delivered},
// GET /health -> {success, status, connections:{ns:n}, activeStreams}. Ports from WS_PORT / API_PORT, host HOST.
// With REDIS_URL the nodes act as one over @socket.io/redis-adapter (REDIS_ADAPTER=classic, the default, or
// sharded: createShardedAdapter, Redis 7 SPUBLISH), the setup of a Node socket.io cluster (bench/cluster.sh).
import http from 'node:http';
import { Server } from 'socket.io';
import { createAdapter, createShardedAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';

const HOST = process.env.HOST || '127.0.0.1';
const WS_PORT = Number(process.env.WS_PORT || 3007);
const API_PORT = Number(process.env.API_PORT || 3008);
const MAX_BODY = 1_048_576;
const NAMESPACES = ['/services', '/deployments', '/system', '/mcp', '/files'];
const RESERVED = new Set(['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener']);

function health() {
  const connections = {};
  for (const name of NAMESPACES) connections[name] = io.of(name).sockets.size;
  return { success: true, status: 'ok', connections, activeStreams: 0 };
}

function sendJson(res, status, body) {
  const bytes = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': bytes.length });
  res.end(bytes);
}

const publicServer = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') return sendJson(res, 200, health());
  sendJson(res, 404, { success: false, error: { code: 'NOT_FOUND', message: 'no route' } });
});

// socket.io defaults match Switchboard's: pingInterval 25 s, pingTimeout 20 s, maxHttpBufferSize 1 MB, no compression
const io = new Server(publicServer, { cors: { origin: '*' } });

if (process.env.REDIS_URL) {
  const pub = createClient({ url: process.env.REDIS_URL });
  const sub = pub.duplicate();
  await Promise.all([pub.connect(), sub.connect()]);
  const sharded = process.env.REDIS_ADAPTER === 'sharded';
  io.adapter(sharded ? createShardedAdapter(pub, sub) : createAdapter(pub, sub));
  console.log(`node peer on redis ${process.env.REDIS_URL} adapter=${sharded ? 'sharded' : 'classic'}`);
}

for (const name of NAMESPACES) {
  const nsp = io.of(name);
  nsp.on('connection', (socket) => {
    socket.emit('connected', { namespace: name, id: socket.id });
    if (name !== '/mcp') return;
    socket.on('join', (arg, ack) => {
      const room = typeof arg === 'string' ? arg : arg && typeof arg.room === 'string' ? arg.room : null;
      if (!room || room.length > 256) {
        socket.emit('error', { code: 'INVALID_ROOM', message: 'join needs a room name' });
        return;
      }
      socket.join(room);
      socket.emit('joined', { room });
      if (typeof ack === 'function') ack({ room });
    });
    socket.on('leave', (arg, ack) => {
      const room = typeof arg === 'string' ? arg : arg && arg.room;
      if (typeof room === 'string') socket.leave(room);
      socket.emit('left', { room });
      if (typeof ack === 'function') ack({ room });
    });
  });
}

function asList(v) {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/** The number of sockets an emit reaches, computed from the adapter's room sets (as Switchboard reports it). */
function countTargets(nsp, rooms, except) {
  const excluded = new Set();
  for (const r of except) for (const id of nsp.adapter.rooms.get(r) || []) excluded.add(id);
  if (rooms.length === 0) {
    let n = 0;
    for (const id of nsp.sockets.keys()) if (!excluded.has(id)) n++;
    return n;
  }
  if (rooms.length === 1 && excluded.size === 0) return (nsp.adapter.rooms.get(rooms[0]) || new Set()).size;
  const ids = new Set();
  for (const r of rooms) for (const id of nsp.adapter.rooms.get(r) || []) if (!excluded.has(id)) ids.add(id);
  return ids.size;
}

function emit(body) {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('body must be a JSON object');
  let { namespace, room, rooms, except, event, data } = body;
  if (typeof namespace !== 'string' || !namespace) throw new Error("'namespace' is required");
  if (!namespace.startsWith('/')) namespace = '/' + namespace;
  if (!NAMESPACES.includes(namespace)) throw new Error('unknown namespace ' + namespace);
  if (typeof event !== 'string' || !event) throw new Error("'event' is required");
  if (RESERVED.has(event)) throw new Error('reserved event');
  const targets = [...asList(room), ...asList(rooms)];
  const excluded = asList(except);
  const nsp = io.of(namespace);
  let op = targets.length ? nsp.to(targets) : nsp;
  if (excluded.length) op = op.except(excluded);
  if (body.volatile === true) op = op.volatile;
  const delivered = countTargets(nsp, targets, excluded);
  op.emit(event, data);
  return delivered;
}

const apiServer = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/health') return sendJson(res, 200, health());
  if (req.method !== 'POST' || req.url !== '/emit') {
    return sendJson(res, 404, { success: false, error: { code: 'NOT_FOUND', message: 'no route' } });
  }
  const chunks = [];
  let size = 0;
  req.on('data', (c) => {
    size += c.length;
    if (size > MAX_BODY) {
      sendJson(res, 413, { success: false, error: { code: 'BODY_TOO_LARGE', message: 'body too large' } });
      req.destroy();
    } else {
      chunks.push(c);
    }
  });
  req.on('end', () => {
    if (size > MAX_BODY) return;
    let body;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return sendJson(res, 400, { success: false, error: { code: 'INVALID_JSON', message: 'body is not JSON' } });
    }
    try {
      sendJson(res, 200, { success: true, delivered: emit(body) });
    } catch (e) {
      sendJson(res, 400, { success: false, error: { code: 'BAD_REQUEST', message: e.message } });
    }
  });
});

publicServer.listen(WS_PORT, HOST, () => {
  apiServer.listen(API_PORT, HOST, () => {
    console.log(`node peer listening ws=${HOST}:${WS_PORT} api=${HOST}:${API_PORT}`);
  });
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    io.close();
    apiServer.close();
    process.exit(0);
  });
}
