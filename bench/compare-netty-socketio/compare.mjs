#!/usr/bin/env node
// Runs the same client scenarios with the stock socket.io-client 4.8 against one server offering the scenario
// endpoints (/bench: echo, binary, binary-info, broadcast; /secure: the same behind auth.token == "letmein"),
// and prints/saves the results. Loopback targets only; every loop is bounded in count and time.
//
//   node compare.mjs --url http://127.0.0.1:PORT --label NAME [--connects 200] [--concurrency 10] [--out FILE]
//   node compare.mjs --table FILE.json [FILE.json ...]      # side-by-side table of saved results
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const requireFromKit = createRequire(path.join(here, '..', '..', 'test-support', 'node', 'package.json'));
let clientLib;
try {
  clientLib = requireFromKit('socket.io-client');
} catch {
  console.error('socket.io-client not installed: run scripts/setup-node.sh');
  process.exit(2);
}
const { io, Manager } = clientLib;
const CLIENT_VERSION = requireFromKit('socket.io-client/package.json').version;

const STALL_MS = 5000; // "stall": no connect within this
const STEP_MS = 5000; // deadline of every other single step (upgrade, ack, event)
const MAX_CONNECTS = 2000;
const CONNECT_BUDGET_MS = 180_000; // whole connect scenario; clients not started by then are reported

// ---------------------------------------------------------------- args
function parseArgs(argv) {
  const out = { connects: 200, concurrency: 10, label: null, url: null, out: null, table: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--url') out.url = val();
    else if (a === '--label') out.label = val();
    else if (a === '--connects') out.connects = Number(val());
    else if (a === '--concurrency') out.concurrency = Number(val());
    else if (a === '--out') out.out = val();
    else if (a === '--server-pid') out.serverPid = Number(val());
    else if (a === '--table') out.table = argv.slice(i + 1);
    else throw new Error(`unknown argument ${a}`);
    if (out.table) break;
  }
  return out;
}

function requireLoopback(url) {
  const { hostname, protocol } = new URL(url);
  if (protocol !== 'http:') throw new Error(`only http:// targets (got ${protocol})`);
  const host = hostname.replace(/^\[|\]$/g, '');
  if (!(host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host))) {
    throw new Error(`refusing non-loopback target ${hostname}: only 127.0.0.0/8, ::1 and localhost`);
  }
}

// ---------------------------------------------------------------- helpers
const now = () => performance.now();

// CPU seconds (user+system) a process used so far, from /proc; null when unknown.
function procCpuSeconds(pid) {
  if (!pid) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
  } catch {
    return null;
  }
}
const selfCpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const delay = (ms) => new Promise((r) => setTimeout(r, ms));

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timeout: ${what} (${ms} ms)`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function once(emitter, event) {
  return new Promise((resolve) => emitter.once(event, (...args) => resolve(args)));
}

function ackOf(socket, event, ...args) {
  return withTimeout(new Promise((resolve) => socket.emit(event, ...args, (...ack) => resolve(ack))), STEP_MS, `ack of ${event}`);
}

function pattern(len) {
  const b = Buffer.alloc(len);
  for (let i = 0; i < len; i++) b[i] = (i * 7 + 3) & 0xff;
  return b;
}

function percentile(sorted, p) {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function describeBinary(value, expected) {
  if (Buffer.isBuffer(value) || value instanceof ArrayBuffer || ArrayBuffer.isView(value)) {
    const buf = Buffer.isBuffer(value) ? value : Buffer.from(value.buffer ?? value, value.byteOffset ?? 0, value.byteLength);
    if (buf.equals(expected)) return 'ok';
    return `wrong bytes: ${buf.length} B, head ${buf.subarray(0, 4).toString('hex')} (want ${expected.length} B, head ${expected.subarray(0, 4).toString('hex')})`;
  }
  if (typeof value === 'string') return `got a string, not bytes (${value.length} chars)`;
  return `got ${value === null ? 'null' : typeof value}: ${JSON.stringify(value)?.slice(0, 60)}`;
}

// ---------------------------------------------------------------- scenario 1: default-transport connects
async function oneConnect(url) {
  const s = io(`${url}/bench`, { forceNew: true, reconnection: false, timeout: 20_000 });
  const t0 = now();
  const r = { connectMs: null, stalled: false, error: null, upgraded: false, echoOk: false };
  try {
    await withTimeout(
      new Promise((resolve, reject) => {
        s.once('connect', resolve);
        s.once('connect_error', (e) => reject(new Error(`connect_error: ${e.message}`)));
      }),
      STALL_MS,
      'connect',
    );
    r.connectMs = now() - t0;
    const engine = s.io.engine;
    if (engine.transport.name !== 'websocket') {
      await withTimeout(once(engine, 'upgrade'), STEP_MS, 'upgrade').catch(() => {});
    }
    r.upgraded = engine.transport.name === 'websocket';
    const ack = await ackOf(s, 'echo', 'ping').catch(() => null);
    r.echoOk = Array.isArray(ack) && ack[0] === 'ping';
  } catch (e) {
    if (String(e.message).startsWith('timeout')) r.stalled = true;
    else r.error = e.message;
  } finally {
    s.disconnect();
  }
  return r;
}

async function connects(url, count, concurrency) {
  const results = [];
  const deadline = now() + CONNECT_BUDGET_MS;
  let next = 0;
  const t0 = now();
  async function worker() {
    while (next < count && now() < deadline) {
      next++;
      results.push(await oneConnect(url));
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker));
  const ok = results.filter((r) => r.connectMs !== null);
  const lat = ok.map((r) => r.connectMs).sort((a, b) => a - b);
  const errors = {};
  for (const r of results) if (r.error) errors[r.error] = (errors[r.error] ?? 0) + 1;
  return {
    attempted: results.length,
    notStarted: count - results.length,
    connected: ok.length,
    stalled: results.filter((r) => r.stalled).length,
    errors,
    upgradedToWebSocket: ok.filter((r) => r.upgraded).length,
    echoAckOk: ok.filter((r) => r.echoOk).length,
    // not usable within the deadlines: no connect, or connected but the first echo ack never came
    unusable: results.filter((r) => !r.echoOk).length,
    connectMsP50: lat.length ? +percentile(lat, 50).toFixed(1) : null,
    connectMsP95: lat.length ? +percentile(lat, 95).toFixed(1) : null,
    connectMsMax: lat.length ? +lat[lat.length - 1].toFixed(1) : null,
    seconds: +((now() - t0) / 1000).toFixed(1),
  };
}

// ---------------------------------------------------------------- scenario 2: binary both ways
async function binaryOver(url, transports, size) {
  const label = transports ? transports.join('+') : 'default';
  const s = io(`${url}/bench`, { forceNew: true, reconnection: false, ...(transports ? { transports } : {}) });
  const disconnects = [];
  s.on('disconnect', (reason) => disconnects.push(reason));
  const r = { transport: label, upload: 'not run', ackDownload: 'not run', eventDownload: 'not run' };
  try {
    await withTimeout(
      new Promise((resolve, reject) => {
        s.once('connect', resolve);
        s.once('connect_error', (e) => reject(new Error(`connect_error: ${e.message}`)));
      }),
      STALL_MS,
      'connect',
    );
    if (!transports) {
      if (s.io.engine.transport.name !== 'websocket') {
        await withTimeout(once(s.io.engine, 'upgrade'), STEP_MS, 'upgrade').catch(() => {});
      }
    }
    r.transportUsed = s.io.engine.transport.name;
    const data = pattern(size);
    try {
      const [info] = await ackOf(s, 'binary-info', data);
      const want = data.subarray(0, 8).toString('hex');
      r.upload = info && info.len === size && info.head === want
        ? 'ok'
        : `server got ${info?.len} B, head ${info?.head} (sent ${size} B, head ${want})`;
    } catch (e) {
      r.upload = e.message;
    }
    // settled (never rejected) so a late ack cannot leave it unhandled
    const eventP = withTimeout(once(s, 'binary'), 2 * STEP_MS, "'binary' event").then((v) => ({ v }), (e) => ({ e }));
    try {
      const [back] = await ackOf(s, 'binary', data);
      r.ackDownload = describeBinary(back, data);
    } catch (e) {
      r.ackDownload = e.message;
    }
    const ev = await eventP;
    r.eventDownload = ev.e ? ev.e.message : describeBinary(ev.v[0], data);
  } catch (e) {
    r.upload = r.upload === 'not run' ? e.message : r.upload;
  } finally {
    if (disconnects.length) r.disconnects = disconnects;
    s.disconnect();
  }
  return r;
}

async function binary(url) {
  const out = [];
  for (const t of [['polling'], ['websocket'], null]) out.push(await binaryOver(url, t, 1024));
  return out;
}

// ---------------------------------------------------------------- scenario 3: refused auth
// WebSocket only, so the polling-upgrade stalls measured above cannot blur the auth results.
const AUTH_TRANSPORTS = ['websocket'];
// A refused socket is watched on the Engine.IO connection it shares with an admitted /bench socket (as a
// frontend multiplexing namespaces does), so packets the server still sends it are seen even though the
// client library drops them.
function multiplexed(url, auth) {
  const manager = new Manager(url, { reconnection: false, forceNew: true, transports: AUTH_TRANSPORTS });
  const rawSecureNews = [];
  const watch = () => {
    manager.engine?.on('packet', (p) => {
      if (p.type === 'message' && typeof p.data === 'string' && p.data.startsWith('2/secure,') && p.data.includes('"news"')) {
        rawSecureNews.push(p.data.slice(0, 120));
      }
    });
  };
  const bench = manager.socket('/bench');
  const secure = manager.socket('/secure', auth === undefined ? {} : { auth });
  watch();
  const outcome = withTimeout(
    new Promise((resolve) => {
      secure.once('connect', () => resolve('admitted'));
      secure.once('connect_error', (e) => resolve(`refused (${e.message})`));
    }),
    STEP_MS,
    '/secure outcome',
  ).catch((e) => e.message);
  const news = [];
  secure.on('news', (x) => news.push(x));
  return { manager, bench, secure, outcome, rawSecureNews, news };
}

async function refusedAuth(url) {
  const good = io(`${url}/secure`, { forceNew: true, reconnection: false, transports: AUTH_TRANSPORTS, auth: { token: 'letmein' } });
  const goodConnected = withTimeout(once(good, 'connect'), STALL_MS, 'authorized connect').then(() => true, () => false);
  const wrong = multiplexed(url, { token: 'wrong' });
  const none = multiplexed(url, undefined);
  const r = {};
  try {
    r.authorizedConnects = await goodConnected;
    r.wrongTokenOutcome = await wrong.outcome;
    r.noAuthOutcome = await none.outcome;
    await withTimeout(once(wrong.bench, 'connect'), STEP_MS, 'bench').catch(() => {});
    await withTimeout(once(none.bench, 'connect'), STEP_MS, 'bench').catch(() => {});
    const nonce = `hello-${Date.now()}`;
    const own = withTimeout(once(good, 'news'), STEP_MS, 'own news').then(() => true, () => false);
    good.emit('broadcast', nonce);
    r.authorizedGetsBroadcast = await own;
    await delay(1000); // window for the broadcast to reach anyone it (wrongly) reaches
    r.wrongTokenReceivesBroadcast = wrong.rawSecureNews.length > 0 || wrong.news.length > 0;
    r.noAuthReceivesBroadcast = none.rawSecureNews.length > 0 || none.news.length > 0;
  } finally {
    good.disconnect();
    for (const m of [wrong, none]) {
      m.bench.disconnect();
      m.secure.disconnect();
      m.manager.engine?.close();
    }
  }
  return r;
}

// ---------------------------------------------------------------- table
function cell(v) {
  if (v === null || v === undefined) return '-';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

function rows(result) {
  const c = result.connects;
  const out = [
    ['server', result.label],
    ['socket.io-client', result.client],
    [`connects (default transport), attempted`, c.attempted],
    [`  connected within ${STALL_MS / 1000} s`, c.connected],
    [`  stalled (no connect in ${STALL_MS / 1000} s)`, `${c.stalled} (${c.attempted ? ((100 * c.stalled) / c.attempted).toFixed(1) : 0} %)`],
    ['  connect errors', Object.keys(c.errors).length ? c.errors : 0],
    [`  upgraded to websocket within ${STEP_MS / 1000} s`, c.upgradedToWebSocket],
    [`  first echo ack within ${STEP_MS / 1000} s`, c.echoAckOk],
    ['  STALLED (no connect, or no echo ack)', `${c.unusable} (${c.attempted ? ((100 * c.unusable) / c.attempted).toFixed(1) : 0} %)`],
    ['  connect ms p50 / p95 / max', `${cell(c.connectMsP50)} / ${cell(c.connectMsP95)} / ${cell(c.connectMsMax)}`],
    ['  scenario seconds', c.seconds],
    ['  CPU s during connects: server / client', `${cell(c.serverCpuSeconds)} / ${cell(c.clientCpuSeconds)}`],
  ];
  for (const b of result.binary) {
    out.push([`binary ${b.transport}: upload (server saw)`, b.upload]);
    out.push([`binary ${b.transport}: download (ack)`, b.ackDownload]);
    out.push([`binary ${b.transport}: download (event)`, b.eventDownload]);
    out.push([`binary ${b.transport}: client disconnects`, b.disconnects ? b.disconnects.join(',') : 'none']);
  }
  const a = result.refusedAuth;
  out.push(['auth: valid token admitted', a.authorizedConnects]);
  out.push(['auth: valid client gets broadcast', a.authorizedGetsBroadcast]);
  out.push(['auth: wrong token', a.wrongTokenOutcome]);
  out.push(['auth: refused client receives broadcast', a.wrongTokenReceivesBroadcast]);
  out.push(['auth: CONNECT without auth', a.noAuthOutcome]);
  out.push(['auth: no-auth client receives broadcast', a.noAuthReceivesBroadcast]);
  return out;
}

function printTable(results) {
  const columns = results.map((r) => new Map(rows(r)));
  const names = [];
  for (const col of columns) for (const name of col.keys()) if (!names.includes(name)) names.push(name);
  const value = (col, name) => cell(col.get(name)).slice(0, 70);
  const width0 = Math.max(...names.map((n) => n.length));
  const widths = columns.map((col) => Math.max(...names.map((n) => value(col, n).length)));
  const line = (cells) => cells.map((c, i) => c.padEnd(i === 0 ? width0 : widths[i - 1])).join(' | ');
  console.log(line(['scenario', ...columns.map((col) => value(col, 'server'))]));
  console.log([width0, ...widths].map((w) => '-'.repeat(w)).join('-|-'));
  for (const name of names) if (name !== 'server') console.log(line([name, ...columns.map((col) => value(col, name))]));
}

// ---------------------------------------------------------------- main
async function main() {
  const args = parseArgs(process.argv.slice(2));
  if (args.table) {
    printTable(args.table.map((f) => JSON.parse(readFileSync(f, 'utf8'))));
    return;
  }
  if (!args.url) throw new Error('--url is required');
  requireLoopback(args.url);
  if (!(args.connects >= 1 && args.connects <= MAX_CONNECTS)) throw new Error(`--connects must be 1..${MAX_CONNECTS}`);
  if (!(args.concurrency >= 1 && args.concurrency <= 100)) throw new Error('--concurrency must be 1..100');
  const url = args.url.replace(/\/$/, '');
  const result = { label: args.label ?? url, url, client: CLIENT_VERSION, at: new Date().toISOString() };
  console.error(`[${result.label}] refused-auth scenario`);
  result.refusedAuth = await refusedAuth(url);
  console.error(`[${result.label}] binary scenario`);
  result.binary = await binary(url);
  console.error(`[${result.label}] ${args.connects} connects, concurrency ${args.concurrency}`);
  const server0 = procCpuSeconds(args.serverPid);
  const client0 = selfCpuSeconds();
  result.connects = await connects(url, args.connects, args.concurrency);
  const server1 = procCpuSeconds(args.serverPid);
  result.connects.serverCpuSeconds = server0 === null || server1 === null ? null : +(server1 - server0).toFixed(2);
  result.connects.clientCpuSeconds = +(selfCpuSeconds() - client0).toFixed(2);
  if (args.out) writeFileSync(args.out, JSON.stringify(result, null, 2));
  printTable([result]);
}

process.on('unhandledRejection', (e) => console.error(`compare.mjs: unhandled ${e?.message ?? e}`));

const hardStop = setTimeout(() => {
  console.error('compare.mjs: hard time limit (10 min) reached');
  process.exit(3);
}, 600_000);
hardStop.unref();

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`compare.mjs: ${e.message}`);
    process.exit(2);
  },
);
