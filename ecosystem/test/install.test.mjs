// The deployment files that need no running server: install-vps.sh (staged with --root, twice, then a rollback),
// the nginx site (nginx -t), the systemd unit and the PM2 process file.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync, readFileSync, readlinkSync, existsSync, statSync, rmSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { ECOSYSTEM_DIR, execFileP, deriveNginxSite } from "./lib/harness.mjs";

const INSTALL = join(ECOSYSTEM_DIR, "install/install-vps.sh");

function install(root, ...args) {
  return execFileP("bash", [INSTALL, "--root", root, ...args], { timeout: 30000 });
}

test("install-vps.sh stages a release, is idempotent, keeps the env file and rolls back", async (t) => {
  const root = mkdtempSync(join(tmpdir(), "sb-install-"));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const jar1 = join(root, "v1.jar"), jar2 = join(root, "v2.jar");
  writeFileSync(jar1, "release one");
  writeFileSync(jar2, "release two");

  await install(root, "--jar", jar1, "--nginx");
  const app = join(root, "opt/switchboard");
  const envFile = join(root, "etc/switchboard/switchboard.env");
  const v1 = readlinkSync(join(app, "switchboard.jar"));
  assert.match(v1, /^releases\/switchboard-[0-9a-f]{12}\.jar$/);
  assert.equal(readFileSync(join(app, v1), "utf8"), "release one");
  const env = readFileSync(envFile, "utf8");
  const token = env.match(/^EMIT_TOKEN=([0-9a-f]{64})$/m);
  assert.ok(token, "a random 64-hex-digit EMIT_TOKEN replaced the placeholder");
  assert.equal(statSync(envFile).mode & 0o777, 0o640, "env file holds secrets: 0640");
  assert.ok(existsSync(join(root, "etc/systemd/system/switchboard.service")));
  assert.ok(existsSync(join(root, "etc/nginx/conf.d/switchboard.conf")));

  // Same jar again: nothing changes, the env file (and its token) is kept.
  const again = await install(root, "--jar", jar1);
  assert.match(again.stdout, /already installed/);
  assert.match(again.stdout, /keeping existing/);
  assert.equal(readFileSync(envFile, "utf8"), env);

  // Upgrade, then roll back.
  await install(root, "--jar", jar2);
  const v2 = readlinkSync(join(app, "switchboard.jar"));
  assert.notEqual(v2, v1);
  assert.equal(readlinkSync(join(app, "switchboard.jar.previous")), v1);
  await execFileP("bash", [INSTALL, "--root", root, "--rollback"]);
  assert.equal(readlinkSync(join(app, "switchboard.jar")), v1);
  assert.equal(readlinkSync(join(app, "switchboard.jar.previous")), v2);
  assert.equal(readdirSync(join(app, "releases")).length, 2);
});

test("install-vps.sh refuses bad input with a clear message", async () => {
  await assert.rejects(execFileP("bash", [INSTALL, "--root", tmpdir()]), /--jar PATH is required/);
  await assert.rejects(execFileP("bash", [INSTALL, "--root", tmpdir(), "--jar", "/nonexistent.jar"]), /does not exist/);
  await assert.rejects(execFileP("bash", [INSTALL, "--bogus"]), /unknown option '--bogus'/);
  await assert.rejects(execFileP("bash", [INSTALL, "--root", "/nonexistent-dir", "--jar", INSTALL]), /is not a directory/);
  const empty = mkdtempSync(join(tmpdir(), "sb-install-"));
  await assert.rejects(execFileP("bash", [INSTALL, "--root", empty, "--rollback"]), /no previous release/);
  rmSync(empty, { recursive: true, force: true });
});

test("shell scripts pass bash -n (and shellcheck when installed)", async (t) => {
  const scripts = [INSTALL, join(ECOSYSTEM_DIR, "../scripts/setup-nginx.sh"), join(ECOSYSTEM_DIR, "../scripts/setup-chromium.sh"),
    join(ECOSYSTEM_DIR, "test/run.sh"), join(ECOSYSTEM_DIR, "../scripts/build-image.sh"), join(ECOSYSTEM_DIR, "../scripts/release.sh")];
  for (const s of scripts) await execFileP("bash", ["-n", s]);
  try {
    await execFileP("shellcheck", ["--version"]);
  } catch {
    t.diagnostic("shellcheck not installed: skipped");
    return;
  }
  await execFileP("shellcheck", scripts);
});

test("the nginx site passes nginx -t as shipped and as the tests derive it", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "sb-nginx-t-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const site = readFileSync(join(ECOSYSTEM_DIR, "nginx/switchboard.conf"), "utf8");
  for (const [name, text] of [["shipped.conf", site], ["derived.conf", deriveNginxSite(site, 18080, 13007)]]) {
    writeFileSync(join(dir, name), text);
    writeFileSync(join(dir, "main.conf"), `pid ${dir}/nginx.pid; error_log ${dir}/error.log;
events {} http { access_log off; include ${dir}/${name}; }`);
    const { stderr } = await execFileP("nginx", ["-t", "-p", dir, "-c", join(dir, "main.conf")]);
    assert.match(stderr, /syntax is ok/);
  }
  assert.match(site, /proxy_read_timeout\s+(\d+)s;/);
  assert.ok(Number(site.match(/proxy_read_timeout\s+(\d+)s;/)[1]) > 45, "above pingInterval + pingTimeout (45 s)");
  assert.match(site, /hash \$remote_addr consistent;|ip_hash;/, "sticky routing");
  assert.doesNotMatch(site.replace(/#.*$/gm, ""), /:3008/, "the API port is never proxied");
});

test("systemd unit: graceful stop above the grace period, restart on failure, hardening", async (t) => {
  const unit = readFileSync(join(ECOSYSTEM_DIR, "systemd/switchboard.service"), "utf8");
  const value = (key) => unit.match(new RegExp(`^${key}=(.*)$`, "m"))?.[1];
  assert.equal(value("Restart"), "on-failure");
  assert.equal(value("KillSignal"), "SIGTERM");
  assert.ok(Number(value("TimeoutStopSec")) * 1000 > 10000, "TimeoutStopSec above the default SHUTDOWN_GRACE_MS");
  assert.equal(value("EnvironmentFile"), "/etc/switchboard/switchboard.env");
  for (const key of ["NoNewPrivileges", "ProtectHome", "PrivateTmp"]) assert.equal(value(key), "yes", key);
  assert.equal(value("ProtectSystem"), "strict");
  assert.equal(value("ReadWritePaths"), "/var/log/switchboard");
  const example = readFileSync(join(ECOSYSTEM_DIR, "systemd/switchboard.env.example"), "utf8");
  const grace = Number(example.match(/^SHUTDOWN_GRACE_MS=(\d+)$/m)[1]);
  assert.ok(Number(value("TimeoutStopSec")) * 1000 > grace, "the example's grace fits in TimeoutStopSec");
  // systemd's own checker: unknown keys, keys in the wrong section, bad values
  try {
    await execFileP("systemd-analyze", ["--version"]);
  } catch {
    t.diagnostic("systemd-analyze not installed: unit not verified by systemd");
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), "sb-unit-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, "switchboard.service"), unit);
  const { stdout, stderr } = await execFileP("systemd-analyze", ["verify", join(dir, "switchboard.service")]);
  assert.equal((stdout + stderr).trim(), "", "systemd-analyze verify reports nothing");
});

test("PM2 process file: kill_timeout follows SHUTDOWN_GRACE_MS, java with heap flags", () => {
  const require = createRequire(import.meta.url);
  const path = join(ECOSYSTEM_DIR, "pm2/ecosystem.config.js");
  const saved = process.env.SHUTDOWN_GRACE_MS;
  try {
    process.env.SHUTDOWN_GRACE_MS = "30000";
    delete require.cache[path];
    const app = require(path).apps[0];
    assert.ok(app.kill_timeout > 30000);
    assert.equal(app.interpreter, "none");
    assert.ok(app.args.includes("-Xmx512m") && app.args.includes("-jar"));
    assert.equal(app.env.SHUTDOWN_GRACE_MS, "30000", "server variables are passed through");
  } finally {
    if (saved === undefined) delete process.env.SHUTDOWN_GRACE_MS; else process.env.SHUTDOWN_GRACE_MS = saved;
    delete require.cache[path];
  }
});
