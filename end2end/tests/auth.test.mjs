import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserAndServerPerTest, recordPageErrors, saveScreenshot } from './support/harness.mjs';
import { asUser } from './support/session.mjs';

const ctx = browserAndServerPerTest();
const { hydrated, submitSignIn } = asUser(ctx);

const PASSWORD = 'a strong password';

/** Submits the sign-in form and waits for the server's answer to be shown. */
async function signInAndWait(page, email, password) {
  const answered = page.waitForResponse((r) => r.url().endsWith('/api/auth/sign_in'));
  await submitSignIn(page, email, password);
  await answered;
  await page.waitForSelector('button[type="submit"]:not([disabled])');
}

test('register a company, sign out, and sign in again', async () => {
  const page = await ctx.browser.newPage();
  const errors = recordPageErrors(page);
  await hydrated(page, '/register');
  await page.fill('#field-company_name', 'Zoë & Co');
  await page.fill('#field-admin_name', 'Zoë Admin');
  await page.fill('#field-email', 'zoe@example.com');
  await page.fill('#field-password', PASSWORD);
  await saveScreenshot(page, 'register.png');
  await page.click('button[type="submit"]');

  await page.waitForURL(`${ctx.server.url}/`);
  const who = await page.waitForSelector('[data-testid="signed-in-as"]');
  assert.match(await who.textContent(), /Zoë Admin · Zoë & Co/);
  // Signed in, the start page is the new company's (still empty) dashboard.
  await page.waitForSelector('[data-testid="dashboard"] [data-testid="no-open-deals"]');

  await page.click('text=Sign out');
  await page.waitForURL(`${ctx.server.url}/login`);
  // The header drops the name once the signed-out user is fetched again.
  await page.waitForSelector('[data-testid="signed-in-as"]', { state: 'detached' });

  await submitSignIn(page, 'ZOE@example.com', PASSWORD);
  await page.waitForURL(`${ctx.server.url}/`);
  await page.waitForSelector('[data-testid="signed-in-as"]');
  assert.deepEqual(errors, []);
  await page.close();
});

test('registration shows each bad field next to it and keeps what was typed', async () => {
  const page = await ctx.browser.newPage();
  await hydrated(page, '/register');
  await page.fill('#field-company_name', 'Typo Co');
  await page.fill('#field-admin_name', 'Tess');
  await page.fill('#field-email', 'tess@');
  await page.fill('#field-password', 'short');
  await page.click('button[type="submit"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="error-email"]')?.textContent !== '');
  assert.equal(await page.textContent('[data-testid="error-email"]'), 'must look like name@example.com');
  assert.match(await page.textContent('[data-testid="error-password"]'), /at least 10 characters/);
  assert.equal(await page.textContent('[data-testid="error-company_name"]'), '');
  assert.equal(await page.inputValue('#field-company_name'), 'Typo Co', 'input kept');
  assert.equal(await page.getAttribute('#field-email', 'aria-invalid'), 'true');
  await page.close();
});

test('five wrong passwords lock the account and say so', async () => {
  const page = await ctx.browser.newPage();
  await hydrated(page, '/login');
  for (let attempt = 1; attempt <= 4; attempt++) {
    await signInAndWait(page, 'admin@demo.example', `wrong password ${attempt}`);
    assert.equal(await page.textContent('[data-testid="sign-in-error"]'), 'Email or password is incorrect.');
  }
  await signInAndWait(page, 'admin@demo.example', 'wrong password 5');
  assert.match(await page.textContent('[data-testid="sign-in-error"]'), /locked for 15 minutes/);
  // Even the right password is refused now.
  await signInAndWait(page, 'admin@demo.example', 'demo-password-1');
  assert.match(await page.textContent('[data-testid="sign-in-error"]'), /locked/);
  assert.equal(await page.locator('[data-testid="signed-in-as"]').count(), 0);
  await saveScreenshot(page, 'locked.png');
  await page.close();
});

test('sign-in works without JavaScript', async () => {
  const context = await ctx.browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${ctx.server.url}/login`);
  await submitSignIn(page, 'admin@demo.example', 'demo-password-1');
  await page.waitForSelector('[data-testid="signed-in-as"]');
  assert.match(await page.textContent('[data-testid="signed-in-as"]'), /Demo Admin/);
  await context.close();
});
