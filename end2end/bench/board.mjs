// Measures the pipeline board in real Chromium with about 20k open and 100k closed deals (the
// issue's size): time until the hydrated board shows, a keyboard move until the card sits in the
// next column, a search keystroke until the server's filtered columns are drawn, and the frame
// rate while a card is dragged across the board. Not a test (timings depend on the machine): run
// it by hand with `npm run bench:board` after `cargo leptos build --release`, and read the
// medians it prints.
import { spawnSync } from 'node:child_process';
import { BINARY, launchBrowser, startServer } from '../tests/support/harness.mjs';
import { asUser } from '../tests/support/session.mjs';

// `generate --deals` spreads deals over every stage (a third of them won or lost), and
// `--closed-deals` adds deals closed over the last two years.
const DEALS = Number(process.env.DEALS ?? 28000);
const CLOSED = Number(process.env.CLOSED_DEALS ?? 92000);
const ROUNDS = Number(process.env.ROUNDS ?? 5);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Drags the second column's first card across the board with the mouse, 60 steps, and
 *  answers the page's animation-frame times meanwhile. With `drag` false the mouse only moves
 *  the same way (the floor: the frame rate of this page and this machine without a drag). */
async function dragFrames(page, drag = true) {
  const columns = page.locator('[data-testid="board-column"]');
  const from = await columns.nth(1).locator('[data-deal-id]').first().boundingBox();
  const to = await columns.nth(3).locator('.column-header').boundingBox();
  await page.evaluate(() => {
    window.benchFrames = [];
    window.benchCounting = true;
    const tick = (t) => {
      window.benchFrames.push(t);
      if (window.benchCounting) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await page.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
  if (drag) await page.mouse.down();
  const steps = 60;
  for (let i = 1; i <= steps; i += 1) {
    const x = from.x + (to.x - from.x) * (i / steps) + from.width / 2;
    const y = from.y + (to.y - from.y) * (i / steps) + 10;
    await page.mouse.move(x, y);
    await page.evaluate(() => new Promise(requestAnimationFrame));
  }
  if (drag) await page.mouse.up();
  return page.evaluate(() => {
    window.benchCounting = false;
    return window.benchFrames;
  });
}

const server = await startServer();
const browser = await launchBrowser();
try {
  const generated = spawnSync(BINARY, ['generate', '--tenant', 'demo', '--deals', String(DEALS),
    '--closed-deals', String(CLOSED), '--contacts', '5000', '--companies', '50', '--activities', '0', '--tasks', '100'], {
    env: { ...process.env, CRM_DATABASE__URL: server.databaseUrl, RUST_LOG: 'warn' },
    encoding: 'utf8',
  });
  if (generated.status !== 0) throw new Error(`generate failed: ${generated.stderr}`);

  const context = await browser.newContext({ viewport: { width: 1800, height: 1000 } });
  const page = await context.newPage();
  await asUser({ server }).signIn(page);

  const load = [], shell = [], move = [], search = [], fps = [], idleFps = [], worstFrame = [];
  const rate = (frames) => Math.round((frames.length - 1) / ((frames.at(-1) - frames[0]) / 1000));
  let cards = 0;
  for (let round = 0; round < ROUNDS; round += 1) {
    // The floor: the same app hydrating a page with no data on it.
    const bare = Date.now();
    await page.goto(`${server.url}/deleted?kind=deal`);
    await page.waitForSelector('html[data-hydrated="true"] [data-testid="nothing-deleted"]');
    shell.push(Date.now() - bare);

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
    await page.fill('#board-search', '');
    await page.waitForSelector('[data-deal-id]');
    await page.waitForLoadState('networkidle');

    idleFps.push(rate(await dragFrames(page, false)));
    const frames = await dragFrames(page);
    fps.push(rate(frames));
    worstFrame.push(Math.round(Math.max(...frames.slice(1).map((t, i) => t - frames[i]))));
  }
  const open = await page.evaluate(() => [...document.querySelectorAll('[data-testid="board-column"]')]
    .slice(0, 4).reduce((n, c) => n + Number(c.querySelector('[data-testid="column-count"]').textContent), 0));
  console.log(`${DEALS + CLOSED} deals (${open} open), ${cards} cards drawn (50 per column until "Show more")`);
  console.log(`board load to hydrated cards: median ${median(load)} ms (${load.join(', ')})`);
  console.log(`  floor, an empty page hydrated: median ${median(shell)} ms (${shell.join(', ')})`);
  console.log(`keyboard move shown:          median ${median(move)} ms (${move.join(', ')})`);
  console.log(`search filters the board:     median ${median(search)} ms (${search.join(', ')})`);
  console.log(`frames while dragging a card: median ${median(fps)} fps (${fps.join(', ')}), longest frame median ${median(worstFrame)} ms (${worstFrame.join(', ')})`);
  console.log(`  floor, the mouse moved without a drag: median ${median(idleFps)} fps (${idleFps.join(', ')})`);
  await context.close();
} finally {
  await browser.close();
  await server.stop();
}
