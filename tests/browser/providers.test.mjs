// End-to-end test of the Services page (the service providers' directory and its offline map)
// at 390 px wide, against a real psea demo server in headless Chromium: the VRA sees the
// invented demo providers, adds one with the form, finds it in the list beside the map and
// selects it there, and sees the demo case manager's account linked to a provider; no online map tiles are fetched; no horizontal scrolling.
//
// Run from the repository root after building the server and the web app:
//   (cd web && npm ci && npm run build) && node --test tests/browser/providers.test.mjs
// PSEA_BINARY overrides the server binary (default build/psea); CHROMIUM the browser (default
// /usr/bin/chromium).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, launchChromium, startDemo } from '../support/demo.mjs';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const WEB_DIST = join(repoRoot, 'web/dist');
const PSEA_BINARY = process.env.PSEA_BINARY ?? join(repoRoot, 'build/psea');
const PHONE = { width: 390, height: 800 };

test('services: the VRA adds a provider and finds it on the map list, at phone width', { timeout: 90_000 }, async () => {
  assert.ok(existsSync(PSEA_BINARY), `server binary missing: ${PSEA_BINARY} (build it, or set PSEA_BINARY)`);
  assert.ok(existsSync(join(WEB_DIST, 'index.html')), `web app not built: run "npm ci && npm run build" in web/`);
  assert.ok(existsSync(CHROMIUM), `Chromium missing at ${CHROMIUM} (apt-get install -y chromium)`);

  let demo = null;
  let browser = null;
  try {
    demo = await startDemo({
      binary: PSEA_BINARY, webDist: WEB_DIST, cwd: repoRoot, name: 'psea-providers-browser-',
      needed: ['demo.vra'],
    });
    const { baseUrl, accounts } = demo;
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: PHONE, locale: 'en-GB' });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const pageErrors = [];
    const foreign = [];
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    page.on('request', (request) => {
      if (!request.url().startsWith(baseUrl)) foreign.push(request.url());
    });
    await page.goto(`${baseUrl}/login`);
    await page.fill('#login-username', 'demo.vra');
    await page.fill('#login-password', accounts['demo.vra']);
    await page.click('form button[type=submit]');
    await page.waitForURL(`${baseUrl}/`);

    await page.goto(`${baseUrl}/services`);
    await page.getByRole('heading', { level: 1, name: 'Services' }).waitFor();
    await page.getByRole('rowheader', { name: /Demo clinic Espoir/ }).waitFor();

    // The form: a new provider in Bambari.
    await page.getByRole('button', { name: 'Add a provider' }).click();
    await page.getByRole('heading', { name: 'New provider' }).waitFor();
    await page.fill('#provider-name', 'Browser test clinic Kapok');
    await page.getByLabel('Psychosocial', { exact: true }).check();
    await page.selectOption('#provider-prefecture', 'OUA');
    await page.fill('#provider-town', 'Bambari');
    await page.fill('#provider-lat', '5.76');
    await page.fill('#provider-lon', '20.67');
    await page.fill('#provider-contact-person', 'Tamsin Orrowby');
    await page.getByRole('button', { name: 'Save the provider' }).click();
    await page.getByText('Browser test clinic Kapok saved.').waitFor();
    await page.getByRole('rowheader', { name: /Browser test clinic Kapok/ }).waitFor();

    // The map, loaded on demand, and the list beside it.
    await page.getByRole('button', { name: 'Show the map' }).click();
    await page.getByRole('img', { name: /Map of the Central African Republic with \d+ provider/ }).waitFor();
    const locate = page.getByRole('button', { name: 'Show Browser test clinic Kapok on the map' });
    await locate.focus();
    await page.keyboard.press('Enter');
    await page.getByText('Selected on the map: Browser test clinic Kapok').waitFor();
    assert.equal(await locate.getAttribute('aria-pressed'), 'true');
    assert.equal(await page.locator('svg circle.selected').count(), 1);

    // The case managers' accounts: the demo's is linked to the first demo clinic.
    await page.getByRole('button', { name: /^Case managers of Demo clinic Espoir/ }).click();
    await page.getByRole('heading', { name: /Case managers’ accounts of Demo clinic Espoir/ }).waitFor();
    await page.getByRole('button', { name: 'Unlink demo.provider_case_manager' }).waitFor();

    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling at 390 px (overflow ${overflow} px)`);
    assert.deepEqual(foreign, [], 'nothing fetched from another origin (no online tiles)');
    assert.deepEqual(pageErrors, []);
  } finally {
    if (browser) await browser.close();
    if (demo) await demo.stop();
  }
});
