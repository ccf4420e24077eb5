// Loads the Admin UI served by our server in headless Chromium and waits until the sockets page lists the
// socket ids given on the command line. Run with cwd = test-support/node (for playwright-core).
// Usage: node admin-ui-browser.mjs <baseUrl> <socketId>... ; prints one JSON line; exit 0 when all were shown.
import { createRequire } from 'node:module';

const require = createRequire(process.cwd() + '/');
const { chromium } = require('playwright-core');
const [baseUrl, ...ids] = process.argv.slice(2);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
let result;
try {
  const context = await browser.newContext();
  // loopback only: the UI's page also links web fonts and icons from CDNs, which are refused here
  await context.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    return host === '127.0.0.1' || host === 'localhost' ? route.continue() : route.abort();
  });
  await context.addInitScript((url) => {
    localStorage.setItem('server_url', url);
    localStorage.setItem('namespace', '/admin');
    localStorage.setItem('path', '/socket.io');
    localStorage.setItem('ws_only', 'false');
  }, baseUrl);
  const page = await context.newPage();
  await page.goto(baseUrl + '/admin-ui/#/sockets', { waitUntil: 'load', timeout: 20000 });
  for (const id of ids) {
    await page.getByText(id, { exact: false }).first().waitFor({ timeout: 20000 });
  }
  result = { ok: true, title: await page.title(), shown: ids };
} catch (e) {
  result = { ok: false, error: String(e && e.message || e).slice(0, 500) };
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
process.exit(result.ok ? 0 : 1);
