// Load check: every signed-in page of the real (release) server under hundreds of concurrent
// requests on loopback. Each response must be a 200 with the whole page (through </html>, with
// a text only the finished page has), and the server must not panic. Exits non-zero otherwise.
//
//   node load/pages.mjs            # E2E_CRM_BIN names the server binary (default target/release/crm)
//   LOAD_CONCURRENCY=400 LOAD_ROUNDS=3 node load/pages.mjs
import { startServer } from '../tests/support/harness.mjs';

const CONCURRENCY = Number(process.env.LOAD_CONCURRENCY ?? 400);
const ROUNDS = Number(process.env.LOAD_ROUNDS ?? 3);

async function signIn(url) {
  const response = await fetch(`${url}/api/auth/sign_in`, {
    method: 'POST',
    headers: { Origin: url, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ email: 'admin@demo.example', password: 'demo-password-1' }),
    redirect: 'manual',
  });
  if (!response.ok) throw new Error(`sign-in answered ${response.status}`);
  return response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}

async function create(url, cookie, kind, fields) {
  const form = new URLSearchParams(Object.entries(fields).map(([k, v]) => [`form[${k}]`, v]));
  const response = await fetch(`${url}/api/${kind}/create`, {
    method: 'POST',
    headers: { Origin: url, Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: form,
  });
  const body = await response.json();
  if (!response.ok) throw new Error(`creating ${kind}: ${response.status} ${JSON.stringify(body)}`);
  return body.id;
}

/** One request: null when the whole page came back, else what went wrong. */
async function check(url, cookie, [path, shown]) {
  try {
    const response = await fetch(`${url}${path}`, { headers: { Cookie: cookie } });
    const html = await response.text();
    if (response.status !== 200) return `${path}: status ${response.status}`;
    if (!html.includes('</html>')) return `${path}: cut off after ${html.length} bytes`;
    if (!html.includes(shown)) return `${path}: no ${JSON.stringify(shown)}`;
    return null;
  } catch (e) {
    return `${path}: ${e.cause?.code ?? e.message}`;
  }
}

const server = await startServer();
let failed = false;
try {
  const cookie = await signIn(server.url);
  const contact = await create(server.url, cookie, 'contacts', { name: 'Zoë Ørsted' });
  const company = await create(server.url, cookie, 'companies', { name: 'Ørsted Wind' });
  const deal = await create(server.url, cookie, 'deals', { title: 'Offshore park' });
  const pages = [
    ['/', 'Dashboard · CRM'],
    ['/pipeline', 'Pipeline · CRM'],
    ['/contacts', 'Zoë Ørsted'],
    [`/contacts/${contact}`, 'Zoë Ørsted · CRM'],
    ['/companies', 'Ørsted Wind'],
    [`/companies/${company}`, 'Ørsted Wind · CRM'],
    [`/deals/${deal}`, 'Offshore park · CRM'],
    ['/tasks', 'My tasks · CRM'],
    ['/settings', 'Settings · CRM'],
    ['/console', 'Agent console · CRM'],
    ['/calls', 'Calls · CRM'],
    ['/account', 'Account · CRM'],
  ];
  for (let round = 1; round <= ROUNDS; round += 1) {
    const started = performance.now();
    const batch = Array.from({ length: CONCURRENCY }, (_, i) => check(server.url, cookie, pages[i % pages.length]));
    const failures = (await Promise.all(batch)).filter(Boolean);
    const seconds = (performance.now() - started) / 1000;
    console.log(`round ${round}: ${CONCURRENCY} requests at once over ${pages.length} pages in ${seconds.toFixed(2)} s `
      + `(${(CONCURRENCY / seconds).toFixed(0)}/s), ${failures.length} failed`);
    if (failures.length > 0) {
      failed = true;
      console.log(`  e.g. ${failures.slice(0, 5).join('\n  e.g. ')}`);
    }
  }
} finally {
  try {
    await server.stop();
  } catch (e) {
    failed = true;
    console.log(e.message);
  }
}
if (failed) {
  console.log('load check: FAILED');
  process.exit(1);
}
console.log('load check: every response whole, no panic in the server log');
