// End-to-end test of the web app against a real psea server, in headless Chromium:
// log in, enrol in 2FA, log in again with a code, switch language, create a user, read the
// audit log; and check that the page loads nothing from another origin and breaks no CSP rule.
//
// Run from the repository root after building the server and the web app:
//   (cd web && npm ci && npm run build) && node --test tests/browser/
// PSEA_BINARY overrides the server binary (default build/psea); CHROMIUM the browser
// (default /usr/bin/chromium). Screenshots go to build/screenshots/.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { CHROMIUM, launchChromium, stopServer, waitForHealth } from '../support/demo.mjs';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

const PSEA_BINARY = process.env.PSEA_BINARY ?? join(repoRoot, 'build/psea');
const WEB_DIST = join(repoRoot, 'web/dist');
const SCREENSHOTS = join(repoRoot, 'build/screenshots');
const ADMIN = 'admin.test';

// ---- TOTP (RFC 6238: HMAC-SHA-1, 6 digits, 30-second steps), written out to test the server's.

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = text.toUpperCase().replace(/[\s=-]/g, '');
  const bytes = [];
  let buffer = 0;
  let bits = 0;
  for (const char of clean) {
    const value = alphabet.indexOf(char);
    if (value < 0) throw new Error(`not base32: ${char}`);
    buffer = (buffer << 5) | value;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return Buffer.from(bytes);
}

function timeStep(nowMs = Date.now()) {
  return Math.floor(nowMs / 1000 / 30);
}

function totp(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return String(value).padStart(6, '0');
}

// RFC 6238 appendix B vector (the ASCII secret "12345678901234567890", 8 digits there; the
// last 6 digits are what a 6-digit generator gives).
assert.equal(totp('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', timeStep(59_000)), '287082');

/** A code for a time step later than `usedStep` (a code is accepted only once): waits if needed. */
async function freshCode(secret, usedStep) {
  while (timeStep() <= usedStep) await sleep(250);
  const step = timeStep();
  return { code: totp(secret, step), step };
}

// ---- Processes

function run(command, args, { env, input }) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(' ')} exited ${code}:\n${output}`)),
    );
    child.stdin.end(input ?? '');
  });
}

async function waitForPort(portFile, server, serverLog) {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`psea serve exited ${server.exitCode}:\n${serverLog()}`);
    const text = await readFile(portFile, 'utf8').catch(() => '');
    if (/^\d+\s*$/.test(text)) return Number(text);
    await sleep(100);
  }
  throw new Error(`no port in ${portFile} after 20 s:\n${serverLog()}`);
}

// ---- The test

test('login, 2FA enrolment, language, users and audit in the browser', { timeout: 120_000 }, async () => {
  assert.ok(existsSync(PSEA_BINARY), `server binary missing: ${PSEA_BINARY} (build it, or set PSEA_BINARY)`);
  assert.ok(existsSync(join(WEB_DIST, 'index.html')), `web app not built: run "npm ci && npm run build" in web/`);
  assert.ok(existsSync(CHROMIUM), `Chromium missing at ${CHROMIUM} (apt-get install -y chromium)`);

  const tmp = await mkdtemp(join(tmpdir(), 'psea-browser-'));
  const env = { ...process.env, PSEA_ARGON2_PROFILE: 'fast' };
  const storage = ['--db', `sqlite:${join(tmp, 'psea.db')}`, '--data-dir', join(tmp, 'data')];
  const password = randomBytes(15).toString('base64url'); // 20 characters
  let server = null;
  let serverOutput = '';
  let browser = null;

  try {
    await mkdir(SCREENSHOTS, { recursive: true });
    // Only `psea migrate` creates a database; `user add` needs one.
    await run(PSEA_BINARY, ['migrate', ...storage], { env });
    await run(
      PSEA_BINARY,
      ['user', 'add', ...storage, '--username', ADMIN, '--role', 'admin', '--display-name', 'Test Admin', '--password-stdin', '--no-password-change'],
      { env, input: `${password}\n` },
    );

    const portFile = join(tmp, 'port');
    server = spawn(
      PSEA_BINARY,
      ['serve', ...storage, '--listen', '127.0.0.1:0', '--port-file', portFile, '--web', WEB_DIST],
      { env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    server.stdout.on('data', (chunk) => (serverOutput += chunk));
    server.stderr.on('data', (chunk) => (serverOutput += chunk));
    const serverLog = () => serverOutput.slice(-4000);
    const port = await waitForPort(portFile, server, serverLog);
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHealth(baseUrl, serverLog);

    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
    // Record CSP violations as the page sees them (the init script runs outside the page's CSP).
    await context.addInitScript(() => {
      window.__cspViolations = [];
      document.addEventListener('securitypolicyviolation', (event) => {
        window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const nav = page.getByRole('navigation');

    const foreignRequests = [];
    const consoleErrors = [];
    const pageErrors = [];
    const cspViolations = [];
    page.on('request', (request) => {
      const url = request.url();
      if (!url.startsWith('data:') && new URL(url).origin !== baseUrl) foreignRequests.push(url);
    });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    const collectViolations = async () => {
      cspViolations.push(...(await page.evaluate(() => window.__cspViolations ?? [])));
    };

    // 1. Log in: the admin has no 2FA yet, so the app sends them to enrolment.
    await page.goto(`${baseUrl}/`);
    await page.waitForURL(/\/login$/);
    await page.locator('#login-username').waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'login.png'), fullPage: true });
    await page.fill('#login-username', ADMIN);
    await page.fill('#login-password', password);
    await page.click('form button[type=submit]');

    await page.waitForURL(/\/enrol$/);
    const secretElement = page.locator('#totp-secret');
    await secretElement.waitFor();
    const secret = ((await secretElement.getAttribute('data-secret')) ?? (await secretElement.innerText())).replace(/\s+/g, '');
    assert.match(secret, /^[A-Z2-7]+=*$/, 'the secret is base32');
    assert.equal(
      (await secretElement.innerText()).replace(/\s+/g, ''),
      secret,
      'the secret shown for manual entry is the same as the one enrolled',
    );
    assert.ok(await page.locator('.qr svg').count(), 'the QR code is shown');
    await page.screenshot({ path: join(SCREENSHOTS, 'enrol.png'), fullPage: true });
    await collectViolations();

    const enrolStep = timeStep();
    await page.fill('#enrol-code', totp(secret, enrolStep));
    await page.click('form button[type=submit]');
    await page.getByText('Two-factor authentication is now active.').waitFor();

    // 2. Log out, log in again with a fresh code.
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login$/);
    await page.fill('#login-username', ADMIN);
    await page.fill('#login-password', password);
    await page.click('form button[type=submit]');
    await page.locator('#login-code').waitFor();
    const { code } = await freshCode(secret, enrolStep);
    await page.fill('#login-code', code);
    await page.click('form button[type=submit]');

    await page.waitForURL(`${baseUrl}/`);
    await page.getByRole('heading', { level: 1, name: 'Welcome, Test Admin' }).waitFor();
    for (const module of ['Users', 'Audit log', 'API tokens', 'My account']) {
      assert.ok(await nav.getByRole('link', { name: module, exact: true }).isVisible(), `nav shows ${module}`);
    }

    // 3. French, remembered across a reload.
    await page.selectOption('#language-select', 'fr');
    await page.getByRole('heading', { level: 1, name: 'Bienvenue, Test Admin' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    await collectViolations(); // before the reload forgets them
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Bienvenue, Test Admin' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    assert.ok(await page.getByRole('button', { name: 'Se déconnecter' }).isVisible());
    await page.screenshot({ path: join(SCREENSHOTS, 'home-fr.png'), fullPage: true });
    await collectViolations();

    // 4. Users: create an intake operator.
    await nav.getByRole('link', { name: 'Utilisateurs', exact: true }).click();
    await page.waitForURL(/\/users$/);
    await page.locator('table tbody tr').first().waitFor();
    await page.fill('#new-username', 'jane.doe');
    await page.fill('#new-display_name', 'Jane Doe');
    await page.selectOption('#new-role', 'intake_operator');
    await page.fill('#new-password', randomBytes(12).toString('base64url'));
    await page.getByRole('button', { name: 'Créer l’utilisateur' }).click();
    await page.getByText('Utilisateur jane.doe créé.').waitFor();
    await page.locator('table tbody th', { hasText: 'jane.doe' }).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'users.png'), fullPage: true });
    await collectViolations();

    // 5. Audit log: entries are listed (at least the logins and the user creation).
    await nav.getByRole('link', { name: 'Journal d’audit', exact: true }).click();
    await page.waitForURL(/\/audit$/);
    await page.locator('table tbody tr').first().waitFor();
    const rows = await page.locator('table tbody tr').count();
    assert.ok(rows >= 1, `audit entries shown: ${rows}`);
    const csvHref = await page.getByRole('link', { name: 'Exporter en CSV' }).getAttribute('href');
    assert.match(csvHref, /^\/api\/v1\/audit\?.*format=csv/);

    // 6. A phone-sized screen: the users page as stacked cards, nothing wider than the screen.
    await page.setViewportSize({ width: 360, height: 740 });
    await nav.getByRole('link', { name: 'Utilisateurs', exact: true }).click();
    await page.locator('table tbody tr').first().waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling at 360 px (overflow ${overflow} px)`);
    await page.screenshot({ path: join(SCREENSHOTS, 'mobile.png'), fullPage: true });
    await collectViolations();

    // 7. Nothing from elsewhere, nothing blocked.
    assert.deepEqual(foreignRequests, [], 'no request to another origin');
    assert.deepEqual(cspViolations, [], 'no CSP violation events');
    assert.deepEqual(
      consoleErrors.filter((text) => /Content Security Policy|Refused to/i.test(text)),
      [],
      'no CSP errors in the console',
    );
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
  } catch (error) {
    if (serverOutput) error.message += `\n--- psea serve output (tail) ---\n${serverOutput.slice(-4000)}`;
    throw error;
  } finally {
    await browser?.close().catch(() => undefined);
    await stopServer(server);
    await rm(tmp, { recursive: true, force: true });
  }
});
