import { test } from 'node:test';
import assert from 'node:assert/strict';
import { browserAndServerPerTest, recordPageErrors, saveScreenshot } from './support/harness.mjs';
import { asUser } from './support/session.mjs';

// Click-to-call between CRM tabs and the agent console tab: two (or more) pages in one browser
// context share the BroadcastChannel and the Web Locks, as tabs of one browser do.
const ctx = browserAndServerPerTest();
const { call, hydrated, signIn } = asUser(ctx);

async function openConsole(context) {
  const page = await context.newPage();
  await hydrated(page, '/console');
  await page.waitForSelector('[data-testid="console-ready"]:not([hidden])');
  return page;
}

/** A signed-in context with one contact who has a phone number. */
async function setUp() {
  const context = await ctx.browser.newContext();
  const page = await context.newPage();
  await signIn(page);
  const contact = await call(page, 'contacts/create', {
    'form[name]': 'Zoë Schmidt',
    'form[phone]': '(201) 555-0123',
  });
  return { context, page, contact };
}

async function callsOnServer(page) {
  const answer = await call(page, 'calls/list', {});
  return answer.calls;
}

test('click-to-call: the console takes the call, forces the wrap-up, and the call lands on the timeline', async () => {
  const { context, page, contact } = await setUp();
  const errors = recordPageErrors(page);
  const console_ = await openConsole(context);
  const consoleErrors = recordPageErrors(console_);
  await hydrated(page, `/contacts/${contact.id}`);

  await page.click('button.call-button');
  await console_.waitForSelector('[data-testid="current-call"]');
  assert.equal(await console_.textContent('[data-testid="call-number"]'), '+12015550123');
  assert.equal(await console_.textContent('[data-testid="call-related"]'), 'Zoë Schmidt');
  assert.equal(await console_.textContent('[data-testid="agent-status"]'), 'On call');
  // The contact's tab follows: "calling…" with the running time.
  await page.waitForSelector('[data-testid="call-duration"]');

  await console_.click('button:has-text("Answered")');
  await console_.waitForSelector('[data-testid="call-state"] >> text=answered');
  await saveScreenshot(console_, 'agent-console.png');
  await console_.click('button:has-text("Hang up")');

  // Wrap-up is forced: no dial form, and a disposition that needs a note refuses an empty one.
  await console_.waitForSelector('[data-testid="wrap-up"]');
  assert.equal(await console_.textContent('[data-testid="agent-status"]'), 'Wrap-up');
  await page.waitForSelector('[data-testid="call-progress"] >> text=Call ended');
  const selected = await console_.$eval('#wrap-up-disposition', (s) => s.options[s.selectedIndex].text);
  assert.equal(selected, 'Connected', 'the default disposition is preselected');
  await console_.selectOption('#wrap-up-disposition', { label: 'Callback requested' });
  await console_.click('[data-testid="wrap-up"] button[type="submit"]');
  await console_.waitForSelector('[data-testid="wrap-up"] .field-error >> text=is required for \'Callback requested\'');
  assert.equal(await console_.locator('[data-testid="wrap-up"]').count(), 1, 'still open');

  // While the wrap-up is open, a new click-to-call is declined, not started.
  await page.click('button.call-button');
  await page.waitForSelector('[data-testid="call-progress"] >> text=busy');
  assert.equal((await callsOnServer(page)).length, 1);

  await console_.fill('#wrap-up-notes', 'Call back on Tuesday about rye.');
  await console_.click('[data-testid="wrap-up"] button[type="submit"]');
  await console_.waitForSelector('[data-testid="wrap-up"]', { state: 'detached' });
  assert.equal(await console_.textContent('[data-testid="agent-status"]'), 'Available');
  assert.match(await console_.textContent('[data-testid="recent-calls"]'), /\+12015550123.*Callback requested/s);

  await page.reload();
  await page.waitForSelector('html[data-hydrated="true"]');
  const entry = page.locator('[data-testid="timeline-entry"]', { hasText: 'Call back on Tuesday about rye.' });
  await entry.waitFor();
  assert.match(await entry.textContent(), /call/i);
  assert.match(await page.textContent('[data-testid="last-contacted"]'), /UTC/);
  assert.deepEqual(errors, []);
  assert.deepEqual(consoleErrors, []);
  await context.close();
});

test('no console open: the prompt appears after about 2 s, and the call goes through once it is opened', async () => {
  const { context, page, contact } = await setUp();
  await hydrated(page, `/contacts/${contact.id}`);
  const clicked = Date.now();
  await page.click('button.call-button');
  await page.waitForSelector('text=Agent console is not open');
  const waited = Date.now() - clicked;
  assert.ok(waited >= 1900 && waited < 6000, `prompt after ${waited} ms`);
  assert.equal((await callsOnServer(page)).length, 0);

  const opened = context.waitForEvent('page');
  await page.click('button:has-text("Open the console")');
  const console_ = await opened;
  await console_.waitForLoadState();
  assert.match(console_.url(), /\/console$/);
  // The console announces itself; the contact's tab retries by itself.
  await console_.waitForSelector('[data-testid="current-call"]', { timeout: 20_000 });
  assert.equal(await console_.textContent('[data-testid="call-number"]'), '+12015550123');
  await page.waitForSelector('[data-testid="call-duration"]');
  assert.equal((await callsOnServer(page)).length, 1);
  await context.close();
});

test('two consoles open: exactly one takes the call', async () => {
  const { context, page, contact } = await setUp();
  const consoles = [await openConsole(context), await openConsole(context)];
  await hydrated(page, `/contacts/${contact.id}`);
  await page.click('button.call-button');
  await page.waitForSelector('[data-testid="call-duration"]');
  // Give the other console every chance to (wrongly) take it as well.
  await page.waitForTimeout(1500);
  const taking = [];
  for (const c of consoles) taking.push(await c.locator('[data-testid="current-call"]').count());
  assert.deepEqual(taking.sort(), [0, 1]);
  assert.equal((await callsOnServer(page)).length, 1);
  await context.close();
});

test('malformed messages on the channel change nothing; a well-formed one is acted on', async () => {
  const { context, page } = await setUp();
  const console_ = await openConsole(context);
  const errors = recordPageErrors(console_);
  const warnings = [];
  console_.on('console', (m) => { if (m.type() === 'warning') warnings.push(m.text()); });
  await hydrated(page, '/contacts');

  await page.evaluate(() => {
    const channel = new BroadcastChannel('crm-agent-phone');
    channel.postMessage('not json at all');
    channel.postMessage('{"type":"CALL_REQUEST","number":42}');
    channel.postMessage({ type: 'DELETE_EVERYTHING' });
    channel.postMessage({ type: 'CALL_REQUEST', number: '+12015550123', relatedType: null, relatedId: null, requestId: 'r1', extra: 1 });
    channel.close();
  });
  await console_.waitForFunction(() => true);
  await page.waitForTimeout(1000);
  assert.equal(await console_.locator('[data-testid="current-call"]').count(), 0);
  assert.equal(await console_.textContent('[data-testid="agent-status"]'), 'Available');
  assert.equal(warnings.filter((w) => w.includes('ignored a message')).length, 4, warnings.join('\n'));
  assert.deepEqual(errors, []);
  assert.equal((await callsOnServer(page)).length, 0);

  await page.evaluate(() => {
    const channel = new BroadcastChannel('crm-agent-phone');
    channel.postMessage(JSON.stringify({ type: 'CALL_REQUEST', number: '+12015550123', relatedType: null, relatedId: null, requestId: 'r2' }));
    channel.close();
  });
  await console_.waitForSelector('[data-testid="current-call"]');
  assert.equal(await console_.textContent('[data-testid="call-number"]'), '+12015550123');
  await context.close();
});

test('a console closed mid-call: the next console closes the call as interrupted and asks for the wrap-up', async () => {
  const { context, page, contact } = await setUp();
  let console_ = await openConsole(context);
  await hydrated(page, `/contacts/${contact.id}`);
  await page.click('button.call-button');
  await console_.waitForSelector('[data-testid="current-call"]');
  await console_.click('button:has-text("Answered")');
  await console_.waitForSelector('[data-testid="call-state"] >> text=answered');
  await console_.close();

  console_ = await openConsole(context);
  await console_.waitForSelector('[data-testid="wrap-up"]');
  assert.match(await console_.textContent('[data-testid="wrap-up"]'), /interrupted/);
  await console_.click('[data-testid="wrap-up"] button[type="submit"]');
  await console_.waitForSelector('[data-testid="wrap-up"]', { state: 'detached' });
  const [call] = await callsOnServer(page);
  assert.equal(call.state, 'wrapped_up');
  assert.equal(call.disposition_name, 'Connected');
  await context.close();
});

test('calls dialled by hand: numbers follow the default country set in settings; an unknown caller can become a contact', async () => {
  const { context, page } = await setUp();
  await hydrated(page, '/settings');
  await page.fill('#default-country', 'de');
  await page.click('[data-testid="settings-calling"] button[type="submit"]');
  await page.waitForSelector('[data-testid="calling-message"] >> text=DE');

  const console_ = await openConsole(context);
  await console_.fill('#dial-number', '030 1234567');
  await console_.click('#dial-title ~ form button[type="submit"]');
  await console_.waitForSelector('[data-testid="current-call"]');
  assert.equal(await console_.textContent('[data-testid="call-number"]'), '+49301234567');
  await console_.click('button:has-text("No answer")');
  await console_.selectOption('#wrap-up-disposition', { label: 'No answer' });
  await console_.click('[data-testid="wrap-up"] button[type="submit"]');
  await console_.waitForSelector('[data-testid="wrap-up"]', { state: 'detached' });

  await console_.fill('#dial-number', '+49 30 7654321');
  await console_.check('#dial-title ~ form input[type="checkbox"]');
  await console_.click('#dial-title ~ form button[type="submit"]');
  await console_.waitForSelector('[data-testid="current-call"] >> text=Incoming call');
  const opened = context.waitForEvent('page');
  await console_.click('[data-testid="create-caller"]');
  const contacts = await opened;
  await contacts.waitForSelector('html[data-hydrated="true"]', { timeout: 20_000 });
  assert.equal(await contacts.inputValue('#contact-phone'), '+49307654321');
  await context.close();
});

test('the PBX token is made in settings, posts call records, and stops when revoked', async () => {
  const { context, page } = await setUp();
  await hydrated(page, '/settings');
  await page.waitForSelector('[data-testid="pbx-token-none"]');
  await page.click('[data-testid="pbx-token-rotate"]');
  const secret = (await page.textContent('[data-testid="new-pbx-token"]')).trim();
  assert.match(secret, /^pbx_[0-9a-f]{64}$/);
  await page.waitForSelector(`[data-testid="pbx-tokens"] >> text=${secret.slice(0, 12)}`);

  const cdr = (token) => page.request.post(`${ctx.server.url}/api/v1/pbx/cdr`, {
    data: { pbx_call_id: 'e2e-1', duration_seconds: 12 },
    headers: { Authorization: `Bearer ${token}` },
  });
  assert.equal((await cdr(secret)).status(), 202, 'no call matches: kept as unmatched');

  await page.click('[data-testid="pbx-token-revoke"]');
  await page.waitForSelector('[data-testid="pbx-token-none"]');
  assert.equal(await page.locator('[data-testid="new-pbx-token"]').count(), 0, 'the ended secret is no longer shown');
  assert.equal((await cdr(secret)).status(), 401);
  await context.close();
});

test('a number the default country cannot read is refused at save, next to the phone field, naming the country', async () => {
  const context = await ctx.browser.newContext();
  const page = await context.newPage();
  const errors = recordPageErrors(page);
  await signIn(page);
  // A German number typed without +49, in a tenant whose numbers are read as US ones.
  await hydrated(page, '/contacts');
  await page.fill('#contact-name', 'Jonas Weber');
  await page.fill('#contact-phone', '030 123 45 67');
  await page.click('[data-testid="new-contact"] button[type="submit"]');
  const reason = page.locator('#contact-phone-error');
  await page.waitForFunction(() => document.querySelector('#contact-phone-error')?.textContent !== '');
  assert.match(await reason.textContent(), /'030 123 45 67' is not a valid phone number in US/);
  assert.match(await reason.textContent(), /\+49 30 1234567/);
  assert.equal(await page.locator('[data-testid="contact-created"]').count(), 0, 'nothing saved');
  assert.equal(await page.inputValue('#contact-phone'), '030 123 45 67', 'input kept');

  await page.fill('#contact-phone', '+49 30 1234567');
  await page.click('[data-testid="new-contact"] button[type="submit"]');
  await page.click('[data-testid="contact-created"] a');
  await page.waitForSelector('[data-testid="contact-card"]');
  assert.equal(await page.getAttribute('button.call-button', 'data-number'), '+49301234567');
  assert.deepEqual(errors, []);
  await context.close();
});
