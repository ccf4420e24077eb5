// Run inside a container's network namespace (nsenter -t <pid> -n node container-probe.mjs <command>): talks to
// the Switchboard in that container over its own loopback, prints one JSON line, exits 0 (or 1 with {error}).
//
//   health <timeoutMs>           polls GET :3007/health until 200: {status, body, waitedMs}
//   client <emitToken>           socket.io-client on /mcp (join, then a POST /emit reaches it) and /system (stats)
//   metrics <emitToken>          GET :3008/metrics: {status, text}

const PUBLIC = "http://127.0.0.1:3007";
const API = "http://127.0.0.1:3008";
const [command, arg] = process.argv.slice(2);

function within(ms, what, promise) {
  let timer;
  const timeout = new Promise((_, rej) => { timer = setTimeout(() => rej(new Error(`timed out after ${ms} ms: ${what}`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function health(timeoutMs) {
  const started = Date.now();
  let last = "no answer";
  while (Date.now() - started < timeoutMs) {
    try {
      const response = await fetch(`${PUBLIC}/health`, { signal: AbortSignal.timeout(2000) });
      const body = await response.json();
      if (response.status === 200) return { status: 200, body, waitedMs: Date.now() - started };
      last = `status ${response.status}`;
    } catch (e) {
      last = e.message;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no 200 from /health within ${timeoutMs} ms (last: ${last})`);
}

function once(socket, event) {
  return new Promise((res) => socket.once(event, (...args) => res(args)));
}

async function client(token) {
  const { io } = await import("socket.io-client"); // loaded only here: `health` measures start-up, keep it light
  const mcp = io(`${PUBLIC}/mcp`, { reconnection: false, timeout: 10000 });
  const system = io(`${PUBLIC}/system`, { reconnection: false, timeout: 10000 });
  const systemConnected = once(system, "connect");
  try {
    await within(10000, "/mcp connect", once(mcp, "connect"));
    mcp.emit("join", { room: "image-test" });
    await within(10000, "/mcp joined", once(mcp, "joined"));
    const progress = once(mcp, "progress");
    const emitted = await fetch(`${API}/emit`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ namespace: "/mcp", room: "image-test", event: "progress", data: { pct: 50 } }),
      signal: AbortSignal.timeout(5000),
    });
    const emitBody = await emitted.json();
    const [received] = await within(10000, "/mcp progress event", progress);
    await within(10000, "/system connect", systemConnected);
    const stats = once(system, "stats");
    system.emit("subscribe:stats", { interval: 500, metrics: ["cpu", "memory"] });
    const [sample] = await within(10000, "/system stats", stats);
    return { transport: mcp.io.engine.transport.name, emitStatus: emitted.status, emitBody, received, memoryTotal: sample.memory?.total };
  } finally {
    mcp.close();
    system.close();
  }
}

async function metrics(token) {
  const response = await fetch(`${API}/metrics`, { headers: { authorization: `Bearer ${token}` }, signal: AbortSignal.timeout(5000) });
  return { status: response.status, text: await response.text() };
}

try {
  let result;
  if (command === "health") result = await health(Number(arg || 60000));
  else if (command === "client") result = await client(arg);
  else if (command === "metrics") result = await metrics(arg);
  else throw new Error(`unknown command '${command}'`);
  process.stdout.write(JSON.stringify(result) + "\n");
  process.exit(0);
} catch (e) {
  process.stdout.write(JSON.stringify({ error: e.message }) + "\n");
  process.exit(1);
}
