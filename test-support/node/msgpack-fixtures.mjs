#!/usr/bin/env node
// Prints the MessagePack fixtures of the engine's msgpack parser tests (JSON on stdout), made by the real
// socket.io-msgpack-parser (and its notepack.io) installed here:
//   node msgpack-fixtures.mjs > ../../engine/core/src/test/resources/dev/switchboard/socketio/parser/msgpack-fixtures.json
// client: packets shaped as socket.io-client 4.8 builds them (CONNECT data undefined without auth, EVENT with
//         options.compress, ACK with id), encoded by the parser's Encoder: what the server must decode.
// server: the packets the server sends, in its field order {type, nsp, data, id}, encoded the same way: the bytes
//         the server's encoder must produce. Every fixture is checked to pass the parser's own Decoder.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const parser = require('socket.io-msgpack-parser');

// The packet as the parser's own Decoder reads it back (it throws when it refuses the bytes), with data as
// JSON.stringify makes of it (what the default parser would carry) and binary as {"$binary": base64}.
function decodeBack(bytes) {
  const decoder = new parser.Decoder();
  let decoded = null;
  decoder.on('decoded', (packet) => (decoded = packet));
  decoder.add(bytes);
  if (!decoded) throw new Error('not decoded');
  const binary = (v) => (v instanceof ArrayBuffer ? { $binary: Buffer.from(v).toString('base64') } : v);
  const data = decoded.data === undefined ? undefined : JSON.parse(JSON.stringify(decoded.data, function (key, v) {
    const raw = this[key]; // before Buffer.toJSON
    return Buffer.isBuffer(raw) ? { $binary: raw.toString('base64') } : binary(raw) === raw ? v : binary(raw);
  }));
  return { type: decoded.type, nsp: decoded.nsp, id: decoded.id ?? null, data: data ?? null };
}

function encode(packet) {
  const [bytes] = new parser.Encoder().encode(packet);
  return { hex: Buffer.from(bytes).toString('hex'), decoded: decodeBack(bytes) };
}

const str300 = 'x'.repeat(300);
const client = {
  connectWithoutAuth: { type: 0, data: undefined, nsp: '/' },
  connectWithAuth: { type: 0, data: { token: 'abc' }, nsp: '/secure' },
  eventWithAck: { type: 2, data: ['echo', 'hi', 42, { nested: true }], options: { compress: true }, id: 7, nsp: '/' },
  eventWithBinary: {
    type: 2,
    data: ['upload', { file: Buffer.from([1, 2, 3]) }, new Uint8Array([4, 5]), new Uint8Array([6, 7, 8]).buffer],
    options: { compress: true },
    nsp: '/files',
  },
  eventWithJsValues: {
    type: 2,
    data: ['types', undefined, null, NaN, Infinity, 1.5, -7, 2 ** 40, 2 ** 64, new Date(Date.UTC(2026, 11, 7, 6, 4, 0, 123)),
      { a: undefined, b: 1 }, true, false, 'é✓😀', str300],
    options: { compress: true },
    nsp: '/',
  },
  ack: { type: 3, id: 12, data: ['yes', 1], nsp: '/chat' },
  disconnect: { type: 1, nsp: '/chat' },
  largestAckId: { type: 2, data: ['e'], options: { compress: true }, id: 999999999999999, nsp: '/' },
  ackIdTooLarge: { type: 2, data: ['e'], options: { compress: true }, id: 1000000000000000, nsp: '/' },
};

const server = {
  connectReply: { type: 0, nsp: '/', data: { sid: 'abc' } },
  event: { type: 2, nsp: '/chat', data: ['hello', 1, 'two', { three: 3 }] },
  eventWithAck: { type: 2, nsp: '/', data: ['q', null], id: 42 },
  eventWithBinary: { type: 2, nsp: '/files', data: ['upload', { name: 'a.bin', bytes: Buffer.from([1, 2, 3]) }] },
  ack: { type: 3, nsp: '/', data: ['ok'], id: 7 },
  connectError: { type: 4, nsp: '/nope', data: { message: 'Invalid namespace' } },
  disconnect: { type: 1, nsp: '/x' },
  numbersAndStrings: {
    type: 2,
    nsp: '/',
    data: ['n', 0, 127, 128, 255, 256, 65536, 2 ** 32, -1, -33, -129, -40000, -(2 ** 32), 1.5, 'é✓😀', str300],
  },
};

const out = {
  generatedBy: 'test-support/node/msgpack-fixtures.mjs',
  parser: `socket.io-msgpack-parser ${require('socket.io-msgpack-parser/package.json').version}`,
  client: Object.fromEntries(Object.entries(client).map(([k, p]) => [k, encode(p)])),
  server: Object.fromEntries(Object.entries(server).map(([k, p]) => [k, encode(p)])),
};
process.stdout.write(JSON.stringify(out, null, 2) + '\n');
