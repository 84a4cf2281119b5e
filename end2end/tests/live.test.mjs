// Live updates in the browser: what one user does shows in another user's open pages without a
// reload — the bell counts a deal given to them, their board gains the deal, a card moved by
// someone else changes column, and a second tab of the same browser hears it too (one tab holds
// the stream and shares it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserAndServerPerTest, recordPageErrors, saveScreenshot } from './support/harness.mjs';
import { asUser } from './support/session.mjs';

const ctx = browserAndServerPerTest();
const { call, hydrated, signedIn } = asUser(ctx, { viewport: { width: 1800, height: 900 } });

async function stages(page) {
  const pipelines = await call(page, 'pipelines/list', {});
  return Object.fromEntries(pipelines[0].stages.map((s) => [s.name, s.id]));
}

async function openBoard(page) {
  await hydrated(page, '/pipeline');
  await page.waitForSelector('[data-testid="board"]');
  // A mark that a reload would wipe.
  await page.evaluate(() => { window.__notReloaded = true; });
}

const card = (id) => `[data-deal-id="${id}"]`;
const column = (name) => `[data-testid="board-column"][data-stage="${name}"]`;
const stillTheSamePage = (page) => page.evaluate(() => window.__notReloaded === true);

test('a deal given to another user rings their bell and joins their open board, without a reload', async () => {
  const admin = await signedIn();
  const ids = await stages(admin.page);
  const sam = await call(admin.page, 'users/create', {
    name: 'Sam Seller', email: 'sam@demo.example', role: 'sales_agent', team_id: '', temporary_password: 'temporary-pass-1',
  });
  const agent = await signedIn({ email: 'sam@demo.example', password: 'temporary-pass-1' });
  const errors = recordPageErrors(agent.page);
  await openBoard(agent.page);
  assert.equal(await agent.page.isHidden('[data-testid="bell-count"]'), true, 'nothing unread yet');

  // The admin gives Sam a deal from the admin's own board (the card's bulk "Assign to").
  const deal = await call(admin.page, 'deals/create', { 'form[title]': 'Live handover', 'form[stage_id]': String(ids.New), 'form[amount]': '700' });
  await openBoard(admin.page);
  await admin.page.check(`${card(deal.id)} .row-select`);
  await admin.page.selectOption('[data-testid="bulk-owner"]', String(sam.id));
  await admin.page.click('[data-testid="bulk-assign"]');

  await agent.page.waitForSelector('[data-testid="bell-count"]:not([hidden]) >> text=1');
  await agent.page.waitForSelector(`${column('New')} ${card(deal.id)}`);
  assert.equal(await stillTheSamePage(agent.page), true, 'no reload');
  await agent.page.click('[data-testid="bell"] summary');
  const item = agent.page.locator('[data-testid="bell-item"]').first();
  assert.match(await item.textContent(), /Demo Admin gave you the deal “Live handover”/);
  await saveScreenshot(agent.page, 'notifications-bell.png');
  await agent.page.click('[data-testid="bell-mark-all"]');
  await agent.page.waitForSelector('[data-testid="bell-count"][hidden]', { state: 'attached' });
  assert.deepEqual(errors, []);
  await agent.context.close();
  await admin.context.close();
});

test('a card moved by someone else changes column on an open board, in every tab of the browser', async () => {
  const watcher = await signedIn();
  const ids = await stages(watcher.page);
  const deal = await call(watcher.page, 'deals/create', { 'form[title]': 'Moved elsewhere', 'form[stage_id]': String(ids.New), 'form[amount]': '900' });
  await openBoard(watcher.page);
  // A second tab in the same browser: only one of the two holds the stream.
  const second = await watcher.context.newPage();
  await openBoard(second);
  await watcher.page.waitForSelector(`${column('New')} ${card(deal.id)}`);

  const mover = await signedIn();
  await call(mover.page, 'deals/move', { id: String(deal.id), 'to[stage_id]': String(ids.Qualified), 'to[version]': String(deal.version) });

  for (const page of [watcher.page, second]) {
    await page.waitForSelector(`${column('Qualified')} ${card(deal.id)}`);
    assert.equal(await page.locator(`${column('New')} ${card(deal.id)}`).count(), 0);
    assert.equal(await stillTheSamePage(page), true, 'no reload');
  }
  await mover.context.close();
  await watcher.context.close();
});
