// Shared helpers of the ecosystem tests: free ports, deadlines, the Switchboard jar as a child process,
// nginx on a loopback port, Docker. Every wait has a deadline; every process started here is stopped here.
import { spawn, execFile } from "node:child_process";
import { createServer } from "node:net";
import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createRequire } from "node:module";

export const TEST_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const ECOSYSTEM_DIR = resolve(TEST_DIR, "..");
export const REPO_DIR = resolve(ECOSYSTEM_DIR, "..");
export const ARTIFACTS_DIR = join(TEST_DIR, "artifacts");
export const JAR = resolve(process.env.SWITCHBOARD_JAR || join(REPO_DIR, "server/app/target/switchboard.jar"));
export const EMIT_TOKEN = "ecosystem-test-emit-token-0123456789";
export const execFileP = promisify(execFile);
const require = createRequire(import.meta.url);
/** The compiled JS client (ecosystem/client/dist/cjs, built by run.sh): the browser entry and ./server together. */
export const client = {
  ...require(join(ECOSYSTEM_DIR, "client/dist/cjs/index.js")),
  ...require(join(ECOSYSTEM_DIR, "client/dist/cjs/server.js")),
};

mkdirSync(ARTIFACTS_DIR, { recursive: true });

export function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.unref();
    srv.on("error", rej);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

/** Polls `probe` until it returns a truthy value; throws with `what` after `timeoutMs`. */
export async function waitFor(probe, { timeoutMs = 15000, intervalMs = 100, what = "condition" } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (e) {
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${lastError.message})` : ""}`);
}

/** Resolves with the first value `subscribe(resolve)` delivers, or rejects after `timeoutMs`. */
export function nextValue(subscribe, { timeoutMs = 15000, what = "event" } = {}) {
  return new Promise((res, rej) => {
    let cleanup = () => {};
    let settled = false;
    const timer = setTimeout(() => { settled = true; cleanup(); rej(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)); }, timeoutMs);
    const returned = subscribe((value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      cleanup();
      res(value);
    });
    if (typeof returned === "function") {
      cleanup = returned;
      if (settled) returned();
    }
  });
}

export async function httpGet(url, { timeoutMs = 5000, headers = {} } = {}) {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
  const text = await response.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: response.status, headers: response.headers, text, json };
}

export function requireJar() {
  if (!existsSync(JAR)) {
    throw new Error(`Switchboard jar not found at ${JAR}: build it first (./mvnw -B -DskipTests package) or set SWITCHBOARD_JAR`);
  }
}

/** Environment for a test server: loopback only, short grace, an emit token. */
export function serverEnv(wsPort, apiPort, extra = {}) {
  return {
    HOST: "127.0.0.1", WS_PORT: String(wsPort), API_HOST: "127.0.0.1", API_PORT: String(apiPort),
    EMIT_TOKEN, SHUTDOWN_GRACE_MS: "2000", LOG_FORMAT: "text", ...extra,
  };
}

/**
 * Starts `java -jar $JAR` (or `command`) and waits until GET /health on the public port answers 200.
 * Output goes to artifacts/<name>.log. `stop()` sends SIGTERM and resolves with the exit code.
 */
export async function startSwitchboard({ name = "switchboard", wsPort, apiPort, env = {}, startTimeoutMs = 60000, command } = {}) {
  requireJar();
  wsPort = wsPort ?? await freePort();
  apiPort = apiPort ?? await freePort();
  const logPath = join(ARTIFACTS_DIR, `${name}.log`);
  const log = createWriteStream(logPath, { flags: "w" });
  // a variable given as undefined in `env` is removed (e.g. HOST, to see a script's own default)
  const fullEnv = { ...process.env, ...serverEnv(wsPort, apiPort), ...env };
  for (const key of Object.keys(fullEnv)) if (fullEnv[key] === undefined) delete fullEnv[key];
  // `command` replaces `java -jar $JAR`; it must exec the JVM (as scripts/start.sh does) so that stop() reaches it
  const [exe, ...args] = command ?? ["java", "-Xms64m", "-Xmx512m", "-jar", JAR];
  const proc = spawn(exe, args, { env: fullEnv, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const collect = (chunk) => { output += chunk.toString(); log.write(chunk); };
  proc.stdout.on("data", collect);
  proc.stderr.on("data", collect);
  const exited = new Promise((res) => proc.on("exit", (code, signal) => res({ code, signal })));
  let gone = false;
  exited.then(() => { gone = true; });
  const url = `http://127.0.0.1:${wsPort}`;
  try {
    await waitFor(async () => {
      if (gone) throw new Error(`server exited during start-up; log ${logPath}:\n${output.slice(-2000)}`);
      return (await httpGet(`${url}/health`, { timeoutMs: 2000 })).status === 200;
    }, { timeoutMs: startTimeoutMs, intervalMs: 150, what: `${name} /health on port ${wsPort}` });
  } catch (e) {
    proc.kill("SIGKILL");
    throw e;
  }
  return {
    wsPort, apiPort, url, apiUrl: `http://127.0.0.1:${apiPort}`, proc, logPath,
    output: () => output,
    exited,
    /** Graceful stop; resolves with {code, signal}. */
    async stop(signal = "SIGTERM", timeoutMs = 20000) {
      if (!gone) proc.kill(signal);
      const timer = setTimeout(() => proc.kill("SIGKILL"), timeoutMs);
      const result = await exited;
      clearTimeout(timer);
      log.end();
      return result;
    },
  };
}

/** POST /emit on the API port with the test token. */
export function emitter(server) {
  return client.createEmitter({ baseUrl: server.apiUrl, token: EMIT_TOKEN });
}

/**
 * nginx in front of `upstreamPort`, on a free loopback port, with a config derived from
 * ecosystem/nginx/switchboard.conf: only the listen addresses and the upstream node change.
 */
export async function startNginx({ upstreamPort, upstreamPorts = [upstreamPort] }) {
  const port = await freePort();
  const prefix = mkdtempSync(join(tmpdir(), "sb-nginx-"));
  for (const dir of ["logs", "client_body", "proxy", "fastcgi", "uwsgi", "scgi"]) mkdirSync(join(prefix, dir));
  const site = readFileSync(join(ECOSYSTEM_DIR, "nginx/switchboard.conf"), "utf8");
  const derived = deriveNginxSite(site, port, upstreamPorts);
  writeFileSync(join(prefix, "switchboard.conf"), derived);
  writeFileSync(join(prefix, "nginx.conf"), `
user root;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log info;
events { worker_connections 512; }
http {
  access_log ${prefix}/logs/access.log;
  client_body_temp_path ${prefix}/client_body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  include ${prefix}/switchboard.conf;
}
`);
  const conf = join(prefix, "nginx.conf");
  await execFileP("nginx", ["-t", "-p", prefix, "-c", conf]);
  const proc = spawn("nginx", ["-p", prefix, "-c", conf, "-g", "daemon off;"], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  proc.stdout.on("data", (c) => { output += c; });
  proc.stderr.on("data", (c) => { output += c; });
  const exited = new Promise((res) => proc.on("exit", (code, signal) => res({ code, signal })));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(async () => (await httpGet(`${url}/health`, { timeoutMs: 2000 })).status > 0,
    { timeoutMs: 10000, what: `nginx on port ${port} (${output})` });
  return {
    port, url, prefix, derived,
    async stop() {
      proc.kill("SIGQUIT"); // graceful: finish open requests, then exit
      const timer = setTimeout(() => proc.kill("SIGKILL"), 10000);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
  };
}

/**
 * The shipped site with listen → 127.0.0.1:port and its upstream node line (127.0.0.1:3007, with its
 * parameters) repeated for each of `upstreamPorts`; everything else (headers, timeouts, hashing) stays.
 */
export function deriveNginxSite(site, port, upstreamPorts) {
  const ports = Array.isArray(upstreamPorts) ? upstreamPorts : [upstreamPorts];
  let listenDone = false;
  let nodeFound = false;
  const out = site.split("\n").map((line) => {
    if (/^\s*listen\s+/.test(line)) {
      if (listenDone) return "";
      listenDone = true;
      return `    listen 127.0.0.1:${port};`;
    }
    const node = /^(\s*server\s+)127\.0\.0\.1:3007(\b.*)$/.exec(line);
    if (!node) return line;
    nodeFound = true;
    return ports.map((p) => `${node[1]}127.0.0.1:${p}${node[2]}`).join("\n");
  }).join("\n");
  if (!nodeFound) throw new Error("nginx site has no 127.0.0.1:3007 upstream node to replace");
  return out;
}

// ---------- Docker (dockerd + busybox:local come from scripts/setup-docker.sh) ----------
const DOCKER = "/usr/bin/docker";

export async function dockerAvailable() {
  if (!existsSync(DOCKER)) return false;
  try {
    await execFileP(DOCKER, ["image", "inspect", "busybox:local"], { timeout: 10000 });
    return true;
  } catch {
    return false;
  }
}

export async function docker(...args) {
  const { stdout } = await execFileP(DOCKER, args, { timeout: 30000 });
  return stdout.trim();
}
