// What a browser test does as a user of the server its file's `ctx` holds (see
// `browserAndServerPerTest`): open a page and wait for the WASM to take it over, sign in through
// the real form, call server functions with the page's session. Bind once per file:
//
//   const { hydrated, signIn, signedIn, call } = asUser(ctx, { viewport: { width: 1280, height: 900 } });
import assert from 'node:assert/strict';

export const DEMO_ADMIN = { email: 'admin@demo.example', password: 'demo-password-1' };

const HYDRATED = 'html[data-hydrated="true"]';

export function asUser(ctx, { viewport } = {}) {
  /** Opens `path` and waits until the WASM has hydrated it; answers the navigation's response. */
  async function hydrated(page, path) {
    const response = await page.goto(`${ctx.server.url}${path}`);
    await page.waitForSelector(HYDRATED, { timeout: 20_000 });
    return response;
  }

  /** Fills in and submits the sign-in form of the page that shows it. */
  async function submitSignIn(page, email, password) {
    await page.fill('#field-email', email);
    await page.fill('#field-password', password);
    await page.click('button[type="submit"]');
  }

  /** Signs in on `page` through `/login` and waits until the shell shows who is signed in. */
  async function signIn(page, email = DEMO_ADMIN.email, password = DEMO_ADMIN.password) {
    await hydrated(page, '/login');
    await submitSignIn(page, email, password);
    await page.waitForSelector('[data-testid="signed-in-as"]');
  }

  /** A new browser context (the file's viewport unless given) with a signed-in page. */
  async function signedIn({ email, password, viewport: size = viewport } = {}) {
    const context = await ctx.browser.newContext(size ? { viewport: size } : {});
    const page = await context.newPage();
    await signIn(page, email, password);
    return { context, page };
  }

  /** Calls a server function as the page's signed-in user; it must answer 200 with JSON. */
  async function call(page, path, form) {
    const response = await page.request.post(`${ctx.server.url}/api/${path}`, {
      form,
      headers: { Origin: ctx.server.url, Accept: 'application/json' },
    });
    assert.equal(response.status(), 200, `${path}: ${await response.text()}`);
    return response.json();
  }

  return { hydrated, submitSignIn, signIn, signedIn, call };
}
