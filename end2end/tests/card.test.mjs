import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserAndServerPerTest, recordPageErrors, saveScreenshot } from './support/harness.mjs';
import { asUser } from './support/session.mjs';

const ctx = browserAndServerPerTest();
const { call, hydrated, signIn } = asUser(ctx);

test('a contact card: call button, a note added to the timeline, kept after reload', async () => {
  const context = await ctx.browser.newContext({ viewport: { width: 390, height: 900 } });
  const page = await context.newPage();
  const errors = recordPageErrors(page);
  await signIn(page, 'admin@demo.example', 'demo-password-1');
  const company = await call(page, 'companies/create', { 'form[name]': 'Bäckerei Müller' });
  const contact = await call(page, 'contacts/create', {
    'form[name]': 'Zoë Schmidt',
    'form[email]': 'zoe@example.com',
    'form[phone]': '+49 30 1234567',
    'form[company_id]': String(company.id),
  });
  await call(page, 'deals/create', { 'form[title]': 'Bread subscription', 'form[amount]': '1250.50', 'form[currency]': 'EUR',
    'form[contact_id]': String(contact.id), 'form[company_id]': String(company.id),
  });

  const response = await hydrated(page, `/contacts/${contact.id}`);
  assert.equal(response.status(), 200);
  assert.equal(await page.textContent('[data-testid="last-contacted"]'), 'never');
  assert.match(await page.textContent('h1'), /Zoë Schmidt/);
  const callButton = page.locator('button.call-button');
  assert.equal(await callButton.getAttribute('type'), 'button');
  assert.equal(await callButton.getAttribute('data-number'), '+49301234567');
  assert.equal(await callButton.getAttribute('aria-label'), 'Call +49 30 1234567');
  await callButton.focus();
  assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('call-button')), true);
  assert.equal(await page.getAttribute(`a[href="/companies/${company.id}"]`, 'href'), `/companies/${company.id}`);
  assert.match(await page.textContent('[data-testid="related-deals"]'), /Bread subscription.*1,250\.50 EUR/);

  await page.selectOption('#activity-kind', 'call');
  await page.fill('#activity-duration_seconds', '754');
  await page.fill('#activity-body', 'Asked about rye.');
  await page.click('.activity-form button[type="submit"]');
  await page.waitForSelector('[data-testid="timeline-entry"] >> text=Outbound call · 12 min 34 s');
  await page.waitForFunction(() => /UTC/.test(document.querySelector('[data-testid="last-contacted"]')?.textContent));

  await page.selectOption('#activity-kind', 'note');
  await page.fill('#activity-body', 'Prefers calls after 10.');
  await page.click('.activity-form button[type="submit"]');
  await page.waitForSelector('[data-testid="timeline-entry"] >> text=Prefers calls after 10.');
  const first = page.locator('[data-testid="timeline-entry"]').first();
  assert.match(await first.textContent(), /Note.*Prefers calls after 10\./s);
  assert.equal(await page.inputValue('#activity-body'), '', 'the form starts over');
  await page.setViewportSize({ width: 390, height: 1500 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await saveScreenshot(page, 'client-card.png');

  await page.reload();
  await page.waitForSelector('html[data-hydrated="true"]');
  const entries = page.locator('[data-testid="timeline-entry"]');
  assert.equal(await entries.count(), 2);
  assert.match(await entries.first().textContent(), /Prefers calls after 10\./);

  // The company card, reached by the link: its contact (with a call button), deal and timeline.
  await page.click(`a[href="/companies/${company.id}"]`);
  await page.waitForSelector('[data-testid="company-card"] h1 >> text=Bäckerei Müller');
  assert.match(await page.textContent('[data-testid="related-contacts"]'), /Zoë Schmidt/);
  assert.equal(await page.locator('[data-testid="related-contacts"] button.call-button').count(), 1);
  assert.match(await page.textContent('[data-testid="related-deals"]'), /Bread subscription/);
  assert.equal(await page.locator('[data-testid="timeline-entry"]').count(), 2, 'the contact\'s activities belong to the company too');
  assert.deepEqual(errors, []);
  await context.close();
});

test('inline edit: a bad email shows its error and keeps the typed value; cancel restores', async () => {
  const context = await ctx.browser.newContext();
  const page = await context.newPage();
  const errors = recordPageErrors(page);
  await signIn(page, 'admin@demo.example', 'demo-password-1');
  const contact = await call(page, 'contacts/create', { 'form[name]': 'Zoë', 'form[phone]': '+49 30 1234567' });
  await hydrated(page, `/contacts/${contact.id}`);

  await page.click('[data-testid="edit"]');
  await page.fill('#edit-email', 'not-an-email');
  await page.fill('#edit-name', 'Zoë Schmidt');
  await page.click('.edit-form button[type="submit"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="edit-error-email"]')?.textContent !== '');
  assert.match(await page.textContent('[data-testid="edit-error-email"]'), /must look like name@example\.com/);
  assert.equal(await page.inputValue('#edit-email'), 'not-an-email');
  assert.equal(await page.inputValue('#edit-name'), 'Zoë Schmidt');

  await page.click('text=Cancel');
  assert.match(await page.textContent('h1'), /^Zoë$/);
  await page.click('[data-testid="edit"]');
  assert.equal(await page.inputValue('#edit-email'), '');
  assert.equal(await page.textContent('[data-testid="edit-error-email"]'), '');

  await page.fill('#edit-email', 'zoe@example.com');
  await page.click('.edit-form button[type="submit"]');
  await page.waitForSelector('[data-testid="contact-email"] >> text=zoe@example.com');
  await page.reload();
  assert.match(await page.textContent('[data-testid="contact-email"]'), /zoe@example\.com/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('unknown ids answer 404', async () => {
  const context = await ctx.browser.newContext();
  const page = await context.newPage();
  await signIn(page, 'admin@demo.example', 'demo-password-1');
  for (const path of ['/contacts/999999', '/companies/999999', '/deals/999999', '/contacts/abc']) {
    const response = await page.goto(`${ctx.server.url}${path}`);
    assert.equal(response.status(), 404, path);
    assert.match(await page.textContent('[data-testid="not-found"]'), /Not found/);
  }
  await context.close();
});

test('a read-only user sees the card without edit controls', async () => {
  const admin = await ctx.browser.newContext();
  const page = await admin.newPage();
  await signIn(page, 'admin@demo.example', 'demo-password-1');
  const contact = await call(page, 'contacts/create', { 'form[name]': 'Zoë', 'form[phone]': '+49 30 1234567' });
  const deal = await call(page, 'deals/create', { 'form[title]': 'Rye', 'form[amount]': '1000', 'form[currency]': 'JPY', 'form[contact_id]': String(contact.id) });
  await call(page, 'users/create', {
    name: 'Rita Reader', email: 'rita@demo.example', role: 'read_only', team_id: '', temporary_password: 'temporary-pass-1',
  });

  const readerContext = await ctx.browser.newContext();
  const reader = await readerContext.newPage();
  const errors = recordPageErrors(reader);
  await signIn(reader, 'rita@demo.example', 'temporary-pass-1');
  for (const path of [`/contacts/${contact.id}`, `/deals/${deal.id}`]) {
    const response = await hydrated(reader, path);
    assert.equal(response.status(), 200, path);
    await reader.waitForSelector('[data-testid="timeline"]', { state: 'attached' });
    assert.equal(await reader.locator('[data-testid="edit"]').count(), 0, `no edit button on ${path}`);
    assert.equal(await reader.locator('.activity-form').count(), 0, `no add-activity form on ${path}`);
  }
  assert.match(await reader.textContent('[data-testid="deal-amount"]'), /^1,000 JPY$/);
  assert.deepEqual(errors, []);
  await admin.close();
  await readerContext.close();
});

test('a deal edited from an old version says so and shows the deal as it is now', async () => {
  const context = await ctx.browser.newContext();
  const page = await context.newPage();
  const errors = recordPageErrors(page);
  await signIn(page, 'admin@demo.example', 'demo-password-1');
  const deal = await call(page, 'deals/create', { 'form[title]': 'Rye', 'form[amount]': '10', 'form[currency]': 'EUR' });
  await hydrated(page, `/deals/${deal.id}`);
  assert.match(await page.textContent('[data-testid="deal-amount"]'), /^10\.00 EUR$/);
  await page.click('[data-testid="edit"]');
  // Meanwhile someone else saves the deal.
  await call(page, 'deals/update', {
    id: String(deal.id), version: String(deal.version), 'form[title]': 'Rye and spelt', 'form[amount]': '20', 'form[currency]': 'EUR',
  });
  await page.fill('#edit-title', 'Rye only');
  await page.click('.edit-form button[type="submit"]');
  await page.waitForSelector('[data-testid="stale"]');
  assert.match(await page.textContent('h1'), /Rye and spelt/);
  assert.match(await page.textContent('[data-testid="deal-amount"]'), /^20\.00 EUR$/);

  await page.click('[data-testid="edit"]');
  await page.fill('#edit-title', 'Rye only');
  await page.click('.edit-form button[type="submit"]');
  await page.waitForSelector('h1 >> text=Rye only');
  assert.equal(await page.locator('[data-testid="stale"]').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the timeline pages with "Load older", newest first', async () => {
  const context = await ctx.browser.newContext();
  const page = await context.newPage();
  const errors = recordPageErrors(page);
  await signIn(page, 'admin@demo.example', 'demo-password-1');
  const contact = await call(page, 'contacts/create', { 'form[name]': 'Zoë' });
  for (let i = 1; i <= 25; i += 1) {
    await call(page, 'activities/log', { 'form[kind]': 'note', 'form[body]': `Note ${i}`, 'form[contact_id]': String(contact.id) });
  }
  await hydrated(page, `/contacts/${contact.id}`);
  const entries = page.locator('[data-testid="timeline-entry"]');
  assert.equal(await entries.count(), 20);
  assert.match(await entries.first().textContent(), /Note 25/);
  await page.click('text=Load older');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="timeline-entry"]').length === 25);
  assert.equal(await entries.last().locator('.entry-body').textContent(), 'Note 1');
  assert.equal(await page.locator('text=Load older').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a duplicate email is refused under the field, with a link to the contact that has it', async () => {
  const context = await ctx.browser.newContext();
  const page = await context.newPage();
  await signIn(page, 'admin@demo.example', 'demo-password-1');
  const first = await call(page, 'contacts/create', { 'form[name]': 'Zoë', 'form[email]': 'zoe@example.com' });
  const second = await call(page, 'contacts/create', { 'form[name]': 'Zoe Two' });
  await hydrated(page, `/contacts/${second.id}`);
  await page.click('[data-testid="edit"]');
  await page.fill('#edit-email', 'zoe@example.com');
  await page.click('.edit-form button[type="submit"]');
  await page.waitForSelector('[data-testid="duplicate-link"]');
  assert.notEqual(await page.textContent('[data-testid="edit-error-email"]'), '');
  assert.equal(await page.getAttribute('[data-testid="duplicate-link"]', 'href'), `/contacts/${first.id}`);
  assert.equal(await page.inputValue('#edit-email'), 'zoe@example.com');
  await context.close();
});
