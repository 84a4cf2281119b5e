import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserAndServerPerTest, recordPageErrors, saveScreenshot } from './support/harness.mjs';
import { asUser } from './support/session.mjs';

const ctx = browserAndServerPerTest();
const { hydrated, signIn } = asUser(ctx);

test('an admin adds a sales agent, who then cannot open settings', async () => {
  const admin = await ctx.browser.newContext();
  const page = await admin.newPage();
  const errors = recordPageErrors(page);
  await signIn(page, 'admin@demo.example', 'demo-password-1');
  await page.click('text=Settings');
  await page.waitForSelector('[data-testid="users-table"]');
  assert.equal(await page.locator('[data-testid="user-row"]').count(), 1);

  await page.fill('input[name="name"]', 'Sam Seller');
  await page.fill('input[name="email"]', 'sam@demo.example');
  await page.selectOption('.grid-form select[name="role"]', 'sales_agent');
  await page.fill('input[name="temporary_password"]', 'temporary-pass-1');
  await page.click('text=Add user');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="user-row"]').length === 2);
  assert.match(await page.textContent('[data-testid="users-table"]'), /sam@demo\.example/);
  await saveScreenshot(page, 'settings.png');
  assert.deepEqual(errors, []);

  const agentContext = await ctx.browser.newContext();
  const agent = await agentContext.newPage();
  await signIn(agent, 'sam@demo.example', 'temporary-pass-1');
  assert.equal(await agent.locator('a[href="/settings"]').count(), 0, 'no settings link for agents');
  const response = await agent.goto(`${ctx.server.url}/settings`);
  assert.equal(response.status(), 403);
  assert.match(await agent.textContent('[data-testid="settings-forbidden"]'), /do not have permission/);
  assert.equal(await agent.locator('[data-testid="users-table"]').count(), 0);

  await admin.close();
  await agentContext.close();
});

test('adding a user with bad input shows why and adds nobody', async () => {
  const context = await ctx.browser.newContext();
  const page = await context.newPage();
  await signIn(page, 'admin@demo.example', 'demo-password-1');
  await hydrated(page, `/settings`);
  await page.fill('input[name="name"]', 'No Email');
  await page.fill('input[name="email"]', 'not-an-email');
  await page.fill('input[name="temporary_password"]', 'short');
  await page.click('text=Add user');
  await page.waitForFunction(() => document.querySelector('[data-testid="create-user-error"]')?.textContent !== '');
  const message = await page.textContent('[data-testid="create-user-error"]');
  assert.match(message, /email: must look like name@example.com/);
  assert.match(message, /temporary password: must be at least 10 characters/);
  assert.equal(await page.locator('[data-testid="user-row"]').count(), 1);
  await context.close();
});

test('a user makes an API token on the account page, uses it, and revokes it', async () => {
  const context = await ctx.browser.newContext();
  const page = await context.newPage();
  const errors = recordPageErrors(page);
  await signIn(page, 'admin@demo.example', 'demo-password-1');
  await hydrated(page, `/account`);
  await page.fill('#token-name', 'Zapier');
  await page.click('text=Create token');
  const secretLocator = page.locator('[data-testid="new-token-secret"]');
  await secretLocator.waitFor();
  const secret = (await secretLocator.textContent()).trim();
  assert.match(secret, /^crm_[0-9a-f]{64}$/);
  await page.waitForSelector('[data-testid="api-tokens"] >> text=Zapier');

  const me = await fetch(`${ctx.server.url}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } });
  assert.equal(me.status, 200);
  assert.equal((await me.json()).email, 'admin@demo.example');

  await page.click('button[aria-label="Revoke Zapier"]');
  await page.waitForSelector('text=You have no API tokens.');
  const after = await fetch(`${ctx.server.url}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } });
  assert.equal(after.status, 401);
  assert.deepEqual(errors, []);
  await context.close();
});

test('an admin sets the company name, timezone and currency; bad values are named beside their fields', async () => {
  const context = await ctx.browser.newContext();
  const page = await context.newPage();
  const errors = recordPageErrors(page);
  await signIn(page, 'admin@demo.example', 'demo-password-1');
  await hydrated(page, '/settings');
  const company = page.locator('[data-testid="settings-company"]');
  await company.locator('#company-timezone').fill('Mars/Olympus');
  await company.locator('#company-default_currency').fill('EURO');
  await company.locator('button[type="submit"]').click();
  await page.waitForFunction(() => document.querySelector('[data-testid="company-error-timezone"]')?.textContent !== '');
  assert.match(await page.textContent('[data-testid="company-error-timezone"]'), /IANA name, such as Europe\/Berlin/);
  assert.match(await page.textContent('[data-testid="company-error-default_currency"]'), /three-letter code/);
  assert.equal(await page.textContent('[data-testid="company-error-name"]'), '');

  await company.locator('#company-name').fill('Demo Company Ltd');
  await company.locator('#company-timezone').fill('America/New_York');
  await company.locator('#company-default_currency').fill('usd');
  await company.locator('button[type="submit"]').click();
  await page.waitForSelector('[data-testid="company-saved"] >> text=Saved.');
  assert.equal(await page.textContent('[data-testid="company-error-timezone"]'), '');

  await hydrated(page, '/settings');
  assert.equal(await company.locator('#company-name').inputValue(), 'Demo Company Ltd');
  assert.equal(await company.locator('#company-timezone').inputValue(), 'America/New_York');
  assert.equal(await company.locator('#company-default_currency').inputValue(), 'USD');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a user picks their own timezone and language on the account page; their task list follows', async () => {
  const context = await ctx.browser.newContext();
  const page = await context.newPage();
  const errors = recordPageErrors(page);
  await signIn(page, 'admin@demo.example', 'demo-password-1');
  await hydrated(page, '/account');
  const prefs = page.locator('[data-testid="preferences"]');
  await prefs.locator('#prefs-timezone').fill('Asia/Tokyo');
  await prefs.locator('#prefs-locale').selectOption('de');
  await prefs.locator('button[type="submit"]').click();
  await page.waitForSelector('[data-testid="preferences-saved"] >> text=Saved.');

  await hydrated(page, '/account');
  assert.equal(await prefs.locator('#prefs-timezone').inputValue(), 'Asia/Tokyo');
  assert.equal(await prefs.locator('#prefs-locale').inputValue(), 'de');
  await hydrated(page, '/tasks');
  assert.match(await page.textContent('main'), /in your timezone \(Asia\/Tokyo\)/);
  assert.deepEqual(errors, []);
  await context.close();
});
