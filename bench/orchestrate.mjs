// Runs every benchmark scenario against Switchboard, the Node socket.io peer and the Netty floor, alternating
// targets within each repetition, and writes bench/results/<date>.json and .md. Started by bench/run.sh.
// Everything is bounded: counts, durations, and a deadline per child process; every child is killed at exit.
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
const JMH = path.join(BENCH, 'jmh/target/bench-jmh.jar');
const SB_JAR = process.env.SB_JAR ? path.resolve(process.env.SB_JAR) : newestSwitchboardJar();

/** server/app/target/switchboard.jar, or the newest one in any server/app/target-* build folder. */
function newestSwitchboardJar() {
  const app = path.join(REPO, 'server/app');
  const candidates = fs.readdirSync(app).filter((d) => d === 'target' || d.startsWith('target-'))
    .map((d) => path.join(app, d, 'switchboard.jar')).filter((f) => fs.existsSync(f))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  const main = path.join(app, 'target/switchboard.jar');
  return candidates.includes(main) ? main : candidates[0] || main;
}
const FD_LIMIT = 20000;

const t0 = Date.now();

// ---------- options ----------
const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const opt = (name, def) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] ? argv[i + 1] : def;
};
const cfg = quick
  ? {
      reps: Number(opt('--reps', 1)),
      idleSizes: [1000],
      fanoutN: 1000,
      rates: [20, 100, 300],
      warmupMs: 1000,
      durationMs: 2000,
      wrkSeconds: 3,
      jmh: ['-f', '1', '-wi', '1', '-i', '1', '-w', '1s', '-r', '1s'],
    }
  : {
      reps: Number(opt('--reps', 3)),
      idleSizes: [1000, 10000, 19900],
      fanoutN: 1000,
      rates: [20, 40, 60, 80, 100, 130, 160, 200, 250, 300, 400, 500, 650, 800],
      warmupMs: 2000,
      durationMs: 4000,
      wrkSeconds: 8,
      jmh: ['-f', '1', '-wi', '2', '-i', '3', '-w', '1s', '-r', '1s'],
    };
if (opt('--rates')) cfg.rates = opt('--rates').split(',').map(Number);
if (opt('--idle-sizes')) cfg.idleSizes = opt('--idle-sizes').split(',').map(Number);
if (opt('--fanout-n')) cfg.fanoutN = Number(opt('--fanout-n'));
if (opt('--wrk-seconds')) cfg.wrkSeconds = Number(opt('--wrk-seconds'));
// --emit-public: the emit scenario also measures Switchboard's POST /emit on its public port (WS_PORT, the port the
// apps we replace call), 0 subscribers, after the API port's figures; reported in rows of their own
const emitPublic = argv.includes('--emit-public');
// a run past its budget skips what is left (and says so) instead of running into someone's deadline
const budgetMs = Number(opt('--budget-min', quick ? 10 : 40)) * 60000;
const skipped = [];
function overBudget(what) {
  if (Date.now() - t0 < budgetMs) return false;
  skipped.push(what);
  log(`budget of ${budgetMs / 60000} min spent: skipping ${what}`);
  return true;
}
const only = opt('--only', 'idle,fanout,emit,jmh').split(',');
const targets = opt('--targets', 'switchboard,node,floor').split(',');
// the JVM options Switchboard ships with (ecosystem/systemd, ecosystem/pm2); the floor gets the same heap
const PROD_JAVA_OPTS = '-Xms64m -Xmx512m -XX:+UseG1GC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:G1PeriodicGCInterval=30000 -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError';
const sbJavaOpts = (process.env.SB_JAVA_OPTS || PROD_JAVA_OPTS).split(' ').filter(Boolean);
const floorJavaOpts = (process.env.FLOOR_JAVA_OPTS || PROD_JAVA_OPTS).split(' ').filter(Boolean);
// SB_BASE_JAVA_OPTS: JVM options of switchboard-base alone (a collector's before/after in one run); default SB_JAVA_OPTS'
const sbBaseJavaOpts = process.env.SB_BASE_JAVA_OPTS ? process.env.SB_BASE_JAVA_OPTS.split(' ').filter(Boolean) : sbJavaOpts;
const loadgenThreads = Number(process.env.LOADGEN_THREADS || 2);
// --tag NAME keeps a partial run (e.g. --only idle) from overwriting the day's full results
const stamp = new Date().toISOString().slice(0, 10) + (quick ? '-quick' : '') + (opt('--tag') ? `-${opt('--tag')}` : '');
// the largest idle size is also held this long, then RSS is read again: what a long-running idle server keeps
const idleLongHoldMs = Number(opt('--idle-hold-ms', quick ? 0 : 40000));
const resultsDir = path.join(BENCH, 'results');
const logDir = path.join(resultsDir, 'logs', stamp);
fs.mkdirSync(logDir, { recursive: true });

// ---------- child process bookkeeping ----------
const children = childProcesses({ log: (m) => log(m) });
const killAll = () => children.killAll();

function log(msg) {
  process.stderr.write(`[bench +${((Date.now() - t0) / 1000).toFixed(0)}s] ${msg}\n`);
}
function openFds(pid) {
  try {
    return fs.readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return NaN;
  }
}

let runCounter = 0;

// ---------- targets ----------
async function startTarget(kind) {
  const ports = new Set();
  const wsPort = await freePort(ports);
  const apiPort = await freePort(ports);
  const env = { ...process.env, WS_PORT: String(wsPort), API_PORT: String(apiPort), HOST: '127.0.0.1' };
  let cmd;
  let args;
  if (kind === 'switchboard' || kind === 'switchboard-base') {
    Object.assign(env, SWITCHBOARD_BENCH_ENV, kind === 'switchboard-base' ? SB_BASE_ENV : {});
    cmd = 'java';
    args = kind === 'switchboard' ? [...sbJavaOpts, '-jar', SB_RUN_JAR] : [...sbBaseJavaOpts, '-jar', SB_BASE_RUN_JAR];
  } else if (kind === 'node') {
    cmd = 'node';
    args = [path.join(BENCH, 'node/server.mjs')];
  } else if (kind === 'floor') {
    cmd = 'java';
    args = [...floorJavaOpts, '-jar', HARNESS, 'floor'];
  } else {
    throw new Error('unknown target ' + kind);
  }
  const logFile = path.join(logDir, `${String(++runCounter).padStart(3, '0')}-${kind}.log`);
  const { proc, exited } = await startServer({ name: kind, cmd, args, env, cwd: REPO, logFile, apiPort, children,
    okOnly: false });
  await sleep(1000); // let start-up work (JIT, producers' first samples) settle before measuring
  // other work on the machine skews every figure: record the 1-minute load average (this run's own processes included)
  return { kind, proc, pid: proc.pid, wsPort, apiPort, logFile, exited, loadavg1: os.loadavg()[0] };
}

/** SIGTERM, then SIGKILL after 10 s; returns how the server ended and how long that took. */
async function stopTarget(t) {
  if (t.exited()) return { ...t.exited(), stopMs: 0, alreadyExited: true };
  const started = Date.now();
  t.proc.kill('SIGTERM');
  for (let i = 0; i < 100 && !t.exited(); i++) await sleep(100);
  let killed = false;
  if (!t.exited()) {
    killed = true;
    t.proc.kill('SIGKILL');
    for (let i = 0; i < 50 && !t.exited(); i++) await sleep(100);
  }
  return { ...t.exited(), stopMs: Date.now() - started, killed };
}

function serverLogSummary(t) {
  try {
    const text = fs.readFileSync(t.logFile, 'utf8');
    const lines = text.split('\n');
    const warn = lines.filter((l) => / (WARN|ERROR) /.test(l) || /Exception|Error:/.test(l));
    return { lines: lines.length - 1, warnOrError: warn.length, firstWarnOrError: warn.slice(0, 5) };
  } catch {
    return null;
  }
}

// ---------- load generator ----------
/** Runs the load generator; returns its tagged JSON lines. `onReady(send)` is called on READY (hold mode). */
function loadgen(params, { timeoutMs = 300000, onReady } = {}) {
  return new Promise((resolve, reject) => {
    const run = runCounter++;
    const args = ['-jar', HARNESS, 'loadgen', `threads=${loadgenThreads}`, `srcNet=127.20.${run % 250}`, 'srcCount=4',
      `maxRunMs=${timeoutMs}`];
    for (const [k, v] of Object.entries(params)) args.push(`${k}=${v}`);
    const proc = spawn('java', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    children.add(proc);
    const out = { STEP: [], stderr: [] };
    const rl = readline.createInterface({ input: proc.stdout });
    rl.on('line', (line) => {
      const sp = line.indexOf(' ');
      const tag = sp > 0 ? line.slice(0, sp) : line;
      let body = null;
      try {
        body = JSON.parse(line.slice(sp + 1));
      } catch {
        return;
      }
      if (tag === 'STEP') out.STEP.push(body);
      else out[tag] = body;
      if (tag === 'READY' && onReady) {
        onReady((cmd) => proc.stdin.write(cmd + '\n'), proc.pid).catch((e) => {
          out.readyError = String(e);
          proc.stdin.write('end\n');
        });
      }
    });
    readline.createInterface({ input: proc.stderr }).on('line', (l) => {
      if (out.stderr.length < 50) out.stderr.push(l);
      if (/loadgen: /.test(l)) log(l);
    });
    const timer = setTimeout(() => proc.kill('SIGKILL'), timeoutMs + 15000);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      children.delete(proc);
      out.exitCode = code;
      if (!out.RESULT) out.error = `loadgen exited ${code} without RESULT: ${out.stderr.slice(-5).join(' | ')}`;
      resolve(out);
    });
    proc.on('error', reject);
  });
}

// ---------- wrk ----------
function wrk(apiPort, seconds, room) {
  const lua = path.join(logDir, 'emit.lua');
  const body = JSON.stringify({ namespace: '/mcp', room, event: 'bench', data: { t: 0, p: 'x'.repeat(64) } });
  fs.writeFileSync(lua, `wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = '${body}'\n`);
  return new Promise((resolve) => {
    // sh reports its waited-for child's CPU (cutime+cstime, ticks) after wrk exits
    const script = 'wrk "$@"; echo "CHILDCPU $(cut -d" " -f16,17 /proc/$$/stat)"';
    const proc = spawn('sh', ['-c', script, 'sh', '-t1', '-c32', `-d${seconds}s`, '--latency', '-s', lua,
      `http://127.0.0.1:${apiPort}/emit`], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(proc);
    let text = '';
    proc.stdout.on('data', (d) => (text += d));
    proc.stderr.on('data', (d) => (text += d));
    const timer = setTimeout(() => proc.kill('SIGKILL'), (seconds + 30) * 1000);
    proc.on('exit', () => {
      clearTimeout(timer);
      children.delete(proc);
      const num = (re) => {
        const m = text.match(re);
        return m ? Number(m[1]) : null;
      };
      const ms = (re) => {
        const m = text.match(re);
        if (!m) return null;
        const v = Number(m[1]);
        return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
      };
      const cpu = text.match(/CHILDCPU (\d+) (\d+)/);
      resolve({
        requestsPerSec: num(/Requests\/sec:\s+([\d.]+)/),
        requests: num(/(\d+) requests in/),
        non2xx: num(/Non-2xx or 3xx responses: (\d+)/) || 0,
        socketErrors: (text.match(/Socket errors:.*/) || [null])[0],
        p50Ms: ms(/\s50%\s+([\d.]+)(us|ms|s)/),
        p99Ms: ms(/\s99%\s+([\d.]+)(us|ms|s)/),
        wrkCpuMs: cpu ? (Number(cpu[1]) + Number(cpu[2])) * 10 : null,
        raw: text.split('\n').slice(0, 20).join('\n'),
      });
    });
  });
}

// ---------- scenarios ----------
const raw = { idle: [], fanout: [], emit: [], jmh: null };

function orderFor(rep) {
  // alternate who goes first, so drift on the shared machine does not favour one target
  return rep % 2 === 0 ? targets : [...targets].reverse();
}

async function scenarioIdle(rep) {
  for (const n of cfg.idleSizes) {
    for (const kind of orderFor(rep)) {
      if (overBudget(`idle ${kind} n=${n} rep ${rep + 1}`)) continue;
      const t = await startTarget(kind);
      let entry = null;
      try {
        const cap = FD_LIMIT - openFds(t.pid) - 40;
        const nEff = Math.min(n, cap);
        log(`idle ${kind} n=${nEff} rep=${rep + 1}`);
        const r = await loadgen({ mode: 'idle', wsPort: t.wsPort, apiPort: t.apiPort, serverPid: t.pid, n: nEff,
          settleMs: quick ? 2000 : 3000, holdMs: n === cfg.idleSizes[cfg.idleSizes.length - 1] && idleLongHoldMs > 0 ? idleLongHoldMs : quick ? 1000 : 2000,
          conc: 200, connectTimeoutMs: 120000 }, { timeoutMs: 200000 + idleLongHoldMs });
        entry = { kind, n, nEff, rep, loadavg1: t.loadavg1, ...r.RESULT, error: r.error, serverLog: serverLogSummary(t),
          serverExited: t.exited() };
        raw.idle.push(entry);
        if (r.RESULT) log(`  connected ${r.RESULT.ready}/${nEff} in ${r.RESULT.connectMs} ms, ${(r.RESULT.rssPerConnBytes / 1024).toFixed(1)} KiB/conn`);
        else log(`  ${r.error}`);
      } finally {
        const stop = await stopTarget(t);
        if (entry) entry.serverStop = stop;
      }
    }
  }
}

async function scenarioFanout(rep) {
  for (const kind of orderFor(rep)) {
    if (overBudget(`fanout ${kind} rep ${rep + 1}`)) continue;
    const t = await startTarget(kind);
    let entry = null;
    try {
      log(`fanout ${kind} n=${cfg.fanoutN} rep=${rep + 1} rates=${cfg.rates}`);
      const r = await loadgen({ mode: 'fanout', wsPort: t.wsPort, apiPort: t.apiPort, serverPid: t.pid, n: cfg.fanoutN,
        rates: cfg.rates.join(','), warmupMs: cfg.warmupMs, durationMs: cfg.durationMs, drainMs: 3000,
        stopP99Ms: 1000, emitConns: 8, pad: 64 }, { timeoutMs: 400000 });
      entry = { kind, rep, loadavg1: t.loadavg1, setup: r.SETUP, steps: r.STEP, result: r.RESULT, error: r.error,
        serverLog: serverLogSummary(t), serverExited: t.exited() };
      raw.fanout.push(entry);
    } finally {
      const stop = await stopTarget(t);
      if (entry) entry.serverStop = stop;
    }
  }
}

async function scenarioEmit(rep) {
  for (const kind of orderFor(rep)) {
    if (overBudget(`emit ${kind} rep ${rep + 1}`)) continue;
    const t = await startTarget(kind);
    let entry = null;
    try {
      log(`emit ${kind} rep=${rep + 1}: wrk, 0 subscribers`);
      // a warm-up run so JIT compilation is not measured: the same for every target; a JVM's C2 compiler needs
      // 10-20 s of this load before Jetty's request path is compiled (3 s gave 10-16k req/s, 15 s ~37k)
      await wrk(t.apiPort, quick ? 3 : 12, 'bench');
      // then new connections once before the measured run: a JVM throws away and recompiles its hot request loop
      // on the first connection churn after a long steady run, and the measured run would open with that
      // (bench/results/2026-12-07-p99-probes.md); production connections come and go, so that is not "warm"
      await wrk(t.apiPort, 3, 'bench');
      const c0 = cpuMs(t.pid);
      const zero = await wrk(t.apiPort, cfg.wrkSeconds, 'bench');
      zero.serverCpuMs = cpuMs(t.pid) - c0;
      log(`  ${zero.requestsPerSec} req/s (non2xx ${zero.non2xx})`);
      let zeroPublic = null;
      if (emitPublic && kind.startsWith('switchboard')) {
        log(`emit ${kind} rep=${rep + 1}: wrk, 0 subscribers, public port`);
        await wrk(t.wsPort, quick ? 3 : 10, 'bench'); // its HTTP path is compiled apart from the API port's
        const p0 = cpuMs(t.pid);
        zeroPublic = await wrk(t.wsPort, cfg.wrkSeconds, 'bench');
        zeroPublic.serverCpuMs = cpuMs(t.pid) - p0;
        log(`  ${zeroPublic.requestsPerSec} req/s (non2xx ${zeroPublic.non2xx})`);
      }
      log(`emit ${kind} rep=${rep + 1}: wrk, 100 subscribers`);
      let hundred = null;
      const r = await loadgen({ mode: 'hold', wsPort: t.wsPort, apiPort: t.apiPort, serverPid: t.pid, n: 100, room: 'bench',
        drainMs: 500 }, {
        timeoutMs: (cfg.wrkSeconds + 60) * 1000,
        onReady: async (send) => {
          const c1 = cpuMs(t.pid);
          send('start');
          hundred = await wrk(t.apiPort, cfg.wrkSeconds, 'bench');
          send('end');
          hundred.serverCpuMs = cpuMs(t.pid) - c1;
        },
      });
      if (hundred && r.RESULT) {
        hundred.subscribers = r.RESULT.subscribers;
        hundred.receivedPerSec = r.RESULT.receivedPerSec;
        hundred.loadgenCpuMs = r.RESULT.loadgenCpuMs;
        hundred.expectedPerSec = hundred.requestsPerSec * r.RESULT.subscribers;
        log(`  ${hundred.requestsPerSec} req/s, ${Math.round(hundred.receivedPerSec)} delivered msgs/s`);
      }
      entry = { kind, rep, loadavg1: t.loadavg1, zero, zeroPublic, hundred, error: r.error || r.readyError, serverLog: serverLogSummary(t),
        serverExited: t.exited() };
      raw.emit.push(entry);
    } finally {
      const stop = await stopTarget(t);
      if (entry) entry.serverStop = stop;
    }
  }
}

async function scenarioJmh() {
  if (overBudget('jmh')) {
    raw.jmh = { error: 'skipped: time budget spent' };
    return;
  }
  if (!fs.existsSync(JMH)) {
    raw.jmh = { error: 'bench-jmh.jar not built (switchboard-engine missing from ~/.m2?)' };
    return;
  }
  const out = path.join(logDir, 'jmh.json');
  log('jmh microbenchmarks');
  await new Promise((resolve) => {
    const include = opt('--jmh-include', null);
    const proc = spawn('java', ['-jar', JMH, ...cfg.jmh, '-rf', 'json', '-rff', out, ...(include ? [include] : [])],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(proc);
    let text = '';
    proc.stdout.on('data', (d) => (text += d));
    proc.stderr.on('data', (d) => (text += d));
    const timer = setTimeout(() => proc.kill('SIGKILL'), 600000);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      children.delete(proc);
      fs.writeFileSync(path.join(logDir, 'jmh.log'), text);
      resolve(code);
    });
  });
  try {
    const results = JSON.parse(fs.readFileSync(out, 'utf8'));
    raw.jmh = results.map((r) => ({
      benchmark: r.benchmark.replace('dev.switchboard.bench.jmh.', ''),
      params: r.params || {},
      score: r.primaryMetric.score,
      error: r.primaryMetric.scoreError,
      unit: r.primaryMetric.scoreUnit,
    }));
  } catch (e) {
    raw.jmh = { error: 'no JMH results: ' + e.message };
  }
}

// ---------- summary ----------
function stats(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const mid = Math.floor(v.length / 2);
  const median = v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
  return { min: v[0], median, max: v[v.length - 1], n: v.length };
}

function sustained(step) {
  return step.p99Ms < 100 && step.lossRatio <= 0.001 && step.emitErrors === 0 && step.closedByServer === 0
    && step.emitsDropped === 0;
}

/** What limited a fan-out step: the server's cores, the load generator's, or both sharing the 2 cores. */
function boundBy(step, kind) {
  const server = step.serverCpuPct;
  const gen = step.loadgenCpuPct;
  const serverCap = kind === 'node' ? 100 : 200; // Node runs JavaScript on one thread
  if (server + gen >= 180) return `both cores busy (server ${Math.round(server)}% + load generator ${Math.round(gen)}%)`;
  if (server >= 0.9 * serverCap) return `server CPU (${Math.round(server)}%${kind === 'node' ? ', one thread' : ''})`;
  if (gen >= 180) return `load generator CPU (${Math.round(gen)}%)`;
  return `neither saturated (server ${Math.round(server)}%, load generator ${Math.round(gen)}%): latency or loss, not CPU`;
}

function summarize() {
  const s = { idle: {}, fanout: {}, emit: {}, ratios: {} };
  for (const n of cfg.idleSizes) {
    s.idle[n] = {};
    for (const kind of targets) {
      const rows = raw.idle.filter((r) => r.kind === kind && r.n === n);
      if (!rows.length) continue;
      const perConn = stats(rows.map((r) => r.rssPerConnBytes));
      const base = stats(rows.map((r) => r.serverRssBeforeKb));
      s.idle[n][kind] = {
        connected: stats(rows.map((r) => r.ready)),
        connectMs: stats(rows.map((r) => r.connectMs)),
        rssPerConnBytes: perConn,
        rssBeforeKb: base,
        rssAfterKb: stats(rows.map((r) => r.serverRssAfterKb)),
        serverCpuMsPerConnect: stats(rows.map((r) => r.serverCpuMsPerConnect)),
        loadgenCpuMsConnect: stats(rows.map((r) => r.loadgenCpuMsConnect)),
        serverCpuMsIdleHold: stats(rows.map((r) => r.serverCpuMsIdleHold)),
        holdMs: stats(rows.map((r) => r.holdMs)),
        rssPerConnAfterHoldBytes: stats(rows.map((r) => r.rssPerConnAfterHoldBytes)),
        projected100kMiB: perConn && base ? (base.median * 1024 + perConn.median * 100000) / 1048576 : null,
        failed: rows.reduce((a, r) => a + (r.failed || 0), 0),
        closedByServer: rows.reduce((a, r) => a + (r.closedByServer || 0), 0),
      };
    }
  }
  for (const kind of targets) {
    const runs = raw.fanout.filter((r) => r.kind === kind);
    if (!runs.length) continue;
    const byRate = {};
    for (const rate of cfg.rates) {
      const steps = runs.map((r) => (r.steps || []).find((st) => st.rate === rate)).filter(Boolean);
      if (!steps.length) continue;
      byRate[rate] = {
        reps: steps.length,
        deliveredPerSec: stats(steps.map((x) => x.deliveredPerSec)),
        p50Ms: stats(steps.map((x) => x.p50Ms)),
        p99Ms: stats(steps.map((x) => x.p99Ms)),
        maxMs: stats(steps.map((x) => x.maxMs)),
        lossRatio: stats(steps.map((x) => x.lossRatio)),
        serverCpuMicrosPerMsg: stats(steps.map((x) => x.serverCpuMicrosPerMsg)),
        serverCpuPct: stats(steps.map((x) => x.serverCpuPct)),
        loadgenCpuPct: stats(steps.map((x) => x.loadgenCpuPct)),
        loadgenCpuMicrosPerMsg: stats(steps.map((x) => x.loadgenCpuMicrosPerMsg)),
        sustainedInAllReps: steps.every(sustained) && steps.length === runs.length,
      };
    }
    const maxSustained = runs.map((r) => Math.max(0, ...(r.steps || []).filter(sustained).map((x) => x.deliveredPerSec)));
    const maxSustainedRate = runs.map((r) => Math.max(0, ...(r.steps || []).filter(sustained).map((x) => x.rate)));
    const firstFailing = runs.map((r) => (r.steps || []).find((x) => !sustained(x))).filter(Boolean);
    const limits = firstFailing.map((x) => ({ rate: x.rate, p99Ms: x.p99Ms, lossRatio: x.lossRatio, deliveredPerSec: x.deliveredPerSec,
      serverCpuPct: x.serverCpuPct, loadgenCpuPct: x.loadgenCpuPct, bound: boundBy(x, kind) }));
    s.fanout[kind] = { byRate, maxSustainedPerSec: stats(maxSustained), maxSustainedEmitRate: stats(maxSustainedRate), limits,
      ladderExhausted: runs.length - firstFailing.length };
  }
  for (const kind of targets) {
    const rows = raw.emit.filter((r) => r.kind === kind);
    if (!rows.length) continue;
    const secs = cfg.wrkSeconds;
    const zeroStats = (part) => ({
      requestsPerSec: stats(rows.map((r) => r[part]?.requestsPerSec)),
      p99Ms: stats(rows.map((r) => r[part]?.p99Ms)),
      serverCpuPct: stats(rows.map((r) => (r[part]?.serverCpuMs ?? NaN) / 10 / secs)),
      serverMicrosPerRequest: stats(rows.map((r) => ((r[part]?.serverCpuMs ?? NaN) * 1000) / ((r[part]?.requestsPerSec ?? NaN) * secs))),
      wrkCpuPct: stats(rows.map((r) => (r[part]?.wrkCpuMs ?? NaN) / 10 / secs)),
      non2xx: rows.reduce((a, r) => a + (r[part]?.non2xx || 0), 0),
    });
    s.emit[kind] = {
      zero: zeroStats('zero'),
      zeroPublic: rows.some((r) => r.zeroPublic) ? zeroStats('zeroPublic') : null,
      hundred: {
        requestsPerSec: stats(rows.map((r) => r.hundred?.requestsPerSec)),
        deliveredPerSec: stats(rows.map((r) => r.hundred?.receivedPerSec)),
        p99Ms: stats(rows.map((r) => r.hundred?.p99Ms)),
        serverCpuPct: stats(rows.map((r) => (r.hundred?.serverCpuMs ?? NaN) / 10 / secs)),
        serverMicrosPerDelivered: stats(rows.map((r) => ((r.hundred?.serverCpuMs ?? NaN) * 1000) / ((r.hundred?.receivedPerSec ?? NaN) * secs))),
        wrkCpuPct: stats(rows.map((r) => (r.hundred?.wrkCpuMs ?? NaN) / 10 / secs)),
        loadgenCpuPct: stats(rows.map((r) => (r.hundred?.loadgenCpuMs ?? NaN) / 10 / secs)),
        non2xx: rows.reduce((a, r) => a + (r.hundred?.non2xx || 0), 0),
      },
    };
  }
  const ratio = (a, b) => (a != null && b != null && b !== 0 ? a / b : null);
  const med = (x) => (x ? x.median : null);
  const largest = cfg.idleSizes[cfg.idleSizes.length - 1];
  s.ratios.memoryPerIdleConnection = {
    target: '<= 0.4 (Switchboard / Node)',
    atConnections: largest,
    value: ratio(med(s.idle[largest]?.switchboard?.rssPerConnBytes), med(s.idle[largest]?.node?.rssPerConnBytes)),
  };
  s.ratios.memoryPerIdleConnectionHeld = {
    target: '<= 0.4 (Switchboard / Node)',
    atConnections: largest,
    afterMs: med(s.idle[largest]?.switchboard?.holdMs),
    value: ratio(med(s.idle[largest]?.switchboard?.rssPerConnAfterHoldBytes), med(s.idle[largest]?.node?.rssPerConnAfterHoldBytes)),
  };
  s.ratios.maxSustainedFanout = {
    target: '>= 3 (Switchboard / Node)',
    value: ratio(med(s.fanout.switchboard?.maxSustainedPerSec), med(s.fanout.node?.maxSustainedPerSec)),
  };
  // CPU per delivered message vs the floor: at the highest emit rate both sustained in every repetition
  const common = cfg.rates.filter((r) => s.fanout.switchboard?.byRate[r]?.sustainedInAllReps
    && s.fanout.floor?.byRate[r]?.sustainedInAllReps);
  const at = common.length ? common[common.length - 1] : null;
  s.ratios.cpuPerMessageVsFloor = {
    target: '<= 1.3 (Switchboard / floor)',
    atRate: at,
    value: at ? ratio(med(s.fanout.switchboard.byRate[at].serverCpuMicrosPerMsg), med(s.fanout.floor.byRate[at].serverCpuMicrosPerMsg)) : null,
  };
  s.ratios.emitRequestsZeroSubscribers = {
    target: '>= 3 (Switchboard / Node)',
    value: ratio(med(s.emit.switchboard?.zero.requestsPerSec), med(s.emit.node?.zero.requestsPerSec)),
  };
  s.ratios.emitDeliveredHundredSubscribers = {
    target: '>= 3 (Switchboard / Node)',
    value: ratio(med(s.emit.switchboard?.hundred.deliveredPerSec), med(s.emit.node?.hundred.deliveredPerSec)),
  };
  for (const r of Object.values(s.ratios)) {
    if (r.value == null) r.met = null;
    else r.met = r.target.startsWith('<=') ? r.value <= Number(r.target.split(' ')[1]) : r.value >= Number(r.target.split(' ')[1]);
  }
  return s;
}

// ---------- markdown ----------
const f0 = (x) => (x == null ? '–' : Math.round(x).toLocaleString('en-US'));
const f1 = (x) => (x == null ? '–' : x.toFixed(1));
const f2 = (x) => (x == null ? '–' : x.toFixed(2));
const mmm = (st, fmt = f0) => (st ? (st.n > 1 ? `${fmt(st.median)} (${fmt(st.min)}–${fmt(st.max)})` : fmt(st.median)) : '–');

function markdown(env, s) {
  const L = [];
  L.push(`# Switchboard benchmark ${stamp}`, '');
  L.push(`Command: \`bench/run.sh${quick ? ' --quick' : ''}\` · ${cfg.reps} repetition(s), targets alternated · median (min–max) over repetitions.`);
  L.push(`Machine: ${env.cpus} cores (${env.cpuModel}), ${env.memGiB} GiB, ${env.kernel}; ${env.java}; Node ${env.node}, socket.io ${env.socketIo}; Netty ${env.netty}.`);
  L.push(`Switchboard ${env.switchboardJar} (built ${env.switchboardJarBuilt}, git ${env.gitRev}${env.gitDirty ? ', uncommitted changes' : ''}), JVM options: \`${sbJavaOpts.join(' ')}\` (as shipped in ecosystem/), floor the same; MAX_CONNECTIONS_PER_IP=0, other settings default (LOG_LEVEL=INFO).`);
  if (env.switchboardBaseJar) {
    const baseEnv = Object.entries(env.switchboardBaseEnv || {}).map(([k, v]) => `${k}=${v}`).join(' ');
    const baseJvm = sbBaseJavaOpts === sbJavaOpts ? '' : `, JVM options \`${sbBaseJavaOpts.join(' ')}\``;
    L.push(`switchboard-base: ${env.switchboardBaseJar}${baseEnv ? `, with ${baseEnv}` : ''}${baseJvm}.`);
  }
  L.push(`Load generator: one Java/Netty epoll process, ${loadgenThreads} event-loop threads, on the same 2 cores as the server (its CPU is reported with every figure). Loopback only.`, '');

  L.push('## Targets', '');
  L.push('| target | value | met |', '|---|---|---|');
  const names = { memoryPerIdleConnection: 'memory per idle connection, Switchboard/Node', memoryPerIdleConnectionHeld: 'memory per idle connection after a long idle hold, Switchboard/Node', maxSustainedFanout: 'max sustained fan-out (p99 < 100 ms), Switchboard/Node',
    cpuPerMessageVsFloor: 'server CPU per delivered message, Switchboard/floor', emitRequestsZeroSubscribers: 'POST /emit req/s, 0 subscribers, Switchboard/Node',
    emitDeliveredHundredSubscribers: 'delivered msgs/s via /emit, 100 subscribers, Switchboard/Node' };
  for (const [k, r] of Object.entries(s.ratios)) {
    const extra = k === 'cpuPerMessageVsFloor' ? ` (at ${r.atRate ?? '–'} emits/s × ${cfg.fanoutN})` : k === 'memoryPerIdleConnection' ? ` (at ${r.atConnections}, 3 s after the last connect)`
      : k === 'memoryPerIdleConnectionHeld' ? ` (at ${r.atConnections}, ${r.afterMs == null ? '–' : Math.round(r.afterMs / 1000) + 3} s after the last connect)` : '';
    L.push(`| ${names[k]}${extra} — target ${r.target.split(' (')[0]} | ${r.value == null ? '–' : r.value.toFixed(2) + '×'} | ${r.met == null ? 'not measured' : r.met ? 'yes' : 'NO'} |`);
  }
  L.push('');
  // the /emit targets are ratios of requests/s, which the shared cores bound: say what the floor reaches, and the CPU cost
  const med = (x) => (x ? x.median : null);
  const ratio = (a, b) => (a != null && b != null && b !== 0 ? a / b : null);
  const cost = (kind, part, key) => med(s.emit[kind]?.[part]?.[key]);
  const costLine = (label, part, key, unit) => {
    const sb = cost('switchboard', part, key);
    const nd = cost('node', part, key);
    const fl = cost('floor', part, key);
    if (sb == null) return;
    L.push(`- ${label}: Switchboard ${sb.toFixed(2)} ${unit}, Node ${nd == null ? '–' : nd.toFixed(2)}, floor ${fl == null ? '–' : fl.toFixed(2)}` +
      (nd != null ? ` (Node/Switchboard ${(nd / sb).toFixed(2)}×)` : ''));
  };
  L.push('Server CPU cost of the /emit scenarios (lower is better; requests/s there is bounded by wrk and the load generator sharing the 2 cores):', '');
  costLine('µs of server CPU per POST /emit, 0 subscribers', 'zero', 'serverMicrosPerRequest', 'µs');
  costLine('µs of server CPU per delivered message, 100 subscribers', 'hundred', 'serverMicrosPerDelivered', 'µs');
  const floorRatio = ratio(med(s.emit.floor?.zero.requestsPerSec), med(s.emit.node?.zero.requestsPerSec));
  if (floorRatio != null) L.push(`- the Netty floor's own POST /emit req/s, 0 subscribers, is ${floorRatio.toFixed(2)}× Node's in this run`);
  L.push('');

  L.push('## Idle connections (namespace /mcp)', '');
  L.push('| connections | target | connected | connect time ms | server RSS before MiB | RSS per connection KiB | RSS per connection after the hold KiB | projected RSS at 100k MiB | server CPU ms/connect | load-gen CPU ms (connect phase) |');
  L.push('|---|---|---|---|---|---|---|---|---|---|');
  for (const n of cfg.idleSizes) {
    for (const kind of targets) {
      const x = s.idle[n]?.[kind];
      if (!x) continue;
      L.push(`| ${n} | ${kind} | ${mmm(x.connected)} | ${mmm(x.connectMs)} | ${mmm(x.rssBeforeKb && { ...x.rssBeforeKb, min: x.rssBeforeKb.min / 1024, median: x.rssBeforeKb.median / 1024, max: x.rssBeforeKb.max / 1024 }, f1)} | ${mmm(x.rssPerConnBytes && { ...x.rssPerConnBytes, min: x.rssPerConnBytes.min / 1024, median: x.rssPerConnBytes.median / 1024, max: x.rssPerConnBytes.max / 1024 }, f1)} | ${x.rssPerConnAfterHoldBytes && x.holdMs && x.holdMs.median > 5000 ? mmm({ ...x.rssPerConnAfterHoldBytes, min: x.rssPerConnAfterHoldBytes.min / 1024, median: x.rssPerConnAfterHoldBytes.median / 1024, max: x.rssPerConnAfterHoldBytes.max / 1024 }, f1) + ` (after ${Math.round(x.holdMs.median / 1000) + 3} s)` : '–'} | ${f0(x.projected100kMiB)} | ${mmm(x.serverCpuMsPerConnect, f2)} | ${mmm(x.loadgenCpuMsConnect)} |`);
    }
  }
  L.push('', 'RSS from /proc/<pid>/status VmRSS, sampled 3 s after the last connect and, for the largest count, again after a long idle hold (a collector may give memory back meanwhile: G1 after a marking cycle, V8 after idle-time GC); per connection = (after − before) / connected. 100k is a projection (one process may hold at most 20,000 open files here).', '');

  L.push(`## Fan-out to ${cfg.fanoutN} sockets in one room (POST /emit at a fixed rate, ${cfg.durationMs / 1000} s measured after ${cfg.warmupMs / 1000} s warm-up)`, '');
  L.push('| emits/s | target | delivered msgs/s | p50 ms | p99 ms | max ms | loss | server CPU % | server µs/msg | load-gen CPU % | load-gen µs/msg |');
  L.push('|---|---|---|---|---|---|---|---|---|---|---|');
  for (const rate of cfg.rates) {
    for (const kind of targets) {
      const x = s.fanout[kind]?.byRate[rate];
      if (!x) continue;
      L.push(`| ${rate} | ${kind}${x.sustainedInAllReps ? '' : ' ✗'} | ${mmm(x.deliveredPerSec)} | ${mmm(x.p50Ms, f1)} | ${mmm(x.p99Ms, f1)} | ${mmm(x.maxMs, f0)} | ${mmm(x.lossRatio && { ...x.lossRatio, min: x.lossRatio.min * 100, median: x.lossRatio.median * 100, max: x.lossRatio.max * 100 }, (v) => v.toFixed(2) + '%')} | ${mmm(x.serverCpuPct)} | ${mmm(x.serverCpuMicrosPerMsg, f1)} | ${mmm(x.loadgenCpuPct)} | ${mmm(x.loadgenCpuMicrosPerMsg, f1)} |`);
    }
  }
  L.push('', '✗ = not sustained in every repetition (p99 ≥ 100 ms, loss, emit errors or disconnects). A ladder stops after its first step with p99 > 1 s or > 5 % loss. CPU % is of one core (200 % = both cores). Latency: emit time (the intended send time of the POST, in the payload) to receipt.', '');
  L.push('| target | max sustained delivered msgs/s (p99 < 100 ms, no loss) | at emits/s | first failing step per repetition: what bounded it |', '|---|---|---|---|');
  for (const kind of targets) {
    const x = s.fanout[kind];
    if (!x) continue;
    const lim = x.limits.map((l) => `${l.rate}/s: p99 ${f0(l.p99Ms)} ms, loss ${(l.lossRatio * 100).toFixed(1)}%, ${l.bound}`).join('; ')
      + (x.ladderExhausted ? `; ${x.ladderExhausted} repetition(s) sustained the whole ladder (bound by the ladder's top)` : '');
    L.push(`| ${kind} | ${mmm(x.maxSustainedPerSec)} | ${mmm(x.maxSustainedEmitRate)} | ${lim} |`);
  }
  L.push('');

  L.push(`## POST /emit throughput (wrk -t1 -c32, ${cfg.wrkSeconds} s, loopback)`, '');
  L.push('| target | subscribers | requests/s | p99 ms | delivered msgs/s | server CPU % | server CPU µs per request (0) / per delivered msg (100) | wrk CPU % | load-gen CPU % | non-2xx |');
  L.push('|---|---|---|---|---|---|---|---|---|---|');
  for (const kind of targets) {
    const x = s.emit[kind];
    if (!x) continue;
    L.push(`| ${kind} | 0 | ${mmm(x.zero.requestsPerSec)} | ${mmm(x.zero.p99Ms, f1)} | – | ${mmm(x.zero.serverCpuPct)} | ${mmm(x.zero.serverMicrosPerRequest, f1)} | ${mmm(x.zero.wrkCpuPct)} | – | ${x.zero.non2xx} |`);
    if (x.zeroPublic) {
      const z = x.zeroPublic;
      L.push(`| ${kind} (public port) | 0 | ${mmm(z.requestsPerSec)} | ${mmm(z.p99Ms, f1)} | – | ${mmm(z.serverCpuPct)} | ${mmm(z.serverMicrosPerRequest, f1)} | ${mmm(z.wrkCpuPct)} | – | ${z.non2xx} |`);
    }
    L.push(`| ${kind} | 100 | ${mmm(x.hundred.requestsPerSec)} | ${mmm(x.hundred.p99Ms, f1)} | ${mmm(x.hundred.deliveredPerSec)} | ${mmm(x.hundred.serverCpuPct)} | ${mmm(x.hundred.serverMicrosPerDelivered, f2)} | ${mmm(x.hundred.wrkCpuPct)} | ${mmm(x.hundred.loadgenCpuPct)} | ${x.hundred.non2xx} |`);
  }
  L.push('', 'wrk and the load generator share the 2 cores with the server: when server CPU + wrk CPU + load-gen CPU is near 200 %, the machine, not the server, bounds requests/s; the µs of server CPU per request or per delivered message is then the comparable figure.', '');

  if (Array.isArray(raw.jmh)) {
    L.push('## JMH microbenchmarks (engine parser and broadcast path)', '');
    L.push('| benchmark | params | score | ± | unit |', '|---|---|---|---|---|');
    for (const j of raw.jmh) {
      L.push(`| ${j.benchmark} | ${Object.entries(j.params).map(([k, v]) => `${k}=${v}`).join(' ')} | ${j.score.toFixed(2)} | ${Number.isFinite(j.error) ? j.error.toFixed(2) : '–'} | ${j.unit} |`);
    }
    L.push('');
  } else if (raw.jmh) {
    L.push(`JMH: ${raw.jmh.error}`, '');
  }

  const problems = [];
  for (const group of ['idle', 'fanout', 'emit']) {
    for (const r of raw[group]) {
      if (r.error) problems.push(`${group} ${r.kind} rep ${r.rep + 1}: ${r.error}`);
      if (r.serverExited) problems.push(`${group} ${r.kind} rep ${r.rep + 1}: server exited during the run ${JSON.stringify(r.serverExited)}`);
      const errs = r.errors || r.result?.errors;
      if (errs && errs.length) problems.push(`${group} ${r.kind} rep ${r.rep + 1}: client errors: ${errs.slice(0, 3).join(' ; ')}`);
      if (r.serverStop && (r.serverStop.killed || r.serverStop.stopMs > 5000 || r.serverStop.alreadyExited)) {
        problems.push(`${group} ${r.kind} rep ${r.rep + 1}: server stop on SIGTERM: ${JSON.stringify(r.serverStop)}`);
      }
      const endedSaturated = group === 'fanout' && (r.steps || []).some((x) => x.saturated);
      if (group === 'fanout' && !endedSaturated && r.result && r.result.deliveredReportedByServer !== r.result.receivedTotal) {
        problems.push(`fanout ${r.kind} rep ${r.rep + 1}: /emit reported ${r.result.deliveredReportedByServer} deliveries, clients received ${r.result.receivedTotal}`);
      }
      if (r.serverLog && r.serverLog.warnOrError) problems.push(`${group} ${r.kind} rep ${r.rep + 1}: ${r.serverLog.warnOrError} WARN/ERROR log lines, first: ${r.serverLog.firstWarnOrError[0]}`);
    }
  }
  L.push('## Anomalies seen', '');
  if (problems.length) for (const p of problems.slice(0, 40)) L.push(`- ${p.replace(/\|/g, '/')}`);
  else L.push('- none');
  L.push('');
  return L.join('\n');
}

function environment() {
  const sh = (cmd, args) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    return ((r.stdout || '') + (r.stderr || '')).trim() || null;
  };
  let socketIo = null;
  try {
    socketIo = JSON.parse(fs.readFileSync(path.join(BENCH, 'node/node_modules/socket.io/package.json'), 'utf8')).version;
  } catch {}
  return {
    date: new Date().toISOString(),
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: `Linux ${os.release()}`,
    java: (sh('java', ['-version']) || '').split('\n')[0],
    node: process.versions.node,
    socketIo,
    netty: '4.2.18.Final',
    switchboardJar: path.relative(REPO, SB_JAR),
    switchboardBaseJar: process.env.SB_BASE_JAR || null,
    switchboardBaseEnv: SB_BASE_ENV,
    switchboardJarBuilt: fs.existsSync(SB_JAR) ? fs.statSync(SB_JAR).mtime.toISOString() : null,
    gitRev: sh('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD']),
    gitDirty: !!sh('git', ['-C', REPO, 'status', '--porcelain', '--untracked-files=no']),
    loadavgAtStart: os.loadavg(),
  };
}

// ---------- main ----------
// run a private copy: another engineer's build may replace the jar while the benchmark runs
let SB_RUN_JAR = SB_JAR;
if (targets.includes('switchboard') && fs.existsSync(SB_JAR)) {
  SB_RUN_JAR = path.join(os.tmpdir(), `switchboard-bench-${process.pid}.jar`);
  fs.copyFileSync(SB_JAR, SB_RUN_JAR);
  process.on('exit', () => fs.rmSync(SB_RUN_JAR, { force: true }));
}
// SB_BASE_JAR (an older build) adds the target `switchboard-base`: before/after figures of a change from one run
const SB_BASE_JAR = process.env.SB_BASE_JAR ? path.resolve(process.env.SB_BASE_JAR) : null;
let SB_BASE_RUN_JAR = null;
// SB_BASE_ENV="API_SELECTORS=3 ..." sets server variables for switchboard-base only: a setting's before/after in
// one run (SB_BASE_JAR may then be the same jar)
const SB_BASE_ENV = {};
for (const setting of (process.env.SB_BASE_ENV || '').split(/\s+/).filter(Boolean)) {
  const eq = setting.indexOf('=');
  if (eq < 1) {
    log(`SB_BASE_ENV: "${setting}" is not NAME=value`);
    process.exit(2);
  }
  SB_BASE_ENV[setting.slice(0, eq)] = setting.slice(eq + 1);
}
if (targets.includes('switchboard-base')) {
  if (!SB_BASE_JAR || !fs.existsSync(SB_BASE_JAR)) {
    log('target switchboard-base needs SB_BASE_JAR=<path of the older jar>');
    process.exit(2);
  }
  SB_BASE_RUN_JAR = path.join(os.tmpdir(), `switchboard-bench-base-${process.pid}.jar`);
  fs.copyFileSync(SB_BASE_JAR, SB_BASE_RUN_JAR);
  process.on('exit', () => fs.rmSync(SB_BASE_RUN_JAR, { force: true }));
}
const env = environment();
log(`start: ${quick ? 'quick' : 'full'} run, reps=${cfg.reps}, targets=${targets}, scenarios=${only}, load average ${env.loadavgAtStart.map((x) => x.toFixed(2)).join(" ")}`);
if (targets.includes('switchboard') && !fs.existsSync(SB_JAR)) {
  log(`missing ${SB_JAR}: build it first`);
  process.exit(2);
}
const scenarioErrors = [];
// JMH first (short, no server); then repetition by repetition, so a spent budget costs repetitions, not scenarios
const plan = [];
if (only.includes('jmh')) plan.push(['jmh', () => scenarioJmh()]);
for (let rep = 0; rep < cfg.reps; rep++) {
  for (const [name, fn] of [['idle', scenarioIdle], ['fanout', scenarioFanout], ['emit', scenarioEmit]]) {
    if (only.includes(name)) plan.push([`${name} rep ${rep + 1}`, () => fn(rep)]);
  }
}
for (const [name, fn] of plan) {
  try {
    await fn();
  } catch (e) {
    log(`scenario ${name} failed: ${e.stack || e}`);
    scenarioErrors.push(`${name}: ${e.message}`);
  }
}
env.loadavgAtEnd = os.loadavg();
env.durationSeconds = Math.round((Date.now() - t0) / 1000);
const summary = summarize();
const doc = { skipped, environment: env, config: { ...cfg, quick, targets, scenarios: only, sbJavaOpts, sbBaseJavaOpts, floorJavaOpts, loadgenThreads }, summary, raw,
  scenarioErrors };
fs.writeFileSync(path.join(resultsDir, `${stamp}.json`), JSON.stringify(doc, null, 2) + '\n');
let md = markdown(env, summary);
if (skipped.length) md += `\n## Skipped (time budget of ${budgetMs / 60000} min spent)\n\n${skipped.map((x) => `- ${x}`).join('\n')}\n`;
if (scenarioErrors.length) md += '\n## Scenario failures\n\n' + scenarioErrors.map((e) => `- ${e}`).join('\n') + '\n';
md += `\nRun took ${env.durationSeconds} s; load average at start ${env.loadavgAtStart.map((x) => x.toFixed(2)).join(' ')}, at end ${env.loadavgAtEnd.map((x) => x.toFixed(2)).join(' ')}. Raw data: \`bench/results/${stamp}.json\`; server logs: \`bench/results/logs/${stamp}/\`.\n`;
fs.writeFileSync(path.join(resultsDir, `${stamp}.md`), md);
log(`wrote bench/results/${stamp}.json and .md`);
killAll();
process.exit(0);
