// The JS client (ecosystem/client, compiled to dist/ by run.sh) against the real Switchboard jar.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, rmSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import WebSocket from "ws";
import { startSwitchboard, emitter, waitFor, nextValue, client, EMIT_TOKEN, dockerAvailable, docker, execFileP, TEST_DIR } from "./lib/harness.mjs";

const { createSwitchboard, createEmitter, EmitError, createChannelClient, ChannelRequestError } = client;
// The server's default /ws channels plus one anyone may publish to.
const WS_CHANNELS = "global=/mcp:global:public:auth;metrics=local::public:none;"
  + "agents/{agent_id}=/mcp:agent:{agent_id}:owner:owner;sessions/{session_id}=/mcp:session:{session_id}:owner:owner;"
  + "topics/{topic}=/mcp:topic:{topic}:public:auth;open/{topic}=/mcp:open:{topic}:public:public";
const PM2 = join(TEST_DIR, "node_modules/.bin/pm2");

let server, watched, pm2Home;
const pm2 = (...args) => execFileP(PM2, args, { env: { ...process.env, PM2_HOME: pm2Home }, timeout: 60000 });

before(async () => {
  watched = mkdtempSync(join(tmpdir(), "sb-client-files-"));
  // A real PM2 daemon with one logging process for /deployments.
  pm2Home = mkdtempSync(join(tmpdir(), "sb-client-pm2-"));
  writeFileSync(join(pm2Home, "talker.cjs"), "let i = 0; setInterval(() => console.log(`talker-line-${i++}`), 200);\n");
  await pm2("start", join(pm2Home, "talker.cjs"), "--name", "eco-talker");
  server = await startSwitchboard({ name: "client-test", env: { FILES_ROOTS: watched, PM2_HOME: pm2Home, WS_CHANNELS } });
});
after(async () => {
  await server?.stop();
  await pm2("kill").catch(() => {});
  rmSync(pm2Home, { recursive: true, force: true });
  rmSync(watched, { recursive: true, force: true });
});

function connect(url, extra = {}) {
  return createSwitchboard(url, { reconnectionDelay: 200, reconnectionDelayMax: 1000, ...extra });
}

function connectChannels(url, extra = {}) {
  return createChannelClient(url, { WebSocket, reconnectionDelay: 200, reconnectionDelayMax: 1000, ...extra });
}

test("mcp: join a room, then POST /emit to that room arrives (emitToRoom)", async (t) => {
  const sb = connect(server.url);
  t.after(() => sb.close());
  const received = [];
  const joined = nextValue((done) => {
    sb.mcpWS.join("exec-42", (event, data) => received.push({ event, data }), { onJoined: done });
  }, { what: "joined exec-42" });
  assert.equal(await joined, "exec-42");
  await emitter(server).emitToRoom("/mcp", "exec-42", "tool:progress", { step: 1, of: 3 });
  await waitFor(() => received.length === 1, { what: "tool:progress in exec-42" });
  assert.deepEqual(received[0], { event: "tool:progress", data: { step: 1, of: 3 } });
});

test("mcp: a room the client left no longer receives, and a client in another room never does", async (t) => {
  const a = connect(server.url);
  const b = connect(server.url);
  t.after(() => { a.close(); b.close(); });
  const gotA = [], gotB = [];
  let leaveA;
  await nextValue((done) => { leaveA = a.mcpWS.join("room-a", (e, d) => gotA.push(d), { onJoined: done }); });
  await nextValue((done) => { b.mcpWS.join("room-b", (e, d) => gotB.push(d), { onJoined: done }); });
  const emit = emitter(server);
  await emit.emitToRoom("/mcp", "room-a", "msg", { n: 1 });
  await emit.emitToRoom("/mcp", "room-b", "msg", { n: 2 });
  await waitFor(() => gotA.length === 1 && gotB.length === 1, { what: "one message per room" });
  assert.deepEqual(gotA, [{ n: 1 }]);
  assert.deepEqual(gotB, [{ n: 2 }]);
  leaveA();
  // a round trip on the same connection orders the leave before the next emit
  await nextValue((done) => { a.mcpWS.join("room-c", () => {}, { onJoined: done }); });
  await emit.emitToRoom("/mcp", "room-a", "msg", { n: 3 });
  await emit.emitToRoom("/mcp", "room-b", "msg", { n: 4 });
  await waitFor(() => gotB.length === 2, { what: "second message in room-b" });
  assert.deepEqual(gotA, [{ n: 1 }], "room-a was left: nothing more arrives there");
});

test("mcp: join with since replays the kept events with their history ids; a since function resumes after one", async (t) => {
  const emit = emitter(server);
  await emit.emitToRoom("/mcp", "kept-room", "step", { n: 1 });
  await emit.emitToRoom("/mcp", "kept-room", "step", { n: 2 });
  const sb = connect(server.url);
  const later = connect(server.url);
  t.after(() => { sb.close(); later.close(); });
  const got = [];
  const ack = await nextValue((done) => {
    sb.mcpWS.join("kept-room", (event, data, id) => got.push({ event, data, id }), { since: null, onAck: done });
  }, { what: "join ack with since: null" });
  assert.deepEqual({ replayed: ack.replayed, complete: ack.complete }, { replayed: 2, complete: true });
  await waitFor(() => got.length === 2, { what: "two replayed events" });
  assert.deepEqual(got.map((g) => [g.event, g.data]), [["step", { n: 1 }], ["step", { n: 2 }]]);
  assert.match(got[0].id, /^\d+-[0-9a-z]+$/, "each event carries its history id as the last argument");

  const resumed = [];
  const ack2 = await nextValue((done) => {
    later.mcpWS.join("kept-room", (event, data) => resumed.push(data), { since: () => got[0].id, onAck: done });
  }, { what: "join ack with since = the first id" });
  assert.equal(ack2.replayed, 1);
  await waitFor(() => resumed.length === 1, { what: "the event after the first id" });
  assert.deepEqual(resumed, [{ n: 2 }]);
});

test("ws channels: a subscription gets POST /emit to the mapped room, publish reaches Socket.IO, refusals carry codes", async (t) => {
  const channels = connectChannels(server.url);
  const sb = connect(server.url);
  t.after(() => { channels.close(); sb.close(); });
  const events = [];
  await nextValue((done) => { channels.subscribe("topics/eco", (e) => events.push(e), { onSubscribed: done }); },
    { what: "subscribed to topics/eco" });
  await emitter(server).emitToRoom("/mcp", "topic:eco", "news", { n: 1 });
  await waitFor(() => events.length === 1, { what: "the channel event" });
  const { timestamp, ...event } = events[0];
  assert.deepEqual(event, { channel: "topics/eco", event: "news", data: { n: 1 } });
  assert.equal(typeof timestamp, "number");
  assert.equal(typeof channels.clientId, "string");

  const published = [];
  await nextValue((done) => { sb.mcpWS.join("open:eco", (e, d) => published.push([e, d]), { onJoined: done }); });
  await channels.publish("open/eco", "hello", { from: "ws" });
  await waitFor(() => published.length === 1, { what: "the published event in the Socket.IO room" });
  assert.deepEqual(published[0], ["hello", { from: "ws" }]);

  await assert.rejects(channels.publish("topics/eco", "x", {}),
    (e) => e instanceof ChannelRequestError && e.code === "UNAUTHORIZED" && e.channel === "topics/eco");
  const refused = await nextValue((done) => { channels.subscribe("no-such/channel", () => {}, { onError: done }); },
    { what: "refusal of an unknown channel" });
  assert.equal(refused.code, "INVALID_CHANNEL");
  assert.ok((await channels.ping()) >= 0);
});

test("system: stats arrive at the requested interval with the requested metrics", async (t) => {
  const sb = connect(server.url);
  t.after(() => sb.close());
  const samples = [];
  const stop = sb.systemWS.subscribeStats({ interval: 500, metrics: ["cpu", "memory"] }, (s) => samples.push(s));
  await waitFor(() => samples.length >= 2, { what: "two /system stats samples" });
  stop();
  const s = samples[0];
  assert.equal(typeof s.cpu.total, "number");
  assert.ok(s.memory.total > 0 && s.memory.used > 0, "memory figures are present");
  assert.equal(s.disks, undefined, "metrics not asked for are not sent");
  assert.equal(sb.state("/system"), "connected");
});

test("system: two local subscribers share one server subscription; one leaving keeps the other fed", async (t) => {
  const sb = connect(server.url);
  t.after(() => sb.close());
  const a = [], b = [];
  const stopA = sb.systemWS.subscribeStats({ interval: 500, metrics: ["cpu"] }, (s) => a.push(s));
  sb.systemWS.subscribeStats({ interval: 500, metrics: ["memory"] }, (s) => b.push(s));
  await waitFor(() => a.some((s) => s.cpu && s.memory), { what: "merged metrics (cpu + memory) in one sample" });
  stopA();
  const seen = a.length;
  const bNow = b.length;
  await waitFor(() => b.length >= bNow + 2, { what: "samples after the other subscriber left" });
  assert.equal(a.length, seen, "the cleaned-up subscriber gets nothing more");
});

test("system: refused options reach onError (server: interval out of bounds; client: unknown metric)", async (t) => {
  const global = [];
  const sb = connect(server.url, { onError: (ns, e) => global.push([ns, e.code]) });
  t.after(() => sb.close());
  const serverError = await nextValue((done) => { sb.systemWS.subscribeStats({ interval: 1, onError: done }, () => {}); },
    { what: "error for a 1 ms interval" });
  assert.equal(serverError.code, "BAD_REQUEST");
  assert.match(serverError.message, /interval/);
  const clientError = await nextValue((done) => { sb.systemWS.subscribeStats({ metrics: ["bogus"], onError: done }, () => {}); },
    { what: "error for an unknown metric" });
  assert.equal(clientError.code, "BAD_REQUEST");
  assert.match(clientError.message, /unknown metric/);
  await waitFor(() => global.length >= 2, { what: "both refusals at the global onError" });
  assert.deepEqual(global, [["/system", "BAD_REQUEST"], ["/system", "BAD_REQUEST"]], "each refusal reported once");
});

test("deployments: list, status stream and logs of a real PM2 process; emitToDeployment reaches log subscribers", async (t) => {
  const sb = connect(server.url);
  t.after(() => sb.close());
  const list = await sb.deploymentsWS.list();
  const talker = list.find((p) => p.name === "eco-talker");
  assert.ok(talker, `eco-talker listed (got ${JSON.stringify(list.map((p) => p.name))})`);
  assert.equal(talker.status, "online");
  assert.equal(talker.pm2_env, undefined, "PM2's environment is never sent");
  const tables = [];
  sb.deploymentsWS.subscribeStatus((processes) => tables.push(processes));
  const lines = [];
  sb.deploymentsWS.subscribeLogs("eco-talker", (l) => lines.push(l), { tail: 5 });
  await waitFor(() => lines.some((l) => /^talker-line-\d+$/.test(l.line)), { timeoutMs: 20000, what: "a PM2 log line" });
  await waitFor(() => tables.some((ps) => ps.some((p) => p.name === "eco-talker")), { timeoutMs: 20000, what: "a status table" });
  const custom = [];
  sb.deploymentsWS.on("deploy:finished", (d) => custom.push(d));
  await emitter(server).emitToDeployment("eco-talker", "deploy:finished", { ok: true });
  await waitFor(() => custom.length === 1, { what: "emitToDeployment delivery" });
  assert.deepEqual(custom[0], { ok: true });
});

test("files: watch reports a created file; a path outside FILES_ROOTS is refused", async (t) => {
  const sb = connect(server.url);
  t.after(() => sb.close());
  const dir = join(watched, "uploads");
  mkdirSync(dir);
  const changes = [];
  const errors = [];
  sb.filesWS.watch(dir, { recursive: true, onError: (e) => errors.push(e) }, (c) => changes.push(c));
  await waitFor(async () => {
    writeFileSync(join(dir, "a.txt"), "hello");
    return changes.some((c) => c.path === join(dir, "a.txt"));
  }, { timeoutMs: 20000, intervalMs: 500, what: "a change for a.txt" });
  assert.deepEqual(errors, []);
  const change = changes.find((c) => c.path === join(dir, "a.txt"));
  assert.ok(["created", "modified"].includes(change.type));
  assert.equal(change.isDirectory, false);
  const refused = await nextValue((done) => { sb.filesWS.watch("/etc", { onError: done }, () => {}); }, { what: "refusal for /etc" });
  assert.equal(refused.code, "FORBIDDEN");
});

test("files: a glob narrows a watch; the same path watched with other options is refused with CONFLICT", async (t) => {
  const sb = connect(server.url);
  t.after(() => sb.close());
  const dir = join(watched, "globbed");
  mkdirSync(dir);
  const changes = [];
  sb.filesWS.watch(dir, { glob: "*.md" }, (c) => changes.push(c));
  await waitFor(async () => {
    writeFileSync(join(dir, "skip.txt"), "x");
    writeFileSync(join(dir, "take.md"), "y");
    return changes.some((c) => c.path === join(dir, "take.md"));
  }, { timeoutMs: 20000, intervalMs: 500, what: "a change for take.md" });
  assert.deepEqual(changes.filter((c) => !c.path.endsWith(".md")).map((c) => c.path), [], "the glob filters skip.txt");
  const conflict = await nextValue((done) => { sb.filesWS.watch(dir, { recursive: true, onError: done }, () => {}); },
    { what: "refusal of a second watch with other options" });
  assert.equal(conflict.code, "CONFLICT");
});

test("emit helper: a wrong token is refused with EmitError 401; an unknown field is a 400", async () => {
  const bad = createEmitter({ baseUrl: server.apiUrl, token: "x".repeat(32) });
  await assert.rejects(bad.emitToRoom("/mcp", "r", "e", {}), (e) => e instanceof EmitError && e.status === 401);
  const good = createEmitter({ baseUrl: server.apiUrl, token: EMIT_TOKEN });
  await assert.rejects(good.emit({ namespace: "/mcp", rooom: "typo", event: "e" }), (e) => e instanceof EmitError && e.status === 400);
});

test("reconnect: after the server is killed and started again on the same port, subscriptions resume", async (t) => {
  // A server of its own: the shared one must survive this test.
  let own = await startSwitchboard({ name: "client-restart-1" });
  const sb = connect(own.url);
  const channels = connectChannels(own.url);
  t.after(async () => { sb.close(); channels.close(); await own.stop(); });
  const samples = [];
  const events = [];
  const channelEvents = [];
  await nextValue((done) => { channels.subscribe("topics/resume", (e) => channelEvents.push(e), { onSubscribed: done }); },
    { what: "subscribed to topics/resume" });
  sb.systemWS.subscribeStats({ interval: 500, metrics: ["cpu"] }, (s) => samples.push(s));
  await nextValue((done) => { sb.mcpWS.join("resume-room", (e, d) => events.push(d), { onJoined: done }); });
  await waitFor(() => samples.length >= 1, { what: "stats before the restart" });

  const { wsPort, apiPort } = own;
  const crashed = await own.stop("SIGKILL");
  assert.equal(crashed.signal, "SIGKILL");
  await waitFor(() => sb.state("/system") !== "connected", { what: "client noticing the server is gone" });
  await waitFor(() => channels.state !== "connected", { what: "the channel client noticing the server is gone" });
  const before = samples.length;
  const restartedAt = Date.now();
  own = await startSwitchboard({ name: "client-restart-2", wsPort, apiPort });

  await waitFor(() => samples.length > before && samples.at(-1).timestamp >= restartedAt,
    { timeoutMs: 20000, what: "stats from the restarted server" });
  // The room join was replayed too: an emit to it after the restart arrives.
  await waitFor(async () => {
    await emitter(own).emitToRoom("/mcp", "resume-room", "after-restart", { n: events.length });
    return events.length > 0;
  }, { timeoutMs: 15000, intervalMs: 300, what: "an emit to the re-joined room" });
  assert.equal(sb.state("/mcp"), "connected");
  assert.equal(sb.state("/system"), "connected");
  // The /ws client reconnected and subscribed again.
  await waitFor(async () => {
    await emitter(own).emitToRoom("/mcp", "topic:resume", "after-restart", {});
    return channelEvents.length > 0;
  }, { timeoutMs: 15000, intervalMs: 300, what: "an emit to the re-subscribed channel" });
  assert.equal(channels.state, "connected");
});

test("services: container logs via subscribeLogs (real busybox container)", async (t) => {
  if (!(await dockerAvailable())) {
    t.skip("docker/busybox:local unavailable (scripts/setup-docker.sh not run)");
    return;
  }
  const name = `sb-eco-client-${process.pid}`;
  await docker("rm", "-f", name).catch(() => {});
  await docker("run", "-d", "--network", "none", "--name", name, "busybox:local", "sh", "-c",
    "i=0; while [ $i -lt 600 ]; do echo client-line-$i; i=$((i+1)); sleep 0.2; done");
  const sb = connect(server.url);
  t.after(async () => { sb.close(); await docker("rm", "-f", name).catch(() => {}); });
  const lines = [];
  const errors = [];
  sb.servicesWS.subscribeLogs("svc-eco", name, (l) => lines.push(l), { tail: 5, onError: (e) => errors.push(e) });
  await waitFor(() => lines.some((l) => /^client-line-\d+$/.test(l.line)) || errors.length, { timeoutMs: 20000, what: "a log line" });
  assert.deepEqual(errors, []);
  assert.equal(lines[0].stream, "stdout");
  const stats = await nextValue((done) => sb.servicesWS.subscribeStats("svc-eco", name, done), { timeoutMs: 20000, what: "container stats" });
  assert.equal(stats.container, name);
  assert.equal(typeof stats.cpuPercent, "number");
  const containers = await sb.servicesWS.list();
  assert.ok(containers.some((c) => c.name === name || (c.names || []).includes(`/${name}`) || (c.names || []).includes(name)),
    "the container is listed");
  // the serviceId room is reachable through the backend helper
  const custom = [];
  sb.servicesWS.on("deploy:started", (d) => custom.push(d));
  await emitter(server).emitToService("svc-eco", "deploy:started", { version: "1.2.3" });
  await waitFor(() => custom.length === 1, { what: "emitToService delivery" });
  assert.deepEqual(custom[0], { version: "1.2.3" });
});

test("services: stdout/stderr per subscriber on one server subscription; a wider newcomer adds a stream, no line twice; since", async (t) => {
  if (!(await dockerAvailable())) {
    t.skip("docker/busybox:local unavailable (scripts/setup-docker.sh not run)");
    return;
  }
  const name = `sb-eco-streams-${process.pid}`;
  await docker("rm", "-f", name).catch(() => {});
  await docker("run", "-d", "--network", "none", "--name", name, "busybox:local", "sh", "-c",
    "i=0; while [ $i -lt 600 ]; do echo out-$i; echo err-$i >&2; i=$((i+1)); sleep 0.1; done");
  const sb = connect(server.url);
  const other = connect(server.url);
  t.after(async () => { sb.close(); other.close(); await docker("rm", "-f", name).catch(() => {}); });
  const errOnly = [], both = [];
  sb.servicesWS.subscribeLogs(null, name, (l) => errOnly.push(l), { stdout: false, tail: 0 });
  await waitFor(() => errOnly.length >= 3, { timeoutMs: 20000, what: "stderr lines" });
  sb.servicesWS.subscribeLogs(null, name, (l) => both.push(l), { timestamps: false });
  await waitFor(() => both.some((l) => l.stream === "stdout") && both.some((l) => l.stream === "stderr"),
    { timeoutMs: 20000, what: "both streams for the newcomer" });
  const seen = errOnly.length;
  await waitFor(() => errOnly.length >= seen + 5, { what: "more stderr lines after the newcomer" });
  assert.deepEqual(errOnly.filter((l) => l.stream !== "stderr").map((l) => l.line), [], "stdout:false gets no stdout line");
  const numbers = errOnly.map((l) => Number(/^err-(\d+)$/.exec(l.line)[1]));
  assert.deepEqual(numbers, numbers.map((_, i) => numbers[0] + i), "consecutive stderr lines: none lost, none twice");
  assert.ok(errOnly.every((l) => typeof l.timestamp === "string"), "timestamps by default");
  assert.ok(both.every((l) => l.timestamp === undefined), "timestamps:false leaves them out");

  // since (a connection of its own, so its own server subscription): nothing older, although tail would allow it
  const since = new Date();
  const recent = [];
  other.servicesWS.subscribeLogs(null, name, (l) => recent.push(l), { since, tail: 1000 });
  await waitFor(() => recent.length >= 2, { timeoutMs: 20000, what: "lines since now" });
  assert.ok(!recent.some((l) => l.line === "out-0" || l.line === "err-0"), "the container's first lines are older");
  assert.ok(recent.every((l) => Date.parse(l.timestamp) >= since.getTime() - 1000),
    `every line at or after since (${since.toISOString()}): ${recent[0].timestamp}`);
});

test("services: log subscription resumes after a server restart without gaps or duplicates", async (t) => {
  if (!(await dockerAvailable())) {
    t.skip("docker/busybox:local unavailable (scripts/setup-docker.sh not run)");
    return;
  }
  const name = `sb-eco-resume-${process.pid}`;
  await docker("rm", "-f", name).catch(() => {});
  await docker("run", "-d", "--network", "none", "--name", name, "busybox:local", "sh", "-c",
    "i=0; while [ $i -lt 1000 ]; do echo resume-line-$i; i=$((i+1)); sleep 0.1; done");
  let own = await startSwitchboard({ name: "client-resume-1" });
  const sb = connect(own.url);
  t.after(async () => { sb.close(); await own.stop(); await docker("rm", "-f", name).catch(() => {}); });
  const numbers = [];
  sb.servicesWS.subscribeLogs(null, name, (l) => {
    const m = /^resume-line-(\d+)$/.exec(l.line);
    if (m) numbers.push(Number(m[1]));
  }, { tail: 3 });
  await waitFor(() => numbers.length >= 5, { timeoutMs: 20000, what: "log lines before the restart" });

  const { wsPort, apiPort } = own;
  await own.stop("SIGKILL");
  await waitFor(() => sb.state("/services") !== "connected", { what: "client noticing the server is gone" });
  const lastBefore = numbers.at(-1);
  own = await startSwitchboard({ name: "client-resume-2", wsPort, apiPort });
  await waitFor(() => numbers.at(-1) >= lastBefore + 20, { timeoutMs: 30000, what: "log lines after the restart" });

  const duplicates = numbers.filter((n, i) => numbers.indexOf(n) !== i);
  assert.deepEqual(duplicates, [], "no line delivered twice");
  const first = numbers[0];
  const expected = Array.from({ length: numbers.length }, (_, i) => first + i);
  const gaps = numbers.filter((n, i) => i > 0 && n !== numbers[i - 1] + 1).map((n) => `${numbers[numbers.indexOf(n) - 1]}->${n}`);
  assert.deepEqual(gaps, [], `every line in order, none lost across the restart (last before restart: ${lastBefore})`);
  assert.deepEqual(numbers, expected);
});
