// A rep's first day, in the browser only: register a company, add a company and a contact linked
// to it with the picker (and one created from the picker), plan a follow-up from the card, edit
// and reschedule it, add a deal from the card and a task from the deal, move the deal on the
// board, call the contact from the agent console and wrap up, and find it all again with the
// header search.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserAndServerPerTest, recordPageErrors, saveScreenshot } from './support/harness.mjs';
import { asUser } from './support/session.mjs';

const ctx = browserAndServerPerTest();
const { hydrated } = asUser(ctx);
const PASSWORD = 'first day password';

/** Types `text` into the picker `testid` and takes the option that reads `option`. */
async function pick(page, testid, text, option) {
  const input = page.locator(`[data-testid="${testid}"]`);
  await input.fill(text);
  const list = `#${await input.getAttribute('aria-controls')}`;
  const choice = page.locator(`${list} [role="option"]`, { hasText: option });
  await choice.first().waitFor();
  assert.equal(await input.getAttribute('aria-expanded'), 'true');
  await choice.first().dispatchEvent('mousedown');
  await page.waitForFunction((id) => document.querySelector(id)?.hidden, list);
}

test('a new company runs its first day in the UI alone', async () => {
  const context = await ctx.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const errors = recordPageErrors(page);
  await hydrated(page, '/register');
  await page.fill('#field-company_name', 'Nordwind Sales');
  await page.fill('#field-admin_name', 'Nora Rep');
  await page.fill('#field-email', 'nora@nordwind.example');
  await page.fill('#field-password', PASSWORD);
  await page.click('button[type="submit"]');
  await page.waitForSelector('[data-testid="signed-in-as"]');

  // A company from the header's New menu.
  await page.click('[data-testid="new-menu"] summary');
  await page.click('[data-testid="new-menu"] a:has-text("Company")');
  await page.waitForSelector('html[data-hydrated="true"]');
  await page.waitForSelector('[data-testid="new-company"]');
  await page.fill('#company-name', 'Bäckerei Müller');
  await page.click('[data-testid="new-company"] button[type="submit"]');
  await page.waitForSelector('[data-testid="company-created"]');

  // A contact linked to it by the picker, found without the accents.
  await hydrated(page, '/contacts');
  await page.fill('#contact-name', 'Zoë Schmidt');
  await page.fill('#contact-phone', '+49 30 1234567');
  await pick(page, 'contact-pick-company_id', 'backerei', 'Bäckerei Müller');
  await page.click('[data-testid="new-contact"] button[type="submit"]');
  await page.click('[data-testid="contact-created"] a');
  await page.waitForSelector('[data-testid="contact-card"]');
  await page.waitForSelector('html[data-hydrated="true"]');
  assert.match(await page.textContent('[data-testid="contact-card"] .details'), /Bäckerei Müller/);

  // A follow-up planned from the card, on the rep's clock.
  await page.click('[data-testid="new-task-from-card"]');
  await page.fill('#card-task-title', 'Send the price list');
  await page.fill('#card-task-due_at', '2099-05-04T09:30');
  assert.equal(await page.inputValue('[data-testid="card-task-pick-contact_id"]'), 'Zoë Schmidt');
  await page.click('[data-testid="card-new-task"] button[type="submit"]');
  const task = page.locator('[data-testid="open-task"]', { hasText: 'Send the price list' });
  await task.waitFor();
  assert.match(await task.locator('[data-testid="task-due"]').textContent(), /2099-05-04 09:30/);

  // Rescheduled in place.
  await task.locator('[data-testid="edit-task"]').click();
  await page.fill('#edit-task-due_at', '2099-05-06T14:00');
  await page.click('[data-testid="edit-task-form"] button[type="submit"]');
  await page.waitForFunction(() => /2099-05-06 14:00/.test(document.querySelector('[data-testid="open-task"] [data-testid="task-due"]')?.textContent));

  // A deal from the card, already linked to the contact and the company.
  await page.click('[data-testid="new-deal-from-card"]');
  assert.equal(await page.inputValue('[data-testid="deal-pick-contact_id"]'), 'Zoë Schmidt');
  assert.equal(await page.inputValue('[data-testid="deal-pick-company_id"]'), 'Bäckerei Müller');
  await page.fill('#deal-title', 'Rye subscription');
  await page.fill('#deal-amount', '1200');
  await page.click('[data-testid="card-new-deal"] button[type="submit"]');
  await page.waitForSelector('[data-testid="deal-created"]');
  await page.reload();
  await page.waitForSelector('html[data-hydrated="true"]');
  await page.waitForSelector('[data-testid="related-deals"] >> text=Rye subscription');
  await saveScreenshot(page, 'contact-card-first-day.png');

  // The contact moves to a company made from the picker itself.
  await page.click('[data-testid="edit"]');
  await pick(page, 'edit-pick-company_id', 'Nordlicht AB', 'Create “Nordlicht AB”');
  assert.equal(await page.inputValue('[data-testid="edit-pick-company_id"]'), 'Nordlicht AB');
  await page.click('.card .edit-form button[type="submit"]');
  await page.waitForFunction(() => /Nordlicht AB/.test(document.querySelector('[data-testid="contact-card"] .details')?.textContent));

  // A follow-up planned from the deal's card, linked to the deal.
  await page.click('[data-testid="related-deals"] a:has-text("Rye subscription")');
  await page.waitForSelector('[data-testid="deal-card"]');
  await page.waitForSelector('html[data-hydrated="true"]');
  await page.click('[data-testid="new-task-from-card"]');
  assert.equal(await page.inputValue('[data-testid="card-task-pick-deal_id"]'), 'Rye subscription');
  await page.fill('#card-task-title', 'Send the contract');
  await page.fill('#card-task-due_at', '2099-05-08T10:00');
  await page.click('[data-testid="card-new-task"] button[type="submit"]');
  await page.waitForSelector('[data-testid="open-task"] >> text=Send the contract');

  // The deal moves on the board, by drag and drop.
  await page.click('nav a[href="/pipeline"]');
  await page.waitForSelector('[data-testid="board"]');
  const dealCard = page.locator('[data-testid="deal-card"]', { hasText: 'Rye subscription' });
  await dealCard.waitFor();
  await dealCard.dragTo(page.locator('[data-testid="board-column"][data-stage="Qualified"] .column-header'));
  await page.waitForFunction(() => document.querySelector('[data-testid="board-announcement"]')?.textContent.includes('Moved “Rye subscription” to Qualified'));

  // The contact is called from its card; the console tab takes the call and forces the wrap-up.
  const console_ = await context.newPage();
  const consoleErrors = recordPageErrors(console_);
  await hydrated(console_, '/console');
  await console_.waitForSelector('[data-testid="console-ready"]:not([hidden])');
  await page.click('nav a[href="/contacts"]');
  await page.click('[data-testid="contacts-table"] a:has-text("Zoë Schmidt")');
  await page.waitForSelector('[data-testid="contact-card"]');
  await page.waitForSelector('html[data-hydrated="true"]');
  await page.click('button.call-button');
  await console_.waitForSelector('[data-testid="current-call"]');
  assert.equal(await console_.textContent('[data-testid="call-number"]'), '+49301234567');
  assert.equal(await console_.textContent('[data-testid="call-related"]'), 'Zoë Schmidt');
  await console_.click('button:has-text("Answered")');
  await console_.waitForSelector('[data-testid="call-state"] >> text=answered');
  await console_.click('button:has-text("Hang up")');
  await console_.waitForSelector('[data-testid="wrap-up"]');
  await console_.fill('#wrap-up-notes', 'Wants the contract by Friday.');
  await console_.click('[data-testid="wrap-up"] button[type="submit"]');
  await console_.waitForSelector('[data-testid="wrap-up"]', { state: 'detached' });
  assert.equal(await console_.textContent('[data-testid="agent-status"]'), 'Available');
  await page.reload();
  await page.waitForSelector('html[data-hydrated="true"]');
  await page.waitForSelector('[data-testid="timeline-entry"] >> text=Wants the contract by Friday.');

  // Found again from the header, by keyboard: `/` focuses the search, Enter opens the first.
  await page.keyboard.press('/');
  await page.keyboard.type('rye subs');
  await page.waitForSelector('[data-testid="header-search-results"] [data-kind="deal"]');
  assert.equal(await page.getAttribute('[data-testid="header-search"]', 'aria-expanded'), 'true');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid="deal-card"]');
  assert.match(await page.textContent('[data-testid="deal-card"] h1'), /Rye subscription/);
  assert.match(await page.textContent('[data-testid="deal-card"] .details'), /Zoë Schmidt/);
  assert.match(await page.textContent('[data-testid="deal-card"] .details'), /Qualified/);
  await page.waitForSelector('[data-testid="open-task"] >> text=Send the contract');

  assert.deepEqual(errors, []);
  assert.deepEqual(consoleErrors, []);
  await context.close();
});

test('a typed company that was not picked is refused next to its field, nothing saved', async () => {
  const context = await ctx.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await hydrated(page, '/register');
  await page.fill('#field-company_name', 'Typo Sales');
  await page.fill('#field-admin_name', 'Tom Rep');
  await page.fill('#field-email', 'tom@typo.example');
  await page.fill('#field-password', PASSWORD);
  await page.click('button[type="submit"]');
  await page.waitForSelector('[data-testid="signed-in-as"]');
  await hydrated(page, '/contacts');
  await page.fill('#contact-name', 'Ida');
  await page.fill('[data-testid="contact-pick-company_id"]', 'No Such Company');
  await page.keyboard.press('Escape');
  await page.click('[data-testid="new-contact"] button[type="submit"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="contact-error-company_id"]')?.textContent !== '');
  assert.match(await page.textContent('[data-testid="contact-error-company_id"]'), /is not one of your companies/);
  assert.equal(await page.locator('[data-testid="contact-created"]').count(), 0);
  assert.equal(await page.inputValue('#contact-name'), 'Ida', 'input kept');
  await context.close();
});
