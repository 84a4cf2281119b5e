import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserAndServerPerTest, recordPageErrors } from './support/harness.mjs';

// The app hydrates and works under its Content-Security-Policy (nonces for inline scripts, no
// 'unsafe-inline' for scripts), and the browser reports no violation on any main page.
const ctx = browserAndServerPerTest();

/** Every CSP violation the page reports, from its start (an init script runs before any other). */
async function recordViolations(context) {
  await context.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
    });
  });
}

test('every main page hydrates under the CSP with no violation reported', async () => {
  const context = await ctx.browser.newContext();
  await recordViolations(context);
  const page = await context.newPage();
  const errors = recordPageErrors(page);
  const console = [];
  page.on('console', (m) => { if (/Content.Security.Policy/i.test(m.text())) console.push(m.text()); });

  const login = await page.goto(`${ctx.server.url}/login`);
  const policy = login.headers()['content-security-policy'] ?? '';
  assert.match(policy, /script-src 'self' 'nonce-[A-Za-z0-9+/=_-]+' 'wasm-unsafe-eval'/);
  assert.doesNotMatch(policy.split(';').find((d) => d.includes('script-src')), /unsafe-inline/);
  assert.match(policy, /frame-ancestors 'none'/);
  assert.equal(login.headers()['x-content-type-options'], 'nosniff');
  await page.waitForSelector('html[data-hydrated="true"]', { timeout: 20_000 });
  // Signing in works: the hydrated form posts through a server function.
  await page.fill('#field-email', 'admin@demo.example');
  await page.fill('#field-password', 'demo-password-1');
  await page.click('button[type="submit"]');
  await page.waitForSelector('[data-testid="signed-in-as"]');

  for (const path of ['/', '/pipeline', '/contacts', '/contacts/1', '/companies', '/tasks', '/calls', '/settings', '/account', '/console']) {
    await page.goto(`${ctx.server.url}${path}`);
    await page.waitForSelector('html[data-hydrated="true"]', { timeout: 20_000 });
    const violations = await page.evaluate(() => window.__cspViolations);
    assert.deepEqual(violations, [], `${path}: CSP violations`);
  }
  assert.deepEqual(console, [], 'no CSP message in the console');
  assert.deepEqual(errors, [], 'no page errors');
  await context.close();
});

test('a page that tries an inline script without the nonce is blocked and reported', async () => {
  // Proves the check above can fail: the policy is enforced, and a violation is seen.
  const context = await ctx.browser.newContext();
  await recordViolations(context);
  const page = await context.newPage();
  await page.goto(`${ctx.server.url}/login`);
  await page.waitForSelector('html[data-hydrated="true"]', { timeout: 20_000 });
  const ran = await page.evaluate(async () => {
    window.__injected = false;
    const script = document.createElement('script');
    script.textContent = 'window.__injected = true;';
    document.body.appendChild(script);
    await new Promise((r) => setTimeout(r, 100));
    return window.__injected;
  });
  assert.equal(ran, false, 'an inline script without the nonce must not run');
  const violations = await page.evaluate(() => window.__cspViolations);
  assert.ok(violations.some((v) => v.startsWith('script-src')), `reported: ${violations}`);
  await context.close();
});
