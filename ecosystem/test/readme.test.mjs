// The README's first screen, run as written: the frontend snippet (```js readme-snippet) and the backend curl
// (```bash readme-curl) are copied out of README.md, not twins of them. The server is the built jar started by
// scripts/start.sh itself (SB_SKIP_BUILD=1, HOST unset) as on a developer's machine: no auth, no EMIT_TOKEN.
// Port 3007/3008 may be taken on a CI machine, so the jar gets free ports and the test substitutes them for
// `localhost:3007` / `localhost:3008` in both blocks — the only change made to what the README says.
// Also: the start log names the URLs to open, and all five namespaces accept a connection with no auth configured.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import readline from "node:readline";
import { io } from "socket.io-client";
import { startSwitchboard, waitFor, execFileP, TEST_DIR, REPO_DIR, JAR } from "./lib/harness.mjs";

const NAMESPACES = ["/services", "/deployments", "/system", "/mcp", "/files"];

/** The body of the one fenced block of README.md whose info string is `lang marker`. */
function readmeBlock(lang, marker) {
  const readme = readFileSync(join(REPO_DIR, "README.md"), "utf8");
  const fence = new RegExp("^```" + lang + " " + marker + "\\n([\\s\\S]*?)^```$", "gm");
  const blocks = [...readme.matchAll(fence)].map((m) => m[1]);
  assert.equal(blocks.length, 1, `README.md has exactly one \`\`\`${lang} ${marker} block`);
  return blocks[0];
}

/** Replaces the README's ports with the test server's; each must appear, or the README changed under the test. */
function withPorts(text, server) {
  assert.ok(text.includes("localhost:3007") || text.includes("localhost:3008"), `no localhost:3007/3008 in:\n${text}`);
  return text.replaceAll("localhost:3007", `localhost:${server.wsPort}`).replaceAll("localhost:3008", `localhost:${server.apiPort}`);
}

let server;
const children = [];

before(async () => {
  // HOST removed: start.sh picks it; blank = unset: the README's curl carries no token, as on a fresh start.sh
  server = await startSwitchboard({
    name: "readme",
    command: ["bash", join(REPO_DIR, "scripts/start.sh")],
    env: { HOST: undefined, SB_SKIP_BUILD: "1", SB_JAR: JAR, JAVA_OPTS: "-Xms64m -Xmx512m", EMIT_TOKEN: "", AUTH_TOKENS: "", JWT_SECRET: "" },
  });
});

after(async () => {
  for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
  if (server) {
    const { code } = await server.stop();
    assert.equal(code, 0, "server exit code after SIGTERM");
  }
});

test("scripts/start.sh binds loopback when HOST is unset, and says so", async () => {
  // /health answers a moment before the start line is logged: wait for the line, do not race it
  await waitFor(() => server.output().includes("switchboard started"), { timeoutMs: 30000, what: "the start line" });
  assert.match(server.output(), /HOST=127\.0\.0\.1 \(loopback/);
  assert.match(server.output(), /switchboard started host=127\.0\.0\.1 /);
});

test("the start log prints the URLs to open, one INFO line each", async () => {
  const expected = {
    dashboard: `http://127.0.0.1:${server.wsPort}/ui/`,
    socketio: `http://127.0.0.1:${server.wsPort}/socket.io/`,
    health: `http://127.0.0.1:${server.wsPort}/health`,
    emit: `http://127.0.0.1:${server.apiPort}/emit`,
  };
  await waitFor(() => server.output().includes("open what=emit"), { timeoutMs: 10000, what: "the URL lines" });
  for (const [what, url] of Object.entries(expected)) {
    assert.match(server.output(), new RegExp(` INFO +\\[main\\] \\S+SwitchboardServer - open what=${what} url=${url.replace(/[.?/]/g, "\\$&")} *\\n`));
  }
  // the dashboard URL it prints answers
  const dashboard = await fetch(expected.dashboard, { signal: AbortSignal.timeout(5000) });
  assert.equal(dashboard.status, 200);
});

test("all five namespaces accept a connection on a loopback start with no auth configured", async () => {
  const results = await Promise.all(NAMESPACES.map((nsp) => new Promise((resolve) => {
    const socket = io(`http://127.0.0.1:${server.wsPort}${nsp}`, { reconnection: false, timeout: 10000 });
    const done = (outcome) => { socket.close(); resolve(`${nsp}: ${outcome}`); };
    const timer = setTimeout(() => done("no answer within 15 s"), 15000);
    socket.on("connect", () => { clearTimeout(timer); done("connected"); });
    socket.on("connect_error", (err) => { clearTimeout(timer); done(`refused (${err.message} ${JSON.stringify(err.data)})`); });
  })));
  assert.deepEqual(results, NAMESPACES.map((nsp) => `${nsp}: connected`));
});

test("the README's frontend snippet receives exactly the event the README's curl posts", async () => {
  const snippet = withPorts(readmeBlock("js", "readme-snippet"), server);
  const curl = withPorts(readmeBlock("bash", "readme-curl"), server);
  const posted = JSON.parse(/-d '([^']*)'/.exec(curl)[1]);

  // run from ecosystem/test so that `import "socket.io-client"` resolves to its node_modules
  const child = spawn(process.execPath, ["--input-type=module", "-e", snippet], { cwd: TEST_DIR, stdio: ["ignore", "pipe", "pipe"] });
  children.push(child);
  const lines = [];
  let stderr = "";
  readline.createInterface({ input: child.stdout }).on("line", (line) => lines.push(line));
  child.stderr.on("data", (chunk) => { stderr += chunk; });
  const printed = (line) => () => {
    if (child.exitCode !== null) throw new Error(`snippet exited ${child.exitCode}: ${stderr}`);
    return lines.includes(line);
  };
  await waitFor(printed(`joined ${posted.room}`), { timeoutMs: 15000, what: `the snippet's "joined ${posted.room}" (stderr: ${stderr})` });

  const { stdout } = await execFileP("bash", ["-c", curl], { timeout: 15000 });
  assert.deepEqual(JSON.parse(stdout), { success: true, delivered: 1 });

  const expectedLine = `${posted.event} ${JSON.stringify(posted.data)}`;
  assert.equal(expectedLine, 'progress {"pct":50}', "what the README says the frontend prints");
  await waitFor(printed(expectedLine), { timeoutMs: 10000, what: `the snippet's "${expectedLine}"` });
  assert.deepEqual(lines, [`joined ${posted.room}`, expectedLine]);
  assert.equal(stderr, "");
});
