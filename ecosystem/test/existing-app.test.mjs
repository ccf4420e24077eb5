// An existing app, end to end against the jar, the way the apps Switchboard replaces use it: ONE port (3007 style).
// - a backend POSTs its events to the public port's /emit (as it did to the Node server it replaces);
// - a monitor polls the public port's /health and parses it;
// - a frontend (the stock socket.io-client 4.x) on each of the five namespaces gets its `connected` greeting and
//   one real event: /system stats, /files a change, /mcp the backend's emit, /services a busybox container's log
//   line, /deployments a PM2 process's log line;
// - a python-socketio client (Debian's python3-socketio, test-support/python/sio_client.py) on /mcp receives the
//   backend's emit with a ONE-argument handler (an extra argument would be a TypeError, and no event).
// Every wait has a deadline; everything started here is stopped here.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import readline from "node:readline";
import { io } from "socket.io-client";
import { startSwitchboard, waitFor, nextValue, httpGet, EMIT_TOKEN, dockerAvailable, docker, execFileP, TEST_DIR, REPO_DIR } from "./lib/harness.mjs";

const PM2 = join(TEST_DIR, "node_modules/.bin/pm2");
const PYTHON = "/usr/bin/python3"; // Debian's interpreter, for which scripts/setup-python.sh installs python3-socketio
const NAMESPACES = ["services", "deployments", "system", "mcp", "files"];
const CONTAINER = "sb-existing-app";

let server, watched, pm2Home, withDocker;
const pm2 = (...args) => execFileP(PM2, args, { env: { ...process.env, PM2_HOME: pm2Home }, timeout: 60000 });

before(async () => {
  watched = mkdtempSync(join(tmpdir(), "sb-app-files-"));
  pm2Home = mkdtempSync(join(tmpdir(), "sb-app-pm2-"));
  writeFileSync(join(pm2Home, "worker.cjs"), "let i = 0; setInterval(() => console.log(`worker-line-${i++}`), 200);\n");
  await pm2("start", join(pm2Home, "worker.cjs"), "--name", "app-worker");
  withDocker = await dockerAvailable();
  if (withDocker) {
    await docker("rm", "-f", CONTAINER).catch(() => {});
    await docker("run", "-d", "--network", "none", "--name", CONTAINER, "busybox:local", "sh", "-c",
      "i=0; while [ $i -lt 600 ]; do echo app-line-$i; i=$((i+1)); sleep 0.2; done");
  }
  server = await startSwitchboard({ name: "existing-app", env: { FILES_ROOTS: watched, PM2_HOME: pm2Home } });
});

after(async () => {
  await server?.stop();
  await pm2("kill").catch(() => {});
  if (withDocker) await docker("rm", "-f", CONTAINER).catch(() => {});
  rmSync(pm2Home, { recursive: true, force: true });
  rmSync(watched, { recursive: true, force: true });
});

/** The backend: POST /emit on the Socket.IO port, with the token it is configured with. */
async function backendEmit(body) {
  const response = await fetch(`${server.url}/emit`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${EMIT_TOKEN}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  });
  const json = await response.json();
  assert.equal(response.status, 200, `POST /emit on the public port: ${JSON.stringify(json)}`);
  return json;
}

/** The monitor: GET /health on the public port, parsed the way an uptime monitor parses it. */
async function monitor() {
  const { status, json } = await httpGet(`${server.url}/health`);
  assert.equal(status, 200);
  assert.equal(json.success, true);
  assert.equal(json.status, "healthy");
  for (const ns of NAMESPACES) assert.equal(typeof json.connections[ns], "number", `connections.${ns}`);
  assert.equal(typeof json.activeStreams, "number");
  return json;
}

/** A frontend socket: the stock client, default transports, one namespace. Records every event. */
function frontend(namespace) {
  const socket = io(`${server.url}/${namespace}`, { forceNew: true, reconnection: false });
  const events = [];
  socket.onAny((name, ...args) => events.push({ name, args }));
  const next = (name, what = `${name} on /${namespace}`, timeoutMs = 15000) =>
    waitFor(() => events.find((e) => e.name === name), { timeoutMs, what });
  return { socket, events, next };
}

/** python-socketio through test-support/python/sio_client.py (JSON lines). */
function pythonClient() {
  const proc = spawn(PYTHON, ["sio_client.py"], { cwd: join(REPO_DIR, "test-support/python"), stdio: ["pipe", "pipe", "pipe"] });
  const lines = readline.createInterface({ input: proc.stdout });
  const waiting = new Map();
  const events = [];
  let stderr = "";
  let ready;
  const readyP = new Promise((r) => { ready = r; });
  proc.stderr.on("data", (d) => { stderr += d; });
  lines.on("line", (line) => {
    const msg = JSON.parse(line);
    if (msg.type === "ready") ready(msg);
    else if (msg.type === "event") events.push(msg);
    else if (msg.type === "reply") waiting.get(msg.cmd)?.(msg);
  });
  let cmd = 0;
  const request = (op, fields, timeoutMs = 15000) => nextValue((done) => {
    const id = ++cmd;
    waiting.set(id, done);
    proc.stdin.write(JSON.stringify({ cmd: id, op, ...fields }) + "\n");
  }, { timeoutMs, what: `python ${op}` }).then((reply) => {
    assert.equal(reply.ok, true, `python ${op}: ${reply.error} ${stderr}`);
    return reply;
  });
  return {
    ready: () => nextValue((done) => { readyP.then(done); }, { timeoutMs: 10000, what: "python client ready" }),
    request,
    next: (name) => waitFor(() => events.find((e) => e.name === name), { what: `python ${name} (stderr: ${stderr.slice(-500)})` }),
    stop: () => { proc.stdin.end(); setTimeout(() => proc.kill("SIGKILL"), 5000).unref(); },
  };
}

test("an existing app on one port: backend emits, a monitor, a frontend per namespace, python on /mcp", async (t) => {
  const fronts = Object.fromEntries(NAMESPACES.map((ns) => [ns, frontend(ns)]));
  const python = pythonClient();
  t.after(() => {
    for (const f of Object.values(fronts)) f.socket.close();
    python.stop();
  });

  // every namespace greets its frontend
  for (const ns of NAMESPACES) await fronts[ns].next("connected");

  // one real event per namespace
  fronts.system.socket.emit("subscribe:stats", { interval: 500, metrics: ["cpu", "memory"] });
  const stats = (await fronts.system.next("stats")).args[0];
  assert.ok(stats.memory.total > 0, "/system stats carry memory figures");

  const watchAck = await fronts.files.socket.timeout(10000).emitWithAck("watch", { path: watched });
  assert.equal(watchAck.ok, true, JSON.stringify(watchAck));
  writeFileSync(join(watched, "report.txt"), "hello");
  const change = (await fronts.files.next("change")).args[0];
  assert.match(change.path, /report\.txt$/);

  fronts.deployments.socket.emit("subscribe:logs", { deployment: "app-worker", tail: 5 });
  const deploymentLogs = (await fronts.deployments.next("logs", "/deployments logs of app-worker", 30000)).args[0];
  assert.equal(deploymentLogs.deployment, "app-worker");
  assert.match(deploymentLogs.lines[0].line, /worker-line-/);

  if (withDocker) {
    fronts.services.socket.emit("subscribe:logs", { container: CONTAINER, serviceId: "svc-app", tail: 5 });
    const serviceLogs = (await fronts.services.next("logs", "/services logs of the container", 30000)).args[0];
    assert.match(serviceLogs.lines[0].line, /app-line-/);
  } else {
    t.diagnostic("docker/busybox:local unavailable (scripts/setup-docker.sh not run): /services gets a POST /emit to its room only");
  }

  const room = "thread-42";
  const joinAck = await fronts.mcp.socket.timeout(10000).emitWithAck("join", { room });
  assert.equal(joinAck.ok, true, JSON.stringify(joinAck));

  // python-socketio on /mcp in the same room, one-argument handlers
  await python.ready();
  await python.request("connect", { url: server.url, namespaces: ["/mcp"], transports: null, events: { "/mcp": ["connected", "progress"] } });
  await python.next("connected");
  const pyJoin = await python.request("call", { namespace: "/mcp", event: "join", args: [{ room }], timeoutMs: 10000 });
  assert.equal(pyJoin.ack[0].ok, true);

  // the monitor sees every frontend, the python client and the open streams
  const during = await monitor();
  for (const ns of ["services", "deployments", "system", "files"]) assert.equal(during.connections[ns], 1, `connections.${ns}`);
  assert.equal(during.connections.mcp, 2, "connections.mcp: the frontend and the python client");
  assert.ok(during.activeStreams >= 1, `activeStreams ${during.activeStreams}`);

  // the backend, through the Socket.IO port
  const data = { step: 2, of: 3, label: "indexing ✓" };
  const sent = await backendEmit({ namespace: "/mcp", room, event: "progress", data });
  assert.equal(sent.delivered, 2);
  assert.deepEqual((await fronts.mcp.next("progress")).args, [data], "the frontend gets exactly the posted arguments");
  assert.deepEqual((await python.next("progress")).args, [data], "the python client's one-argument handler got it");
  const toService = await backendEmit({ namespace: "/services", room: "svc-app", event: "deploy:status", data: { state: "done" } });
  if (withDocker) {
    assert.equal(toService.delivered, 1);
    assert.deepEqual((await fronts.services.next("deploy:status")).args, [{ state: "done" }]);
  }

  // everyone leaves: the monitor counts 0 everywhere
  for (const f of Object.values(fronts)) f.socket.close();
  await python.request("disconnect", {});
  await waitFor(async () => {
    const health = await monitor();
    return NAMESPACES.every((ns) => health.connections[ns] === 0) && health;
  }, { what: "/health counting 0 on every namespace" });
});
