// The @switchboard/client package as an app gets it: `npm pack` (prepack builds ESM + CJS), the tarball installed
// offline with its socket.io-client peer into a fresh "type":"module" app and a CommonJS app, each type-checked
// against the package's exports map and run against the real jar (POST /emit from ./server reaches an /mcp room
// and a /ws channel). Also: the browser entry's import graph never reaches the emitter.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync, copyFileSync, existsSync, rmSync } from "node:fs";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { createRequire } from "node:module";
import { startSwitchboard, execFileP, EMIT_TOKEN, ECOSYSTEM_DIR, TEST_DIR } from "./lib/harness.mjs";

const CLIENT_DIR = join(ECOSYSTEM_DIR, "client");
const FIXTURES = join(TEST_DIR, "client-package");
// The client's own TypeScript, loaded once: a compiler API call per check instead of a tsc process each.
const ts = createRequire(import.meta.url)(join(CLIENT_DIR, "node_modules/typescript"));
const NPM_QUIET = ["--offline", "--no-audit", "--no-fund", "--loglevel=error"];

let work, tarball, server;

before(async () => {
  work = mkdtempSync(join(tmpdir(), "sb-client-package-"));
  // run.sh has just built dist (the prepack script would build it again: release.sh packs with it)
  const { stdout } = await execFileP("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work],
    { cwd: CLIENT_DIR, timeout: 60000 });
  const [packed] = JSON.parse(stdout.slice(stdout.indexOf("[")));
  tarball = { path: join(work, packed.filename), files: packed.files.map((f) => f.path) };
  server = await startSwitchboard({ name: "client-package" });
});
after(async () => {
  await server?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/**
 * A fresh app folder with the tarball and socket.io-client installed by `npm ci --offline`: its lockfile pins the
 * peer to the tree ecosystem/client was built and tested with (installed there by run.sh, so in npm's cache).
 */
async function installApp(name, type) {
  const dir = join(work, name);
  const clientLock = JSON.parse(readFileSync(join(CLIENT_DIR, "package-lock.json"), "utf8")).packages;
  const socketIoVersion = clientLock["node_modules/socket.io-client"].version;
  const tgz = `file:../${basename(tarball.path)}`;
  const dependencies = { "@switchboard/client": tgz, "socket.io-client": socketIoVersion };
  const packages = { "": { name, dependencies } };
  const todo = ["socket.io-client"];
  while (todo.length) { // socket.io-client and what it depends on, as locked for ecosystem/client
    const key = `node_modules/${todo.pop()}`;
    if (packages[key]) continue;
    const { dev: _dev, ...entry } = clientLock[key];
    packages[key] = entry;
    todo.push(...Object.keys(entry.dependencies ?? {}));
  }
  const packedManifest = JSON.parse((await execFileP("tar", ["-xzOf", tarball.path, "package/package.json"])).stdout);
  packages["node_modules/@switchboard/client"] = {
    version: packedManifest.version, resolved: tgz, license: packedManifest.license,
    integrity: `sha512-${createHash("sha512").update(readFileSync(tarball.path)).digest("base64")}`,
    peerDependencies: packedManifest.peerDependencies,
  };
  await execFileP("mkdir", ["-p", dir]);
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name, private: true, type, dependencies }, null, 2));
  writeFileSync(join(dir, "package-lock.json"), JSON.stringify({ name, lockfileVersion: 3, requires: true, packages }, null, 2));
  await execFileP("npm", ["ci", ...NPM_QUIET], { cwd: dir, timeout: 60000 });
  return dir;
}

/** Type-checks `file` as an app's TypeScript would, resolving @switchboard/client from the app's node_modules. */
function typeCheck(dir, file, resolution) {
  const options = {
    noEmit: true, strict: true, target: ts.ScriptTarget.ES2020, lib: ["lib.es2020.d.ts", "lib.dom.d.ts"],
    ...(resolution === "bundler"
      ? { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler }
      : { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 }),
  };
  const diagnostics = ts.getPreEmitDiagnostics(ts.createProgram([join(dir, file)], options));
  const text = ts.formatDiagnostics(diagnostics, {
    getCanonicalFileName: (f) => f, getCurrentDirectory: () => dir, getNewLine: () => "\n",
  });
  assert.equal(text, "", `type errors in ${file} (moduleResolution ${resolution})`);
}

async function runApp(dir, file, nodeFlags = [], env = {}) {
  const { stdout } = await execFileP(process.execPath, [...nodeFlags, file], {
    cwd: dir, timeout: 30000,
    env: { ...process.env, SB_URL: server.url, SB_API_URL: server.apiUrl, SB_EMIT_TOKEN: EMIT_TOKEN, ...env },
  });
  return JSON.parse(stdout.trim().split("\n").at(-1));
}

/** Files reachable from `entry` through relative import/export/require specifiers. */
function importGraph(entry) {
  const seen = new Set();
  const todo = [entry];
  while (todo.length) {
    const file = todo.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, "utf8");
    for (const m of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\(\s*)["'](\.{1,2}\/[^"']+)["']/g)) {
      todo.push(resolve(dirname(file), m[1]));
    }
  }
  return [...seen];
}

test("the tarball: both formats with types, socket.io-client only as a peer, no side effects", async () => {
  for (const format of ["esm", "cjs"]) {
    for (const file of ["index.js", "index.d.ts", "server.js", "server.d.ts", "plain-channels.js", "package.json"]) {
      assert.ok(tarball.files.includes(`dist/${format}/${file}`), `dist/${format}/${file} packed (${tarball.files})`);
    }
  }
  assert.ok(!tarball.files.some((f) => f.startsWith("src/") || f.startsWith("scripts/")), "sources stay out");
  const manifest = JSON.parse((await execFileP("tar", ["-xzOf", tarball.path, "package/package.json"])).stdout);
  assert.equal(manifest.dependencies?.["socket.io-client"], undefined, "no second copy of socket.io-client");
  assert.equal(manifest.peerDependencies["socket.io-client"], "^4.7.0");
  assert.equal(manifest.sideEffects, false);
  assert.deepEqual(Object.keys(manifest.exports), [".", "./server", "./package.json"]);
});

test("ESM app (\"type\":\"module\", Vite-style): exports resolve dist/esm, types check (bundler), /emit reaches /mcp and /ws", async () => {
  const dir = await installApp("esm-app", "module");
  copyFileSync(join(FIXTURES, "app.mjs"), join(dir, "app.js"));
  copyFileSync(join(FIXTURES, "check.ts"), join(dir, "check.ts"));
  assert.ok(!existsSync(join(dir, "node_modules/@switchboard/client/node_modules")), "one socket.io-client: the app's");
  typeCheck(dir, "check.ts", "bundler");

  const webSocketFlag = typeof globalThis.WebSocket === "function" ? [] : ["--experimental-websocket"];
  const out = await runApp(dir, "app.js", webSocketFlag, { SB_ROOM: "pkg-esm" });
  const installed = `file://${dir}/node_modules/@switchboard/client/dist/esm`;
  assert.deepEqual(out.resolved, { client: `${installed}/index.js`, server: `${installed}/server.js` });
  assert.deepEqual(out.viaSocketIo, { event: "greeting", data: { via: "socket.io" } });
  assert.deepEqual(out.viaWs, { channel: "topics/pkg-esm", event: "greeting", data: { via: "ws" } });
});

test("CJS app (require): exports resolve dist/cjs, types check (node16), /emit reaches /mcp and /ws", async () => {
  const dir = await installApp("cjs-app", "commonjs");
  copyFileSync(join(FIXTURES, "app.cjs"), join(dir, "app.cjs"));
  copyFileSync(join(FIXTURES, "check.ts"), join(dir, "check.cts"));
  typeCheck(dir, "check.cts", "node16");

  const out = await runApp(dir, "app.cjs", [], { SB_ROOM: "pkg-cjs", SB_WS_MODULE: join(TEST_DIR, "node_modules/ws") });
  const installed = join(dir, "node_modules/@switchboard/client/dist/cjs");
  assert.deepEqual(out.resolved, { client: join(installed, "index.js"), server: join(installed, "server.js") });
  assert.deepEqual(out.viaSocketIo, { event: "greeting", data: { via: "socket.io" } });
  assert.deepEqual(out.viaWs, { channel: "topics/pkg-cjs", event: "greeting", data: { via: "ws" } });
});

test("the browser entry never pulls the emitter: import graphs of dist/esm and dist/cjs index.js", async () => {
  const dir = join(work, "graph");
  await execFileP("mkdir", ["-p", dir]);
  await execFileP("tar", ["-xzf", tarball.path, "-C", dir]);
  for (const format of ["esm", "cjs"]) {
    const dist = join(dir, "package/dist", format);
    const browser = importGraph(join(dist, "index.js"));
    assert.ok(browser.length >= 4, `the graph follows ${format} imports: ${browser.map((f) => basename(f))}`);
    assert.ok(!browser.includes(join(dist, "server.js")), `${format}/index.js reaches server.js: ${browser.map((f) => basename(f))}`);
    for (const file of browser) {
      assert.doesNotMatch(readFileSync(file, "utf8"), /authorization|Bearer|createEmitter|\bfetch\(/, `${basename(file)} has emitter code`);
    }
    // the check above can fail: the server entry's own graph holds exactly that code
    assert.match(importGraph(join(dist, "server.js")).map((f) => readFileSync(f, "utf8")).join("\n"), /authorization/);
  }
});
