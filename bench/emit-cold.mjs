// POST /emit from a cold start: each target is started fresh and, from the moment its /health first answers,
// driven by wrk (closed loop, -t1 -c32, 0 subscribers) in back-to-back 1-second slices for --seconds (default 30):
// per second requests/s, p50/p90/p99 and the server's CPU per request. The cold tail is the time until p99
// settles (stays within 1.5x of the warm p99, the median of the last 10 s); the warm figures compare with Node
// and the Netty floor in the same run. Targets alternate per repetition. Started by bench/emit-cold.sh; writes
// bench/results/<date>-emit-cold[-tag].{md,json}. Extra Switchboard JVM variants (same jar, other options):
// SB_VARIANTS='name=opts;name2=opts' adds targets "switchboard:name"; '-jar path' among a variant's opts runs
// another build (before/after a change in one run). Loopback only, every child killed at exit.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { SWITCHBOARD_BENCH_ENV, childProcesses, cpuMs, freePort, sleep, startServer } from './lib/processes.mjs';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.dirname(BENCH);
const HARNESS = path.join(BENCH, 'harness/target/bench-harness.jar');
const t0 = Date.now();
const argv = process.argv.slice(2);
const opt = (name, def) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] ? argv[i + 1] : def;
};
const seconds = Number(opt('--seconds', 30));
const reps = Number(opt('--reps', 3));
const conns = Number(opt('--connections', 32));
const tag = opt('--tag', '');
const PROD_JAVA_OPTS = '-Xms64m -Xmx512m -XX:+UseG1GC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 -XX:G1PeriodicGCInterval=30000 -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError';
const sbOpts = (process.env.SB_JAVA_OPTS || PROD_JAVA_OPTS).split(' ').filter(Boolean);
const variants = Object.fromEntries((process.env.SB_VARIANTS || '').split(';').filter((v) => v.includes('='))
  .map((v) => [v.slice(0, v.indexOf('=')).trim(), v.slice(v.indexOf('=') + 1).split(' ').filter(Boolean)]));
// SB_BASE_JAR (an older build, the shipped options) adds the target "switchboard:base", as in bench/run.sh
if (process.env.SB_BASE_JAR) variants.base = [...sbOpts, '-jar', path.resolve(process.env.SB_BASE_JAR)];
const targets = opt('--targets', ['switchboard', ...Object.keys(variants).map((v) => `switchboard:${v}`), 'node', 'floor'].join(',')).split(',');
const stamp = new Date().toISOString().slice(0, 10) + '-emit-cold' + (tag ? `-${tag}` : '');
const resultsDir = path.join(BENCH, 'results');
const logDir = path.join(resultsDir, 'logs', stamp);
fs.mkdirSync(logDir, { recursive: true });
const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sb-emit-cold-'));
const SB_JAR = process.env.SB_JAR ? path.resolve(process.env.SB_JAR) : path.join(REPO, 'server/app/target/switchboard.jar');
const SB_RUN_JAR = path.join(workDir, 'switchboard.jar');

const children = childProcesses({ cleanup: () => fs.rmSync(workDir, { recursive: true, force: true }) });
const killAll = () => children.killAll();
const log = (m) => process.stderr.write(`[emit-cold +${((Date.now() - t0) / 1000).toFixed(0)}s] ${m}\n`);


let run = 0;
async function start(target) {
  const [kind, variant] = target.split(':');
  const ports = new Set();
  const wsPort = await freePort(ports);
  const apiPort = await freePort(ports);
  const env = { ...process.env, WS_PORT: String(wsPort), API_PORT: String(apiPort), HOST: '127.0.0.1' };
  let cmd;
  let args;
  if (kind === 'switchboard') {
    Object.assign(env, SWITCHBOARD_BENCH_ENV);
    cmd = 'java';
    // a variant may name its own jar ('-jar path' among its options): two builds side by side in one run
    const opts = variant ? variants[variant] : sbOpts;
    const jar = opts.indexOf('-jar');
    args = jar < 0 ? [...opts, '-jar', SB_RUN_JAR] : [...opts.slice(0, jar), ...opts.slice(jar + 2), '-jar', opts[jar + 1]];
  } else if (kind === 'node') {
    cmd = 'node';
    args = [path.join(BENCH, 'node/server.mjs')];
  } else if (kind === 'floor') {
    cmd = 'java';
    args = [...PROD_JAVA_OPTS.split(' '), '-jar', HARNESS, 'floor'];
  } else {
    throw new Error('unknown target ' + target);
  }
  const logFile = path.join(logDir, `${String(++run).padStart(3, '0')}-${target.replace(':', '-')}.log`);
  // polled every 20 ms: the time to the first answer is one of the figures
  const server = await startServer({ name: target, cmd, args, env, cwd: REPO, logFile, apiPort, children, pollMs: 20 });
  return { target, ...server, apiPort };
}

async function stop(t) {
  if (t.exited()) return;
  t.proc.kill('SIGTERM');
  for (let i = 0; i < 100 && !t.exited(); i++) await sleep(100);
  if (!t.exited()) t.proc.kill('SIGKILL');
}

const lua = path.join(workDir, 'emit.lua');
fs.writeFileSync(lua, `wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\nwrk.body = '${JSON.stringify({ namespace: '/mcp', room: 'bench', event: 'bench', data: { t: 0, p: 'x'.repeat(64) } })}'\n`);

/** One 1-second wrk slice; wrk's own --latency percentiles (50/75/90/99). */
function wrkSlice(apiPort) {
  return new Promise((resolve) => {
    const proc = spawn('wrk', ['-t1', `-c${conns}`, '-d1s', '--latency', '-s', lua, `http://127.0.0.1:${apiPort}/emit`],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(proc);
    let text = '';
    proc.stdout.on('data', (d) => (text += d));
    proc.stderr.on('data', (d) => (text += d));
    const timer = setTimeout(() => proc.kill('SIGKILL'), 15000);
    proc.on('exit', () => {
      clearTimeout(timer);
      children.delete(proc);
      const ms = (p) => {
        const m = text.match(new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`));
        if (!m) return null;
        const v = Number(m[1]);
        return m[2] === 'us' ? v / 1000 : m[2] === 's' ? v * 1000 : v;
      };
      const num = (re) => {
        const m = text.match(re);
        return m ? Number(m[1]) : null;
      };
      resolve({ requests: num(/(\d+) requests in/), requestsPerSec: num(/Requests\/sec:\s+([\d.]+)/), p50Ms: ms(50), p90Ms: ms(90),
        p99Ms: ms(99), non2xx: num(/Non-2xx or 3xx responses: (\d+)/) || 0 });
    });
  });
}

const med = (xs) => {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
};

async function coldRun(target, rep) {
  const t = await start(target);
  const slices = [];
  try {
    const begin = Date.now();
    for (let s = 0; s < seconds; s++) {
      const c0 = cpuMs(t.pid);
      const w = await wrkSlice(t.apiPort);
      const cpu = cpuMs(t.pid) - c0;
      slices.push({ second: s + 1, atMs: Date.now() - begin, ...w, serverCpuMs: cpu,
        serverMicrosPerRequest: w.requests ? (cpu * 1000) / w.requests : null });
    }
  } finally {
    await stop(t);
  }
  const r = { target, rep, startMs: t.startMs, loadavg1: os.loadavg()[0], slices };
  Object.assign(r, settle(slices));
  log(`${target} rep ${rep + 1}: start ${t.startMs} ms, warm p99 ${r.warmP99Ms} ms, ${Math.round(r.warmRequestsPerSec)} req/s, ${r.warmMicrosPerRequest?.toFixed(1)} µs/req, settled after ${r.settledAfterSeconds} s`);
  return r;
}

/**
 * Warm figures = medians of the last 10 slices. Settled = the first second from which the median p99 of every
 * window of 3 consecutive slices stays within 1.5x the warm p99 (one slow slice on a shared machine is noise,
 * three in a row is the server).
 */
function settle(slices) {
  const warm = slices.slice(-10);
  const warmP99 = med(warm.map((x) => x.p99Ms));
  const warmCpu = med(warm.map((x) => x.serverMicrosPerRequest));
  const settledFrom = (key, limit) => {
    let at = null;
    for (let i = slices.length - 3; i >= 0; i--) {
      if (med(slices.slice(i, i + 3).map((x) => x[key] ?? Infinity)) > limit) break;
      at = i; // seconds of load before this slice
    }
    return at;
  };
  return { warmP99Ms: warmP99, warmRequestsPerSec: med(warm.map((x) => x.requestsPerSec)),
    warmMicrosPerRequest: warmCpu, settledAfterSeconds: settledFrom('p99Ms', 1.5 * warmP99),
    cpuSettledAfterSeconds: settledFrom('serverMicrosPerRequest', 1.5 * warmCpu),
    first5sP99Ms: Math.max(...slices.slice(0, 5).map((x) => x.p99Ms ?? 0)), non2xx: slices.reduce((n, x) => n + x.non2xx, 0) };
}

const f1 = (x) => (x == null || !Number.isFinite(x) ? '–' : x.toFixed(1));
const f0 = (x) => (x == null || !Number.isFinite(x) ? '–' : Math.round(x).toLocaleString('en-US'));

// ---------- main ----------
// --render FILE.json: write the .md again from a run's raw data (e.g. after a change of the summary rules)
const renderFrom = opt('--render', null);
const prior = renderFrom ? JSON.parse(fs.readFileSync(renderFrom, 'utf8')) : null;
if (!prior) fs.copyFileSync(SB_JAR, SB_RUN_JAR);
const sh = (cmd, a) => ((spawnSync(cmd, a, { encoding: 'utf8' }).stdout || '') + '').trim();
const env = prior ? prior.environment : { date: new Date().toISOString(), cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, kernel: os.release(),
  java: (spawnSync('java', ['-version'], { encoding: 'utf8' }).stderr || '').split('\n')[0], node: process.versions.node,
  gitRev: sh('git', ['-C', REPO, 'rev-parse', '--short', 'HEAD']), loadavgAtStart: os.loadavg() };
if (!prior) log(`start: targets ${targets}, ${reps} reps x ${seconds} s, load average ${env.loadavgAtStart.map((x) => x.toFixed(2)).join(' ')}`);
const runs = prior ? prior.runs.map((r) => (r.error ? r : { ...r, ...settle(r.slices) })) : [];
for (let rep = 0; rep < (prior ? 0 : reps); rep++) {
  const order = rep % 2 === 0 ? targets : [...targets].reverse();
  for (const target of order) {
    try {
      runs.push(await coldRun(target, rep));
    } catch (e) {
      log(`${target} rep ${rep + 1} failed: ${e.message}`);
      runs.push({ target, rep, error: e.message });
    }
  }
}
if (!prior) env.loadavgAtEnd = os.loadavg();
const L = [`# POST /emit from a cold start ${stamp}`, ''];
L.push(`Command: \`bench/emit-cold.sh ${(prior ? prior.config.argv || [] : argv).join(' ')}\` · wrk -t1 -c${conns}, 0 subscribers, back-to-back 1 s slices for ${seconds} s from the first /health answer, ${reps} repetition(s), targets alternated.`);
L.push(`Machine: ${env.cpus} cores (${env.cpuModel}), Linux ${env.kernel}; ${env.java}; Node ${env.node}; git ${env.gitRev}. Shared with other engineers' builds: load average ${env.loadavgAtStart.map(f1).join(' ')} at start, ${env.loadavgAtEnd.map(f1).join(' ')} at end.`);
L.push(`Switchboard JVM options: \`${sbOpts.join(' ')}\`${Object.keys(variants).length ? '; variants: ' + Object.entries(variants).map(([k, v]) => `${k} = \`${v.join(' ')}\``).join(', ') : ''}.`, '');
L.push('## Warm figures (last 10 s of each run) and the cold tail', '');
L.push('| target | start→/health ms | warm req/s | warm p99 ms | server CPU µs per request | worst p99 of the first 5 s, ms | seconds until p99 settles | seconds until CPU per request settles | non-2xx |', '|---|---|---|---|---|---|---|---|---|');
const byTarget = {};
for (const target of targets) {
  const rs = runs.filter((r) => r.target === target && !r.error);
  if (!rs.length) continue;
  const mm = (k, fmt) => `${fmt(med(rs.map((r) => r[k])))} (${rs.map((r) => fmt(r[k])).join(', ')})`;
  byTarget[target] = { warmP99Ms: med(rs.map((r) => r.warmP99Ms)), warmMicrosPerRequest: med(rs.map((r) => r.warmMicrosPerRequest)),
    settledAfterSeconds: med(rs.map((r) => r.settledAfterSeconds)), cpuSettledAfterSeconds: med(rs.map((r) => r.cpuSettledAfterSeconds)),
    startMs: med(rs.map((r) => r.startMs)), warmRequestsPerSec: med(rs.map((r) => r.warmRequestsPerSec)) };
  L.push(`| ${target} | ${mm('startMs', f0)} | ${mm('warmRequestsPerSec', f0)} | ${mm('warmP99Ms', f1)} | ${mm('warmMicrosPerRequest', f1)} | ${mm('first5sP99Ms', f1)} | ${mm('settledAfterSeconds', f0)} | ${mm('cpuSettledAfterSeconds', f0)} | ${rs.reduce((s, r) => s + r.non2xx, 0)} |`);
}
L.push('', 'Median (each repetition in brackets). "Settles" = from that second of load on, the median of every 3 consecutive 1 s slices stays ≤ 1.5× the warm value (warm = median of the last 10 s); p99 on a shared machine is noisy, server CPU per request shows the JIT warming up.', '');
const sb = byTarget.switchboard;
if (sb && byTarget.node && byTarget.floor) {
  L.push('| target (issue #20 part 3) | value | met |', '|---|---|---|');
  L.push(`| warm p99, Switchboard/Node ≤ 1 | ${(sb.warmP99Ms / byTarget.node.warmP99Ms).toFixed(2)}× (${f1(sb.warmP99Ms)} vs ${f1(byTarget.node.warmP99Ms)} ms) | ${sb.warmP99Ms <= byTarget.node.warmP99Ms ? 'yes' : 'NO'} |`);
  L.push(`| server CPU per request, Switchboard/floor ≤ 1.3 | ${(sb.warmMicrosPerRequest / byTarget.floor.warmMicrosPerRequest).toFixed(2)}× (${f1(sb.warmMicrosPerRequest)} vs ${f1(byTarget.floor.warmMicrosPerRequest)} µs) | ${sb.warmMicrosPerRequest <= 1.3 * byTarget.floor.warmMicrosPerRequest ? 'yes' : 'NO'} |`, '');
}
L.push('## Per second, median over repetitions (req/s · p50 / p90 / p99 ms · server µs per request)', '');
L.push(`| s | ${targets.join(' | ')} |`, `|---|${targets.map(() => '---').join('|')}|`);
for (let s = 0; s < seconds; s++) {
  const cells = targets.map((target) => {
    const rs = runs.filter((r) => r.target === target && !r.error).map((r) => r.slices[s]).filter(Boolean);
    if (!rs.length) return '–';
    return `${f0(med(rs.map((x) => x.requestsPerSec)))} · ${f1(med(rs.map((x) => x.p50Ms)))} / ${f1(med(rs.map((x) => x.p90Ms)))} / ${f1(med(rs.map((x) => x.p99Ms)))} · ${f1(med(rs.map((x) => x.serverMicrosPerRequest)))}`;
  });
  L.push(`| ${s + 1} | ${cells.join(' | ')} |`);
}
const failures = runs.filter((r) => r.error);
if (failures.length) L.push('', '## Failures', '', ...failures.map((r) => `- ${r.target} rep ${r.rep + 1}: ${r.error}`));
L.push('', `Raw data: \`bench/results/${stamp}.json\`.`, '');
fs.writeFileSync(path.join(resultsDir, `${stamp}.json`), JSON.stringify({ environment: env, config: prior ? prior.config : { argv, seconds, reps, conns, targets, sbOpts, variants }, summary: byTarget, runs }, null, 2) + '\n');
fs.writeFileSync(path.join(resultsDir, `${stamp}.md`), L.join('\n'));
log(`wrote bench/results/${stamp}.md`);
killAll();
process.exit(0);
