// Loads the dashboard served by our server (/ui/) in headless Chromium and waits until its /system pill says
// "connected": the socket.io-client the page got from /ui/vendor/ speaks the server's parser. Run with
// cwd = test-support/node (for playwright-core). Usage: node dashboard-connects.mjs <baseUrl>; prints one JSON
// line; exit 0 when connected.
import { createRequire } from 'node:module';

const require = createRequire(process.cwd() + '/');
const { chromium } = require('playwright-core');
const [baseUrl] = process.argv.slice(2);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
});
let result;
try {
  const context = await browser.newContext();
  await context.route('**/*', (route) => {
    const host = new URL(route.request().url()).hostname;
    return host === '127.0.0.1' || host === 'localhost' ? route.continue() : route.abort();
  });
  const page = await context.newPage();
  await page.goto(baseUrl + '/ui/', { waitUntil: 'load', timeout: 20000 });
  await page.locator('#status-system[data-state="connected"]').waitFor({ timeout: 20000 });
  result = { ok: true, state: await page.locator('#status-system').getAttribute('data-state') };
} catch (e) {
  result = { ok: false, error: String((e && e.message) || e).slice(0, 500) };
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
process.exit(result.ok ? 0 : 1);
