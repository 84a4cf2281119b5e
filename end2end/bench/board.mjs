// Measures the pipeline board with 2,000 deals in real Chromium: time until the hydrated board
// shows, a keyboard move until the card sits in the next column, and a search keystroke until
// the columns are filtered. Not a test (timings depend on the machine): run it by hand with
// `npm run bench:board` after `cargo leptos build`, and read the medians it prints.
import { spawnSync } from 'node:child_process';
import { BINARY, launchBrowser, startServer } from '../tests/support/harness.mjs';
import { asUser } from '../tests/support/session.mjs';

const DEALS = Number(process.env.DEALS ?? 2000);
const ROUNDS = Number(process.env.ROUNDS ?? 5);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const server = await startServer();
const browser = await launchBrowser();
try {
  const generated = spawnSync(BINARY, ['generate', '--tenant', 'demo', '--deals', String(DEALS),
    '--contacts', '500', '--companies', '50', '--activities', '0', '--tasks', '100'], {
    env: { ...process.env, CRM_DATABASE__URL: server.databaseUrl, RUST_LOG: 'warn' },
    encoding: 'utf8',
  });
  if (generated.status !== 0) throw new Error(`generate failed: ${generated.stderr}`);

  const context = await browser.newContext({ viewport: { width: 1800, height: 1000 } });
  const page = await context.newPage();
  await asUser({ server }).signIn(page);

  const load = [], move = [], search = [];
  let cards = 0;
  for (let round = 0; round < ROUNDS; round += 1) {
    const started = Date.now();
    await page.goto(`${server.url}/pipeline`);
    await page.waitForSelector('html[data-hydrated="true"] [data-testid="board"] [data-deal-id]');
    load.push(Date.now() - started);
    cards = await page.locator('[data-deal-id]').count();

    const first = page.locator('[data-testid="board-column"]').first().locator('[data-deal-id]').first();
    const id = await first.getAttribute('data-deal-id');
    await first.focus();
    const pressed = Date.now();
    await page.keyboard.press('Shift+ArrowRight');
    await page.waitForFunction((dealId) => {
      const card = document.querySelector(`[data-deal-id="${dealId}"]`);
      const columns = [...document.querySelectorAll('[data-testid="board-column"]')];
      return card && columns.indexOf(card.closest('[data-testid="board-column"]')) === 1;
    }, id);
    move.push(Date.now() - pressed);
    await page.waitForLoadState('networkidle');

    const typed = Date.now();
    await page.fill('#board-search', 'zzz-no-such-deal');
    await page.waitForFunction(() => document.querySelectorAll('[data-deal-id]').length === 0);
    search.push(Date.now() - typed);
  }
  console.log(`${DEALS} deals, ${cards} cards drawn (50 per column until "Show more")`);
  console.log(`board load to hydrated cards: median ${median(load)} ms (${load.join(', ')})`);
  console.log(`keyboard move shown:          median ${median(move)} ms (${move.join(', ')})`);
  console.log(`search filters the board:     median ${median(search)} ms (${search.join(', ')})`);
  await context.close();
} finally {
  await browser.close();
  await server.stop();
}
