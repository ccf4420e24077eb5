#!/usr/bin/env node
// Control column: the Node socket.io 4.8 server (what users run today) with the comparison's scenario
// endpoints, on its defaults. node node-scenario-server.mjs PORT  -> prints {"type":"listening","port":N}
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, '..', '..', 'test-support', 'node', 'package.json'));
const { Server } = require('socket.io');
const version = require('socket.io/package.json').version;

const http = createServer((req, res) => res.writeHead(404).end());
const io = new Server(http);

function wire(ns) {
  ns.on('connection', (socket) => {
    socket.on('echo', (data, ack) => (typeof ack === 'function' ? ack(data) : socket.emit('echo', data)));
    socket.on('binary', (data, ack) => {
      if (typeof ack === 'function') ack(data);
      socket.emit('binary', data);
    });
    socket.on('binary-info', (data, ack) => {
      const buf = Buffer.isBuffer(data) ? data : Buffer.alloc(0);
      if (typeof ack === 'function') ack({ len: Buffer.isBuffer(data) ? buf.length : -1, head: buf.subarray(0, 8).toString('hex') });
    });
    socket.on('broadcast', (data) => ns.emit('news', data));
  });
}

wire(io.of('/bench'));
const secure = io.of('/secure');
secure.use((socket, next) => {
  if (socket.handshake.auth?.token === 'letmein') return next();
  const err = new Error('not authorized');
  err.data = { code: 401 };
  next(err);
});
wire(secure);

http.listen(Number(process.argv[2] ?? 0), '127.0.0.1', () => {
  console.log(JSON.stringify({ type: 'listening', port: http.address().port, server: `node socket.io ${version}` }));
});
process.on('SIGTERM', () => {
  io.close();
  process.exit(0);
});
