// The operator console (server/app/src/main/resources/ui) in headless Chromium (Debian's /usr/bin/chromium driven
// by playwright-core) against the real jar, a real busybox container under dockerd (--network none) and a real PM2
// daemon under a temporary PM2_HOME: host stats, the server history charts with axes, the log viewer (a container
// and a PM2 process side by side: follow/pause, search, stdout/stderr filter, timestamps, download) and the login
// by session cookie on a server with AUTH_TOKENS. Screenshots: artifacts/console-*.png (artifacts/ is git-ignored;
// the best one is committed as docs/console.png).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdtempSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { TEST_DIR, ARTIFACTS_DIR, startSwitchboard, httpGet, waitFor, dockerAvailable, docker, execFileP } from "./lib/harness.mjs";

const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const CONTAINER = `sb-eco-console-${process.pid}`;
const PM2 = join(TEST_DIR, "node_modules/.bin/pm2");
const CONSOLE_TOKEN = "console-browser-test-token-0123456789";
let server, browser, withDocker, watched, pm2Home;

const serverEnvFor = () => ({ FILES_ROOTS: watched, PM2_HOME: pm2Home });
const pm2 = (...args) => execFileP(PM2, args, { env: { ...process.env, PM2_HOME: pm2Home }, timeout: 60000 });

before(async () => {
  watched = mkdtempSync(join(tmpdir(), "sb-console-files-"));
  // A real PM2 daemon with one process writing to stdout and stderr, for the process table and the log viewer.
  pm2Home = mkdtempSync(join(tmpdir(), "sb-console-pm2-"));
  writeFileSync(join(pm2Home, "worker.cjs"),
    "let i = 0; setInterval(() => { i++; console.log('eco-worker tick ' + i); if (i % 2) console.error('eco-worker warn ' + i); }, 300);\n");
  await pm2("start", join(pm2Home, "worker.cjs"), "--name", "eco-worker");
  server = await startSwitchboard({ name: "console-test", env: serverEnvFor() });
  withDocker = await dockerAvailable();
  if (withDocker) {
    await docker("rm", "-f", CONTAINER).catch(() => {});
    await docker("run", "-d", "--network", "none", "--name", CONTAINER, "busybox:local", "sh", "-c",
      "i=0; while [ $i -lt 2000 ]; do echo dashboard-line-$i; echo dashboard-err-$i >&2; i=$((i+1)); sleep 0.2; done");
  }
  browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
});

after(async () => {
  await browser?.close();
  if (withDocker) await docker("rm", "-f", CONTAINER).catch(() => {});
  await server?.stop();
  if (watched) rmSync(watched, { recursive: true, force: true });
  if (pm2Home) {
    await pm2("kill").catch(() => {});
    rmSync(pm2Home, { recursive: true, force: true });
  }
});

async function openConsole(url, viewport = { width: 1440, height: 1000 }) {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(url, { timeout: 30000 });
  return { context, page, pageErrors };
}

/** The text lines a pane shows now (notes excluded). */
const paneLines = (page, source) => page.evaluate((id) =>
  Array.from(document.querySelectorAll(`.pane[data-source="${id}"] .line:not(.note)`)).map((l) => ({
    text: l.textContent, stream: l.classList.contains("stderr") ? "stderr" : "stdout", ts: !!l.querySelector(".ts"),
    marks: l.querySelectorAll("mark").length,
  })), source);

test("the jar serves the console under /ui/ with content types, and its API", async () => {
  const index = await httpGet(`${server.url}/ui/`);
  assert.equal(index.status, 200);
  assert.match(index.headers.get("content-type"), /^text\/html/);
  assert.match(index.text, /<title>Switchboard/);
  for (const file of ["dashboard.js", "charts.js", "logs.js", "history.js", "session.js", "dashboard.css", "vendor/socket.io.min.js"]) {
    const r = await httpGet(`${server.url}/ui/${file}`);
    assert.equal(r.status, 200, file);
    assert.match(r.headers.get("content-type"), file.endsWith(".css") ? /^text\/css/ : /javascript/, file);
  }
  assert.notEqual((await httpGet(`${server.url}/ui/../../etc/passwd`)).status, 200);
  const session = await httpGet(`${server.url}/ui/api/session`);
  assert.deepEqual(session.json, { success: true, loginRequired: false, loggedIn: false }, "a loopback dev server is open");
  const history = await httpGet(`${server.url}/ui/api/history`);
  assert.equal(history.status, 200);
  assert.equal(history.json.capacity, 900);
});

test("console in Chromium: host stats, history charts with axes and data, backend states, PM2, file changes", async (t) => {
  const { context, page, pageErrors } = await openConsole(`${server.url}/ui/?${new URLSearchParams({ watch: watched })}`);
  try {
    await page.waitForSelector('#status-system[data-state="connected"]', { timeout: 20000 });
    await page.waitForFunction(() => Number(document.body.dataset.statsCount || 0) >= 3, null, { timeout: 20000 });
    assert.match(await page.textContent("#cpu-value"), /^\d+(\.\d)? %$/);
    assert.match(await page.textContent("#mem-value"), /% of/);
    assert.ok(Number(await page.getAttribute("#stats-chart", "data-points")) >= 4, "CPU/memory chart has points");

    await page.waitForFunction(() => Number(document.body.dataset.historySamples || 0) >= 4, null, { timeout: 20000 });
    for (const chart of ["#chart-connections", "#chart-events-out", "#chart-events-in", "#chart-refusals"]) {
      assert.ok(Number(await page.getAttribute(chart, "data-points")) >= 4, `${chart} has points`);
      assert.ok(await page.locator(`${chart} text.tick.x`).count() >= 1, `${chart} has a time axis`);
      assert.ok(await page.locator(`${chart} text.tick.y`).count() >= 2, `${chart} has a value axis`);
    }
    assert.match(await page.getAttribute("#chart-refusals", "data-series"), /admission,auth,rate,other,cuts/);
    // connections: the page's own /system socket is on the chart once a history sample counted it (waited for, not
    // asserted at once: the sample that counts it may come after the ones above)
    await page.waitForFunction(() => /\/system/.test(document.getElementById("chart-connections").dataset.series), null, { timeout: 20000 });
    // backend states: dockerd and PM2 are probed by this server
    await page.waitForSelector('#backend-pm2[data-state="connected"]', { timeout: 20000 });
    if (withDocker) await page.waitForSelector('#backend-docker[data-state="connected"]', { timeout: 20000 });

    await page.waitForFunction(() => /eco-worker/.test(document.getElementById("processes").textContent), null, { timeout: 20000 });
    assert.match(await page.textContent("#processes"), /online/);
    await page.waitForSelector('#status-files[data-state="connected"]', { timeout: 20000 });
    await waitFor(async () => {
      writeFileSync(join(watched, "report.txt"), `written at ${Date.now()}\n`);
      return /report\.txt/.test(await page.textContent("#file-changes"));
    }, { timeoutMs: 20000, intervalMs: 500, what: "a file change on the console" });
    if (!withDocker) t.diagnostic("docker/busybox:local unavailable: the docker backend state was not checked");
    assert.deepEqual(pageErrors, [], "no JavaScript errors on the page");
  } finally {
    await context.close();
  }
});

test("log viewer: a container and a PM2 process side by side, follow/pause, search, stream filter, timestamps, download", async (t) => {
  if (!withDocker) t.diagnostic("docker/busybox:local unavailable: only the PM2 pane is checked");
  const { context, page, pageErrors } = await openConsole(`${server.url}/ui/`);
  try {
    const docker = `docker:${CONTAINER}`, pm2pane = "pm2:eco-worker";
    await page.waitForSelector('button[data-logs="pm2:eco-worker"]', { timeout: 20000 });
    await page.click('button[data-logs="pm2:eco-worker"]');
    const panes = [pm2pane];
    if (withDocker) {
      await page.waitForSelector(`button[data-logs="${docker}"]`, { timeout: 20000 });
      await page.click(`button[data-logs="${docker}"]`);
      panes.push(docker);
    }
    for (const pane of panes) {
      await waitFor(async () => (await paneLines(page, pane)).some((l) => l.stream === "stderr")
        && (await paneLines(page, pane)).some((l) => l.stream === "stdout"), { timeoutMs: 20000, what: `stdout and stderr lines in ${pane}` });
    }
    if (withDocker) assert.match((await paneLines(page, docker))[0].text, /^\d\d:\d\d:\d\d\.\d{3} dashboard-(line|err)-\d+/);
    assert.ok((await paneLines(page, pm2pane)).every((l) => l.ts), "timestamps on by default");

    // pause: the panes stop moving while lines keep arriving ("N new"); follow shows them
    const main = withDocker ? docker : pm2pane;
    await page.click("#log-follow");
    assert.equal(await page.getAttribute("body", "data-log-follow"), "paused");
    const frozen = await paneLines(page, main);
    await page.waitForFunction((id) => / new$/.test(document.querySelector(`.pane[data-source="${id}"] .pane-count`).textContent), main, { timeoutMs: 10000 });
    assert.deepEqual(await paneLines(page, main), frozen, "a paused pane does not change");
    await page.screenshot({ path: join(ARTIFACTS_DIR, "console-paused.png"), fullPage: true });
    await page.click("#log-follow");
    await waitFor(async () => (await paneLines(page, main)).length > frozen.length, { timeoutMs: 20000, what: "lines after resume" });

    // search: highlight marks matches, filter keeps only matching lines
    const term = withDocker ? "dashboard-err" : "warn";
    await page.fill("#log-search", term);
    await waitFor(async () => (await paneLines(page, main)).some((l) => l.marks > 0), { timeoutMs: 15000, what: "highlighted matches" });
    assert.ok((await paneLines(page, main)).some((l) => !l.text.includes(term)), "highlight keeps the other lines");
    await page.selectOption("#log-search-mode", "filter");
    await waitFor(async () => {
      const lines = await paneLines(page, main);
      return lines.length > 0 && lines.every((l) => l.text.includes(term));
    }, { timeoutMs: 15000, what: "only matching lines" });
    await page.fill("#log-search", "");

    // stream filter: stderr only
    await page.uncheck("#log-stdout");
    for (const pane of panes) {
      const lines = await paneLines(page, pane);
      assert.ok(lines.length > 0 && lines.every((l) => l.stream === "stderr"), `${pane}: stderr only`);
    }
    // timestamps off
    await page.uncheck("#log-timestamps");
    assert.ok((await paneLines(page, pm2pane)).every((l) => !l.ts), "no timestamps");

    // download: exactly what is shown (paused, so nothing moves between the two reads)
    await page.click("#log-follow");
    const shown = await page.evaluate(() => Array.from(document.querySelectorAll(".pane")).flatMap((p) =>
      Array.from(p.querySelectorAll(".line")).map((l) => `[${p.dataset.source}] ${l.textContent}`)).join(""));
    const [download] = await Promise.all([page.waitForEvent("download", { timeout: 10000 }), page.click("#log-download")]);
    assert.match(download.suggestedFilename(), /^switchboard-logs-.*\.txt$/);
    const text = readFileSync(await download.path(), "utf8");
    assert.equal(text, shown);
    assert.match(text, /\[pm2:eco-worker\] eco-worker warn \d+\n/);
    assert.doesNotMatch(text, /eco-worker tick/, "stdout was filtered out, so it is not in the download");

    // the buffer is bounded: a flood of 2500 lines leaves the newest 2000 in the pane
    const count = await page.evaluate(() => {
      const lines = Array.from({ length: 2500 }, (_, i) => ({ stream: "stderr", line: `flood ${i}` }));
      window.switchboardDashboard.sockets["/deployments"].listeners("logs").forEach((fn) => fn({ deployment: "eco-worker", lines }));
      return document.querySelector('.pane[data-source="pm2:eco-worker"] .pane-count').textContent;
    });
    assert.match(count, /^2000 lines/);
    await page.click("#log-follow");
    const shownAfterFlood = await paneLines(page, pm2pane);
    assert.ok(shownAfterFlood.length <= 2000 && shownAfterFlood.some((l) => l.text.trim() === "flood 2499"), "newest kept, at most 2000 shown");
    assert.ok(!shownAfterFlood.some((l) => l.text.trim() === "flood 0"), "oldest dropped");
    await page.click("#log-follow");

    // back to everything, following, for the picture
    await page.check("#log-stdout");
    await page.check("#log-timestamps");
    await page.click("#log-follow");
    await page.selectOption("#log-search-mode", "highlight");
    await page.fill("#log-search", withDocker ? "dashboard-line-1" : "tick 1");
    await page.waitForFunction(() => Number(document.body.dataset.historySamples || 0) >= 16, null, { timeout: 30000 });
    await page.screenshot({ path: join(ARTIFACTS_DIR, "console-run.png"), fullPage: true });
    assert.deepEqual(pageErrors, [], "no JavaScript errors on the page");
  } finally {
    await context.close();
  }
});

test("login: the token is posted once, the session cookie is HttpOnly, its tickets open the sockets; no token in URL or storage", async () => {
  const secured = await startSwitchboard({ name: "console-login-test",
    env: { ...serverEnvFor(), AUTH_TOKENS: CONSOLE_TOKEN } });
  const { context, page, pageErrors } = await openConsole(`${secured.url}/ui/?token=${CONSOLE_TOKEN}`, { width: 1280, height: 800 });
  try {
    await page.waitForSelector("#login:not([hidden])", { timeout: 15000 });
    assert.doesNotMatch(page.url(), /token/, "a ?token= is removed from the address bar");
    assert.match(await page.textContent("#login-message"), /ignored/);
    assert.equal(await page.getAttribute("#status-services", "data-state"), "idle", "nothing connects before the login");

    await page.fill("#login-token", "not-the-token");
    await page.click("#login-submit");
    await page.waitForFunction(() => /INVALID_TOKEN/.test(document.getElementById("login-message").textContent), null, { timeout: 10000 });
    await page.screenshot({ path: join(ARTIFACTS_DIR, "console-login.png") });
    // the failed attempt makes this address wait a second: the right token is refused until then
    await page.fill("#login-token", CONSOLE_TOKEN);
    await page.click("#login-submit");
    await page.waitForFunction(() => /LOGIN_BACKOFF|^$/.test(document.getElementById("login-message").textContent) ||
      document.body.dataset.session === "logged-in", null, { timeout: 10000 });
    await waitFor(async () => {
      if (await page.evaluate(() => document.body.dataset.session === "logged-in")) return true;
      if (await page.isVisible("#login-submit:not([disabled])")) {
        await page.fill("#login-token", CONSOLE_TOKEN);
        await page.click("#login-submit");
      }
      return false;
    }, { timeoutMs: 15000, intervalMs: 600, what: "a logged-in console" });

    await page.waitForSelector('#status-services[data-state="connected"]', { timeout: 20000 });
    await page.waitForSelector('#status-deployments[data-state="connected"]', { timeout: 20000 });
    await page.waitForFunction(() => Number(document.body.dataset.historySamples || 0) >= 1, null, { timeout: 20000 });
    const cookies = await context.cookies(secured.url);
    const session = cookies.find((c) => c.name === "sb_console");
    assert.ok(session, "the session cookie is set");
    assert.equal(session.httpOnly, true);
    assert.equal(session.sameSite, "Strict");
    assert.notEqual(session.value, CONSOLE_TOKEN);
    assert.doesNotMatch(await page.evaluate(() => document.cookie), /sb_console/, "page scripts cannot read it");
    assert.equal(await page.evaluate(() => Object.keys(localStorage).length + Object.keys(sessionStorage).length), 0);
    assert.doesNotMatch(page.url(), /token/);

    await page.click("#logout");
    await page.waitForSelector("#login:not([hidden])", { timeout: 15000 });
    assert.equal((await context.cookies(secured.url)).find((c) => c.name === "sb_console"), undefined);
    const afterLogout = await httpGet(`${secured.url}/ui/api/history`, { headers: { cookie: `sb_console=${session.value}` } });
    assert.equal(afterLogout.status, 401, "the old cookie opens nothing after logout");
    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
    await secured.stop();
  }
});

test("console reconnects after the server restarts and its stats resume", async () => {
  const { context, page } = await openConsole(`${server.url}/ui/`);
  try {
    await page.waitForFunction(() => Number(document.body.dataset.statsCount || 0) >= 1, null, { timeout: 20000 });
    const { wsPort, apiPort } = server;
    const stopped = await server.stop();
    assert.equal(stopped.code, 0, "graceful stop");
    await page.waitForSelector('#status-system:not([data-state="connected"])', { timeout: 20000 });
    const before = Number(await page.evaluate(() => document.body.dataset.statsCount));
    server = await startSwitchboard({ name: "console-test-restarted", wsPort, apiPort, env: serverEnvFor() });
    await page.waitForSelector('#status-system[data-state="connected"]', { timeout: 30000 });
    await page.waitForFunction((n) => Number(document.body.dataset.statsCount) >= n + 2, before, { timeout: 20000 });
  } finally {
    await context.close();
  }
});
