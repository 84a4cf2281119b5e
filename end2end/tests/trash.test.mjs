// Delete and restore in the browser: the card asks first and says what goes with the record,
// the record leaves its list, and "Recently deleted" brings it back with what was hidden.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserAndServerPerTest, recordPageErrors } from './support/harness.mjs';
import { asUser } from './support/session.mjs';

const ctx = browserAndServerPerTest();
const { call, hydrated, signedIn } = asUser(ctx, { viewport: { width: 1280, height: 900 } });

/** A contact with a deal (stays), an open task and a note (hidden with it). */
async function contactWithLinks(page) {
  const contact = await call(page, 'contacts/create', { 'form[name]': 'Zoë Deleted' });
  const id = String(contact.id);
  await call(page, 'deals/create', { 'form[title]': 'Kept deal', 'form[amount]': '10', 'form[currency]': 'EUR', 'form[contact_id]': id });
  await call(page, 'tasks/create', { 'form[title]': 'Hidden task', 'form[due_at]': '2099-01-01T09:00:00Z', 'form[contact_id]': id });
  await call(page, 'activities/log', { 'form[kind]': 'note', 'form[body]': 'Hidden note', 'form[contact_id]': id });
  return contact;
}

const LIST = '[data-testid="contacts-table"], [data-testid="no-contacts"]';
const contactRows = (page) => page.locator('[data-testid="contacts-table"] tbody tr', { hasText: 'Zoë Deleted' });

test('a contact deleted from its card, after a confirmation naming what goes with it, is restored from Recently deleted', async () => {
  const { context, page } = await signedIn();
  const errors = recordPageErrors(page);
  const contact = await contactWithLinks(page);
  await hydrated(page, `/contacts/${contact.id}`);
  await page.waitForSelector('[data-testid="open-task"] >> text=Hidden task');

  // Cancel deletes nothing.
  await page.click('[data-testid="delete"]');
  await page.waitForSelector('[data-testid="delete-confirm"]');
  const impact = await page.textContent('[data-testid="delete-impact"]');
  assert.match(impact, /Its 1 deal stays in the CRM/);
  // The note, and the follow-up entry the task wrote.
  assert.match(impact, /1 open task and 2 timeline entries are hidden with it until it is restored/);
  assert.match(await page.textContent('#delete-question'), /Delete Zoë Deleted\?/);
  await page.click('[data-testid="delete-confirm"] button:has-text("Cancel")');
  await page.waitForSelector('[data-testid="delete-confirm"]', { state: 'detached' });
  assert.equal((await call(page, 'contacts/get', { id: String(contact.id) })).name, 'Zoë Deleted');

  // Delete: back to the list, which no longer shows it; its card is gone.
  await page.click('[data-testid="delete"]');
  await page.click('[data-testid="confirm-delete"]');
  await page.waitForURL(/\/contacts$/);
  await page.waitForSelector(LIST);
  assert.equal(await contactRows(page).count(), 0);
  const gone = await page.request.get(`${ctx.server.url}/contacts/${contact.id}`);
  assert.equal(gone.status(), 404);

  // Recently deleted lists it; Restore brings it back with its task.
  await page.click('[data-testid="recently-deleted"]');
  await page.waitForURL(/\/deleted\?kind=contact$/);
  const row = page.locator('[data-testid="deleted-record"]', { hasText: 'Zoë Deleted' });
  await row.waitFor();
  assert.match(await row.textContent(), /deleted \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
  await row.locator('[data-testid="restore"]').click();
  await row.locator('[data-testid="restored"] a').click();
  await page.waitForSelector('[data-testid="contact-card"]');
  await page.waitForSelector('[data-testid="open-task"] >> text=Hidden task');
  await page.waitForSelector('[data-testid="timeline-entry"] >> text=Hidden note');

  await hydrated(page, '/deleted?kind=contact');
  await page.waitForSelector('[data-testid="nothing-deleted"]');
  await hydrated(page, '/contacts');
  await page.waitForSelector('[data-testid="contacts-table"]');
  assert.equal(await contactRows(page).count(), 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a deal deleted from its card leaves the board; a sales agent sees no Recently deleted and cannot restore', async () => {
  const { context, page } = await signedIn();
  const deal = await call(page, 'deals/create', { 'form[title]': 'Doomed deal', 'form[amount]': '5', 'form[currency]': 'EUR' });
  await call(page, 'users/create', {
    name: 'Sam Seller', email: 'sam@demo.example', role: 'sales_agent', team_id: '', temporary_password: 'temporary-pass-1',
  });
  await hydrated(page, `/deals/${deal.id}`);
  await page.click('[data-testid="delete"]');
  assert.match(await page.textContent('[data-testid="delete-impact"]'), /Nothing else is linked to it\./);
  await page.click('[data-testid="confirm-delete"]');
  await page.waitForURL(/\/pipeline$/);
  await page.waitForSelector('[data-testid="board"]');
  assert.equal(await page.locator(`[data-deal-id="${deal.id}"]`).count(), 0);

  const agent = await signedIn({ email: 'sam@demo.example', password: 'temporary-pass-1' });
  await hydrated(agent.page, '/contacts');
  await agent.page.waitForSelector(LIST);
  assert.equal(await agent.page.locator('[data-testid="recently-deleted"]').count(), 0);
  const refused = await agent.page.request.post(`${ctx.server.url}/api/deals/restore`, {
    form: { id: String(deal.id) },
    headers: { Origin: ctx.server.url, Accept: 'application/json' },
  });
  assert.equal(refused.status(), 403);
  await hydrated(page, '/deleted?kind=deal');
  await page.waitForSelector('[data-testid="deleted-record"] >> text=Doomed deal');
  await agent.context.close();
  await context.close();
});
