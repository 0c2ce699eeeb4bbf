// End-to-end test of the Victims' Rights Advocate's workspace in the web app, on a 390 px wide
// screen, against a real psea demo server in headless Chromium. demo.vra lists her invented
// files, opens the child's file (its medical need after rape flagged urgent), unlinks and links
// its case again, reveals the identity, records a guardian's consent and withdraws it (kept,
// struck through), records a need; the page reads in French; no horizontal scrolling; the CDT
// chief gets "not found".
//
// Run from the repository root after building the server and the web app:
//   (cd web && npm ci && npm run build) && node --test tests/browser/assistance.test.mjs
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
const PHONE = { width: 390, height: 844 };

test("victims' assistance: the VRA's files, reveal, consent and withdrawal, needs, at phone width", { timeout: 90_000 }, async () => {
  assert.ok(existsSync(PSEA_BINARY), `server binary missing: ${PSEA_BINARY} (build it, or set PSEA_BINARY)`);
  assert.ok(existsSync(join(WEB_DIST, 'index.html')), `web app not built: run "npm ci && npm run build" in web/`);
  assert.ok(existsSync(CHROMIUM), `Chromium missing at ${CHROMIUM} (apt-get install -y chromium)`);

  let demo = null;
  let browser = null;
  try {
    await mkdir(SCREENSHOTS, { recursive: true });
    demo = await startDemo({
      binary: PSEA_BINARY, webDist: WEB_DIST, cwd: repoRoot, name: 'psea-assistance-browser-',
      needed: ['demo.vra', 'demo.cdt_chief'],
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
      if (overflow > 0) {
        const wide = await page.evaluate(() => [...document.querySelectorAll('main *')]
          .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1)
          .slice(0, 8).map((e) => `${e.tagName}#${e.id}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`));
        console.log('WIDE', what, wide.join(' | '));
      }
      assert.ok(overflow <= 0, `${what}: no horizontal scrolling at 390 px (overflow ${overflow} px)`);
    };

    // 1. The list: the three invented files, newest first, filters.
    const vra = await signIn('demo.vra');
    await vra.getByRole('link', { name: "Victims’ assistance" }).first().click();
    await vra.getByRole('heading', { level: 1, name: "Victims’ assistance" }).waitFor();
    await vra.locator('#assistance-files').waitFor();
    assert.equal(await vra.locator('#assistance-files tbody tr').count(), 3);
    await vra.selectOption('#filter-need', 'medical');
    await vra.click('#filter-apply');
    await vra.getByText('1 file(s)').waitFor();
    await noHorizontalScroll(vra, 'the list');
    await vra.screenshot({ path: join(SCREENSHOTS, 'assistance-list-390.png'), fullPage: true });

    // 2. The child's file: the 72-hour flag, the identity revealed on request.
    await vra.locator('#assistance-files tbody a').first().click();
    await vra.getByRole('heading', { level: 1, name: /Demo victim B/ }).waitFor();
    await vra.locator('.badge.urgent', { hasText: 'Urgent: post-exposure care before' }).first().waitFor();
    await vra.click('#file-reveal');
    await vra.locator('#file-identity').getByText('DEMO Invented Guardian B').waitFor();
    await vra.getByRole('button', { name: 'Hide' }).first().click();
    assert.equal(await vra.getByText('DEMO Invented Guardian B').count(), 0);

    // The linked case: unlinked, then linked again by its number.
    const caseLink = vra.locator('a[href^="/cases/"]').first();
    const caseId = (await caseLink.getAttribute('href')).split('/').pop();
    const reference = (await caseLink.textContent()).trim();
    await vra.getByRole('button', { name: `Unlink the case ${reference}` }).click();
    await vra.getByText('Not linked to any case.').waitFor();
    await vra.fill('#file-case', caseId);
    await vra.click('#file-link-case');
    await vra.getByRole('link', { name: reference }).waitFor();

    // 3. A consent: a child's must be the guardian's; recorded, then withdrawn and kept.
    await vra.click('#consent-add');
    await vra.selectOption('#consent-scope', 'contact');
    await vra.selectOption('#consent-channel', 'phone');
    await vra.fill('#consent-guardian', '');
    await vra.click('#consent-save');
    await vra.locator('#consent-guardian-error').waitFor();
    await vra.fill('#consent-guardian', 'aunt');
    await vra.click('#consent-save');
    await vra.getByText('Consent recorded.').waitFor();
    const rows = vra.locator('#file-consents tbody tr');
    assert.equal(await rows.count(), 3);
    await rows.nth(2).getByRole('button', { name: 'Withdraw' }).click();
    await vra.getByRole('button', { name: 'Record the withdrawal' }).click();
    await vra.locator('#file-consents tbody tr.withdrawn').waitFor();
    assert.equal(await rows.count(), 3);

    // 4. A need: medical after rape, the incident time unknown, flagged urgent.
    await vra.click('#need-add');
    await vra.selectOption('#need-type', 'legal');
    await vra.fill('#need-notes', 'DEMO: legal aid');
    await vra.click('#need-save');
    await vra.getByText('Need recorded.').waitFor();
    assert.equal(await vra.locator('#file-needs tbody tr').count(), 4);
    await noHorizontalScroll(vra, 'the file page');
    await vra.screenshot({ path: join(SCREENSHOTS, 'assistance-file-390.png'), fullPage: true });

    // 5. French.
    const url = vra.url();
    const vraFr = await signIn('demo.vra', 'fr-FR');
    await vraFr.evaluate(() => localStorage.setItem('psea.locale', 'fr'));
    await vraFr.goto(url);
    await vraFr.getByRole('heading', { level: 2, name: 'Consentements éclairés' }).waitFor();
    await vraFr.getByRole('heading', { level: 2, name: 'Besoins' }).waitFor();
    await noHorizontalScroll(vraFr, 'the file page in French');

    // 6. The CDT chief sees no file.
    const chief = await signIn('demo.cdt_chief');
    await chief.goto(url);
    await chief.getByRole('heading', { level: 1 }).waitFor();
    assert.equal(await chief.getByText('DEMO Invented').count(), 0);
    const answer = await chief.request.get(`${baseUrl}/api/v1/assistance/files`);
    assert.equal(answer.status(), 200);
    assert.equal((await answer.json()).total, 0);

    assert.deepEqual(pageErrors, []);
  } finally {
    if (browser) await browser.close();
    if (demo) await demo.stop();
  }
});
