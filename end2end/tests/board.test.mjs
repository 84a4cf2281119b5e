import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserAndServerPerTest, recordPageErrors, saveScreenshot } from './support/harness.mjs';
import { asUser } from './support/session.mjs';

const ctx = browserAndServerPerTest();
const { call, hydrated, signedIn } = asUser(ctx, { viewport: { width: 1800, height: 900 } });

/** The default pipeline's stage ids by name. */
async function stages(page) {
  const pipelines = await call(page, 'pipelines/list', {});
  return Object.fromEntries(pipelines[0].stages.map((s) => [s.name, s.id]));
}

async function createDeal(page, title, stageId, amount = '1000') {
  return call(page, 'deals/create', { 'form[title]': title, 'form[stage_id]': String(stageId), 'form[amount]': amount });
}

async function openBoard(page) {
  await hydrated(page, `/pipeline`);
  await page.waitForSelector('[data-testid="board"]');
}

const card = (id) => `[data-deal-id="${id}"]`;
const column = (name) => `[data-testid="board-column"][data-stage="${name}"]`;

/** Waits until the board says the server has the move (never just the optimistic card). */
async function moveConfirmed(page, text) {
  await page.waitForFunction((t) => document.querySelector('[data-testid="board-announcement"]')?.textContent.includes(t), text);
}

async function stageOf(page, id) {
  return page.locator(card(id)).evaluate((el) => el.closest('[data-testid="board-column"]').dataset.stage);
}

test('dragging a card to another stage moves it, and it stays there after a reload', async () => {
  const { context, page } = await signedIn();
  const errors = recordPageErrors(page);
  const ids = await stages(page);
  const rollout = await createDeal(page, 'Rollout', ids.New, '12500');
  await createDeal(page, 'Pilot', ids.New);
  await createDeal(page, 'Renewal', ids.Qualified, '900');
  await openBoard(page);
  assert.equal(await page.locator(`${column('New')} [data-testid="column-count"]`).textContent(), '2');
  assert.match(await page.textContent(`${column('New')} .column-total`), /13,500\.00 EUR/);

  await page.dragAndDrop(card(rollout.id), `${column('Qualified')} .column-header`);
  await page.waitForFunction((sel) => document.querySelector(sel)?.closest('[data-stage]')?.dataset.stage === 'Qualified', card(rollout.id));
  await moveConfirmed(page, 'Moved “Rollout” to Qualified');
  assert.equal(await page.locator('[data-testid="deal-saving"]').count(), 0);
  await saveScreenshot(page, 'board.png');

  await page.reload();
  await page.waitForSelector('[data-testid="board"]');
  assert.equal(await stageOf(page, rollout.id), 'Qualified');
  const order = await page.locator(`${column('Qualified')} [data-testid="deal-card"] .deal-title`).allTextContents();
  assert.deepEqual(order, ['Renewal', 'Rollout'], 'dropped on the column: at the bottom');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a move into a stage that requires a note asks for it; cancel puts the card back', async () => {
  const { context, page } = await signedIn();
  const ids = await stages(page);
  const deal = await createDeal(page, 'Doomed', ids.Proposal);
  const errors = recordPageErrors(page);
  await openBoard(page);

  await page.dragAndDrop(card(deal.id), `${column('Lost')} .column-header`);
  await page.waitForSelector('[data-testid="move-dialog"]');
  await page.click('[data-testid="move-dialog"] button:has-text("Cancel")');
  await page.waitForSelector('[data-testid="move-dialog"]', { state: 'detached' });
  assert.equal(await stageOf(page, deal.id), 'Proposal');

  await page.dragAndDrop(card(deal.id), `${column('Lost')} .column-header`);
  await page.fill('#move-note', 'Chose a competitor');
  await page.click('[data-testid="move-dialog"] button[type="submit"]');
  await page.waitForFunction((sel) => document.querySelector(sel)?.closest('[data-stage]')?.dataset.stage === 'Lost', card(deal.id));
  await page.reload();
  await page.waitForSelector('[data-testid="board"]');
  assert.equal(await stageOf(page, deal.id), 'Lost', 'saved with its note');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a move the server rejects (changed meanwhile elsewhere) is undone with a toast', async () => {
  const { context, page } = await signedIn();
  const ids = await stages(page);
  const deal = await createDeal(page, 'Contested', ids.New);
  // Without its live stream the board does not hear of the edit below, as when events were
  // missed (live.test.mjs shows them arriving).
  await page.route('**/events', (route) => route.abort());
  await openBoard(page);

  // Another session edits the deal, so the board's version is stale.
  const other = await signedIn();
  await call(other.page, 'deals/update', { id: String(deal.id), version: '1', 'form[title]': 'Contested (edited)' });
  await other.context.close();

  await page.dragAndDrop(card(deal.id), `${column('Qualified')} .column-header`);
  await page.waitForSelector('[data-testid="toast"]');
  assert.match(await page.textContent('[data-testid="toast"]'), /changed by someone else/);
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.includes('Contested (edited)'), card(deal.id));
  assert.equal(await stageOf(page, deal.id), 'New', 'the card is back where the server has it');
  await context.close();
});

test('a focused card moves between stages and up and down from the keyboard', async () => {
  const { context, page } = await signedIn();
  const ids = await stages(page);
  const first = await createDeal(page, 'First', ids.New);
  const second = await createDeal(page, 'Second', ids.New);
  await openBoard(page);

  await page.focus(card(second.id));
  await page.keyboard.press('Shift+ArrowUp');
  await page.waitForFunction(() => document.querySelector('[data-testid="board-column"][data-stage="New"] .deal-title')?.textContent === 'Second');
  // Focus stays on the card, so the next key press moves it again at once.
  await page.waitForFunction((id) => document.activeElement?.dataset.dealId === id, String(second.id));

  await page.keyboard.press('Shift+ArrowRight');
  await page.waitForFunction((sel) => document.querySelector(sel)?.closest('[data-stage]')?.dataset.stage === 'Qualified', card(second.id));
  await moveConfirmed(page, 'Moved “Second” to Qualified');
  await page.reload();
  await page.waitForSelector('[data-testid="board"]');
  assert.equal(await stageOf(page, second.id), 'Qualified');
  assert.equal(await stageOf(page, first.id), 'New');
  await context.close();
});

test('a move the server has not confirmed yet says "Saving…" and warns before the page is left', async () => {
  const { context, page } = await signedIn();
  const errors = recordPageErrors(page);
  const ids = await stages(page);
  const deal = await createDeal(page, 'Slow line', ids.New);
  await openBoard(page);

  // Hold the move request, as a slow network would, until the test lets it through.
  let release;
  const held = new Promise((r) => { release = r; });
  let arrived;
  const moveSent = new Promise((r) => { arrived = r; });
  await page.route('**/api/deals/move', async (route) => { arrived(); await held; await route.continue(); });

  await page.focus(card(deal.id));
  await page.keyboard.press('Shift+ArrowRight');
  await moveSent;
  assert.equal(await stageOf(page, deal.id), 'Qualified');
  assert.equal(await page.textContent(`${card(deal.id)} [data-testid="deal-saving"]`), 'Saving…');
  assert.doesNotMatch(await page.textContent('[data-testid="board-announcement"]'), /Moved/);

  // Leaving now asks first; staying keeps the move going.
  const asked = new Promise((r) => page.once('dialog', async (dialog) => { r(dialog.type()); await dialog.dismiss(); }));
  await page.close({ runBeforeUnload: true });
  assert.equal(await asked, 'beforeunload');
  assert.equal(page.isClosed(), false);

  release();
  await moveConfirmed(page, 'Moved “Slow line” to Qualified');
  assert.equal(await page.locator('[data-testid="deal-saving"]').count(), 0);
  await page.unroute('**/api/deals/move');
  const fresh = await context.newPage();
  await openBoard(fresh);
  assert.equal(await stageOf(fresh, deal.id), 'Qualified');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a read-only user sees the board without move controls', async () => {
  const { context, page } = await signedIn();
  const ids = await stages(page);
  const deal = await createDeal(page, 'Look only', ids.New);
  await call(page, 'users/create', {
    name: 'Rita Reader', email: 'rita@demo.example', role: 'read_only', team_id: '', temporary_password: 'temporary-pass-1',
  });
  const reader = await signedIn({ email: 'rita@demo.example', password: 'temporary-pass-1' });
  await openBoard(reader.page);
  assert.equal(await reader.page.locator(card(deal.id)).getAttribute('draggable'), null);
  assert.equal(await reader.page.locator('.quick-add').count(), 0);
  await reader.context.close();
  await context.close();
});

test('the owner filter narrows to me or my team, and the amount range to the deals in it', async () => {
  const { context, page } = await signedIn();
  const errors = recordPageErrors(page);
  const ids = await stages(page);
  const teams = await call(page, 'teams/list', {});
  const sales = teams.find((t) => t.name === 'Sales');
  const mate = await call(page, 'users/create', {
    name: 'Sam Seller', email: 'sam@demo.example', role: 'sales_agent', team_id: String(sales.id), temporary_password: 'temporary-pass-1',
  });
  const outsider = await call(page, 'users/create', {
    name: 'Olga Outside', email: 'olga@demo.example', role: 'sales_agent', team_id: '', temporary_password: 'temporary-pass-1',
  });
  const mine = await createDeal(page, 'Mine big', ids.New, '9000');
  const mates = await call(page, 'deals/create', { 'form[title]': 'Team small', 'form[stage_id]': String(ids.New), 'form[amount]': '100', 'form[owner_id]': String(mate.id) });
  const theirs = await call(page, 'deals/create', { 'form[title]': 'Outside big', 'form[stage_id]': String(ids.New), 'form[amount]': '9000', 'form[owner_id]': String(outsider.id) });
  await openBoard(page);
  const all = [mine, mates, theirs];
  // The board after a filter change, once the server's answer is drawn.
  const shows = (titles) => page.waitForFunction(([deals, wanted]) => deals
    .filter((d) => document.querySelector(`[data-deal-id="${d.id}"]`)).map((d) => d.title)
    .join('|') === wanted.join('|'), [all.map(({ id, title }) => ({ id, title })), titles]);
  await shows(['Mine big', 'Team small', 'Outside big']);
  await page.selectOption('[data-testid="owner-filter"]', 'team');
  await shows(['Mine big', 'Team small']);
  await page.selectOption('[data-testid="owner-filter"]', 'me');
  await shows(['Mine big']);

  await page.selectOption('[data-testid="owner-filter"]', 'everyone');
  await page.fill('[data-testid="amount-min"]', '1,000');
  await shows(['Mine big', 'Outside big']);
  await page.fill('[data-testid="amount-min"]', 'lots');
  await page.waitForSelector('.board-filters [role="alert"]');
  await page.fill('[data-testid="amount-min"]', '');
  await page.fill('[data-testid="amount-max"]', '500');
  await shows(['Team small']);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a card moved into a column longer than one page stays drawn and focused', async () => {
  const { context, page } = await signedIn();
  const ids = await stages(page);
  await Promise.all(Array.from({ length: 52 }, (_, i) => createDeal(page, `Filler ${i}`, ids.Qualified)));
  const mover = await createDeal(page, 'Mover', ids.New);
  await openBoard(page);
  assert.equal(await page.locator(`${column('Qualified')} [data-deal-id]`).count(), 50);
  await page.focus(card(mover.id));
  await page.keyboard.press('Shift+ArrowRight');
  await page.waitForFunction((id) => document.activeElement?.dataset.dealId === String(id)
    && document.activeElement.closest('[data-testid="board-column"]').dataset.stage === 'Qualified', mover.id);
  // Focusing the moved card scrolls the page, which may load the column's next page meanwhile.
  assert.ok(await page.locator(`${column('Qualified')} [data-deal-id]`).count() >= 51);
  assert.equal(await page.textContent(`${column('Qualified')} [data-testid="column-count"]`), '53');
  await context.close();
});

test('a long column loads its next page on demand, and the search then runs on the server with accents folded', async () => {
  const { context, page } = await signedIn();
  const errors = recordPageErrors(page);
  const ids = await stages(page);
  await Promise.all(Array.from({ length: 55 }, (_, i) => createDeal(page, `Filler ${i}`, ids.Qualified)));
  const creme = await createDeal(page, 'Crème brûlée supply', ids.New);
  await openBoard(page);
  const cards = (name) => page.locator(`${column(name)} [data-deal-id]`).count();
  assert.equal(await cards('Qualified'), 50, 'one page drawn');
  assert.equal(await page.textContent(`${column('Qualified')} [data-testid="column-count"]`), '55', 'the exact count');
  assert.equal(await page.textContent(`${column('Qualified')} .show-more`), 'Show more (5 not shown)');
  await page.click(`${column('Qualified')} .show-more`);
  await page.waitForSelector(`${column('Qualified')} .show-more`, { state: 'detached' });
  assert.equal(await cards('Qualified'), 55);

  // The paged column's cursor belongs to the board shown, never to the search on its way.
  await page.fill('#board-search', 'CREME brulee');
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === '0',
    `${column('Qualified')} [data-testid="column-count"]`);
  assert.equal(await cards('Qualified'), 0);
  assert.equal(await page.locator(card(creme.id)).count(), 1);
  await page.fill('#board-search', '');
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent === '55',
    `${column('Qualified')} [data-testid="column-count"]`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('ticked cards are given to another owner in one go, and the board shows them so', async () => {
  const { context, page } = await signedIn();
  const errors = recordPageErrors(page);
  const ids = await stages(page);
  const sam = await call(page, 'users/create', {
    name: 'Sam Seller', email: 'sam@demo.example', role: 'sales_agent', team_id: '', temporary_password: 'temporary-pass-1',
  });
  const rollout = await createDeal(page, 'Rollout', ids.New);
  const pilot = await createDeal(page, 'Pilot', ids.Qualified);
  const kept = await createDeal(page, 'Kept', ids.New);
  await openBoard(page);
  await page.check(`${card(rollout.id)} .row-select`);
  await page.check(`${card(pilot.id)} .row-select`);
  assert.equal(await page.textContent('[data-testid="selected-count"]'), '2 selected');
  await page.selectOption('[data-testid="bulk-owner"]', String(sam.id));
  await page.click('[data-testid="bulk-assign"]');
  await page.waitForSelector('[data-testid="bulk-result"]');
  assert.equal(await page.textContent('[data-testid="bulk-result"]'), 'Assigned 2 deals to Sam Seller.');
  assert.equal(await page.textContent('[data-testid="selected-count"]'), '0 selected');
  for (const [deal, owner] of [[rollout, sam.id], [pilot, sam.id], [kept, kept.owner_id]]) {
    assert.equal((await call(page, 'deals/get', { id: String(deal.id) })).owner_id, owner, deal.title);
  }
  await page.selectOption('[data-testid="owner-filter"]', 'me');
  await page.waitForFunction(([gone, stays]) => !document.querySelector(`[data-deal-id="${gone}"]`)
    && document.querySelector(`[data-deal-id="${stays}"]`), [rollout.id, kept.id]);
  assert.deepEqual(errors, []);
  await context.close();
});
