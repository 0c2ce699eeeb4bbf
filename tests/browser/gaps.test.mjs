// End-to-end test of the gap table, the map's needs layer and the VRA's overdue contacts, at
// 390 px wide, against a real psea demo server in headless Chromium: the demo VRA sees the victims
// to inform on her start page, the gap table on the Services page (the demo's Ombella-M'Poko
// needs have no provider: gaps), sorts it, picks Ombella-M'Poko on the map's needs layer, adds a
// psychosocial provider there and sees that row become covered; no horizontal scrolling.
//
// Run from the repository root after building the server and the web app:
//   (cd web && npm ci && npm run build) && node --test tests/browser/gaps.test.mjs
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

test('gaps: the VRA reads the gap table and the needs layer, and both react', { timeout: 45_000 }, async () => {
  assert.ok(existsSync(PSEA_BINARY), `server binary missing: ${PSEA_BINARY} (build it, or set PSEA_BINARY)`);
  assert.ok(existsSync(join(WEB_DIST, 'index.html')), `web app not built: run "npm ci && npm run build" in web/`);
  assert.ok(existsSync(CHROMIUM), `Chromium missing at ${CHROMIUM} (apt-get install -y chromium)`);

  let demo = null;
  let browser = null;
  try {
    demo = await startDemo({
      binary: PSEA_BINARY, webDist: WEB_DIST, cwd: repoRoot, name: 'psea-gaps-browser-',
      needed: ['demo.vra'],
    });
    const { baseUrl, accounts } = demo;
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: PHONE, locale: 'en-GB' });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(String(error)));
    await page.goto(`${baseUrl}/login`);
    await page.fill('#login-username', 'demo.vra');
    await page.fill('#login-password', accounts['demo.vra']);
    await page.click('form button[type=submit]');
    await page.waitForURL(`${baseUrl}/`);

    // The start page: the victims to inform (a list of case links, or the sentence saying none).
    await page.getByRole('heading', { level: 2, name: 'Victims to inform' }).waitFor();
    const overdue = page.locator('.overdue-contacts');
    await overdue.locator('a[href^="/cases/"], p.muted:has-text("No victim is waiting")').first().waitFor();

    await page.goto(`${baseUrl}/services`);
    await page.getByRole('heading', { level: 2, name: 'Gaps: services against needs' }).waitFor();
    const row = (prefecture, service) => page.locator(`tr[data-prefecture="${prefecture}"][data-service="${service}"]`);
    await row('OMP', 'psychosocial').waitFor();
    assert.equal(await row('OMP', 'psychosocial').getAttribute('class').then((c) => c.includes('state-gap')), true);
    assert.match(await row('OMP', 'psychosocial').innerText(), /Gap: no provider/);

    // Sorted by situation, gaps first; sorting by prefecture puts Bangui first.
    const firstRow = page.locator('table.gap-table tbody tr').first();
    assert.match((await firstRow.getAttribute('class')) ?? '', /state-gap/);
    await page.selectOption('#gap-sort', 'prefecture');
    assert.equal(await firstRow.getAttribute('data-prefecture'), 'BGI');

    // The map's needs layer: pick Ombella-M'Poko; its rows are shown and the table keeps them only.
    await page.getByRole('button', { name: 'Show the map' }).click();
    await page.locator('svg circle.need[data-prefecture="OMP"]').waitFor();
    assert.match((await page.locator('svg circle.need[data-prefecture="OMP"]').getAttribute('class')) ?? '', /need-gap/);
    const pick = page.getByRole('button', { name: "Show the gaps of Ombella-M'Poko" });
    await pick.focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: "Rows of Ombella-M'Poko" }).waitFor();
    assert.equal(await pick.getAttribute('aria-pressed'), 'true');
    const prefectures = await page.locator('table.gap-table tbody tr').evaluateAll((rows) => [...new Set(rows.map((r) => r.dataset.prefecture))]);
    assert.deepEqual(prefectures, ['OMP']);

    // A psychosocial provider in Ombella-M'Poko: the row becomes covered.
    await page.getByRole('button', { name: 'Add a provider' }).click();
    await page.fill('#provider-name', 'Browser gap clinic Baobab');
    await page.getByLabel('Psychosocial', { exact: true }).check();
    await page.selectOption('#provider-prefecture', 'OMP');
    await page.getByRole('button', { name: 'Save the provider' }).click();
    await page.getByText('Browser gap clinic Baobab saved.').waitFor();
    await page.locator('tr[data-prefecture="OMP"][data-service="psychosocial"].state-covered').waitFor();
    assert.match(await row('OMP', 'psychosocial').innerText(), /Covered/);

    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling at 390 px (overflow ${overflow} px)`);
    assert.deepEqual(pageErrors, []);
  } finally {
    if (browser) await browser.close();
    if (demo) await demo.stop();
  }
});
