// The shipped JVM flags are written in several launch files (scripts/start.sh, the systemd unit and its env
// example, the PM2 file, the image) and in the benchmarks that measure them: one set of flags, checked here, so a
// tuning change (docs/benchmarks.md) reaches every way of running the server. The image caps its heap with
// MaxRAMPercentage instead of -Xmx (dockerfile.test.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const REPO_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

const read = (path) => readFileSync(join(REPO_DIR, path), "utf8");
const flags = (text) => text.trim().split(/\s+/).filter((f) => f.startsWith("-X"));
const isHeapCap = (flag) => /^-Xmx|^-XX:MaxRAMPercentage=/.test(flag);

function one(path, regex) {
  const match = regex.exec(read(path));
  assert.ok(match, `${path}: JVM flags not found by ${regex}`);
  return flags(match[1]);
}

const reference = one("ecosystem/systemd/switchboard.service", /^Environment=JAVA_OPTS="([^"]+)"/m);

const launchers = {
  "scripts/start.sh": /^JAVA_OPTS=\$\{JAVA_OPTS:-([^}]+)\}/m,
  "ecosystem/systemd/switchboard.env.example": /^JAVA_OPTS=(.+)$/m,
  "ecosystem/pm2/ecosystem.config.js (comment)": [/SWITCHBOARD_JAVA_OPTS\s+JVM flags\s+\(default: ([^)]+)\)/, "ecosystem/pm2/ecosystem.config.js"],
  "ecosystem/pm2/ecosystem.config.js": /env\.SWITCHBOARD_JAVA_OPTS \|\|\s*"([^"]+)"/,
  "bench/orchestrate.mjs": /const PROD_JAVA_OPTS = '([^']+)'/,
  "bench/emit-cold.mjs": /const PROD_JAVA_OPTS = '([^']+)'/,
  "bench/cluster.mjs": /const PROD_JAVA_OPTS = '([^']+)'/,
  "bench/cds-start.sh": /^OPTS="([^"]+)"/m,
};

for (const [name, spec] of Object.entries(launchers)) {
  const [regex, path] = Array.isArray(spec) ? spec : [spec, name];
  test(`${name} launches with the systemd unit's JVM flags`, () => {
    assert.deepEqual(one(path, regex), reference);
  });
}

test("the image has the systemd unit's JVM flags, heap cap aside", () => {
  const image = one("ecosystem/docker/Dockerfile", /JDK_JAVA_OPTIONS="([^"]+)"/).filter((f) => !isHeapCap(f));
  assert.deepEqual(image, reference.filter((f) => !isHeapCap(f)));
});
