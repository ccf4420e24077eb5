// Real nginx (Debian package) in front of the jar with a config derived from ecosystem/nginx/switchboard.conf:
// /health passes, the API is not exposed, and a real socket.io-client connects through it on polling only and on
// websocket only, joins an /mcp room and receives a POST /emit; a plain WebSocket client reaches /ws through it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { io } from "socket.io-client";
import WebSocket from "ws";
import { startSwitchboard, startNginx, emitter, waitFor, nextValue, httpGet } from "./lib/harness.mjs";

let server, nginx;
before(async () => {
  server = await startSwitchboard({ name: "nginx-test", env: { TRUST_PROXY: "true", TRUSTED_PROXIES: "127.0.0.1,::1", PING_INTERVAL_MS: "1500", PING_TIMEOUT_MS: "3000" } });
  nginx = await startNginx({ upstreamPort: server.wsPort });
});
after(async () => {
  const stopped = await nginx?.stop();
  await server?.stop();
  if (stopped) assert.equal(stopped.code, 0, "nginx exits cleanly on SIGQUIT");
});

test("GET /health passes through nginx", async () => {
  const r = await httpGet(`${nginx.url}/health`);
  assert.equal(r.status, 200);
  assert.equal(r.json.status, "healthy");
});

test("the dashboard is reachable through nginx (/ui redirects to /ui/)", async () => {
  const page = await httpGet(`${nginx.url}/ui/`);
  assert.equal(page.status, 200);
  assert.match(page.text, /<title>Switchboard/);
  const bare = await fetch(`${nginx.url}/ui`, { redirect: "manual", signal: AbortSignal.timeout(5000) });
  assert.equal(bare.status, 301);
  assert.match(bare.headers.get("location"), /\/ui\/$/);
});

test("the HTTP API is not reachable through nginx", async () => {
  for (const path of ["/emit", "/stats", "/metrics", "/"]) {
    const r = await httpGet(`${nginx.url}${path}`);
    assert.equal(r.status, 404, `${path} must not be exposed`);
  }
  const post = await fetch(`${nginx.url}/emit`, {
    method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ namespace: "/mcp", event: "x", data: {} }), signal: AbortSignal.timeout(5000),
  });
  assert.equal(post.status, 404);
});

for (const transport of ["polling", "websocket"]) {
  test(`socket.io-client through nginx, ${transport} only: join an /mcp room and receive POST /emit`, async (t) => {
    const socket = io(`${nginx.url}/mcp`, { transports: [transport], reconnection: false, forceNew: true });
    t.after(() => socket.close());
    await nextValue((done) => { socket.once("connect", done); socket.once("connect_error", (e) => done(e)); },
      { what: `connect over ${transport}` }).then((e) => { if (e instanceof Error) throw e; });
    assert.equal(socket.io.engine.transport.name, transport);
    const joined = await new Promise((res, rej) => {
      socket.once("joined", res);
      socket.once("error", rej);
      socket.emit("join", { room: `via-nginx-${transport}` });
    });
    assert.equal(joined.room, `via-nginx-${transport}`);
    const got = nextValue((done) => { socket.once("deploy:log", done); }, { what: `emit via ${transport}` });
    await emitter(server).emitToRoom("/mcp", `via-nginx-${transport}`, "deploy:log", { line: "hello through nginx" });
    assert.deepEqual(await got, { line: "hello through nginx" });
    assert.equal(socket.io.engine.transport.name, transport, "no upgrade happened");
  });
}

test("plain WebSocket channels through nginx: /ws connects and a subscribe is acked", async (t) => {
  const ws = new WebSocket(`${nginx.url.replace(/^http/, "ws")}/ws`);
  t.after(() => ws.terminate());
  const messages = [];
  ws.on("message", (data) => messages.push(JSON.parse(data.toString())));
  ws.on("error", () => {});
  await waitFor(() => messages.some((m) => m.type === "connected"), { timeoutMs: 10000, intervalMs: 50, what: "connected through nginx" });
  ws.send(JSON.stringify({ type: "subscribe", channel: "global", id: "via-nginx" }));
  await waitFor(() => messages.some((m) => m.type === "ack" && m.id === "via-nginx" && m.success === true),
    { timeoutMs: 10000, intervalMs: 50, what: "subscribe ack through nginx" });
});

test("Engine.IO ping/pong crosses nginx on an upgraded WebSocket and the connection stays up", async (t) => {
  // This server pings every 1.5 s (PING_INTERVAL_MS); nginx must forward pings and pongs both ways.
  const socket = io(`${nginx.url}/mcp`, { transports: ["websocket"], reconnection: false, forceNew: true });
  t.after(() => socket.close());
  await nextValue((done) => socket.once("connect", done), { what: "websocket connect" });
  let pings = 0;
  socket.io.engine.on("ping", () => { pings++; });
  await waitFor(() => pings >= 3, { timeoutMs: 15000, intervalMs: 100, what: "three server pings through nginx" });
  assert.equal(socket.connected, true);
});

test("two nodes behind nginx: hash $remote_addr consistent keeps every polling session on one node", async (t) => {
  // Without sticky routing, the requests of one long-polling session would alternate between nodes and fail
  // with "Session ID unknown". All test clients share 127.0.0.1, so all must land on the same node.
  const second = await startSwitchboard({ name: "nginx-test-node2", env: { TRUST_PROXY: "true" } });
  const pair = await startNginx({ upstreamPorts: [server.wsPort, second.wsPort] });
  const sockets = [];
  t.after(async () => {
    sockets.forEach((s) => s.close());
    await pair.stop();
    await second.stop();
  });
  assert.match(pair.derived, new RegExp(`server 127.0.0.1:${server.wsPort} [^\\n]*\\n\\s*server 127.0.0.1:${second.wsPort}`));
  const received = [];
  for (let i = 0; i < 6; i++) {
    const socket = io(`${pair.url}/mcp`, { transports: ["polling"], reconnection: false, forceNew: true });
    sockets.push(socket);
    await nextValue((done) => { socket.once("connect", done); }, { what: `polling client ${i} via two nodes` });
    await new Promise((res) => { socket.once("joined", res); socket.emit("join", { room: "sticky" }); });
    socket.on("sticky:ping", (d) => received.push(d));
  }
  // A backend reaches every node (rooms are per node without a shared adapter).
  for (const node of [server, second]) await emitter(node).emitToRoom("/mcp", "sticky", "sticky:ping", { ok: true });
  await waitFor(() => received.length === 6, { what: "the emit in all six polling sessions" });
  const counts = await Promise.all([server, second].map(async (n) => (await httpGet(`${n.url}/health`)).json.connections.mcp));
  assert.deepEqual(counts.slice().sort(), [0, 6], `all six sessions on one node (got ${counts})`);
  assert.ok(sockets.every((s) => s.connected && s.io.engine.transport.name === "polling"));
});
