// A page on another site (http://localhost:<port>, the API is http://127.0.0.1:<apiPort>) tries to post an event
// to POST /emit the two ways a page can without asking first: a text/plain fetch (no-cors) and a text/plain form.
// Run with cwd = test-support/node (for playwright-core).
// Usage: node cross-site-emit.mjs <pageUrl> <apiBase> ; prints one JSON line {ok, fetch, responses: [{method, status}]}.
import { createRequire } from 'node:module';

const require = createRequire(process.cwd() + '/');
const { chromium } = require('playwright-core');
const [pageUrl, apiBase] = process.argv.slice(2);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
let result;
try {
  const page = await (await browser.newContext()).newPage();
  const responses = [];
  page.on('response', (r) => {
    if (r.url().startsWith(apiBase)) responses.push({ method: r.request().method(), status: r.status(), url: r.url() });
  });
  await page.goto(pageUrl, { waitUntil: 'load', timeout: 20000 });
  const fetchOutcome = await page.evaluate(() => window.fetchDone);
  await Promise.all([
    page.waitForURL((url) => url.href.startsWith(apiBase), { timeout: 20000 }),
    page.evaluate(() => document.getElementById('form').submit()),
  ]);
  await page.waitForLoadState('load', { timeout: 20000 });
  result = { ok: true, fetch: fetchOutcome, responses };
} catch (e) {
  result = { ok: false, error: String((e && e.message) || e).slice(0, 500) };
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
process.exit(result.ok ? 0 : 1);
