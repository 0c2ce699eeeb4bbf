// End-to-end test of a referral in the web app, on a 390 px wide screen, against a real psea
// demo server in headless Chromium: demo.vra records a consent to a referral to the demo clinic
// on Demo victim A's file, refers her psychosocial need there (the consent shown before
// sending), and finds it in the service tracking table; the clinic's case manager
// (demo.provider_case_manager, another browser context) sees it in their portal by file
// reference only and records that the service started; the VRA's tracking table then shows it
// in progress and the gap view one more victim assisted; the pages read in French; no
// horizontal scrolling.
//
// Run from the repository root after building the server and the web app:
//   (cd web && npm ci && npm run build) && node --test tests/browser/referral_flow.test.mjs
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

test('a referral: consent, refer, the provider records the service start, the tracking table changes', { timeout: 90_000 }, async () => {
  assert.ok(existsSync(PSEA_BINARY), `server binary missing: ${PSEA_BINARY} (build it, or set PSEA_BINARY)`);
  assert.ok(existsSync(join(WEB_DIST, 'index.html')), `web app not built: run "npm ci && npm run build" in web/`);
  assert.ok(existsSync(CHROMIUM), `Chromium missing at ${CHROMIUM} (apt-get install -y chromium)`);

  let demo = null;
  let browser = null;
  try {
    await mkdir(SCREENSHOTS, { recursive: true });
    demo = await startDemo({
      binary: PSEA_BINARY, webDist: WEB_DIST, cwd: repoRoot, name: 'psea-referral-browser-',
      needed: ['demo.vra', 'demo.provider_case_manager'],
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
      assert.ok(overflow <= 0, `${what}: no horizontal scrolling at 390 px (overflow ${overflow} px)`);
    };

    // 1. The VRA: a consent to a referral to the demo clinic, then the referral.
    const vra = await signIn('demo.vra');
    const clinic = await vra.evaluate(async () => {
      const answer = await (await fetch('/api/v1/providers')).json();
      return answer.providers.find((p) => p.name.startsWith('Demo clinic Espoir'));
    });
    assert.ok(clinic, 'the demo clinic');
    await vra.goto(`${baseUrl}/assistance`);
    await vra.locator('#assistance-files').waitFor();
    await vra.locator('#assistance-files tbody a', { hasText: /VA-/ }).last().click();
    await vra.getByRole('heading', { level: 1, name: /Demo victim A/ }).waitFor();
    const reference = (await vra.getByRole('heading', { level: 1 }).textContent()).split('·')[0].trim();
    const fileId = Number(new URL(vra.url()).pathname.split('/').pop());
    const prefecture = await vra.evaluate(async (id) => (await (await fetch(`/api/v1/assistance/files/${id}`)).json()).file.prefecture, fileId);
    assert.ok(prefecture, 'the demo file has a prefecture');
    await vra.click('#consent-add');
    await vra.selectOption('#consent-scope', 'referral');
    await vra.selectOption('#consent-means', 'written');
    await vra.locator('#consent-provider option', { hasText: clinic.name }).waitFor({ state: 'attached' });
    await vra.selectOption('#consent-provider', String(clinic.id));
    await vra.click('#consent-save');
    await vra.getByText('Consent recorded.').waitFor();

    await vra.click('#referral-add');
    const need = await vra.locator('#referral-need option', { hasText: 'Psychosocial' }).getAttribute('value');
    await vra.selectOption('#referral-need', need);
    await vra.selectOption('#referral-provider', String(clinic.id));
    await vra.locator('#referral-consent', { hasText: /Covered by consent/ }).waitFor();
    await vra.click('#referral-save');
    await vra.getByText(`Referred to ${clinic.name}.`).waitFor();
    assert.equal(await vra.locator('#file-referrals tbody tr').count(), 1);
    await noHorizontalScroll(vra, 'the file page with its referral');

    // The tracking table: the need referred, no identity.
    await vra.goto(`${baseUrl}/assistance/tracking`);
    await vra.getByRole('heading', { level: 1, name: 'Service tracking' }).waitFor();
    await vra.selectOption('#tracking-provider', String(clinic.id));
    await vra.click('#tracking-apply');
    const row = vra.locator('#tracking-table tbody tr', { hasText: reference });
    await row.getByText('Referred', { exact: true }).waitFor();
    assert.equal(await vra.getByText('DEMO Invented Person A').count(), 0);
    await noHorizontalScroll(vra, 'the tracking table');
    await vra.screenshot({ path: join(SCREENSHOTS, 'tracking-390.png'), fullPage: true });

    // The gap view: victims assisted with psychosocial care in the file's prefecture, before.
    const assisted = async () => {
      await vra.goto(`${baseUrl}/services`);
      await vra.getByRole('heading', { level: 2, name: 'Gaps: services against needs' }).waitFor();
      const cell = vra.locator(`tr[data-prefecture="${prefecture}"][data-service="psychosocial"] td[data-label="Victims assisted"]`);
      return Number((await cell.innerText()).trim());
    };
    const assistedBefore = await assisted();

    // 2. The clinic's case manager, in another browser context: the portal, the service start.
    const manager = await signIn('demo.provider_case_manager');
    await manager.getByRole('link', { name: 'My referrals' }).first().click();
    await manager.getByRole('heading', { level: 1, name: 'My referrals' }).waitFor();
    const mine = manager.locator('#portal-table tbody tr', { hasText: reference });
    await mine.waitFor();
    assert.equal(await manager.getByText('Demo victim A').count(), 0, 'no pseudonym');
    assert.equal(await manager.getByText('DEMO Invented Person A').count(), 0, 'no identity');
    await mine.getByRole('button', { name: 'Record progress' }).click();
    const form = manager.locator('form', { has: manager.getByRole('heading', { name: /Record progress/ }) });
    await form.locator('select').first().selectOption('in_progress');
    await form.getByRole('button', { name: 'Save' }).click();
    await manager.getByText('Saved.').waitFor();
    await mine.getByText('In progress').waitFor();
    await noHorizontalScroll(manager, 'the provider portal');
    await manager.screenshot({ path: join(SCREENSHOTS, 'provider-portal-390.png'), fullPage: true });

    // 3. The VRA shares the victim's identity with the clinic's case manager, once the victim
    // agreed to share information with the clinic; the case manager opens it.
    await vra.goto(`${baseUrl}/assistance/${fileId}`);
    await vra.getByRole('heading', { level: 1, name: /Demo victim A/ }).waitFor();
    await vra.selectOption('#share-referral', { label: clinic.name });
    await vra.locator('#share-user option', { hasText: /./ }).nth(1).waitFor({ state: 'attached' });
    await vra.click('#share-identity-heading ~ button[type=submit]');
    await vra.getByText(`The victim has not agreed to share information with ${clinic.name}: record that consent first.`).waitFor();
    await vra.click('#consent-add');
    await vra.selectOption('#consent-scope', 'information_sharing');
    await vra.selectOption('#consent-means', 'written');
    await vra.selectOption('#consent-provider', String(clinic.id));
    await vra.click('#consent-save');
    await vra.getByText('Consent recorded.').waitFor();
    await vra.selectOption('#share-referral', { label: clinic.name });
    await vra.locator('#share-user option', { hasText: /./ }).nth(1).waitFor({ state: 'attached' });
    await vra.click('#share-identity-heading ~ button[type=submit]');
    await vra.getByText(/^Identity shared with /).waitFor();
    await vra.locator('section[aria-labelledby="file-designees-heading"]').getByText('demo.provider_case_manager').waitFor();
    await manager.goto(`${baseUrl}/assistance/${fileId}`);
    await manager.getByRole('heading', { level: 1, name: new RegExp(reference) }).waitFor();
    assert.equal(await manager.locator('#file-consents-heading').count(), 0, 'no consents for the partner');
    await manager.click('#file-reveal');
    await manager.locator('#file-identity').getByText('DEMO Invented Person A').waitFor();
    await noHorizontalScroll(manager, 'the shared file');

    // 4. The VRA's table and gap view changed.
    assert.equal(await assisted(), assistedBefore + 1, 'the service started: one more victim assisted');
    await vra.goto(`${baseUrl}/assistance/tracking`);
    await vra.getByRole('heading', { level: 1, name: 'Service tracking' }).waitFor();
    await vra.locator('#tracking-table tbody tr', { hasText: reference }).getByText('In progress').waitFor();

    // French.
    const fr = await signIn('demo.vra', 'fr-FR');
    await fr.evaluate(() => localStorage.setItem('psea.locale', 'fr'));
    await fr.goto(`${baseUrl}/assistance/tracking`);
    await fr.getByRole('heading', { level: 1, name: 'Suivi des services' }).waitFor();
    await fr.locator('#tracking-table tbody tr', { hasText: reference }).getByText('En cours').waitFor();
    await noHorizontalScroll(fr, 'the tracking table in French');

    assert.deepEqual(pageErrors, []);
  } finally {
    if (browser) await browser.close();
    if (demo) await demo.stop();
  }
});
