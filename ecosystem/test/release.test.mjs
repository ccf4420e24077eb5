// scripts/release.sh on the built jar: the versioned jar, the client tarball and the container image, each with a
// SHA-256 file that `sha256sum -c` accepts; bad arguments refused with a clear message and exit code.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_DIR, JAR, execFileP, dockerAvailable, docker, requireJar } from "./lib/harness.mjs";

const RELEASE = join(REPO_DIR, "scripts/release.sh");
const withImage = await dockerAvailable();

function sha256(path) {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}

async function pomVersion() {
  return (await execFileP("bash", [RELEASE, "--print-version"])).stdout.trim();
}

test("--print-version is the root pom's version without -SNAPSHOT", async () => {
  const pom = /<artifactId>switchboard-parent<\/artifactId>\s*<version>([^<]+)<\/version>/.exec(
    readFileSync(join(REPO_DIR, "pom.xml"), "utf8"))[1];
  assert.equal(await pomVersion(), pom.replace(/-SNAPSHOT$/, ""));
});

test("release.sh writes the jar, the client tarball and the image, each with a checkable SHA-256", async (t) => {
  requireJar();
  const version = await pomVersion();
  const out = mkdtempSync(join(tmpdir(), "sb-release-"));
  t.after(() => rmSync(out, { recursive: true, force: true }));
  const args = [RELEASE, "--jar", JAR, "--out", out, ...(withImage ? [] : ["--no-image"])];
  if (!withImage) t.diagnostic("dockerd unavailable: release without the image");
  await execFileP("bash", args, { timeout: 600000 });
  if (withImage) t.after(() => docker("rmi", `switchboard:${version}`).catch(() => {}));

  const expected = [`switchboard-${version}.jar`, `switchboard-client-${version}.tgz`,
    ...(withImage ? [`switchboard-image-${version}.tar`] : [])];
  assert.deepEqual(readdirSync(out).sort(), expected.flatMap((f) => [f, `${f}.sha256`]).sort());
  for (const file of expected) {
    assert.equal(readFileSync(join(out, `${file}.sha256`), "utf8"), `${sha256(join(out, file))}  ${file}\n`);
  }
  await execFileP("sha256sum", ["-c", ...expected.map((f) => `${f}.sha256`)], { cwd: out });
  assert.equal(sha256(join(out, `switchboard-${version}.jar`)), sha256(JAR), "the jar is the built one");

  const tgz = join(out, `switchboard-client-${version}.tgz`);
  const pkg = JSON.parse((await execFileP("tar", ["-xzOf", tgz, "package/package.json"])).stdout);
  assert.equal(pkg.name, "@switchboard/client");
  assert.equal(pkg.version, version);
  const listing = (await execFileP("tar", ["-tzf", tgz])).stdout.split("\n");
  for (const format of ["esm", "cjs"]) {
    for (const file of ["index.js", "index.d.ts", "server.js", "server.d.ts", "package.json"]) {
      assert.ok(listing.includes(`package/dist/${format}/${file}`), `dist/${format}/${file} is in the tarball`);
    }
  }

  if (withImage) {
    const tar = join(out, `switchboard-image-${version}.tar`);
    const manifest = JSON.parse((await execFileP("tar", ["-xOf", tar, "manifest.json"])).stdout);
    assert.deepEqual(manifest[0].RepoTags, [`switchboard:${version}`]);
    const config = JSON.parse((await execFileP("tar", ["-xOf", tar, manifest[0].Config], { maxBuffer: 1 << 20 })).stdout);
    assert.deepEqual(config.config.Entrypoint, ["java", "-jar", "/opt/switchboard/switchboard.jar"]);
    assert.equal(config.config.User, "switchboard");
  }
});

test("release.sh refuses bad arguments and a jar of another version", async () => {
  await assert.rejects(execFileP("bash", [RELEASE, "--bogus"]),
    (e) => e.code === 2 && /unknown option '--bogus'/.test(e.stderr));
  await assert.rejects(execFileP("bash", [RELEASE, "--version", "1.2", "--jar", JAR]),
    (e) => e.code === 2 && /version '1.2' is not X.Y.Z/.test(e.stderr));
  await assert.rejects(execFileP("bash", [RELEASE, "--jar", "/nonexistent.jar"]),
    (e) => e.code === 2 && /jar not found/.test(e.stderr));
  const out = mkdtempSync(join(tmpdir(), "sb-release-"));
  try {
    await assert.rejects(execFileP("bash", [RELEASE, "--version", "9.9.9", "--jar", JAR, "--out", out, "--no-image"]),
      (e) => e.code === 1 && /the jar reports version '[^']+', not 9\.9\.9/.test(e.stderr));
    assert.deepEqual(readdirSync(out), [], "nothing written for a refused release");
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
