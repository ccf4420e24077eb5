// ecosystem/pm2/ecosystem.config.js under real PM2 (npm pm2 7.x, temporary PM2_HOME, `pm2 kill` at the end):
// start + health on both ports, restart (new pid, healthy again), graceful stop (exit code 0, "shutdown complete").
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, existsSync, rmSync, copyFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TEST_DIR, ECOSYSTEM_DIR, ARTIFACTS_DIR, JAR, execFileP, freePort, serverEnv, waitFor, httpGet, requireJar } from "./lib/harness.mjs";

const PM2 = join(TEST_DIR, "node_modules/.bin/pm2");
const CONFIG = join(ECOSYSTEM_DIR, "pm2/ecosystem.config.js");
const NAME = "switchboard";
let home, env, wsPort, apiPort;

function pm2(...args) {
  return execFileP(PM2, args, { env, timeout: 90000 });
}

async function processInfo() {
  const { stdout } = await pm2("jlist");
  const list = JSON.parse(stdout.slice(stdout.indexOf("[")));
  const app = list.find((p) => p.name === NAME);
  return app && { pid: app.pid, status: app.pm2_env.status, restarts: app.pm2_env.restart_time };
}

const health = (port) => httpGet(`http://127.0.0.1:${port}/health`, { timeoutMs: 2000 }).then((r) => r.status, () => 0);
const logs = () => ["out", "error"].map((k) => join(home, "applogs", `${NAME}-${k}.log`))
  .filter(existsSync).map((f) => readFileSync(f, "utf8")).join("\n");

before(async () => {
  requireJar();
  home = mkdtempSync(join(tmpdir(), "sb-pm2-"));
  wsPort = await freePort();
  apiPort = await freePort();
  env = {
    ...process.env, PM2_HOME: home, SWITCHBOARD_JAR: JAR, SWITCHBOARD_LOGS: join(home, "applogs"),
    ...serverEnv(wsPort, apiPort),
  };
});

after(async () => {
  if (!home) return;
  for (const f of ["pm2.log", `applogs/${NAME}-out.log`, `applogs/${NAME}-error.log`]) {
    if (existsSync(join(home, f))) copyFileSync(join(home, f), join(ARTIFACTS_DIR, `pm2-${f.replace("applogs/", "")}`));
  }
  await pm2("kill").catch(() => {});
  rmSync(home, { recursive: true, force: true });
});

test("pm2 starts the jar from ecosystem.config.js; both ports answer /health", async () => {
  await pm2("start", CONFIG);
  await waitFor(async () => (await health(wsPort)) === 200, { timeoutMs: 60000, intervalMs: 200, what: "public /health under PM2" });
  assert.equal(await health(apiPort), 200, "API port /health");
  const info = await processInfo();
  assert.equal(info.status, "online");
  assert.ok(info.pid > 0);
  const { text } = await httpGet(`http://127.0.0.1:${wsPort}/health`);
  assert.equal(JSON.parse(text).status, "healthy");
});

test("pm2 restart: the old JVM drains and exits, a new pid serves /health", async () => {
  const first = await processInfo();
  await pm2("restart", NAME);
  const second = await waitFor(async () => {
    const info = await processInfo();
    return info && info.status === "online" && info.pid > 0 && info.pid !== first.pid && info;
  }, { timeoutMs: 60000, intervalMs: 300, what: "a new pid after pm2 restart" });
  await waitFor(async () => (await health(wsPort)) === 200, { timeoutMs: 60000, intervalMs: 200, what: "/health after restart" });
  assert.notEqual(second.pid, first.pid);
  assert.throws(() => process.kill(first.pid, 0), "the old JVM is gone");
  assert.match(logs(), /shutdown complete/, "the first JVM shut down gracefully");
});

test("pm2 stop: graceful shutdown, exit code 0 in PM2's log", async () => {
  const running = await processInfo();
  await pm2("stop", NAME);
  await waitFor(async () => (await processInfo())?.status === "stopped", { timeoutMs: 30000, what: "status stopped" });
  assert.throws(() => process.kill(running.pid, 0), "the JVM has exited");
  assert.equal(await health(wsPort), 0, "nothing listens on the public port any more");
  const daemonLog = readFileSync(join(home, "pm2.log"), "utf8");
  assert.match(daemonLog, new RegExp(`App \\[${NAME}:\\d+\\] exited with code \\[0\\] via signal \\[SIGINT\\]`));
  assert.doesNotMatch(daemonLog, /SIGKILL/, "PM2 never had to SIGKILL: kill_timeout covers the grace period");
  const appLog = logs();
  assert.equal((appLog.match(/shutdown complete/g) || []).length, 2, "restart and stop each logged a graceful shutdown");
});
