#!/usr/bin/env node
// socket.io-client's browser bundle in headless Chromium (Debian's /usr/bin/chromium via playwright-core), on a page
// served from ANOTHER origin than the server's: a tiny static HTTP server on 127.0.0.1:<port> serves the page and
// node_modules/socket.io-client/dist/socket.io.min.js. Remote-controlled by JSON lines, the same protocol as
// test-support/python/sio_client.py (one Manager = one Engine.IO connection multiplexing the given namespaces):
//
//   node browser-driver.mjs [port]        (port 0 or none = any free port)
//   stdout first: {"type":"ready","origin":"http://127.0.0.1:<port>","browser":"<version>","client":"4.8.4"}
//   {"cmd":1,"op":"connect","url":"http://127.0.0.1:3007","namespaces":["/mcp","/echo"],"transports":null,"timeoutMs":10000}
//   {"cmd":2,"op":"call","namespace":"/mcp","event":"join","args":[{"room":"r"}],"timeoutMs":5000} -> "ack": [...]
//   {"cmd":3,"op":"emit","namespace":"/mcp","event":"x","args":[...]}
//   {"cmd":4,"op":"disconnect"}
//   events: {"type":"event","namespace":"/mcp","name":"...","args":[...]}   binary as {"$binary":"<base64>"}
// Exits when stdin closes. Diagnostics (page errors, console) go to stderr.
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import readline from 'node:readline';
import { chromium } from 'playwright-core';

// the package's "exports" hide dist/: read it from this folder's node_modules
const CLIENT_DIR = join(dirname(fileURLToPath(import.meta.url)), 'node_modules', 'socket.io-client');
const BUNDLE = readFileSync(join(CLIENT_DIR, 'dist', 'socket.io.min.js'));
const CLIENT_VERSION = JSON.parse(readFileSync(join(CLIENT_DIR, 'package.json'), 'utf8')).version;
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

// Runs in the page. window.sb.<op>(msg) returns a promise of the reply fields; events go to window.sbReport.
const PAGE_SCRIPT = `
(() => {
  const sockets = {};
  let manager = null;
  const toB64 = (view) => { let s = ''; for (const b of view) s += String.fromCharCode(b); return btoa(s); };
  const fromB64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0)).buffer;
  const encode = (v) => {
    if (v instanceof ArrayBuffer) return { $binary: toB64(new Uint8Array(v)) };
    if (ArrayBuffer.isView(v)) return { $binary: toB64(new Uint8Array(v.buffer, v.byteOffset, v.byteLength)) };
    if (Array.isArray(v)) return v.map(encode);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, encode(x)]));
    return v === undefined ? null : v;
  };
  const decode = (v) => {
    if (Array.isArray(v)) return v.map(decode);
    if (v && typeof v === 'object') {
      const keys = Object.keys(v);
      if (keys.length === 1 && keys[0] === '$binary') return fromB64(v.$binary);
      return Object.fromEntries(keys.map((k) => [k, decode(v[k])]));
    }
    return v;
  };
  const socketOf = (ns) => { const s = sockets[ns]; if (!s) throw new Error('not connected to ' + ns); return s; };
  window.sb = {
    connect(msg) {
      if (manager) throw new Error('already connected');
      const opts = { reconnection: false, timeout: msg.timeoutMs ?? 10000 };
      if (msg.transports) opts.transports = msg.transports;
      manager = new io.Manager(msg.url, opts);
      return new Promise((resolve, reject) => {
        let waiting = msg.namespaces.length;
        const timer = setTimeout(() => reject(new Error('no connect within ' + opts.timeout + ' ms')), opts.timeout);
        for (const ns of msg.namespaces) {
          const s = manager.socket(ns);
          sockets[ns] = s;
          s.onAny((name, ...args) => window.sbReport(JSON.stringify({ type: 'event', namespace: ns, name, args: encode(args) })));
          s.on('connect_error', (e) => { clearTimeout(timer); reject(new Error('connect_error on ' + ns + ': ' + e.message)); });
          s.on('connect', () => {
            if (--waiting === 0) {
              clearTimeout(timer);
              resolve({ sid: s.id, transport: manager.engine.transport.name, origin: location.origin });
            }
          });
        }
      });
    },
    call(msg) {
      const s = socketOf(msg.namespace);
      return new Promise((resolve, reject) => {
        const timeoutMs = msg.timeoutMs ?? 5000;
        const timer = setTimeout(() => reject(new Error('ack timeout after ' + timeoutMs + ' ms')), timeoutMs);
        s.emit(msg.event, ...decode(msg.args ?? []), (...ack) => { clearTimeout(timer); resolve({ ack: encode(ack) }); });
      });
    },
    emit(msg) {
      socketOf(msg.namespace).emit(msg.event, ...decode(msg.args ?? []));
      return { sent: true };
    },
    disconnect() {
      for (const [ns, s] of Object.entries(sockets)) {
        s.disconnect();
        delete sockets[ns];
      }
      manager = null; // the next connect opens a new connection
      return {};
    },
  };
})();
`;
const PAGE = `<!doctype html><meta charset="utf-8"><title>compat</title>
<script src="/socket.io.min.js"></script><script>${PAGE_SCRIPT}</script>`;

const write = (obj) => process.stdout.write(JSON.stringify(obj) + '\n');

const http = createServer((req, res) => {
  if (req.url === '/') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(PAGE);
  } else if (req.url === '/socket.io.min.js') {
    res.writeHead(200, { 'content-type': 'text/javascript' }).end(BUNDLE);
  } else {
    res.writeHead(404).end();
  }
});
await new Promise((resolve) => http.listen(Number(process.argv[2] ?? 0), '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${http.address().port}`;

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  timeout: 30000,
});
const page = await browser.newPage();
page.on('pageerror', (e) => process.stderr.write(`browser-driver page error: ${e.message}\n`));
page.on('console', (m) => process.stderr.write(`browser-driver console.${m.type()}: ${m.text()}\n`));
await page.exposeFunction('sbReport', (line) => process.stdout.write(line + '\n'));
await page.goto(origin + '/', { timeout: 15000 });
await page.waitForFunction(() => typeof window.sb === 'object' && typeof window.io === 'function', null, { timeout: 15000 });

let closing = false;
async function shutdown() {
  if (closing) return;
  closing = true;
  await browser.close().catch(() => {});
  http.close();
  process.exit(0);
}

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => {
  if (!line.trim()) return;
  let msg;
  try {
    msg = JSON.parse(line);
  } catch (e) {
    write({ type: 'reply', cmd: null, ok: false, error: `bad JSON: ${e.message}` });
    return;
  }
  page.evaluate(([op, m]) => {
    const fn = window.sb[op];
    if (typeof fn !== 'function') throw new Error(`unknown op '${op}'`);
    return fn(m);
  }, [msg.op, msg])
    .then((fields) => write({ type: 'reply', cmd: msg.cmd ?? null, ok: true, ...fields }))
    .catch((e) => write({ type: 'reply', cmd: msg.cmd ?? null, ok: false, error: e?.message ?? String(e) }));
});
rl.on('close', shutdown);
process.on('SIGTERM', shutdown);

write({ type: 'ready', origin, browser: browser.version(), client: CLIENT_VERSION });
