#!/usr/bin/env node
// Minimal Node socket.io 4.8 server used by the test kit's self-test (and handy as a reference peer).
// Prints one JSON line {"type":"listening","port":N} on stdout once bound to 127.0.0.1 (port 0 = ephemeral).
//   node echo-server.mjs [port]
// Namespaces:
//   /        echo (acks its args back), binary (acks Buffer back reversed), broadcast (to every socket of "/"),
//            ask (server emitWithAck to the caller; reports the answer by emitting 'asked'), kick (server disconnect)
//   /secure  refuses a CONNECT unless auth.token === "letmein" (error "not authorized", data {code: 401})
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.argv[2] ?? 0);
const http = createServer((req, res) => {
  res.writeHead(404).end();
});
const io = new Server(http, { allowEIO3: true, maxHttpBufferSize: 1e6 });

function wire(socket) {
  socket.emit('welcome', { sid: socket.id, nsp: socket.nsp.name });
  socket.on('echo', (...args) => {
    const ack = typeof args[args.length - 1] === 'function' ? args.pop() : null;
    if (ack) ack(...args);
    else socket.emit('echo', ...args);
  });
  socket.on('binary', (buf, ack) => {
    if (!Buffer.isBuffer(buf)) {
      socket.emit('error-reply', { event: 'binary', message: 'expected binary payload' });
      return;
    }
    const copy = Buffer.from(buf).reverse();
    if (typeof ack === 'function') ack(copy);
    else socket.emit('binary', copy);
  });
  socket.on('broadcast', (payload) => socket.nsp.emit('broadcast', payload));
  socket.on('ask', async (question) => {
    try {
      const answer = await socket.timeout(5000).emitWithAck('question', question);
      socket.emit('asked', answer);
    } catch (e) {
      socket.emit('asked', { error: e.message });
    }
  });
  socket.on('kick', () => socket.disconnect(true));
}

io.on('connection', wire);
io.of('/secure')
  .use((socket, next) => {
    if (socket.handshake.auth?.token === 'letmein') return next();
    const err = new Error('not authorized');
    err.data = { code: 401 };
    next(err);
  })
  .on('connection', wire);

http.listen(port, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ type: 'listening', port: http.address().port }) + '\n');
});

const stop = () => {
  io.close();
  setTimeout(() => process.exit(0), 100).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.stdin.on('end', stop); // parent closed our stdin: go away with it
process.stdin.resume();
