import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserAndServerPerTest, recordPageErrors, saveScreenshot } from './support/harness.mjs';
import { asUser } from './support/session.mjs';

const ctx = browserAndServerPerTest();
const { hydrated, signedIn } = asUser(ctx, { viewport: { width: 1600, height: 1200 } });

async function openSettings(page) {
  await hydrated(page, `/settings`);
  await page.waitForSelector('[data-testid="stage-row"]');
}

const stageRow = (name) => `[data-testid="stage-row"][data-stage-name="${name}"]`;
const dispositionRow = (name) => `[data-testid="disposition-row"][data-name="${name}"]`;

async function stageNames(page) {
  return page.locator('[data-testid="stage-row"]').evaluateAll((rows) => rows.map((r) => r.dataset.stageName));
}

async function boardColumns(page) {
  await hydrated(page, `/pipeline`);
  await page.waitForSelector('[data-testid="board"]');
  return page.locator('[data-testid="board-column"]').evaluateAll((cols) => cols.map((c) => c.dataset.stage));
}

test('an admin adds a stage, renames it and drags it into place; the board follows', async () => {
  const { context, page } = await signedIn();
  const errors = recordPageErrors(page);
  await openSettings(page);

  await page.fill('[data-testid="new-stage-name"]', 'Demo booked');
  await page.click('.add-stage button[type="submit"]');
  await page.waitForSelector(stageRow('Demo booked'));

  await page.fill(`${stageRow('Demo booked')} input[name="form[name]"]`, 'Demo given');
  await page.click(`${stageRow('Demo booked')} .stage-form button[type="submit"]`);
  await page.waitForSelector(stageRow('Demo given'));
  assert.equal(await page.locator(stageRow('Demo booked')).count(), 0);

  // Drag the new (last) stage onto "Qualified": it takes that place. Both rows in view first, so
  // the drag does not have to scroll.
  await page.locator('[data-testid="pipelines-editor"]').evaluate((e) => e.scrollIntoView({ block: 'start' }));
  const saved = page.waitForResponse((r) => r.url().includes('/api/stages/reorder') && r.ok());
  await page.dragAndDrop(`${stageRow('Demo given')} [data-testid="drag-handle"]`, `${stageRow('Qualified')} [data-testid="drag-handle"]`);
  await saved;
  const expected = ['New', 'Demo given', 'Qualified', 'Proposal', 'Negotiation', 'Won', 'Lost'];
  await page.waitForFunction((want) => JSON.stringify([...document.querySelectorAll('[data-testid="stage-row"]')]
    .map((r) => r.dataset.stageName)) === want, JSON.stringify(expected));
  await saveScreenshot(page, 'settings-stages.png');

  // The keyboard-free alternative: Move down, then Move up again.
  const down = page.waitForResponse((r) => r.url().includes('/api/stages/reorder') && r.ok());
  await page.click('button[aria-label="Move down Demo given"]');
  await down;
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="stage-row"]')[2]?.dataset.stageName === 'Demo given');
  const up = page.waitForResponse((r) => r.url().includes('/api/stages/reorder') && r.ok());
  await page.click('button[aria-label="Move up Demo given"]');
  await up;
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="stage-row"]')[1]?.dataset.stageName === 'Demo given');

  assert.deepEqual(await boardColumns(page), expected);
  await page.reload();
  await page.waitForSelector('[data-testid="board"]');
  assert.deepEqual(
    await page.locator('[data-testid="board-column"]').evaluateAll((cols) => cols.map((c) => c.dataset.stage)),
    expected,
  );
  assert.deepEqual(errors, []);
  await context.close();
});

test('deleting a stage that holds deals shows the refusal and keeps the stage', async () => {
  const { context, page } = await signedIn();
  const pipelines = await (await page.request.post(`${ctx.server.url}/api/pipelines/list`, { headers: { Origin: ctx.server.url } })).json();
  const proposal = pipelines[0].stages.find((s) => s.name === 'Proposal');
  const created = await page.request.post(`${ctx.server.url}/api/deals/create`, {
    form: { 'form[title]': 'Big one', 'form[stage_id]': String(proposal.id) },
    headers: { Origin: ctx.server.url },
  });
  assert.ok(created.ok());
  await openSettings(page);
  await page.click('button[aria-label="Delete Proposal"]');
  await page.waitForFunction(() => /move them to another stage first/.test(document.querySelector('[data-testid="pipelines-error"]')?.textContent ?? ''));
  assert.equal(await page.locator(stageRow('Proposal')).count(), 1);
  await context.close();
});

test('an admin adds a disposition, drags it to the top and makes it the default; it stays after a reload', async () => {
  const { context, page } = await signedIn();
  const errors = recordPageErrors(page);
  await openSettings(page);
  assert.equal(await page.getAttribute(dispositionRow('Connected'), 'data-default'), 'true');

  await page.fill('[data-testid="new-disposition-name"]', 'Left message');
  await page.click('[data-testid="dispositions-editor"] button:has-text("Add disposition")');
  await page.waitForSelector(dispositionRow('Left message'));

  // A duplicate name is refused with the reason.
  await page.fill('[data-testid="new-disposition-name"]', 'busy');
  await page.click('[data-testid="dispositions-editor"] button:has-text("Add disposition")');
  await page.waitForFunction(() => /another disposition has this name/.test(document.querySelector('[data-testid="dispositions-error"]')?.textContent ?? ''));

  // Dragged to the top of the list, the order agents see at wrap-up.
  await page.locator('[data-testid="dispositions-editor"]').evaluate((e) => e.scrollIntoView({ block: 'start' }));
  const reordered = page.waitForResponse((r) => r.url().includes('/api/dispositions/reorder') && r.ok());
  await page.dragAndDrop(`${dispositionRow('Left message')} .drag-handle`, `${dispositionRow('Connected')} .drag-handle`);
  await reordered;
  await page.waitForFunction(() => document.querySelector('[data-testid="disposition-row"]')?.dataset.name === 'Left message');

  await page.click('button[aria-label="Make Left message the default"]');
  await page.waitForSelector(`${dispositionRow('Left message')}[data-default="true"]`);
  assert.equal(await page.getAttribute(dispositionRow('Connected'), 'data-default'), 'false');
  assert.equal(await page.locator('[data-testid="default-badge"]').count(), 1);

  await page.reload();
  await page.waitForSelector(`${dispositionRow('Left message')}[data-default="true"]`);
  assert.equal(await page.locator('[data-testid="disposition-row"][data-default="true"]').count(), 1);
  assert.equal(await page.locator('[data-testid="disposition-row"]').first().getAttribute('data-name'), 'Left message');
  assert.ok(await page.locator(`${dispositionRow('Left message')} button[aria-label="Delete Left message"]`).isDisabled());
  assert.deepEqual(errors, []);
  await context.close();
});

test('the audit log shows the stage edits and the filter narrows it', async () => {
  const { context, page } = await signedIn();
  const errors = recordPageErrors(page);
  await openSettings(page);
  await page.fill('[data-testid="new-stage-name"]', 'Audited stage');
  await page.click('.add-stage button[type="submit"]');
  await page.waitForSelector(stageRow('Audited stage'));

  await page.reload();
  await page.waitForSelector('html[data-hydrated="true"]');
  await page.waitForSelector('[data-testid="audit-row"][data-action="stage.created"]');
  const all = await page.locator('[data-testid="audit-row"]').count();
  assert.ok(all > 1, `${all} rows`);
  assert.match(await page.textContent('[data-testid="audit-row"][data-action="stage.created"]'), /name: — → Audited stage/);

  await page.selectOption('[data-testid="audit-filters"] select[name="entity_type"]', 'stage');
  await page.click('[data-testid="audit-filters"] button[type="submit"]');
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-testid="audit-row"]')];
    return rows.length > 0 && rows.every((r) => r.dataset.action.startsWith('stage.'));
  });
  assert.ok(await page.locator('[data-testid="audit-row"]').count() < all);

  await page.selectOption('[data-testid="audit-filters"] select[name="entity_type"]', '');
  await page.fill('[data-testid="audit-filters"] input[name="action"]', 'user.');
  await page.click('[data-testid="audit-filters"] button[type="submit"]');
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('[data-testid="audit-row"]')];
    return rows.length > 0 && rows.every((r) => r.dataset.action.startsWith('user.'));
  });
  assert.deepEqual(errors, []);
  await context.close();
});

test('a sales agent sees none of the editors', async () => {
  const { context, page } = await signedIn();
  const made = await page.request.post(`${ctx.server.url}/api/users/create`, {
    form: {
      name: 'Sam Seller', email: 'sam@demo.example', role: 'sales_agent', team_id: '', temporary_password: 'temporary-pass-1',
    },
    headers: { Origin: ctx.server.url },
  });
  assert.ok(made.ok(), await made.text());
  await context.close();

  const agent = await signedIn({ email: 'sam@demo.example', password: 'temporary-pass-1' });
  const response = await agent.page.goto(`${ctx.server.url}/settings`);
  assert.equal(response.status(), 403);
  await agent.page.waitForSelector('html[data-hydrated="true"]');
  await agent.page.waitForSelector('[data-testid="settings-forbidden"]');
  for (const editor of ['pipelines-editor', 'dispositions-editor', 'audit-log', 'stage-row']) {
    assert.equal(await agent.page.locator(`[data-testid="${editor}"]`).count(), 0, editor);
  }
  await agent.context.close();
});
