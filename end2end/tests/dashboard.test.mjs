import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserAndServerPerTest, recordPageErrors, saveScreenshot } from './support/harness.mjs';
import { asUser } from './support/session.mjs';

const ctx = browserAndServerPerTest();
const { call, hydrated, signedIn } = asUser(ctx, { viewport: { width: 1280, height: 1000 } });

/** Deals in three stages and two currencies, a contact with activities, an overdue task. */
async function seed(page) {
  const pipelines = await call(page, 'pipelines/list', {});
  const ids = Object.fromEntries(pipelines[0].stages.map((s) => [s.name, s.id]));
  const deal = (title, stage, amount, currency = 'EUR') => call(page, 'deals/create', {
    'form[title]': title, 'form[stage_id]': String(stage), 'form[amount]': amount, 'form[currency]': currency,
  });
  const rollout = await deal('Rollout', ids.New, '12500');
  await deal('Pilot', ids.New, '1000');
  await deal('Renewal', ids.Qualified, '900');
  await deal('Export', ids.Proposal, '300', 'USD');
  const contact = await call(page, 'contacts/create', { 'form[name]': 'Olga Overdue' });
  for (const kind of ['call', 'call', 'meeting']) {
    await call(page, 'activities/log', {
      'form[kind]': kind, 'form[body]': 'Talked', 'form[direction]': 'outbound', 'form[contact_id]': String(contact.id),
    });
  }
  const yesterday = new Date(Date.now() - 86_400_000).toISOString();
  await call(page, 'tasks/create', {
    'form[title]': 'Send the offer', 'form[due_at]': yesterday, 'form[contact_id]': String(contact.id),
  });
  return { ids, rollout, pipelines };
}

async function openDashboard(page) {
  await hydrated(page, `/`);
  await page.waitForSelector('[data-testid="dashboard"]');
}

const text = (page, sel) => page.textContent(sel);

test('the dashboard draws its charts from the data, and a won deal counts after a reload', async () => {
  const { context, page } = await signedIn();
  const errors = recordPageErrors(page);
  const { ids, rollout } = await seed(page);
  await openDashboard(page);

  const eur = page.locator('[data-testid="chart-pipeline-eur"]');
  assert.equal(await eur.locator('svg').count(), 1);
  assert.equal(await eur.locator('[data-testid="chart-bar"]').count(), 4, 'one bar per open stage');
  const values = await eur.locator('[data-testid="bar-value"]').allTextContents();
  assert.deepEqual(values, ['2 deals · 13,500.00 EUR', '1 deal · 900.00 EUR', '0 deals · 0.00 EUR', '0 deals · 0.00 EUR']);
  const usd = await page.locator('[data-testid="chart-pipeline-usd"] [data-testid="bar-value"]').allTextContents();
  assert.equal(usd[2], '1 deal · 300.00 USD');
  // The svg has a title for screen readers and its numbers in a table.
  assert.match(await eur.locator('svg title').textContent(), /Open deals by stage in EUR/);
  assert.match(await eur.locator('table').textContent(), /13,500\.00 EUR/);
  // Bars are real SVG shapes with a size (an element in the wrong namespace has none).
  const newBar = await eur.locator('[data-testid="chart-bar"]').first().locator('rect').nth(1).boundingBox();
  assert.ok(newBar && newBar.width > 100, `bar width ${newBar?.width}`);

  assert.equal(await text(page, '[data-testid="won-count"]'), '0');
  assert.equal(await text(page, '[data-testid="activities-total"]'), '3');
  assert.match(await text(page, '[data-testid="chart-activities"]'), /Demo Admin/);
  assert.equal(await text(page, '[data-testid="overdue-count"]'), '1');
  const overdue = page.locator('[data-testid="overdue-task"]');
  assert.match(await overdue.textContent(), /Send the offer/);
  assert.equal(await overdue.locator('a[href^="/contacts/"]').textContent(), 'Olga Overdue');
  await saveScreenshot(page, 'dashboard.png');

  await call(page, 'deals/move', { id: String(rollout.id), 'to[stage_id]': String(ids.Won), 'to[version]': String(rollout.version) });
  await page.reload();
  await page.waitForSelector('[data-testid="dashboard"]');
  assert.equal(await text(page, '[data-testid="won-count"]'), '1');
  assert.match(await text(page, '[data-testid="chart-won-lost"]'), /1 deal · 12,500\.00 EUR/);
  const after = await page.locator('[data-testid="chart-pipeline-eur"] [data-testid="bar-value"]').first().textContent();
  assert.equal(after, '1 deal · 1,000.00 EUR', 'the won deal left the open pipeline');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the pipeline switcher shows another pipeline and comes back, drawn in the browser', async () => {
  const { context, page } = await signedIn();
  const errors = recordPageErrors(page);
  await seed(page);
  await call(page, 'pipelines/create', { name: 'Renewals' });
  await openDashboard(page);
  await page.click('.pipeline-switcher a:has-text("Renewals")');
  await page.waitForSelector('[data-testid="no-open-deals"]');
  await page.click('.pipeline-switcher a:has-text("Sales pipeline")');
  await page.waitForSelector('[data-testid="chart-pipeline-eur"] svg');
  const bar = await page.locator('[data-testid="chart-pipeline-eur"] [data-testid="chart-bar"] rect').nth(1).boundingBox();
  assert.ok(bar && bar.width > 100, `bar drawn in the browser has width ${bar?.width}`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('at 390 px the dashboard fits the screen without sideways scrolling', async () => {
  const { context, page } = await signedIn({ viewport: { width: 390, height: 844 } });
  await seed(page);
  await openDashboard(page);
  const widths = await page.evaluate(() => ({
    body: document.body.scrollWidth,
    doc: document.documentElement.scrollWidth,
    svg: Math.max(...[...document.querySelectorAll('.chart svg')].map((s) => s.getBoundingClientRect().right)),
  }));
  const wide = await page.evaluate(() => [...document.querySelectorAll('body *')]
    .filter((e) => e.getBoundingClientRect().right > 391)
    .slice(0, 5)
    .map((e) => `${e.tagName}.${e.className?.baseVal ?? e.className} ${Math.round(e.getBoundingClientRect().right)}`));
  assert.ok(widths.body <= 390 && widths.doc <= 390, `page is ${JSON.stringify(widths)} wide: ${wide.join(', ')}`);
  assert.ok(widths.svg <= 390, `a chart ends at ${widths.svg}`);
  // The numbers are still there to read.
  assert.match(await text(page, '[data-testid="chart-pipeline-eur"]'), /13,500\.00 EUR/);
  await context.close();
});
