import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserAndServerPerTest, recordPageErrors, saveScreenshot } from './support/harness.mjs';
import { asUser } from './support/session.mjs';

const ctx = browserAndServerPerTest();
const { call, hydrated, signedIn } = asUser(ctx, { viewport: { width: 1280, height: 900 } });

const taskTitles = (page) => page.locator('[data-testid="task"] .task-title').allTextContents();

test('a task is completed with one click and stays gone after a reload', async () => {
  const { context, page } = await signedIn();
  const errors = recordPageErrors(page);
  const contact = await call(page, 'contacts/create', { 'form[name]': 'Zoë Ørsted' });
  await call(page, 'tasks/create', { 'form[title]': 'Call Zoë', 'form[due_at]': '2026-11-20T09:00:00Z', 'form[contact_id]': String(contact.id) });
  await call(page, 'tasks/create', { 'form[title]': 'Send offer', 'form[due_at]': '2099-01-01T09:00:00Z', 'form[priority]': 'high' });
  await hydrated(page, '/tasks');
  assert.deepEqual(await page.locator('[data-testid="tasks-overdue"] .task-title').allTextContents(), ['Call Zoë']);
  assert.deepEqual(await page.locator('[data-testid="tasks-upcoming"] .task-title').allTextContents(), ['Send offer']);
  assert.equal(await page.getAttribute('[data-testid="tasks-overdue"] a', 'href'), `/contacts/${contact.id}`);
  await saveScreenshot(page, 'tasks.png');

  await page.click('[data-testid="task"]:has-text("Call Zoë") [data-testid="complete"]');
  await page.waitForFunction(() => ![...document.querySelectorAll('.task-title')].some((t) => t.textContent === 'Call Zoë'));
  // Let the request land before reloading.
  await page.waitForLoadState('networkidle');
  await page.reload();
  await page.waitForSelector('[data-testid="tasks-upcoming"]');
  assert.deepEqual(await taskTitles(page), ['Send offer']);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the new-task form shows the missing title next to its field, keeps the input, then adds the task', async () => {
  const { context, page } = await signedIn();
  await hydrated(page, '/tasks');
  await page.fill('#task-due_at', '2099-03-04T10:30');
  await page.click('[data-testid="new-task"] button[type="submit"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="task-error-title"]')?.textContent.includes('required'));
  assert.equal(await page.inputValue('#task-due_at'), '2099-03-04T10:30');
  assert.equal(await page.textContent('[data-testid="task-error-due_at"]'), '');

  await page.fill('#task-title', 'Quarterly review');
  await page.click('[data-testid="new-task"] button[type="submit"]');
  await page.waitForSelector('[data-testid="tasks-upcoming"] .task-title:has-text("Quarterly review")');
  await context.close();
});

const contactNames = (page) => page.locator('[data-testid="contact-row"] td.record-name').allTextContents();

async function waitForNames(page, names) {
  await page.waitForFunction(
    (want) => JSON.stringify([...document.querySelectorAll('[data-testid="contact-row"] td.record-name')].map((td) => td.textContent)) === JSON.stringify(want),
    names,
  );
}

test('contacts: search as you type ignores case and accents; the status filter narrows the list', async () => {
  const { context, page } = await signedIn();
  const errors = recordPageErrors(page);
  const zoe = await call(page, 'contacts/create', { 'form[name]': 'Zoë Ørsted', 'form[email]': 'zoe@example.com' });
  await call(page, 'contacts/create', { 'form[name]': 'Adam Smith', 'form[status]': 'Hot' });
  await hydrated(page, '/contacts');
  assert.deepEqual(await contactNames(page), ['Adam Smith', 'Zoë Ørsted']);
  assert.equal(await page.getAttribute('[data-testid="contact-row"] a:has-text("Zoë")', 'href'), `/contacts/${zoe.id}`);

  await page.locator('[data-testid="contact-search"]').pressSequentially('zoe', { delay: 50 });
  await waitForNames(page, ['Zoë Ørsted']);
  await page.fill('[data-testid="contact-search"]', '');
  await waitForNames(page, ['Adam Smith', 'Zoë Ørsted']);

  await page.selectOption('[data-testid="filter-status"]', 'Hot');
  await waitForNames(page, ['Adam Smith']);
  assert.deepEqual(errors, []);
  await context.close();
});

test('contacts: "Next page" shows the rows after the last one, sorted by name', async () => {
  const { context, page } = await signedIn();
  for (const name of ['Carl Clark', 'Anna Adams', 'Bert Brown']) {
    await call(page, 'contacts/create', { 'form[name]': name });
  }
  await hydrated(page, '/contacts?limit=2');
  assert.deepEqual(await contactNames(page), ['Anna Adams', 'Bert Brown']);
  await page.click('[data-testid="next-page"]');
  await waitForNames(page, ['Carl Clark']);
  assert.equal(await page.locator('[data-testid="next-page"]').count(), 0);
  await page.click('[data-testid="first-page"]');
  await waitForNames(page, ['Anna Adams', 'Bert Brown']);
  await context.close();
});

test('contacts: the new-contact form shows a bad email next to its field, then adds the contact to the list', async () => {
  const { context, page } = await signedIn();
  await hydrated(page, '/contacts');
  await page.fill('#contact-name', 'Nina Noor');
  await page.fill('#contact-email', 'not-an-email');
  await page.click('[data-testid="new-contact"] button[type="submit"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="contact-error-email"]')?.textContent.trim() !== '');
  assert.equal(await page.inputValue('#contact-name'), 'Nina Noor');
  assert.equal(await page.textContent('[data-testid="contact-error-name"]'), '');

  await page.fill('#contact-email', 'nina@example.com');
  await page.click('[data-testid="new-contact"] button[type="submit"]');
  await page.waitForSelector('[data-testid="contact-created"] a:has-text("Nina Noor")');
  await waitForNames(page, ['Nina Noor']);
  await context.close();
});

test('companies: search as you type and "Next page"', async () => {
  const { context, page } = await signedIn();
  for (const name of ['Gamma GmbH', 'Alpha AG', 'Beta SA']) {
    await call(page, 'companies/create', { 'form[name]': name });
  }
  await hydrated(page, '/companies?limit=2');
  const names = () => page.locator('[data-testid="company-row"] td.record-name').allTextContents();
  assert.deepEqual(await names(), ['Alpha AG', 'Beta SA']);
  await page.click('[data-testid="next-page"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="company-row"] td.record-name')?.textContent === 'Gamma GmbH');
  assert.deepEqual(await names(), ['Gamma GmbH']);

  await page.locator('[data-testid="company-search"]').pressSequentially('bet', { delay: 50 });
  await page.waitForFunction(() => document.querySelector('[data-testid="company-row"] td.record-name')?.textContent === 'Beta SA');
  assert.deepEqual(await names(), ['Beta SA']);
  await context.close();
});

test('companies: the new-company form names a bad phone beside its field, then adds the company, which opens from the list', async () => {
  const { context, page } = await signedIn();
  const errors = recordPageErrors(page);
  await hydrated(page, '/companies');
  await page.fill('#company-name', 'Nordwind Logistik');
  await page.fill('#company-phone', 'call me');
  await page.click('[data-testid="new-company"] button[type="submit"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="company-error-phone"]')?.textContent.trim() !== '');
  assert.equal(await page.inputValue('#company-name'), 'Nordwind Logistik');
  assert.equal(await page.textContent('[data-testid="company-error-name"]'), '');
  assert.equal(await page.locator('[data-testid="company-row"]').count(), 0, 'nothing was saved');

  await page.fill('#company-phone', '+49 40 1234567');
  await page.fill('#company-domain', 'https://www.nordwind.example/about');
  await page.click('[data-testid="new-company"] button[type="submit"]');
  await page.waitForSelector('[data-testid="company-created"] a:has-text("Nordwind Logistik")');
  await page.waitForSelector('[data-testid="company-row"] td.record-name >> text=Nordwind Logistik');
  await page.click('[data-testid="company-created"] a');
  await page.waitForSelector('[data-testid="company-card"] h1 >> text=Nordwind Logistik');
  assert.match(await page.textContent('[data-testid="company-card"]'), /nordwind\.example/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the lists scroll sideways on a phone instead of overflowing the page', async () => {
  const { context, page } = await signedIn();
  await call(page, 'contacts/create', { 'form[name]': 'Zoë Ørsted', 'form[email]': 'zoe.orsted@example.com', 'form[phone]': '+45 32 12 34 56' });
  await page.setViewportSize({ width: 390, height: 844 });
  await hydrated(page, '/contacts');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `page overflows by ${overflow}px`);
  const scroller = await page.locator('.table-scroll').evaluate((el) => el.scrollWidth > el.clientWidth);
  assert.ok(scroller, 'the table scrolls inside its box');
  await context.close();
});

test('a read-only user sees their tasks and the contacts without Complete buttons or forms', async () => {
  const { context, page } = await signedIn();
  const reader = await call(page, 'users/create', {
    name: 'Rita Reader', email: 'rita@demo.example', role: 'read_only', team_id: '', temporary_password: 'temporary-pass-1',
  });
  await call(page, 'tasks/create', { 'form[title]': 'Read the brief', 'form[due_at]': '2099-01-01T09:00:00Z', 'form[assignee_id]': String(reader.id) });
  await call(page, 'contacts/create', { 'form[name]': 'Zoë Ørsted' });
  const rita = await signedIn({ email: 'rita@demo.example', password: 'temporary-pass-1' });
  await hydrated(rita.page, '/tasks');
  assert.deepEqual(await taskTitles(rita.page), ['Read the brief']);
  assert.equal(await rita.page.locator('[data-testid="complete"]').count(), 0);
  assert.equal(await rita.page.locator('[data-testid="new-task"]').count(), 0);
  await hydrated(rita.page, '/contacts');
  assert.equal(await rita.page.locator('[data-testid="new-contact"]').count(), 0);
  assert.equal(await rita.page.locator('[data-testid="bulk-bar"]').count(), 0);
  assert.equal(await rita.page.locator('.row-select').count(), 0);
  await rita.context.close();
  await context.close();
});

test('contacts: tick rows and give them to another owner in one go', async () => {
  const { context, page } = await signedIn();
  const errors = recordPageErrors(page);
  await call(page, 'users/create', {
    name: 'Sam Seller', email: 'sam@demo.example', role: 'sales_agent', team_id: '', temporary_password: 'temporary-pass-1',
  });
  for (const name of ['Bulk Ada', 'Bulk Bert', 'Bulk Cleo']) {
    await call(page, 'contacts/create', { 'form[name]': name });
  }
  await hydrated(page, '/contacts');
  await page.locator('[data-testid="contact-search"]').pressSequentially('bulk', { delay: 30 });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="contact-row"]').length === 3);
  await page.click('[data-testid="select-all"]');
  await page.click('input[aria-label="Select Bulk Bert"]');
  assert.equal(await page.textContent('[data-testid="selected-count"]'), '2 selected');
  assert.ok(await page.isDisabled('[data-testid="bulk-assign"]'), 'no owner chosen yet');
  await page.selectOption('[data-testid="bulk-owner"]', { label: 'Sam Seller' });
  await page.click('[data-testid="bulk-assign"]');
  await page.waitForSelector('[data-testid="bulk-result"]');
  assert.equal(await page.textContent('[data-testid="bulk-result"]'), 'Assigned 2 contacts to Sam Seller.');
  assert.equal(await page.textContent('[data-testid="selected-count"]'), '0 selected');

  const listed = await call(page, 'contacts/list', { 'filter[q]': 'bulk' });
  const owners = Object.fromEntries(listed.items.map((c) => [c.name, c.owner_name]));
  assert.deepEqual(owners, { 'Bulk Ada': 'Sam Seller', 'Bulk Bert': 'Demo Admin', 'Bulk Cleo': 'Sam Seller' });
  // The table shows the new owners without a reload.
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="contact-row"]')]
    .filter((row) => row.textContent.includes('Sam Seller')).length === 2);

  // The owner filter then shows exactly Sam's contacts.
  await page.selectOption('[data-testid="filter-owner"]', { label: 'Sam Seller' });
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="contact-row"]').length === 2);
  assert.deepEqual(await page.locator('[data-testid="contact-row"] td.record-name').allTextContents(), ['Bulk Ada', 'Bulk Cleo']);
  assert.deepEqual(errors, []);
  await context.close();
});
