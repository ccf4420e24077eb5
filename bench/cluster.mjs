// Scale-out benchmark: N Switchboard nodes sharing one Redis against N Node socket.io 4.8 processes on
// @socket.io/redis-adapter, the same number of connections spread over the nodes (one load-generator process per
// node, each from its own 127.x source addresses, each at most 19,000 connections: one process may hold 20,000
// open files here). Measures per node connect time, RSS per connection and CPU; a namespace-wide POST /emit to
// node 1 reaching every socket (delivery ratio, p50/p99/max emit -> receive); a ladder of broadcast rates to
// everyone (the highest with p99 < 1 s); Redis CPU and bytes out per broadcast; then a projection to 1,000,000
// connections from the per-node figures. Started by bench/cluster.sh; writes bench/results/<date>-cluster*.{md,json}.
// Bounded: every count, every wait has a deadline, every child is killed at exit; loopback only.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

import { SWITCHBOARD_BENCH_ENV, childProcesses, cpuMs, freePort, rssKb, sleep, startServer } from './lib/processes.mjs';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.dirname(BENCH);
const HARNESS = path.join(BENCH, 'harness/target/bench-harness.jar');
const t0 = Date.now();

// ---------- options (flags win over env) ----------
const argv = process.argv.slice(2);
const opt = (name, env, def) => {
  const i = argv.indexOf(name);
  if (i >= 0 && argv[i + 1]) return argv[i + 1];
  return process.env[env] || def;
};
const PER_PROCESS_CAP = 19000;
const nodes = Number(opt('--nodes', 'NODES', 6));
const connections = Number(opt('--connections', 'CONNECTIONS', 100000));
const perNode = Math.min(PER_PROCESS_CAP, Math.ceil(connections / nodes));
const targets = opt('--targets', 'TARGETS', 'switchboard,node').split(',');
const rates = opt('--rates', 'RATES', '0.25,0.5,1,2,4').split(',').map(Number);
const singles = Number(opt('--singles', 'SINGLES', 3));
const stepSeconds = Number(opt('--step-seconds', 'STEP_SECONDS', 8));
const minStepEmits = Number(opt('--step-emits', 'STEP_EMITS', 4));
const stopP99Ms = Number(opt('--stop-p99-ms', 'STOP_P99_MS', 1000));
const pad = Number(opt('--pad', 'PAD', 64));
const loadgenThreads = Number(opt('--loadgen-threads', 'LOADGEN_THREADS', 1));
// the hook for issue #20 part 2: REDIS_ADAPTER=sharded is handed to every node (both kinds) unchanged
const redisAdapter = process.env.REDIS_ADAPTER || 'classic';
const tag = opt('--tag', 'TAG', '');
const budgetMs = Number(opt('--budget-min', 'BUDGET_MIN', 30)) * 60000;
const PROD_JAVA_OPTS = '-Xms64m -Xmx512m -XX:+UseG1GC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:G1PeriodicGCInterval=30000 -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError';
const sbJavaOpts = (process.env.SB_JAVA_OPTS || PROD_JAVA_OPTS).split(' ').filter(Boolean);
const stamp = new Date().toISOString().slice(0, 10) + '-cluster' + (tag ? `-${tag}` : '');
const resultsDir = path.join(BENCH, 'results');
const logDir = path.join(resultsDir, 'logs', stamp);
fs.rmSync(logDir, { recursive: true, force: true });
fs.mkdirSync(logDir, { recursive: true });
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-cluster-'));

const SB_JAR = process.env.SB_JAR ? path.resolve(process.env.SB_JAR) : path.join(REPO, 'server/app/target/switchboard.jar');
let SB_RUN_JAR = SB_JAR;

// ---------- children ----------
const children = childProcesses({ log: (m) => log(m), cleanup: () => fs.rmSync(workDir, { recursive: true, force: true }) });
const killAll = () => children.killAll();
const track = (proc) => children.track(proc);

function log(msg) {
  process.stderr.write(`[cluster +${((Date.now() - t0) / 1000).toFixed(0)}s] ${msg}\n`);
}
const nowNs = () => process.hrtime.bigint(); // CLOCK_MONOTONIC, the clock of the load generators' System.nanoTime()


// ---------- Redis ----------
async function startRedis(ports) {
  const port = await freePort(ports);
  const dir = fs.mkdtempSync(path.join(workDir, 'redis-'));
  const out = fs.openSync(path.join(logDir, `redis-${port}.log`), 'w');
  const proc = track(spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no',
    '--dir', dir, '--client-output-buffer-limit', 'pubsub 256mb 128mb 60'], { stdio: ['ignore', out, out] }));
  fs.closeSync(out);
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline) {
    if (redisCli(port, ['PING']) === 'PONG') return { port, pid: proc.pid, proc };
    await sleep(100);
  }
  throw new Error('redis-server did not answer PING within 15 s');
}
function redisCli(port, args) {
  const r = spawnSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { encoding: 'utf8', timeout: 5000 });
  return (r.stdout || '').trim();
}
/**
 * Redis CPU (INFO cpu, µs resolution) and bytes in/out. The INFO reply itself is counted in the next reading's
 * bytes out: `infoBytes` lets the caller take it off.
 */
function redisStats(redis) {
  const text = redisCli(redis.port, ['INFO', 'stats', 'cpu']);
  const num = (k) => {
    const m = text.match(new RegExp(`^${k}:([\\d.]+)`, 'm'));
    return m ? Number(m[1]) : NaN;
  };
  return { cpuMs: (num('used_cpu_sys') + num('used_cpu_user')) * 1000, bytesOut: num('total_net_output_bytes'),
    bytesIn: num('total_net_input_bytes'), infoBytes: Buffer.byteLength(text) + 16, at: Date.now() };
}
/** What Redis does with nobody emitting (node heartbeats, pings): per second, to take off the broadcast figures. */
async function redisIdleRate(redis, ms) {
  const a = redisStats(redis);
  await sleep(ms);
  const b = redisStats(redis);
  const s = (b.at - a.at) / 1000;
  return { cpuMsPerSec: (b.cpuMs - a.cpuMs) / s, bytesOutPerSec: (b.bytesOut - a.bytesOut - a.infoBytes) / s, seconds: s };
}

// ---------- nodes ----------
async function startNode(kind, i, redis, ports) {
  const wsPort = await freePort(ports);
  const apiPort = await freePort(ports);
  const env = { ...process.env, WS_PORT: String(wsPort), API_PORT: String(apiPort), HOST: '127.0.0.1',
    REDIS_URL: `redis://127.0.0.1:${redis.port}` };
  if (process.env.REDIS_ADAPTER) env.REDIS_ADAPTER = process.env.REDIS_ADAPTER;
  let cmd;
  let args;
  if (kind === 'switchboard') {
    Object.assign(env, SWITCHBOARD_BENCH_ENV);
    cmd = 'java';
    args = [...sbJavaOpts, '-jar', SB_RUN_JAR];
  } else {
    cmd = 'node';
    args = [path.join(BENCH, 'node/server.mjs')];
  }
  const logFile = path.join(logDir, `${kind}-${i + 1}.log`);
  const { proc, exited } = await startServer({ name: `${kind} node ${i + 1}`, cmd, args, env, cwd: REPO, logFile,
    apiPort, children, timeoutMs: 90000, pollMs: 250 });
  return { kind, i, proc, pid: proc.pid, wsPort, apiPort, logFile, exited };
}

async function stopNode(node) {
  if (node.exited()) return node.exited();
  node.proc.kill('SIGTERM');
  for (let k = 0; k < 100 && !node.exited(); k++) await sleep(100);
  if (!node.exited()) node.proc.kill('SIGKILL');
  for (let k = 0; k < 50 && !node.exited(); k++) await sleep(100);
  return node.exited();
}

// ---------- load generators (one per node) ----------
function startLoadgen(node, srcNet, n, maxRunMs) {
  const args = ['-Xms32m', '-Xmx1g', '-jar', HARNESS, 'loadgen', 'mode=cluster', `threads=${loadgenThreads}`,
    `srcNet=${srcNet}`, 'srcCount=4', `maxRunMs=${maxRunMs}`, `wsPort=${node.wsPort}`, `apiPort=${node.apiPort}`,
    `serverPid=${node.pid}`, `n=${n}`, 'ns=/mcp', 'event=bench', 'conc=200', 'connectTimeoutMs=180000', 'settleMs=3000'];
  const proc = track(spawn('java', args, { stdio: ['pipe', 'pipe', 'pipe'] }));
  const waiting = new Map(); // tag -> resolve
  const gen = { proc, pid: proc.pid, stderr: [], ready: null, exited: null };
  readline.createInterface({ input: proc.stdout }).on('line', (line) => {
    const sp = line.indexOf(' ');
    const tagName = sp > 0 ? line.slice(0, sp) : line;
    let body = null;
    try {
      body = JSON.parse(line.slice(sp + 1));
    } catch {
      return;
    }
    const w = waiting.get(tagName);
    if (w) {
      waiting.delete(tagName);
      w(body);
    }
  });
  readline.createInterface({ input: proc.stderr }).on('line', (l) => {
    if (gen.stderr.length < 50) gen.stderr.push(l);
  });
  proc.on('exit', (code) => {
    gen.exited = code;
    for (const w of waiting.values()) w(null);
    waiting.clear();
  });
  gen.expect = (tagName, timeoutMs) => new Promise((resolve) => {
    const timer = setTimeout(() => {
      waiting.delete(tagName);
      resolve(null);
    }, timeoutMs);
    waiting.set(tagName, (b) => {
      clearTimeout(timer);
      resolve(b);
    });
  });
  gen.ask = (cmd, tagName, timeoutMs = 10000) => {
    const p = gen.expect(tagName, timeoutMs);
    proc.stdin.write(cmd + '\n');
    return p;
  };
  gen.send = (cmd) => proc.stdin.write(cmd + '\n');
  return gen;
}

// ---------- emits ----------
const emitBody = (tNs) => JSON.stringify({ namespace: '/mcp', event: 'bench', data: { t: Number(tNs), p: 'x'.repeat(pad) } });
async function postEmit(node, tNs) {
  try {
    const res = await fetch(`http://127.0.0.1:${node.apiPort}/emit`, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: emitBody(tNs), signal: AbortSignal.timeout(30000) });
    const text = await res.text();
    return { status: res.status, body: text.slice(0, 200) };
  } catch (e) {
    return { status: 0, body: String(e).slice(0, 200) };
  }
}

const perDelivered = (cpuMs, connected, count) => cpuMs.map((c, i) => (connected[i] ? (c * 1000) / (connected[i] * count) : null));

/** Merges the load generators' sparse histograms ([[micros, count]...]) and reads percentiles from the sum. */
function merged(reports) {
  const counts = new Map();
  for (const r of reports) for (const [v, c] of r?.latencyMicros || []) counts.set(v, (counts.get(v) || 0) + c);
  const values = [...counts.entries()].sort((a, b) => a[0] - b[0]);
  const total = values.reduce((s, [, c]) => s + c, 0);
  const pct = (p) => {
    if (!total) return null;
    const want = Math.ceil((p / 100) * total);
    let seen = 0;
    for (const [v, c] of values) {
      seen += c;
      if (seen >= want) return v / 1000;
    }
    return values[values.length - 1][0] / 1000;
  };
  return { timed: total, p50Ms: pct(50), p99Ms: pct(99), maxMs: total ? values[values.length - 1][0] / 1000 : null };
}

async function countAll(gens) {
  const counts = await Promise.all(gens.map((g) => g.ask('count', 'COUNT', 5000)));
  return counts.reduce((s, c) => s + (c ? c.receivedInWindow : 0), 0);
}

/**
 * Open loop: `count` emits to node 1 at `rate`/s, emit k due at start + k/rate and carrying that intended time;
 * then waits (bounded) until every socket has every emit. Returns the step's figures.
 */
async function broadcastStep(target, rate, count, expectedPerEmit, drainMs) {
  const { gens, nodesUp, redis, redisIdle } = target;
  const startNs = nowNs() + 300_000_000n;
  const periodNs = BigInt(Math.round(1e9 / rate));
  const endNs = startNs + periodNs * BigInt(count);
  for (const g of gens) g.send(`window ${startNs} ${endNs}`); // read long before the first emit is due
  const cpu0 = nodesUp.map((n) => cpuMs(n.pid));
  const gcpu0 = gens.map((g) => cpuMs(g.pid));
  const r0 = redisStats(redis);
  const posts = [];
  for (let k = 0; k < count; k++) {
    const due = startNs + periodNs * BigInt(k);
    const waitMs = Number(due - nowNs()) / 1e6;
    if (waitMs > 0) await sleep(waitMs);
    posts.push(postEmit(nodesUp[0], due));
  }
  const answers = await Promise.all(posts);
  const expected = expectedPerEmit * count;
  const deadline = Date.now() + drainMs;
  let got = await countAll(gens);
  while (got < expected && Date.now() < deadline) {
    await sleep(200);
    got = await countAll(gens);
  }
  const seconds = Number(nowNs() - startNs) / 1e9;
  const r1 = redisStats(redis);
  const cpu = nodesUp.map((n, i) => cpuMs(n.pid) - cpu0[i]);
  const gcpu = gens.map((g, i) => cpuMs(g.pid) - gcpu0[i]);
  const reports = await Promise.all(gens.map((g) => g.ask('report', 'REPORT', 15000)));
  const lat = merged(reports);
  const received = reports.reduce((s, r) => s + (r ? r.receivedInWindow : 0), 0);
  const closed = reports.reduce((s, r) => s + (r ? r.closedByServer : 0), 0);
  return {
    rate, emits: count, expected, received, deliveryRatio: expected ? received / expected : null, ...lat,
    emitErrors: answers.filter((a) => a.status !== 200).length, firstEmitAnswer: answers[0],
    closedByServer: closed, seconds,
    // per message the node had to deliver (its connected clients x emits): arrivals after the drain deadline were
    // still paid for within the step
    nodeCpuMs: cpu, nodeCpuMsPerBroadcast: cpu.map((c) => c / count), nodeCpuMicrosPerDelivered: perDelivered(cpu, reports.map((r) => r?.connected), count),
    loadgenCpuMs: gcpu,
    // minus the idle rate over the step and the INFO reply of the first reading
    redisCpuMsPerBroadcast: Math.max(0, r1.cpuMs - r0.cpuMs - redisIdle.cpuMsPerSec * (r1.at - r0.at) / 1000) / count,
    redisBytesOutPerBroadcast: Math.max(0, r1.bytesOut - r0.bytesOut - r0.infoBytes - redisIdle.bytesOutPerSec * (r1.at - r0.at) / 1000) / count,
    redisBytesInPerBroadcast: (r1.bytesIn - r0.bytesIn) / count,
    loadavg1: os.loadavg()[0],
  };
}

// ---------- one target ----------
async function runTarget(kind, idx) {
  const entry = { kind, nodes, perNode, redisAdapter, loadavgAtStart: os.loadavg(), nodeStats: [], singles: [], ladder: [] };
  const ports = new Set();
  const redis = await startRedis(ports);
  entry.redisBefore = redisStats(redis);
  const nodesUp = [];
  const gens = [];
  try {
    log(`${kind}: starting ${nodes} nodes on redis :${redis.port} (adapter ${redisAdapter})`);
    const started = Date.now();
    for (let i = 0; i < nodes; i++) nodesUp.push(await startNode(kind, i, redis, ports));
    entry.startSeconds = (Date.now() - started) / 1000;
    await sleep(2000);
    // one load generator per node, one after the other: each node's connect time is its own
    const maxRunMs = 30 * 60000;
    for (const node of nodesUp) {
      const srcNet = `127.${40 + idx}.${node.i + 1}`;
      const rssIdle = rssKb(node.pid);
      const gen = startLoadgen(node, srcNet, perNode, maxRunMs);
      gens.push(gen);
      const ready = await gen.expect('READY', 240000);
      if (!ready) throw new Error(`${kind} node ${node.i + 1}: load generator not ready (${gen.stderr.slice(-3).join(' | ')})`);
      const perConnKiB = ready.ready ? ((ready.serverRssAfterKb - ready.serverRssBeforeKb) / ready.ready) : null;
      entry.nodeStats.push({ node: node.i + 1, srcNet, rssIdleKb: rssIdle, ...ready, rssPerConnKiB: perConnKiB,
        serverCpuMsPerConnect: ready.ready ? ready.serverCpuMsConnect / ready.ready : null });
      log(`${kind} node ${node.i + 1}: ${ready.ready}/${perNode} in ${ready.connectMs} ms, ${perConnKiB?.toFixed(1)} KiB/conn` +
        (ready.failed ? `, ${ready.failed} failed: ${ready.errors?.[0]}` : ''));
    }
    await sleep(3000);
    entry.rssAllConnectedKb = nodesUp.map((n) => rssKb(n.pid));
    try {
      entry.health = await (await fetch(`http://127.0.0.1:${nodesUp[0].apiPort}/health`, { signal: AbortSignal.timeout(5000) })).json();
    } catch (e) {
      entry.health = String(e);
    }
    const connectedTotal = entry.nodeStats.reduce((s, x) => s + x.ready, 0);
    entry.connectedTotal = connectedTotal;
    entry.redisIdle = await redisIdleRate(redis, 5000);
    const target = { gens, nodesUp, redis, redisIdle: entry.redisIdle };
    // single broadcasts: one emit, wait for it everywhere, again
    for (let k = 0; k < singles; k++) {
      const s = await broadcastStep(target, 1, 1, connectedTotal, 20000);
      entry.singles.push(s);
      log(`${kind} single ${k + 1}: ${s.received}/${s.expected} p50 ${s.p50Ms} p99 ${s.p99Ms} max ${s.maxMs} ms, redis ${s.redisBytesOutPerBroadcast} B out`);
      await sleep(1000);
    }
    for (const rate of rates) {
      if (Date.now() - t0 > budgetMs) {
        entry.ladderCutByBudget = rate;
        log(`budget spent: ladder stops before ${rate}/s`);
        break;
      }
      const count = Math.max(minStepEmits, Math.round(rate * stepSeconds));
      const s = await broadcastStep(target, rate, count, connectedTotal, 15000);
      s.sustained = s.p99Ms != null && s.p99Ms < stopP99Ms && s.deliveryRatio >= 0.999 && s.emitErrors === 0 && s.closedByServer === 0;
      entry.ladder.push(s);
      log(`${kind} ${rate}/s x${count}: delivered ${(s.deliveryRatio * 100).toFixed(2)}% p50 ${s.p50Ms} p99 ${s.p99Ms} max ${s.maxMs} ms, node CPU ${s.nodeCpuMs.map((c) => Math.round(c / 10 / s.seconds)).join('/')} %`);
      if (!s.sustained) break;
      await sleep(1000);
    }
  } finally {
    for (const g of gens) if (g.exited == null) g.send('end');
    await Promise.all(gens.map(async (g) => {
      for (let k = 0; k < 100 && g.exited == null; k++) await sleep(100);
      if (g.exited == null) g.proc.kill('SIGKILL');
    }));
    entry.nodeExits = [];
    for (const n of nodesUp) entry.nodeExits.push(await stopNode(n));
    entry.redisAfter = redisStats(redis);
    redis.proc.kill('SIGTERM');
    entry.loadavgAtEnd = os.loadavg();
  }
  return entry;
}

// ---------- summary and projection ----------
const med = (xs) => {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};
const f0 = (x) => (x == null || !Number.isFinite(x) ? '–' : Math.round(x).toLocaleString('en-US'));
const f1 = (x) => (x == null || !Number.isFinite(x) ? '–' : x.toFixed(1));
const f2 = (x) => (x == null || !Number.isFinite(x) ? '–' : x.toFixed(2));

function summarize(e) {
  const best = e.ladder.filter((s) => s.sustained).pop();
  const single = e.singles;
  const cpuStep = [...e.ladder.filter((s) => s.sustained)].sort((a, b) => b.emits - a.emits)[0] || e.ladder[0];
  return {
    connected: e.connectedTotal,
    connectMsMedian: med(e.nodeStats.map((x) => x.connectMs)),
    rssPerConnKiBMedian: med(e.nodeStats.map((x) => x.rssPerConnKiB)),
    rssPerConnKiBMax: Math.max(...e.nodeStats.map((x) => x.rssPerConnKiB)),
    rssBaseMiBMedian: med(e.nodeStats.map((x) => x.serverRssBeforeKb / 1024)),
    rssTotalMiB: (e.rssAllConnectedKb || []).reduce((s, x) => s + x, 0) / 1024,
    cpuMsPerConnectMedian: med(e.nodeStats.map((x) => x.serverCpuMsPerConnect)),
    singleDeliveryRatioMin: single.length ? Math.min(...single.map((s) => s.deliveryRatio)) : null,
    singleP50Ms: med(single.map((s) => s.p50Ms)),
    singleP99Ms: med(single.map((s) => s.p99Ms)),
    singleMaxMs: single.length ? Math.max(...single.map((s) => s.maxMs ?? NaN)) : null,
    redisCpuMsPerBroadcast: cpuStep ? cpuStep.redisCpuMsPerBroadcast : null,
    redisBytesOutPerBroadcast: cpuStep ? cpuStep.redisBytesOutPerBroadcast : null,
    // CPU from the sustained ladder step with the most emits (10 ms clock ticks: singles are too coarse)
    nodeCpuMsPerBroadcast: med((cpuStep || {}).nodeCpuMsPerBroadcast || []),
    nodeCpuMicrosPerDelivered: med((cpuStep || {}).nodeCpuMicrosPerDelivered || []),
    firstNodeCpuMsPerBroadcast: cpuStep ? cpuStep.nodeCpuMsPerBroadcast[0] : null,
    cpuFromStep: cpuStep ? `${cpuStep.rate}/s x ${cpuStep.emits}` : null,
    maxRateP99Under1s: best ? best.rate : null,
    maxRateDeliveredPerSec: best ? best.received / best.seconds : null,
  };
}

function projection(kind, s) {
  // per node: a node of C connections needs base + C x perConn of memory; a broadcast to all costs each node
  // (its connections x CPU per delivered message); Redis sends each broadcast once to every node (classic adapter)
  const target = 1_000_000;
  const rows = [];
  for (const perNodeConns of [19000, 50000, 100000]) {
    const n = Math.ceil(target / perNodeConns);
    const memMiB = s.rssBaseMiBMedian + (perNodeConns * s.rssPerConnKiBMedian) / 1024;
    const cpuSecPerBroadcast = (perNodeConns * s.nodeCpuMicrosPerDelivered) / 1e6;
    rows.push({ kind, perNodeConns, nodes: n, memMiBPerNode: memMiB,
      cpuCoreSecondsPerBroadcastPerNode: cpuSecPerBroadcast,
      maxBroadcastsPerSecPerCore: cpuSecPerBroadcast ? 1 / cpuSecPerBroadcast : null,
      redisBytesOutPerBroadcast: (s.redisBytesOutPerBroadcast / nodes) * n,
      redisCpuMsPerBroadcast: (s.redisCpuMsPerBroadcast / nodes) * n });
  }
  return rows;
}

function markdown(env, entries) {
  const L = [];
  L.push(`# Switchboard cluster benchmark ${stamp}`, '');
  const shown = argv.filter((a, i) => a !== '--render' && argv[i - 1] !== '--render');
  L.push(`Command: \`bench/cluster.sh${shown.length ? ' ' + shown.join(' ') : ''}\` (NODES=${nodes}, CONNECTIONS=${connections}: ${perNode} per node, REDIS_ADAPTER=${redisAdapter}).`);
  L.push(`Machine: ${env.cpus} cores (${env.cpuModel}), ${env.memGiB} GiB, ${env.kernel}; ${env.java}; Node ${env.node}, socket.io ${env.socketIo}, @socket.io/redis-adapter ${env.redisAdapter}, ${env.redis}. **Shared**: other engineers were building on the same 2 cores; load average at start ${env.loadavgAtStart.map(f2).join(' ')}, at end ${env.loadavgAtEnd.map(f2).join(' ')}.`);
  L.push(`Switchboard ${env.switchboardJar} (git ${env.gitRev}${env.gitDirty ? ', uncommitted changes' : ''}), JVM options \`${sbJavaOpts.join(' ')}\`; Node peer \`bench/node/server.mjs\` with Node's defaults. One Redis (\`redis-server --save '' --appendonly no\`, loopback), fresh per target.`);
  L.push(`Load: one Java/Netty load-generator process per node (${loadgenThreads} event-loop thread), each from 4 source addresses of its own 127.x.y.0/24, every client on \`/mcp\`; emits \`POST /emit {namespace:"/mcp", event:"bench", data:{t, p:${pad} chars}}\` to node 1 only, open loop, carrying the intended send time; latency = intended send → receipt, merged over all load generators.`, '');
  const sums = Object.fromEntries(entries.map((e) => [e.kind, summarize(e)]));
  const sb = sums.switchboard;
  const nd = sums.node;
  const ratio = (a, b, inv = false) => (a != null && b != null && a !== 0 && b !== 0 ? (inv ? b / a : a / b) : null);
  L.push('## Summary', '');
  L.push('| figure | Switchboard | Node cluster | Switchboard/Node |', '|---|---|---|---|');
  const row = (name, key, fmt, better) => {
    const a = sb?.[key];
    const b = nd?.[key];
    L.push(`| ${name} | ${fmt(a)} | ${fmt(b)} | ${ratio(a, b) == null ? '–' : ratio(a, b).toFixed(2) + '×'}${better ? ` (${better})` : ''} |`);
  };
  row('connected (all nodes)', 'connected', f0);
  row('connect time per node, ms (median)', 'connectMsMedian', f0, 'lower is better');
  row('RSS per connection per node, KiB (median, 3 s after its last connect)', 'rssPerConnKiBMedian', f1, 'lower is better');
  row('RSS per connection, worst node, KiB', 'rssPerConnKiBMax', f1, 'lower is better');
  row('RSS of all nodes with every client connected, MiB', 'rssTotalMiB', f0, 'lower is better');
  row('server CPU per connect, ms (median node)', 'cpuMsPerConnectMedian', f2, 'lower is better');
  row('one broadcast to all: delivery ratio (worst of the singles)', 'singleDeliveryRatioMin', (x) => (x == null ? '–' : (x * 100).toFixed(3) + '%'));
  row('one broadcast to all: p50 emit→receive, ms', 'singleP50Ms', f0, 'lower is better');
  row('one broadcast to all: p99, ms', 'singleP99Ms', f0, 'lower is better');
  row('one broadcast to all: max, ms', 'singleMaxMs', f0, 'lower is better');
  row('highest broadcast rate to all with p99 < 1 s, /s', 'maxRateP99Under1s', (x) => (x == null ? 'none' : String(x)), 'higher is better');
  row('  messages delivered per second at that rate', 'maxRateDeliveredPerSec', f0, 'higher is better');
  L.push(`| CPU figures below from the ladder step | ${sb?.cpuFromStep ?? '–'} | ${nd?.cpuFromStep ?? '–'} | |`);
  row('node CPU per broadcast, ms (median node)', 'nodeCpuMsPerBroadcast', f1, 'lower is better');
  row('node CPU per delivered message, µs (median node)', 'nodeCpuMicrosPerDelivered', f2, 'lower is better');
  row('node 1 (receives the POST) CPU per broadcast, ms', 'firstNodeCpuMsPerBroadcast', f1, 'lower is better');
  row('Redis CPU per broadcast, ms', 'redisCpuMsPerBroadcast', f2, 'lower is better');
  row('Redis bytes out per broadcast', 'redisBytesOutPerBroadcast', f0, 'lower is better');
  L.push('');
  for (const e of entries) {
    L.push(`## ${e.kind}: per node`, '');
    L.push(`Redis with every client connected and nobody emitting: ${f2(e.redisIdle?.cpuMsPerSec)} ms CPU/s, ${f0(e.redisIdle?.bytesOutPerSec)} bytes out/s (taken off the per-broadcast figures).`);
    L.push(`Started ${nodes} nodes in ${f1(e.startSeconds)} s. /health of node 1 with every client connected: \`${JSON.stringify(e.health).slice(0, 300)}\``, '');
    L.push('| node | connected | failed | connect ms | RSS idle MiB | RSS before MiB | RSS 3 s after MiB | RSS per connection KiB | CPU ms per connect |', '|---|---|---|---|---|---|---|---|---|');
    for (const x of e.nodeStats) {
      L.push(`| ${x.node} | ${f0(x.ready)} | ${x.failed} | ${f0(x.connectMs)} | ${f1(x.rssIdleKb / 1024)} | ${f1(x.serverRssBeforeKb / 1024)} | ${f1(x.serverRssAfterKb / 1024)} | ${f1(x.rssPerConnKiB)} | ${f2(x.serverCpuMsPerConnect)} |`);
    }
    L.push('', '| step | emits | delivered | p50 ms | p99 ms | max ms | node CPU ms per broadcast (node 1..N) | node CPU µs per delivered msg (median) | Redis CPU ms / bytes out per broadcast | emit errors | load avg |', '|---|---|---|---|---|---|---|---|---|---|---|');
    const stepRow = (name, s) => L.push(`| ${name} | ${s.emits} | ${(s.deliveryRatio * 100).toFixed(3)}% | ${f0(s.p50Ms)} | ${f0(s.p99Ms)} | ${f0(s.maxMs)} | ${s.nodeCpuMsPerBroadcast.map(f0).join(' / ')} | ${f2(med(s.nodeCpuMicrosPerDelivered))} | ${f2(s.redisCpuMsPerBroadcast)} / ${f0(s.redisBytesOutPerBroadcast)} | ${s.emitErrors} | ${f2(s.loadavg1)} |`);
    e.singles.forEach((s, k) => stepRow(`single ${k + 1}`, s));
    for (const s of e.ladder) stepRow(`${s.rate}/s${s.sustained ? '' : ' ✗'}`, s);
    if (e.ladderCutByBudget) L.push(`\nLadder cut by the time budget before ${e.ladderCutByBudget}/s.`);
    L.push('');
  }
  L.push('## Projection to 1,000,000 connections', '');
  L.push('From the per-node medians above. Assumptions: memory per node = its RSS before the connects + connections × the measured RSS per connection (grows linearly: the idle runs at 1k/10k/19.9k show no worse per-connection cost at larger counts); a broadcast to all costs each node (its connections × its CPU per delivered message), measured here at this node size, spread over its cores by Netty\'s event loops (Switchboard) or on one thread (Node); Redis with the classic adapter publishes each broadcast once and sends it to every node\'s subscriber connection, so its bytes out and CPU per broadcast grow with the number of nodes, not of connections; nodes above 19,000 connections need a raised open-files limit (`LimitNOFILE`). Idle clients only (pings every 25 s); no TLS (nginx in front terminates it).', '');
  L.push('| target | connections per node | nodes | RSS per node MiB | node CPU s per broadcast to all (one core) | broadcasts to all per s per core | Redis bytes out per broadcast | Redis CPU ms per broadcast |', '|---|---|---|---|---|---|---|---|');
  for (const e of entries) {
    const s = sums[e.kind];
    if (!s || s.rssPerConnKiBMedian == null || s.nodeCpuMicrosPerDelivered == null) continue;
    for (const r of projection(e.kind, s)) {
      L.push(`| ${r.kind} | ${f0(r.perNodeConns)} | ${r.nodes} | ${f0(r.memMiBPerNode)} | ${f2(r.cpuCoreSecondsPerBroadcastPerNode)} | ${f2(r.maxBroadcastsPerSecPerCore)} | ${f0(r.redisBytesOutPerBroadcast)} | ${f2(r.redisCpuMsPerBroadcast)} |`);
    }
  }
  L.push('');
  return { md: L.join('\n'), sums };
}

function environment() {
  const sh = (cmd, args) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    return ((r.stdout || '') + (r.stderr || '')).trim() || null;
  };
  const pkgVersion = (p) => {
    try {
      return JSON.parse(fs.readFileSync(path.join(BENCH, 'node/node_modules', p, 'package.json'), 'utf8')).version;
    } catch {
      return null;
    }
  };
  return {
    date: new Date().toISOString(), cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, memGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: `Linux ${os.release()}`, java: (sh('java', ['-version']) || '').split('\n')[0], node: process.versions.node,
    socketIo: pkgVersion('socket.io'), redisAdapter: pkgVersion('@socket.io/redis-adapter'), redis: sh('redis-server', ['--version'])?.split(' sha=')[0],
    switchboardJar: path.relative(REPO, SB_JAR), gitRev: sh('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD']),
    gitDirty: !!sh('git', ['-C', REPO, 'status', '--porcelain', '--untracked-files=no']), loadavgAtStart: os.loadavg(),
    ulimitNofile: sh('sh', ['-c', 'ulimit -n']),
  };
}

// ---------- main ----------
if (targets.includes('switchboard')) {
  if (!fs.existsSync(SB_JAR)) {
    log(`missing ${SB_JAR}: build it first (./mvnw -B -ntp -pl server/app -am package -DskipTests)`);
    process.exit(2);
  }
  // a private copy: another engineer's build may replace the jar while the benchmark runs
  SB_RUN_JAR = path.join(workDir, 'switchboard.jar');
  fs.copyFileSync(SB_JAR, SB_RUN_JAR);
}
const env = environment();
log(`start: ${nodes} nodes x ${perNode} connections, targets ${targets}, rates ${rates}, load average ${env.loadavgAtStart.map(f2).join(' ')}`);
// --render FILE.json: write the .md again from a run's raw data (e.g. after a change of the summary rules)
const prior = opt('--render', 'RENDER', null) ? JSON.parse(fs.readFileSync(opt('--render', 'RENDER', null), 'utf8')) : null;
const entries = prior ? prior.entries : [];
const failures = prior ? prior.failures : [];
if (prior) {
  Object.assign(env, prior.environment);
  for (const e of entries) {
    for (const s of [...e.singles, ...e.ladder]) s.nodeCpuMicrosPerDelivered = perDelivered(s.nodeCpuMs, e.nodeStats.map((x) => x.ready), s.emits);
  }
}
for (const [idx, kind] of (prior ? [] : targets.entries())) {
  try {
    entries.push(await runTarget(kind, idx));
  } catch (e) {
    log(`${kind} failed: ${e.stack || e}`);
    failures.push(`${kind}: ${e.message}`);
  }
}
if (!prior) env.loadavgAtEnd = os.loadavg();
if (!prior) env.durationSeconds = Math.round((Date.now() - t0) / 1000);
const { md, sums } = markdown(env, entries);
let text = md;
if (failures.length) text += '\n## Failures\n\n' + failures.map((f) => `- ${f}`).join('\n') + '\n';
text += `\nRun took ${env.durationSeconds} s. Raw data: \`bench/results/${stamp}.json\`; node logs: \`bench/results/logs/${stamp}/\`.\n`;
fs.writeFileSync(path.join(resultsDir, `${stamp}.json`), JSON.stringify({ environment: env, config: { nodes, connections, perNode, targets, rates,
  singles, stepSeconds, minStepEmits, stopP99Ms, pad, loadgenThreads, redisAdapter, sbJavaOpts }, summary: sums, entries, failures }, null, 2) + '\n');
fs.writeFileSync(path.join(resultsDir, `${stamp}.md`), text);
log(`wrote bench/results/${stamp}.json and .md`);
killAll();
process.exit(failures.length ? 1 : 0);
