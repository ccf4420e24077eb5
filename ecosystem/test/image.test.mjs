// The container image, really built (scripts/build-image.sh: jlink runtime + the jar, `docker import`) and run
// under the local dockerd with --network none. The test reaches the server over the container's own loopback by
// running a Node client in its network namespace (nsenter -n): only loopback addresses are ever a target.
// Records the image size and the start-to-healthy time in artifacts/image.json.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { randomBytes } from "node:crypto";
import { ARTIFACTS_DIR, REPO_DIR, TEST_DIR, JAR, dockerAvailable, docker, requireJar, waitFor } from "./lib/harness.mjs";

const execFileP = promisify(execFile);
const IMAGE = "switchboard:ecosystem-test";
const PROBE = join(TEST_DIR, "lib/container-probe.mjs");
const TOKEN = randomBytes(24).toString("hex");
const MEMORY_LIMIT = 384 * 1024 * 1024;
const GRACE_MS = 3000;

const skip = (await dockerAvailable()) ? false : "dockerd or busybox:local unavailable (run scripts/setup-docker.sh)";
let container;     // {id, pid}
let startToHealthyMs;
let healthy;

/** Runs the probe in the container's network namespace; resolves with its JSON answer. */
async function probe(...args) {
  try {
    const { stdout } = await execFileP("nsenter", ["-t", String(container.pid), "-n", process.execPath, PROBE, ...args],
      { timeout: 90000, cwd: TEST_DIR });
    return JSON.parse(stdout.trim().split("\n").pop());
  } catch (e) {
    throw new Error(`probe ${args[0]} failed: ${e.stdout || e.message}`);
  }
}

before(async () => {
  if (skip) return;
  requireJar();
  await execFileP("bash", [join(REPO_DIR, "scripts/build-image.sh"), "--jar", JAR, "--tag", IMAGE], { timeout: 600000 });
  const name = `sb-image-test-${process.pid}`;
  const started = Date.now();
  const id = await docker("run", "-d", "--name", name, "--network", "none", "--memory", String(MEMORY_LIMIT),
    "-e", `EMIT_TOKEN=${TOKEN}`, "-e", `SHUTDOWN_GRACE_MS=${GRACE_MS}`, IMAGE);
  container = { id, pid: Number(await docker("inspect", "-f", "{{.State.Pid}}", id)) };
  healthy = await probe("health", "60000");
  startToHealthyMs = Date.now() - started;
}, { timeout: 660000 });

after(async () => {
  if (container) await docker("rm", "-f", container.id).catch(() => {});
});

test("the image starts as the Dockerfile describes it and answers /health", { skip }, async (t) => {
  assert.equal(healthy.status, 200);
  assert.equal(healthy.body.status, "healthy");
  const config = JSON.parse(await docker("image", "inspect", "--format", "{{json .Config}}", IMAGE));
  assert.equal(config.User, "switchboard");
  assert.deepEqual(config.Entrypoint, ["java", "-jar", "/opt/switchboard/switchboard.jar"]);
  assert.ok(config.Env.includes("SWITCHBOARD_ENV=production"));
  // The JVM runs as the unprivileged user the image names (uid 999), not root.
  const status = readFileSync(`/proc/${container.pid}/status`, "utf8");
  assert.match(status, /^Uid:\s+999\s/m, "the server runs as uid 999");
  const size = Number(await docker("image", "inspect", "--format", "{{.Size}}", IMAGE));
  const figures = { imageBytes: size, imageMiB: Math.round(size / 1048576), startToHealthyMs };
  writeFileSync(join(ARTIFACTS_DIR, "image.json"), JSON.stringify(figures, null, 2) + "\n");
  t.diagnostic(`image ${figures.imageMiB} MiB, docker run to /health 200 in ${startToHealthyMs} ms`);
});

test("a socket.io-client connects inside the container's network and gets a POST /emit event and /system stats", { skip }, async () => {
  const result = await probe("client", TOKEN);
  assert.equal(result.error, undefined, result.error);
  assert.equal(result.emitStatus, 200);
  assert.equal(result.emitBody.delivered, 1);
  assert.deepEqual(result.received, { pct: 50 });
  assert.equal(result.transport, "websocket", "upgraded from polling to WebSocket");
  assert.ok(result.memoryTotal > 0, "OSHI (JNA native) works in the image");
});

test("the heap follows the container's memory limit (MaxRAMPercentage=75, no -Xmx)", { skip }, async () => {
  const { status, text } = await probe("metrics", TOKEN);
  assert.equal(status, 200);
  const line = text.split("\n").find((l) => l.startsWith("jvm_memory_max_bytes") && l.includes('id="G1 Old Gen"'));
  assert.ok(line, "jvm_memory_max_bytes of G1 Old Gen in /metrics");
  const maxHeap = Number(line.split(" ").pop());
  const ratio = maxHeap / MEMORY_LIMIT;
  assert.ok(ratio > 0.7 && ratio <= 0.75, `max heap ${maxHeap} bytes is ${ratio.toFixed(3)} of the ${MEMORY_LIMIT}-byte limit`);
});

test("docker stop sends SIGTERM: the server drains and exits 0 within the grace period", { skip }, async () => {
  const started = Date.now();
  await docker("stop", "-t", "20", container.id);
  const stopMs = Date.now() - started;
  const exitCode = Number(await docker("inspect", "-f", "{{.State.ExitCode}}", container.id));
  const { stdout, stderr } = await execFileP("/usr/bin/docker", ["logs", container.id], { maxBuffer: 16 << 20 });
  const logs = stdout + stderr;
  assert.equal(exitCode, 0, `exit code 0 after SIGTERM; logs:\n${logs.slice(-2000)}`);
  assert.match(logs, /shutdown complete/);
  assert.ok(stopMs < GRACE_MS + 5000, `stopped in ${stopMs} ms`);
  await waitFor(async () => (await docker("inspect", "-f", "{{.State.Running}}", container.id)) === "false",
    { timeoutMs: 15000, what: "container not running" });
});

test("the image without EMIT_TOKEN (its API binds 0.0.0.0) exits 2 naming the variable", { skip }, async (t) => {
  const id = await docker("run", "-d", "--network", "none", IMAGE);
  t.after(() => docker("rm", "-f", id).catch(() => {}));
  await waitFor(async () => (await docker("inspect", "-f", "{{.State.Running}}", id)) === "false",
    { timeoutMs: 60000, what: "the misconfigured container to exit" });
  const exitCode = Number(await docker("inspect", "-f", "{{.State.ExitCode}}", id));
  const { stdout, stderr } = await execFileP("/usr/bin/docker", ["logs", id]);
  assert.equal(exitCode, 2, `exit code 2; logs:\n${(stdout + stderr).slice(-2000)}`);
  assert.match(stdout + stderr, /EMIT_TOKEN/);
});
