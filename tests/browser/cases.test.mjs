// End-to-end test of the cases pages on a 390 px wide phone (and a desktop screenshot), against
// a real psea demo server in headless Chromium. The CDT chief, who turns on 2FA first, opens a
// case from the demo's complaint that is ready for one, sees the case's late deadlines in the
// due view, moves the case through assessment, referral (a future date is refused under its
// field) and investigation, pauses and resumes its clocks, reveals a victim's identity after
// confirming with a new 2FA code once the sign-in proof has gone stale, and closes the case,
// which leaves the due view. The list and the due view read in French; an officer who is
// neither a reader nor assigned sees no case; the VRA opens the victim's identity of a closed
// case; no horizontal scrolling at 390 px.
//
// Run from the repository root after building the server and the web app:
//   (cd web && npm ci && npm run build) && node --test tests/browser/cases.test.mjs
// PSEA_BINARY overrides the server binary (default build/psea); CHROMIUM the browser (default
// /usr/bin/chromium); PSEA_SCREENSHOT_DIR the screenshots' folder (default build/screenshots).
// Needs the sqlite3 program (Debian package sqlite3) to age the session's proof of presence.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, launchChromium, startDemo } from '../support/demo.mjs';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const WEB_DIST = join(repoRoot, 'web/dist');
const SCREENSHOTS = process.env.PSEA_SCREENSHOT_DIR ?? join(repoRoot, 'build/screenshots');
const PSEA_BINARY = process.env.PSEA_BINARY ?? join(repoRoot, 'build/psea');
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const SQLITE3 = ['/usr/bin/sqlite3', '/bin/sqlite3'].find((path) => existsSync(path));

// ---- TOTP (RFC 6238: HMAC-SHA-1, 6 digits, 30-second steps)

function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bytes = [];
  let buffer = 0;
  let bits = 0;
  for (const char of text.toUpperCase().replace(/[\s=-]/g, '')) {
    buffer = (buffer << 5) | alphabet.indexOf(char);
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      bytes.push((buffer >> bits) & 0xff);
    }
  }
  return Buffer.from(bytes);
}
const timeStep = () => Math.floor(Date.now() / 30_000);
function totp(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

test('cases: open a case from a complaint, move it to closure, reveal a victim with 2FA, the due view follows', {
  timeout: 120_000,
  skip: SQLITE3 ? false : 'sqlite3 missing (apt-get install sqlite3)',
}, async () => {
  assert.ok(existsSync(PSEA_BINARY), `server binary missing: ${PSEA_BINARY} (build it, or set PSEA_BINARY)`);
  assert.ok(existsSync(join(WEB_DIST, 'index.html')), `web app not built: run "npm ci && npm run build" in web/`);
  assert.ok(existsSync(CHROMIUM), `Chromium missing at ${CHROMIUM} (apt-get install -y chromium)`);

  let demo = null;
  let browser = null;
  try {
    await mkdir(SCREENSHOTS, { recursive: true });
    demo = await startDemo({
      binary: PSEA_BINARY, webDist: WEB_DIST, cwd: repoRoot, name: 'psea-cases-browser-',
      needed: ['demo.cdt_chief', 'demo.cdt_officer', 'demo.vra'],
    });
    const { baseUrl, accounts, dbFile } = demo;

    browser = await launchChromium();
    const pageErrors = [];
    const signIn = async (username, { locale = 'en-GB', viewport = PHONE } = {}) => {
      const context = await browser.newContext({ viewport, locale });
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
    const api = async (page, method, path, body) => {
      const me = await (await page.request.get(`${baseUrl}/api/v1/auth/me`)).json();
      const response = await page.request.fetch(`${baseUrl}/api/v1${path}`, {
        method,
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
        data: body === undefined ? undefined : JSON.stringify(body),
      });
      assert.ok(response.ok(), `${method} ${path}: ${response.status()} ${await response.text()}`);
      return response.status() === 204 ? null : response.json();
    };
    const noHorizontalScroll = async (page, what) => {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${what}: no horizontal scrolling at 390 px (overflow ${overflow} px)`);
    };

    // 0. The chief turns on 2FA (the demo does not require it), then reloads the app.
    const chief = await signIn('demo.cdt_chief');
    const { secret } = await api(chief, 'POST', '/auth/totp/enroll', {});
    const enrolStep = timeStep();
    await api(chief, 'POST', '/auth/totp/confirm', { code: totp(secret, enrolStep) });

    // 1. The list shows the demo's three cases (the urgent one marked); the complaint ready for a
    // case has "Open a case".
    await chief.goto(`${baseUrl}/cases`);
    await chief.getByRole('heading', { level: 1, name: 'Cases' }).waitFor();
    await chief.locator('#cases-table tbody tr').nth(2).waitFor();
    assert.equal(await chief.locator('#cases-table tbody tr').count(), 3, 'the demo has three cases');
    await chief.locator('#cases-table tbody tr').filter({ hasText: 'Urgent' }).first().waitFor();
    await chief.locator('#cases-urgent').check();
    await chief.waitForURL(/[?&]urgent=true/);
    await chief.waitForFunction(() => document.querySelectorAll('#cases-table tbody tr').length === 1);
    await chief.screenshot({ path: join(SCREENSHOTS, 'cases-list-urgent-phone.png'), fullPage: true });
    const ready = await (await chief.request.get(`${baseUrl}/api/v1/intake/complaints?status=ready_for_case`)).json();
    assert.ok(ready.complaints.length >= 1, 'the demo has a complaint ready for a case');
    const complaint = ready.complaints[0];
    await chief.goto(`${baseUrl}/intake/${complaint.id}`);
    await chief.locator('#open-case').click();
    assert.equal(await chief.locator('#open-case-category').inputValue(), 'sexual_exploitation', 'the category comes from the assessment');
    assert.equal(await chief.locator('#open-case-type').inputValue(), 'transactional_sex', 'the type comes from the assessment');
    await noHorizontalScroll(chief, 'the open-a-case form');
    await chief.screenshot({ path: join(SCREENSHOTS, 'cases-open-phone.png'), fullPage: true });
    await chief.locator('#open-case-submit').click();
    await chief.waitForURL(/\/cases\/\d+$/);
    const caseId = Number(new URL(chief.url()).pathname.split('/').pop());
    const heading = chief.locator('#case-heading');
    await heading.waitFor();
    const reference = (await heading.innerText()).replace(/^Case /, '');
    assert.match(reference, /^MINUSCA-\d{4}-\d{4}$/);
    await chief.locator('#case-victims tbody tr').first().waitFor();
    // The complaint came 40 days ago: acknowledgement, referral and victim information are late.
    await chief.locator('#case-overdue').waitFor();

    // 2. The due view lists the case among the overdue ones.
    await chief.goto(`${baseUrl}/cases/due`);
    await chief.locator('#due-overdue-table').getByRole('link', { name: reference }).first().waitFor();
    await noHorizontalScroll(chief, 'the due view');
    await chief.screenshot({ path: join(SCREENSHOTS, 'cases-due-phone.png'), fullPage: true });

    // 3. The workflow: under assessment, then referred (a future date refused, named), then under investigation.
    await chief.goto(`${baseUrl}/cases/${caseId}`);
    const step = async (label, fill = async () => {}) => {
      await chief.getByRole('radio', { name: label, exact: true }).check();
      await fill();
      await chief.locator('#workflow-submit').click();
      await chief.locator('#case-status').filter({ hasText: new RegExp(`^${label}$`) }).waitFor();
    };
    await step('Under assessment');
    await chief.getByRole('radio', { name: 'Referred for investigation', exact: true }).check();
    await chief.locator('#workflow-date').fill('2099-01-01');
    await chief.locator('#workflow-submit').click();
    await chief.locator('#workflow-date-error').filter({ hasText: /^Date of the step: / }).waitFor();
    await step('Referred for investigation', () => chief.locator('#workflow-date').fill(''));
    // Under investigation needs the entity: said before anything is sent.
    await chief.getByRole('radio', { name: 'Under investigation', exact: true }).check();
    await chief.locator('#workflow-submit').click();
    await chief.getByText('Fill in “Investigating entity”.').first().waitFor();
    await step('Under investigation', () => chief.locator('#workflow-entity').selectOption('oios'));

    // 4. The Member State is notified (the subject is a contingent member): its clock is met.
    await chief.locator('#entry-add').click();
    await chief.locator('#entry-kind').selectOption('member_state');
    await chief.locator('#entry-type').selectOption('notification');
    await chief.locator('#entry-note').fill('Note verbale sent (invented)');
    await chief.locator('#entry-save').click();
    await chief.locator('#case-entries').getByText('Notification (note verbale)').waitFor();
    await chief.locator('#case-clocks li[data-rule="member_state_notification"]').getByText(/^Met/).waitFor();

    // Pause every clock with a reason, by keyboard, then end the pause.
    await chief.locator('#pause-reason').fill('Waiting for the victim to be reachable (invented)');
    await chief.locator('#pause-save').focus();
    await chief.keyboard.press('Enter');
    await chief.locator('#case-pauses').getByText('Still paused').waitFor();
    await chief.locator('[id^=pause-end-]').first().click();
    await chief.getByText('Pause ended.').waitFor();

    // The VRA sees a case only once linked to it (need-to-know): the chief links demo.vra.
    const vraOption = await chief.locator('#advocate-choose option', { hasText: 'demo.vra' }).getAttribute('value');
    await chief.locator('#advocate-choose').selectOption(vraOption);
    await chief.locator('#advocate-link').click();
    await chief.locator('#case-advocates strong', { hasText: 'demo.vra' }).waitFor();

    // 5. Reveal a victim's identity: once the sign-in's proof is older than 15 minutes, a new code.
    execFileSync(SQLITE3, [dbFile, "UPDATE sessions SET verified_at = 1 WHERE user_id = (SELECT id FROM users WHERE username = 'demo.cdt_chief')"]);
    await sleep(2_100); // the server's session cache
    await chief.locator('[id^=victim-reveal-]').first().click();
    const code = chief.locator('#reauth-victim-code');
    await code.waitFor();
    await code.fill(totp(secret, Math.max(enrolStep + 1, timeStep())));
    await code.press('Enter');
    await chief.locator('[id^=victim-identity-]').getByText('Demo Victim 40').waitFor();
    await noHorizontalScroll(chief, 'the case page');
    await chief.screenshot({ path: join(SCREENSHOTS, 'cases-case-phone.png'), fullPage: true });

    // 6. To closure: report received, under review, closed with its outcome.
    await step('Investigation report received');
    await step('Under review');
    await step('Closed', () => chief.locator('#workflow-outcome').selectOption('substantiated'));
    await chief.getByText('This case is in a final status: nothing more can change.').waitFor();
    assert.equal(await chief.locator('#case-overdue').count(), 0, 'a closed case has nothing overdue');

    // 7. The closed case has left the due view; the list shows it closed.
    await chief.goto(`${baseUrl}/cases/due?within_days=90`);
    await chief.getByRole('heading', { level: 2, name: /^Overdue/ }).waitFor();
    await chief.getByRole('status').filter({ hasText: 'Loading' }).waitFor({ state: 'detached' });
    assert.equal(await chief.getByRole('link', { name: reference }).count(), 0, 'the closed case is not due');
    await chief.goto(`${baseUrl}/cases?status=closed`);
    await chief.locator(`#cases-table tr[data-case="${caseId}"]`).getByText('Closed').waitFor();
    await noHorizontalScroll(chief, 'the list');
    await chief.screenshot({ path: join(SCREENSHOTS, 'cases-list-phone.png'), fullPage: true });

    // 8. Desktop width, and French (the chief signs in with 2FA now: the same session goes on).
    await chief.setViewportSize(DESKTOP);
    await chief.goto(`${baseUrl}/cases/${caseId}`);
    await chief.locator('#case-heading').waitFor();
    await chief.screenshot({ path: join(SCREENSHOTS, 'cases-case-desktop.png'), fullPage: true });
    await chief.goto(`${baseUrl}/cases`);
    await chief.locator(`#cases-table tr[data-case="${caseId}"]`).waitFor();
    await chief.screenshot({ path: join(SCREENSHOTS, 'cases-list-desktop.png'), fullPage: true });
    await chief.setViewportSize(PHONE);
    await chief.evaluate(() => localStorage.setItem('psea.locale', 'fr'));
    await chief.goto(`${baseUrl}/cases`);
    await chief.getByRole('heading', { level: 1, name: 'Dossiers' }).waitFor();
    await chief.locator(`#cases-table tr[data-case="${caseId}"]`).getByText('Clos', { exact: true }).waitFor();
    await chief.goto(`${baseUrl}/cases/due`);
    await chief.getByRole('heading', { level: 1, name: 'Échéances et retards' }).waitFor();
    await noHorizontalScroll(chief, 'the French due view');
    await chief.goto(`${baseUrl}/cases/${caseId}`);
    await chief.locator('#case-heading').waitFor();
    await noHorizontalScroll(chief, 'the French case page');
    await chief.screenshot({ path: join(SCREENSHOTS, 'cases-case-phone-fr.png'), fullPage: true });

    // The cases readers: none yet; the chief may add the first.
    await chief.goto(`${baseUrl}/cases/readers`);
    await chief.getByText('Aucun lecteur des dossiers pour l’instant.').waitFor();
    await chief.locator('#case-reader-user').waitFor();
    await noHorizontalScroll(chief, 'the French readers page');
    await chief.screenshot({ path: join(SCREENSHOTS, 'cases-readers-phone-fr.png'), fullPage: true });

    // 9. An officer neither reader nor assigned sees the pages but no case.
    const officer = await signIn('demo.cdt_officer');
    await officer.getByRole('link', { name: 'Cases' }).first().waitFor();
    await officer.goto(`${baseUrl}/cases`);
    await officer.getByText('No case matches.').waitFor();

    // 10. The VRA sees the cases that have victims, no workflow, and opens the victim's identity.
    const vra = await signIn('demo.vra');
    await vra.goto(`${baseUrl}/cases/${caseId}`);
    await vra.locator('#case-heading').waitFor();
    assert.equal(await vra.locator('#workflow-heading').count(), 0, 'the VRA moves no case');
    await vra.locator('[id^=victim-reveal-]').first().click();
    await vra.locator('[id^=victim-identity-]').getByText('Demo Victim 40').waitFor();

    assert.deepEqual(pageErrors, [], 'no script errors');
  } finally {
    if (browser) await browser.close();
    if (demo) await demo.stop();
  }
});
