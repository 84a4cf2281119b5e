// Starts a real `crm` server per test, on its own port and its own fresh SQLite database, and
// launches Debian's Chromium through playwright-core (no browser download is possible here).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, afterEach, before, beforeEach } from 'node:test';
import { chromium } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
// scripts/test.sh points E2E_CRM_BIN at the release build it made (its target dir may be elsewhere).
export const BINARY = process.env.E2E_CRM_BIN ?? join(ROOT, 'target/release/crm');

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/** Spawns the server and resolves once it prints its URL. */
export async function startServer() {
  const dataDir = mkdtempSync(join(tmpdir(), 'crm-e2e-'));
  const databaseUrl = `sqlite://${join(dataDir, 'crm.db')}`;
  const child = spawn(BINARY, [], {
    cwd: ROOT,
    env: {
      ...process.env,
      CRM_SERVER__ADDRESS: '127.0.0.1:0',
      CRM_DATABASE__URL: databaseUrl,
      CRM_DEMO__SEED: 'true',
      // Tests count users and rows; the sample data set is for people trying the app.
      CRM_DEMO__SAMPLE_DATA: 'false',
      CRM_SERVER__SHUTDOWN_GRACE_SECONDS: '2',
      RUST_LOG: process.env.RUST_LOG ?? 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk) => { output += chunk; });
  child.stdout.on('data', (chunk) => { output += chunk; });
  const url = await new Promise((resolveUrl, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in 30 s:\n${output}`)), 30_000);
    child.on('error', (e) => { clearTimeout(timer); reject(new Error(`cannot run ${BINARY}: ${e.message}`)); });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited with ${code}:\n${output}`)); });
    child.stdout.on('data', () => {
      const match = /CRM is running at (http:\/\/\S+)/.exec(output);
      if (match) { clearTimeout(timer); resolveUrl(match[1]); }
    });
  });
  return {
    url,
    databaseUrl,
    /** Everything the server printed so far. */
    output: () => output,
    /**
     * Stops the server (SIGTERM) and waits for it to exit. Throws if it panicked meanwhile: a
     * panic on a worker thread is a failure even when every page looked fine.
     */
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dataDir, { recursive: true, force: true });
      const panics = output.split('\n').filter((line) => line.includes('panicked at'));
      if (panics.length > 0) {
        throw new Error(`the server panicked ${panics.length} time(s):\n${panics.slice(0, 3).join('\n')}`);
      }
    },
  };
}

/** Collects uncaught page errors (a hydration panic shows up here). */
export function recordPageErrors(page) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

/**
 * Saves a screenshot to end2end/test-results/ for looking at after a run; with
 * UPDATE_SCREENSHOTS=1 also to end2end/screenshots/, the pictures the README shows.
 */
export async function saveScreenshot(page, name) {
  await page.screenshot({ path: join(ROOT, 'end2end/test-results', name) });
  if (process.env.UPDATE_SCREENSHOTS === '1') {
    await page.screenshot({ path: join(ROOT, 'end2end/screenshots', name) });
  }
}

/**
 * Registers the hooks every browser test file needs: one Chromium per file, and a fresh server
 * (with its own database) per test. Read `ctx.browser` and `ctx.server` inside tests.
 */
export function browserAndServerPerTest() {
  const ctx = { browser: null, server: null };
  before(async () => { ctx.browser = await launchBrowser(); });
  after(async () => { await ctx.browser?.close(); });
  beforeEach(async () => { ctx.server = await startServer(); });
  afterEach(async () => { await ctx.server?.stop(); });
  return ctx;
}
