// Measures what a user's first visit costs: the WASM, JS and CSS bundles as served (raw, gzip,
// brotli, and the Cache-Control they get), and the time from navigation to a hydrated dashboard
// in real Chromium with an empty cache, beside the time to the server's HTML alone (the floor).
// Not a test: run by hand with `npm run bench:first-load` after a build (E2E_CRM_BIN names the
// server; default target/release/crm).
import { launchBrowser, startServer } from '../tests/support/harness.mjs';
import { asUser } from '../tests/support/session.mjs';

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (bytes) => `${(bytes / 1024).toFixed(0)} KiB`;

async function size(url, encoding) {
  const response = await fetch(url, { headers: { 'Accept-Encoding': encoding } });
  // fetch decodes the body, so the bytes on the wire are the Content-Length.
  const decoded = (await response.arrayBuffer()).byteLength;
  return {
    bytes: Number(response.headers.get('content-length') ?? decoded),
    encoding: response.headers.get('content-encoding') ?? 'identity',
    cache: response.headers.get('cache-control') ?? '-',
  };
}

const server = await startServer();
const browser = await launchBrowser();
try {
  const html = await (await fetch(`${server.url}/login`)).text();
  const assets = [...html.matchAll(/\/pkg\/[^"']+\.(?:wasm|js|css)/g)].map((m) => m[0]);
  for (const path of [...new Set(assets)]) {
    const raw = await size(`${server.url}${path}`, 'identity');
    const gzip = await size(`${server.url}${path}`, 'gzip');
    const br = await size(`${server.url}${path}`, 'br');
    console.log(`${path}: raw ${kb(raw.bytes)}, ${gzip.encoding} ${kb(gzip.bytes)}, ${br.encoding} ${kb(br.bytes)}; Cache-Control: ${raw.cache}`);
  }

  const signIn = await browser.newContext();
  await asUser({ server }).signIn(await signIn.newPage());
  const cookies = await signIn.cookies();
  await signIn.close();

  const hydrated = [], htmlOnly = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    const context = await browser.newContext(); // an empty cache every round
    await context.addCookies(cookies);
    const tab = await context.newPage();
    const started = Date.now();
    await tab.goto(`${server.url}/`, { waitUntil: 'commit' });
    await tab.waitForSelector('html[data-hydrated="true"]', { timeout: 60_000 });
    hydrated.push(Date.now() - started);
    await context.close();

    const fetched = Date.now();
    await (await fetch(`${server.url}/`, { headers: { Cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; ') } })).text();
    htmlOnly.push(Date.now() - fetched);
  }
  console.log(`navigation to hydrated dashboard, empty cache: median ${median(hydrated)} ms (${hydrated.join(', ')})`);
  console.log(`floor, the dashboard's HTML alone over fetch: median ${median(htmlOnly)} ms (${htmlOnly.join(', ')})`);
} finally {
  await browser.close();
  await server.stop();
}
