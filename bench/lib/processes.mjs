// What every bench scenario needs of the processes it starts: loopback ports nobody holds, CPU and RSS read from
// /proc, and children that never outlive the run (SIGKILLed at exit and on a signal).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A free 127.0.0.1 port; with `taken`, one not handed out before in this run (and now recorded in it). */
export async function freePort(taken = new Set()) {
  for (;;) {
    const port = await new Promise((resolve, reject) => {
      const s = net.createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const { port: p } = s.address();
        s.close(() => resolve(p));
      });
    });
    if (!taken.has(port)) {
      taken.add(port);
      return port;
    }
  }
}

/** User + system CPU time of a process in ms, NaN once it is gone. */
export function cpuMs(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

/** Resident set size (VmRSS) of a process in KiB, NaN once it is gone. */
export function rssKb(pid) {
  try {
    const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/);
    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN;
  }
}

/**
 * The run's children, a Set: `track(proc)` adds one until it exits; `killAll()` SIGKILLs every one left and runs
 * `cleanup`. Called at exit and on SIGINT / SIGTERM / SIGHUP (exit code 130).
 */
export function childProcesses({ log = () => {}, cleanup = () => {} } = {}) {
  const children = new Set();
  children.track = (proc) => {
    children.add(proc);
    proc.on('exit', () => children.delete(proc));
    return proc;
  };
  children.killAll = () => {
    for (const c of children) {
      try {
        process.kill(c.pid, 'SIGKILL');
      } catch {}
    }
    children.clear();
    cleanup();
  };
  process.on('exit', children.killAll);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => {
      log(`signal ${sig}: killing children`);
      children.killAll();
      process.exit(130);
    });
  }
  return children;
}

/** What a Switchboard under load from a few loopback addresses needs: the per-IP caps lifted, the API on loopback. */
export const SWITCHBOARD_BENCH_ENV = { API_HOST: '127.0.0.1', MAX_CONNECTIONS_PER_IP: '0', MAX_SESSIONS_PER_IP: '0',
  HANDSHAKE_RATE_PER_IP: '0', MAX_TCP_CONNECTIONS_PER_IP: '0' };

/**
 * Spawns a server (output to `logFile`, tracked in `children`) and waits until `GET /health` on `apiPort` answers
 * (with 2xx when `okOnly`); throws when it exits first or does not answer within `timeoutMs` (it is killed then).
 * Returns the process, `exited()` (null while it runs) and `startMs` (spawn to first answer).
 */
export async function startServer({ name, cmd, args, env, cwd, logFile, apiPort, children, timeoutMs = 60000,
  pollMs = 200, okOnly = true }) {
  const out = fs.openSync(logFile, 'w');
  const spawned = Date.now();
  const proc = children.track(spawn(cmd, args, { env, stdio: ['ignore', out, out], cwd }));
  fs.closeSync(out);
  let exited = null;
  proc.on('exit', (code, signal) => (exited = { code, signal }));
  const deadline = spawned + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`${name} exited during start-up (${JSON.stringify(exited)}); see ${logFile}`);
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`${name} did not answer /health within ${timeoutMs / 1000} s; see ${logFile}`);
    }
    try {
      const res = await fetch(`http://127.0.0.1:${apiPort}/health`, { signal: AbortSignal.timeout(2000) });
      await res.text();
      if (res.ok || !okOnly) break;
    } catch {}
    await sleep(pollMs);
  }
  return { proc, pid: proc.pid, startMs: Date.now() - spawned, exited: () => exited };
}
