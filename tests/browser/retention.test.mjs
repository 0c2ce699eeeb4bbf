// End-to-end test of retention and legal holds in the web app, on a 360 px wide screen, against
// a real psea demo server in headless Chromium. The CDT chief opens the Retention page, sees
// the periods with their defaults, has a period outside its bounds refused under its field,
// turns on the deletion of closed complaints, previews what is due, places a hold on a
// complaint there and lifts it from the complaint's own page. An officer sees the holds but not
// the periods; the page reads in French; no horizontal scrolling and the keyboard reaches the
// controls.
//
// Run from the repository root after building the server and the web app:
//   (cd web && npm ci && npm run build) && node --test tests/browser/retention.test.mjs
// PSEA_BINARY overrides the server binary (default build/psea); CHROMIUM the browser (default
// /usr/bin/chromium); PSEA_SCREENSHOT_DIR the screenshots' folder (default build/screenshots).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, launchChromium, startDemo } from '../support/demo.mjs';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const WEB_DIST = join(repoRoot, 'web/dist');
const SCREENSHOTS = process.env.PSEA_SCREENSHOT_DIR ?? join(repoRoot, 'build/screenshots');
const PSEA_BINARY = process.env.PSEA_BINARY ?? join(repoRoot, 'build/psea');
const PHONE = { width: 360, height: 740 };

test('retention: the chief sets a period, previews, places and lifts a legal hold, at phone width', { timeout: 90_000 }, async () => {
  assert.ok(existsSync(PSEA_BINARY), `server binary missing: ${PSEA_BINARY} (build it, or set PSEA_BINARY)`);
  assert.ok(existsSync(join(WEB_DIST, 'index.html')), `web app not built: run "npm ci && npm run build" in web/`);
  assert.ok(existsSync(CHROMIUM), `Chromium missing at ${CHROMIUM} (apt-get install -y chromium)`);

  let demo = null;
  let browser = null;
  try {
    await mkdir(SCREENSHOTS, { recursive: true });
    demo = await startDemo({
      binary: PSEA_BINARY, webDist: WEB_DIST, cwd: repoRoot, name: 'psea-retention-browser-',
      needed: ['demo.cdt_chief', 'demo.cdt_officer'],
    });
    const { baseUrl, accounts } = demo;

    browser = await launchChromium();
    const pageErrors = [];
    const signIn = async (username, locale = 'en-GB') => {
      const context = await browser.newContext({ viewport: PHONE, locale });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      page.on('pageerror', (error) => pageErrors.push(String(error)));
      await page.goto(`${baseUrl}/login`);
      await page.fill('#login-username', username);
      await page.fill('#login-password', accounts[username]);
      await page.click('form button[type=submit]');
      await page.waitForURL(`${baseUrl}/`);
      return page;
    };
    const noHorizontalScroll = async (page, what) => {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${what}: no horizontal scrolling at 360 px (overflow ${overflow} px)`);
    };

    const chief = await signIn('demo.cdt_chief');
    const listed = await chief.request.get(`${baseUrl}/api/v1/intake/complaints`);
    assert.equal(listed.status(), 200);
    const complaintId = (await listed.json()).complaints[0].id;

    // 1. The periods, each with its default; a period outside its bounds is refused under its field.
    await chief.goto(`${baseUrl}/retention`);
    await chief.getByRole('heading', { level: 1, name: 'Retention' }).waitFor();
    await chief.getByRole('heading', { level: 3, name: 'Quarantined messages' }).waitFor();
    const closedDays = chief.locator('#retention-complaints_closed-days');
    await closedDays.fill('5');
    await chief.getByLabel('Delete Complaints closed without a case (closed, duplicate, handed over) when due').check();
    await chief.getByRole('button', { name: /^Save the period of Complaints closed without a case/ }).click();
    await chief.getByText('Give a whole number of days from 30 to 36500.').waitFor();
    await closedDays.fill('365');
    await chief.getByRole('button', { name: /^Save the period of Complaints closed without a case/ }).click();
    await chief.getByText(/^Saved: Complaints closed without a case/).waitFor();
    await noHorizontalScroll(chief, 'the periods');

    // 2. The preview: nothing changes, each kind says what is due.
    await chief.getByRole('button', { name: 'Show what is due' }).click();
    await chief.locator('ul.preview li').first().waitFor();
    assert.ok((await chief.locator('ul.preview li').count()) >= 5, 'every kind is in the preview');

    // 3. A hold without a reason is refused under the field; with one it is listed, active.
    await chief.locator('#retention-hold-id').fill(String(complaintId));
    await chief.getByRole('button', { name: 'Place a hold' }).click();
    await chief.getByText('Give a reason.').waitFor();
    await chief.locator('#retention-hold-reason').fill('Court order CO-0000 (invented)');
    await chief.locator('#retention-hold-reason').press('Enter');
    await chief.getByText(`Hold placed on complaint ${complaintId}.`).waitFor();
    const row = chief.locator('table tbody tr').filter({ hasText: 'Court order CO-0000 (invented)' });
    await row.getByText('Active').waitFor();
    await noHorizontalScroll(chief, 'the holds');
    await chief.screenshot({ path: join(SCREENSHOTS, 'retention-chief.png'), fullPage: true });

    // 4. The officer sees the hold on the complaint's page and the holds list, not the periods.
    const officer = await signIn('demo.cdt_officer');
    await officer.goto(`${baseUrl}/retention`);
    await officer.getByRole('heading', { level: 1, name: 'Retention' }).waitFor();
    await officer.locator('table tbody tr').filter({ hasText: 'Court order CO-0000 (invented)' }).waitFor();
    assert.equal(await officer.getByRole('heading', { name: 'Periods' }).count(), 0, 'the officer sees no periods');
    assert.equal(await officer.getByRole('button', { name: 'Lift' }).count(), 0, 'the officer cannot lift a hold');

    // 5. The chief lifts the hold from the complaint's page, by keyboard.
    await chief.goto(`${baseUrl}/intake/${complaintId}`);
    const panel = chief.locator('#hold-heading').locator('xpath=..');
    await panel.getByText('Court order CO-0000 (invented)').waitFor();
    await chief.locator('#hold-reason').fill('Proceedings ended (invented)');
    await chief.locator('#hold-reason').press('Enter');
    await chief.getByText(`Hold on complaint ${complaintId} lifted.`).waitFor();
    const holds = await (await chief.request.get(`${baseUrl}/api/v1/retention/holds`)).json();
    assert.equal(holds.holds.find((hold) => hold.object_id === complaintId)?.active, false);

    // 6. In French.
    const french = await signIn('demo.cdt_chief', 'fr-FR');
    await french.goto(`${baseUrl}/retention`);
    await french.locator('h1').waitFor();
    const title = await french.locator('h1').innerText();
    assert.notEqual(title, 'Retention', `the title is translated (got "${title}")`);
    await noHorizontalScroll(french, 'the French page');
    await french.screenshot({ path: join(SCREENSHOTS, 'retention-chief-fr.png'), fullPage: true });

    assert.deepEqual(pageErrors, [], 'no script errors');
  } finally {
    if (browser) await browser.close();
    if (demo) await demo.stop();
  }
});
