// A lint of ecosystem/docker/Dockerfile (hadolint is not packaged for Debian), aimed at the mistakes this file
// has had: COPY sources that do not exist or are ignored, modules of the root pom missing from the build
// context, failures hidden with `|| true`, an -Xmx that overrides MaxRAMPercentage, JVM flags drifting from
// the systemd unit's, a shell-form ENTRYPOINT (SIGTERM would not reach the JVM), root at run time.
import { test } from "node:test";
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ECOSYSTEM_DIR, REPO_DIR } from "./lib/harness.mjs";

const DOCKERFILE = join(ECOSYSTEM_DIR, "docker/Dockerfile");

/** The Dockerfile as instructions: continuation lines joined, comments dropped, each with its stage index. */
function instructions(text) {
  const logical = [];
  let current = "";
  for (const raw of text.split("\n")) {
    if (/^\s*#/.test(raw) && current === "") continue;
    if (/^\s*#/.test(raw)) continue; // a comment inside a continued instruction
    const line = raw.replace(/\s+$/, "");
    if (line.endsWith("\\")) { current += line.slice(0, -1) + " "; continue; }
    current += line;
    if (current.trim()) logical.push(current.trim());
    current = "";
  }
  let stage = -1;
  return logical.map((line) => {
    const keyword = line.split(/\s+/)[0].toUpperCase();
    if (keyword === "FROM") stage++;
    return { keyword, args: line.slice(keyword.length).trim(), stage };
  });
}

/** Patterns of Dockerfile.dockerignore as predicates over context-relative paths. */
function ignored() {
  const patterns = readFileSync(`${DOCKERFILE}.dockerignore`, "utf8").split("\n").map((l) => l.trim())
    .filter((l) => l && !l.startsWith("#"));
  const regexes = patterns.map((p) => new RegExp("^" + p.replace(/[.+^${}()|[\]]/g, "\\$&")
    .replace(/\*\*\//g, "(?:.*/)?").replace(/\*/g, "[^/]*") + "(?:/.*)?$"));
  return (path) => regexes.some((r) => r.test(path));
}

function jvmFlags(text) {
  return text.trim().split(/\s+/).filter((f) => f.startsWith("-X"));
}

const isHeapCap = (flag) => /^-Xmx|^-XX:MaxHeapSize=|^-XX:MaxRAMPercentage=|^-XX:MaxRAM=/.test(flag);

const all = instructions(readFileSync(DOCKERFILE, "utf8"));
const lastStage = Math.max(...all.map((i) => i.stage));
const runtime = all.filter((i) => i.stage === lastStage);

test("every COPY source exists in the build context and is not excluded by the .dockerignore", () => {
  const isIgnored = ignored();
  const copies = all.filter((i) => i.keyword === "COPY" && !/--from=/.test(i.args));
  assert.ok(copies.length > 0);
  for (const copy of copies) {
    const parts = copy.args.split(/\s+/).filter((p) => !p.startsWith("--"));
    for (const source of parts.slice(0, -1)) {
      assert.ok(existsSync(join(REPO_DIR, source)), `COPY source '${source}' does not exist`);
      assert.ok(!isIgnored(source.replace(/\/$/, "")), `COPY source '${source}' is excluded by the .dockerignore`);
    }
  }
});

test("every module of the root pom is in the build context at each Maven run (the reactor reads every module's pom)", () => {
  const pom = readFileSync(join(REPO_DIR, "pom.xml"), "utf8");
  const modules = [...pom.matchAll(/<module>([^<]+)<\/module>/g)].map((m) => m[1]);
  assert.ok(modules.length >= 6, `modules: ${modules}`);
  const copied = [];
  let mavenRuns = 0;
  for (const i of all.filter((x) => x.stage === 0)) {
    if (i.keyword === "COPY" && !/--from=/.test(i.args)) {
      copied.push(...i.args.split(/\s+/).filter((p) => !p.startsWith("--")).slice(0, -1).map((p) => p.replace(/\/$/, "")));
    }
    if (i.keyword !== "RUN" || !/\bmvnw?\b/.test(i.args)) continue;
    mavenRuns++;
    for (const module of modules) {
      const present = copied.some((c) => c === `${module}/pom.xml` || module === c || module.startsWith(c + "/"));
      assert.ok(present, `module ${module} is not copied before 'RUN ${i.args.slice(0, 80)}…' (copied: ${copied.join(", ")})`);
    }
  }
  assert.ok(mavenRuns > 0, "the build stage runs Maven");
});

test("no RUN hides a failure", () => {
  for (const run of all.filter((i) => i.keyword === "RUN")) {
    assert.doesNotMatch(run.args, /\|\|\s*(true|:)(\s|$|;|&)/, `RUN hides its failure: ${run.args}`);
    assert.doesNotMatch(run.args, /;\s*exit 0\s*$/, `RUN hides its failure: ${run.args}`);
  }
});

test("the heap cap is MaxRAMPercentage alone (no -Xmx overriding it) and the other JVM flags are the systemd unit's", () => {
  const text = readFileSync(DOCKERFILE, "utf8");
  const flags = all.filter((i) => ["ENV", "ENTRYPOINT", "CMD"].includes(i.keyword))
    .flatMap((i) => jvmFlags(i.args.replace(/[",[\]]/g, " ").replace(/[A-Z_]+=/g, " ")));
  assert.ok(flags.some((f) => f.startsWith("-XX:MaxRAMPercentage=")), "the image sizes its heap from the container's memory");
  assert.deepEqual(flags.filter(isHeapCap).length, 1, `one heap cap only: ${flags.filter(isHeapCap)}`);
  assert.doesNotMatch(text.replace(/^#.*$/gm, ""), /-Xmx|MaxHeapSize/);

  const unit = readFileSync(join(ECOSYSTEM_DIR, "systemd/switchboard.service"), "utf8");
  const javaOpts = /^Environment=JAVA_OPTS="([^"]+)"/m.exec(unit);
  assert.ok(javaOpts, "the systemd unit sets JAVA_OPTS");
  const systemd = jvmFlags(javaOpts[1]).filter((f) => !isHeapCap(f)).sort();
  const image = flags.filter((f) => !isHeapCap(f)).sort();
  assert.deepEqual(image, systemd, "the image's JVM flags, heap cap aside, are the systemd unit's");
});

test("the runtime stage runs java as PID 1 in exec form, as a non-root user, stopping on SIGTERM", () => {
  const entrypoint = runtime.find((i) => i.keyword === "ENTRYPOINT");
  assert.ok(entrypoint, "ENTRYPOINT present");
  const argv = JSON.parse(entrypoint.args); // exec form: a JSON array (shell form would swallow SIGTERM)
  assert.equal(argv[0], "java");
  assert.deepEqual(argv.slice(-2), ["-jar", "/opt/switchboard/switchboard.jar"]);
  const user = runtime.filter((i) => i.keyword === "USER").pop();
  assert.ok(user && !/^(root|0)(:|$)/.test(user.args), "USER is not root");
  const stop = runtime.find((i) => i.keyword === "STOPSIGNAL");
  assert.ok(!stop || stop.args === "SIGTERM", "SIGTERM starts the drain");
  const env = runtime.filter((i) => i.keyword === "ENV").map((i) => i.args).join(" ");
  const port = /\bWS_PORT=(\d+)/.exec(env)?.[1];
  const exposed = runtime.filter((i) => i.keyword === "EXPOSE").flatMap((i) => i.args.split(/\s+/));
  assert.ok(port && exposed.includes(port), `WS_PORT ${port} is exposed (${exposed})`);
});
