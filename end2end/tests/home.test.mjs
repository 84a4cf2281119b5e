import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserAndServerPerTest, recordPageErrors, saveScreenshot } from './support/harness.mjs';

const ctx = browserAndServerPerTest();

test('the hydrated page refreshes its database status through a server function', async () => {
  const page = await ctx.browser.newPage();
  const errors = recordPageErrors(page);
  await page.goto(ctx.server.url);
  // Set by an Effect, which only runs once the WASM bundle has hydrated the page.
  await page.waitForSelector('html[data-hydrated="true"]', { timeout: 20_000 });

  assert.equal(await page.textContent('[data-testid="backend"]'), 'SQLite');
  assert.equal(await page.$('[data-testid="tenants"]'), null, 'no tenant count for visitors');
  const firstCheck = await page.textContent('[data-testid="checked-at"]');

  await page.click('[data-testid="check-again"]');
  await page.waitForFunction(
    (before) => document.querySelector('[data-testid="checked-at"]')?.textContent !== before,
    firstCheck,
    { timeout: 10_000 },
  );
  assert.equal(await page.textContent('[data-testid="check-count"]'), 'Checked once from this page.');

  await page.click('[data-testid="check-again"]');
  await page.waitForFunction(
    () => document.querySelector('[data-testid="check-count"]')?.textContent === 'Checked 2 times from this page.',
    null,
    { timeout: 10_000 },
  );
  assert.deepEqual(errors, [], 'no uncaught errors (e.g. hydration panics)');
  await page.setViewportSize({ width: 1280, height: 720 });
  await saveScreenshot(page, 'home.png');
  await page.close();
});

test('without JavaScript the server-rendered page still shows the status', async () => {
  const context = await ctx.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const response = await page.goto(ctx.server.url);
  assert.equal(response.status(), 200);
  assert.equal(await page.textContent('[data-testid="backend"]'), 'SQLite');
  assert.equal(await page.$('[data-testid="active-users"]'), null, 'no user count for visitors');
  assert.equal(await page.getAttribute('html', 'data-hydrated'), null, 'nothing hydrates without JS');
  // The control is there but inert: clicking changes nothing without the WASM app.
  await page.click('[data-testid="check-again"]');
  assert.equal((await page.textContent('[data-testid="check-count"]')).trim(), '');
  await context.close();
});

test('a tab that loses the server says so in a banner', async () => {
  const page = await ctx.browser.newPage();
  await page.goto(ctx.server.url);
  await page.waitForSelector('html[data-hydrated="true"]', { timeout: 20_000 });
  assert.equal(await page.locator('[data-testid="connection-banner"]').count(), 0);
  await ctx.server.stop();
  // The tab polls /health every 10 s.
  const banner = await page.waitForSelector('[data-testid="connection-banner"]', { timeout: 25_000 });
  assert.match(await banner.textContent(), /Connection to the server lost/);
  await page.close();
});

test('an unknown address renders the 404 page with a way back', async () => {
  const page = await ctx.browser.newPage();
  const response = await page.goto(`${ctx.server.url}/no/such/page`);
  assert.equal(response.status(), 404);
  assert.match(await page.textContent('h1'), /Page not found/);
  await page.click('text=Go to the start page');
  await page.waitForSelector('[data-testid="backend"]');
  await page.close();
});

test('the layout fits a phone screen without horizontal page scroll', async () => {
  const context = await ctx.browser.newContext({ viewport: { width: 390, height: 844 } });
  const page = await context.newPage();
  await page.goto(ctx.server.url);
  await page.waitForSelector('html[data-hydrated="true"]', { timeout: 20_000 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px wider than the screen`);
  await context.close();
});
