// End-to-end test of the intake pages against a real psea demo server, in headless Chromium on a
// 360 px wide screen: as the hotline operator, fill in a new complaint with the KEYBOARD ONLY
// (Tab, typing, Space, arrows, Enter; the prefecture and sub-prefecture chosen from the places
// list with the arrows), check that Enter in a text field does not submit, that the draft
// survives a reload, that a field the server refuses gets the error and the focus, and that the
// receipt code is shown and the draft gone after the submission; then, as the CDT chief, see the
// complaint head the queue (urgent first, its place by name) and the navigation's alert badge,
// open it, read the account, acknowledge it and write to the reporter; add a town to the
// places list, save, reload and find it; last, add an intake reader with the step-up and
// remove them. Every name and number is made up.
//
// Run from the repository root after building the server and the web app:
//   (cd web && npm ci && npm run build) && node --test tests/browser/intake.test.mjs
// PSEA_BINARY overrides the server binary (default build/psea); CHROMIUM the browser (default
// /usr/bin/chromium); PSEA_SCREENSHOT_DIR the screenshots' folder (default build/screenshots).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, launchChromium, stopServer, waitForDemo, waitForHealth } from '../support/demo.mjs';
import { setTimeout as sleep } from 'node:timers/promises';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

const WEB_DIST = join(repoRoot, 'web/dist');
const SCREENSHOTS = process.env.PSEA_SCREENSHOT_DIR ?? join(repoRoot, 'build/screenshots');
const PSEA_BINARY = process.env.PSEA_BINARY ?? join(repoRoot, 'build/psea');
const PHONE = { width: 360, height: 740 };




// ---- Keyboard helpers

const activeId = (page) => page.evaluate(() => document.activeElement?.id ?? '');

/** Presses Tab until the element with this id has the focus; returns the ids passed on the way. */
async function tabTo(page, id, limit = 80) {
  const passed = [];
  for (let presses = 0; presses < limit; presses += 1) {
    const current = await activeId(page);
    if (current === id) return passed;
    passed.push(current);
    await page.keyboard.press('Tab');
  }
  throw new Error(`#${id} not reached with ${limit} Tab presses; passed: ${passed.join(', ')}`);
}

/** Tab once and check where the focus lands: the form's tab order is part of the contract. */
async function tabExpect(page, id) {
  await page.keyboard.press('Tab');
  assert.equal(await activeId(page), id, `Tab moves to #${id}`);
}

// ---- The test

test('intake: a complaint typed with the keyboard only, its draft and receipt; the queue, acknowledge, write back', { timeout: 120_000 }, async () => {
  assert.ok(existsSync(PSEA_BINARY), `server binary missing: ${PSEA_BINARY} (build it, or set PSEA_BINARY)`);
  assert.ok(existsSync(join(WEB_DIST, 'index.html')), `web app not built: run "npm ci && npm run build" in web/`);
  assert.ok(existsSync(CHROMIUM), `Chromium missing at ${CHROMIUM} (apt-get install -y chromium)`);

  const tmp = await mkdtemp(join(tmpdir(), 'psea-intake-browser-'));
  const portFile = join(tmp, 'port');
  let server = null;
  let serverOutput = '';
  let browser = null;

  try {
    await mkdir(SCREENSHOTS, { recursive: true });
    server = spawn(
      PSEA_BINARY,
      [
        'demo',
        '--db', `sqlite:${join(tmp, 'psea.db')}`,
        '--data-dir', join(tmp, 'data'),
        '--listen', '127.0.0.1:0',
        '--port-file', portFile,
        '--web', WEB_DIST,
      ],
      { cwd: repoRoot, env: { ...process.env, PSEA_ARGON2_PROFILE: 'fast' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    server.stdout.on('data', (chunk) => (serverOutput += chunk));
    server.stderr.on('data', (chunk) => (serverOutput += chunk));
    const output = () => serverOutput.slice(-6000);
    const { port, accounts } = await waitForDemo(portFile, server, output, ['demo.intake_operator', 'demo.cdt_chief']);
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHealth(baseUrl, output);

    browser = await launchChromium();

    const foreignRequests = [];
    const pageErrors = [];
    const cspViolations = [];

    async function signIn(username) {
      const context = await browser.newContext({ viewport: PHONE, locale: 'en-GB', hasTouch: false });
      await context.addInitScript(() => {
        window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation', (event) => {
          window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
        });
      });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      page.on('request', (request) => {
        const url = request.url();
        if (!url.startsWith('data:') && !url.startsWith('blob:') && new URL(url).origin !== baseUrl) foreignRequests.push(url);
      });
      page.on('pageerror', (error) => pageErrors.push(String(error)));
      await page.goto(`${baseUrl}/login`);
      await page.fill('#login-username', username);
      await page.fill('#login-password', accounts[username]);
      await page.click('form button[type=submit]');
      await page.waitForURL(`${baseUrl}/`);
      return { context, page };
    }
    const collectViolations = async (page) => {
      cspViolations.push(...(await page.evaluate(() => window.__cspViolations ?? [])));
    };
    const noHorizontalScroll = async (page, what) => {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${what}: no horizontal scrolling at 360 px (overflow ${overflow} px)`);
    };

    const tag = randomBytes(4).toString('hex');
    const narrative = `Browser test ${tag}: the caller says a made-up soldier of an invented unit asked for favours.`;

    // ---- 1. The operator. First, an older complaint that is not urgent, through the API.
    const operator = await signIn('demo.intake_operator');
    const page = operator.page;
    const older = await page.evaluate(async (text) => {
      const me = await (await fetch('/api/v1/auth/me')).json();
      const response = await fetch('/api/v1/intake/complaints', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
        body: JSON.stringify({ channel: 'hotline_4445', narrative: text, town: 'Invented town' }),
      });
      return { status: response.status, body: await response.json() };
    }, `Older, not urgent (${tag}).`);
    assert.equal(older.status, 201, JSON.stringify(older.body));
    assert.equal(older.body.complaint.urgent, false);

    const submissions = [];
    const answers = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/v1/intake/complaints')) submissions.push(request.url());
    });
    page.on('response', async (response) => {
      if (response.request().method() === 'POST' && response.url().endsWith('/api/v1/intake/complaints')) {
        answers.push(`${response.status()} ${response.status() === 201 ? '' : await response.text().catch(() => '')}`);
      }
    });

    // The places list the server was seeded with: the form's arrows choose its first entries.
    const places = await page.evaluate(async () => (await fetch('/api/v1/intake/places')).json());
    const prefecture = places.prefectures[0];
    const subPrefecture = prefecture.sub_prefectures[0];
    assert.ok(prefecture && subPrefecture, `a places list with a sub-prefecture: ${JSON.stringify(places).slice(0, 200)}`);

    await page.goto(`${baseUrl}/intake/new`);
    await page.getByRole('heading', { level: 1, name: 'New complaint' }).waitFor();
    await page.locator('#in-narrative').waitFor();
    await page.waitForFunction(() => document.querySelectorAll('#in-prefecture option').length > 1);
    assert.ok(await page.locator('#in-sub_prefecture').isDisabled(), 'no sub-prefecture before a prefecture');

    // Channel: the hotline 4044 is chosen for an operator; the arrow moves to 4445.
    await tabTo(page, 'in-channel-hotline_4044');
    assert.ok(await page.locator('#in-channel-hotline_4044').isChecked(), 'hotline 4044 is the operator’s default');
    await page.keyboard.press('ArrowRight');
    assert.ok(await page.locator('#in-channel-hotline_4445').isChecked(), 'the arrow chooses hotline 4445');
    await page.keyboard.press('ArrowLeft');
    assert.ok(await page.locator('#in-channel-hotline_4044').isChecked(), 'and back to 4044');

    // Reporter.
    await tabExpect(page, 'in-reporter_relation');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('#in-reporter_relation').inputValue(), 'witness');
    await tabExpect(page, 'in-language');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('#in-language').inputValue(), 'fr');
    await tabExpect(page, 'in-anonymous');
    await page.keyboard.press('Space');
    assert.equal(await page.locator('#in-reporter_name').count(), 0, 'anonymous hides the name');
    await page.keyboard.press('Space');
    await tabExpect(page, 'in-reporter_name');
    await page.keyboard.type('Amina Exemple');
    await tabExpect(page, 'in-reporter_phone');
    await page.keyboard.type('+236 70 00 00 01');
    await tabExpect(page, 'in-reporter_email');
    await page.keyboard.type('not-an-address');
    // Enter in a field that is not the last one must not send the complaint.
    await page.keyboard.press('Enter');
    await sleep(300);
    assert.equal(submissions.length, 0, 'Enter in the e-mail field does not submit');
    assert.equal(await activeId(page), 'in-reporter_email');
    await tabExpect(page, 'in-reporter_address');
    await page.keyboard.type('Behind the invented market');
    await tabExpect(page, 'in-contact_consent');
    await page.keyboard.press('Space');
    await tabExpect(page, 'in-contact_method');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('#in-contact_method').inputValue(), 'phone');

    // Incident.
    await tabExpect(page, 'in-prefecture');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('#in-prefecture').inputValue(), prefecture.code, 'the arrow chooses the first prefecture');
    await page.waitForFunction(() => !document.getElementById('in-sub_prefecture')?.disabled);
    await tabExpect(page, 'in-sub_prefecture');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('#in-sub_prefecture').inputValue(), subPrefecture.code, 'and its first sub-prefecture');
    assert.deepEqual(
      await page.locator('#in-town-list option').evaluateAll((options) => options.map((option) => option.value)),
      [...new Set(subPrefecture.towns)],
      'the town field offers the towns of the sub-prefecture',
    );
    assert.equal(await page.locator('#in-town').getAttribute('list'), 'in-town-list');
    await tabExpect(page, 'in-town');
    await page.keyboard.type('Exampleville');
    await tabExpect(page, 'in-incident_date_precision');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('#in-incident_date_precision').inputValue(), 'month');
    await tabExpect(page, 'in-incident_date');
    await page.keyboard.type('2026-10');
    await tabExpect(page, 'in-narrative');
    await page.keyboard.type(narrative);
    await page.keyboard.press('Enter'); // a new line, not a submission
    assert.equal(submissions.length, 0, 'Enter in the account does not submit');
    assert.equal(await page.locator('#in-narrative').inputValue(), `${narrative}\n`, 'Enter in the account adds a line');
    await page.keyboard.type('Second paragraph.');

    // A victim: the age settles the age group.
    await tabExpect(page, 'add-victim');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'in-victims-0-age');
    await page.keyboard.type('15');
    await tabExpect(page, 'in-victims-0-age_group');
    assert.equal(await page.locator('#in-victims-0-age_group').inputValue(), 'minor', 'an age under 18 makes a minor');
    await tabExpect(page, 'in-victims-0-sex');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('#in-victims-0-sex').inputValue(), 'female');
    await tabExpect(page, 'in-victims-0-name');
    await page.keyboard.type('Beatrice Exemple');
    await page.keyboard.press('Tab'); // "Remove victim 1"
    await tabExpect(page, 'add-victim');

    // An alleged perpetrator.
    await tabExpect(page, 'add-perpetrator');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.activeElement?.id === 'in-perpetrators-0-category');
    for (let presses = 0; presses < 4; presses += 1) await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('#in-perpetrators-0-category').inputValue(), 'military_contingent');
    await tabExpect(page, 'in-perpetrators-0-nationality');
    await page.keyboard.type('Ruritania');
    await tabExpect(page, 'in-perpetrators-0-unit');
    await page.keyboard.type('BATT-X');
    await tabExpect(page, 'in-perpetrators-0-name');
    await page.keyboard.type('Sergeant Nobody');
    await tabExpect(page, 'in-perpetrators-0-description');
    await page.keyboard.type('Tall, invented green beret');

    // Risks: a minor victim already makes it urgent; someone is in danger too.
    await page.keyboard.press('Tab'); // "Remove alleged perpetrator 1"
    await tabExpect(page, 'add-perpetrator');
    await tabExpect(page, 'in-risk_child');
    await tabExpect(page, 'in-risk_danger');
    await page.keyboard.press('Space');
    assert.ok(await page.locator('#in-risk_danger').isChecked());
    await page.locator('.urgent-now .badge.urgent').waitFor();
    assert.match(await page.locator('.urgent-now').innerText(), /Urgent/);
    await tabExpect(page, 'in-risk_medical');
    await page.screenshot({ path: join(SCREENSHOTS, 'intake-new-360.png'), fullPage: true });
    await noHorizontalScroll(page, 'new complaint');
    await collectViolations(page);

    // ---- 2. The draft survives a reload, in sessionStorage and nowhere else.
    const stored = await page.evaluate(() => ({
      session: Object.keys(sessionStorage),
      local: Object.entries(localStorage).map(([key, value]) => `${key}=${value}`).join('\n'),
    }));
    assert.ok(stored.session.some((key) => key.startsWith('psea.intake.draft.')), `a draft in sessionStorage: ${stored.session}`);
    assert.ok(!stored.local.includes(tag) && !stored.local.includes('Exemple'), 'nothing of the complaint in localStorage');
    await page.reload();
    await page.getByText(/Draft restored \(saved at/).waitFor();
    assert.equal(await page.locator('#in-narrative').inputValue(), `${narrative}\nSecond paragraph.`);
    assert.equal(await page.locator('#in-victims-0-age').inputValue(), '15');
    assert.equal(await page.locator('#in-reporter_email').inputValue(), 'not-an-address');
    await page.waitForFunction(() => document.querySelectorAll('#in-prefecture option').length > 1);
    assert.equal(await page.locator('#in-prefecture').inputValue(), prefecture.code, 'the draft keeps the prefecture');
    assert.equal(await page.locator('#in-sub_prefecture').inputValue(), subPrefecture.code, 'and the sub-prefecture');
    assert.ok(await page.locator('#in-risk_danger').isChecked());

    // ---- 3. Submit: the server refuses the e-mail; the error sits by the field, which has the focus.
    await tabTo(page, 'in-risk_medical');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('type')), 'submit', 'the submit button follows the last field');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'in-reporter_email').catch(async (error) => {
      error.message += `\nanswers: ${answers.join('; ')}\nfocus: #${await activeId(page)}`;
      throw error;
    });
    assert.match(await page.locator('#in-reporter_email-error').innerText(), /not an e-mail address/);
    assert.equal(await page.locator('#in-reporter_email').getAttribute('aria-invalid'), 'true');
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('amina.exemple@example.org');
    await page.keyboard.press('Control+Enter'); // submits from any field
    const heading = page.getByRole('heading', { level: 2, name: /^Complaint C-\d{4}-\d+ received$/ });
    await heading.waitFor();
    const reference = (await heading.innerText()).match(/C-\d{4}-\d+/)[0];
    const receiptCode = await page.locator('.receipt-code').getAttribute('data-code');
    assert.match(receiptCode, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/, `receipt code ${receiptCode}`);
    assert.equal(
      (await page.locator('.receipt-code span').allInnerTexts()).join('-'),
      receiptCode,
      'the code is shown in its four groups',
    );
    assert.match(await page.locator('.receipt').innerText(), /Read this code out to the caller/);
    assert.equal(await activeId(page), 'receipt-heading', 'the focus goes to the receipt');
    await page.screenshot({ path: join(SCREENSHOTS, 'intake-receipt-360.png'), fullPage: false });
    await noHorizontalScroll(page, 'receipt');

    // The draft is gone; the next complaint starts empty, from the keyboard.
    assert.deepEqual(
      (await page.evaluate(() => Object.keys(sessionStorage))).filter((key) => key.startsWith('psea.intake.draft.')),
      [],
      'no draft after the submission',
    );
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.textContent?.trim()), 'Start the next complaint');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'in-channel-hotline_4044');
    assert.equal(await page.locator('#in-narrative').inputValue(), '');
    await page.reload();
    await page.locator('#in-narrative').waitFor();
    assert.equal(await page.getByText(/Draft restored/).count(), 0, 'no draft restored after the submission');
    assert.equal(await page.locator('#in-narrative').inputValue(), '');
    await collectViolations(page);
    await operator.context.close();

    // ---- 4. The CDT chief: the badge, the queue with the urgent complaint first.
    const chief = await signIn('demo.cdt_chief');
    const chiefPage = chief.page;
    const badge = chiefPage.locator('#nav-intake-alerts');
    await badge.waitFor();
    assert.match(await badge.innerText(), /^1\b/, 'one urgent complaint not acknowledged');
    await chiefPage.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: /^Complaints/ }).click();
    await chiefPage.waitForURL(/\/intake$/);
    const rows = chiefPage.locator('table.queue tbody tr');
    await rows.first().waitFor();
    assert.ok((await rows.count()) >= 2, 'both complaints are listed');
    const first = rows.first();
    assert.equal(await first.locator('th a').innerText(), reference, 'the urgent complaint heads the queue though it is newer');
    assert.match(await first.innerText(), /Urgent/);
    assert.match(await first.innerText(), /Not acknowledged/);
    assert.match(await first.innerText(), /\d+ min ago/);
    const placeShown = `Exampleville, ${subPrefecture.name}, ${prefecture.name}`;
    await first.getByText(placeShown).waitFor(); // by name once the places list has come
    await noHorizontalScroll(chiefPage, 'queue');
    await chiefPage.screenshot({ path: join(SCREENSHOTS, 'intake-queue-360.png'), fullPage: true });

    // Urgent only: the older complaint goes.
    await chiefPage.locator('#queue-urgent').check();
    await chiefPage.waitForURL(/[?&]urgent=true/);
    await chiefPage.getByText('Complaints shown: 1').waitFor();
    await chiefPage.locator('#queue-urgent').uncheck();
    await chiefPage.getByText(/Complaints shown: [2-9]/).waitFor();

    // ---- 5. The complaint: read the account, acknowledge, write to the reporter.
    await first.locator('th a').click();
    await chiefPage.waitForURL(/\/intake\/\d+$/);
    await chiefPage.getByRole('heading', { level: 1, name: new RegExp(`Complaint ${reference}`) }).waitFor();
    assert.match(await chiefPage.locator('#reading-notice').innerText(), /You are reading identities; this is recorded/);
    assert.equal(await chiefPage.locator('#complaint-narrative').innerText(), `${narrative}\nSecond paragraph.`);
    assert.match(await chiefPage.locator('section.sealed').innerText(), /Amina Exemple/);
    await chiefPage.locator('dl.facts dd', { hasText: placeShown }).waitFor();
    await chiefPage.getByRole('button', { name: 'Acknowledge receipt' }).click();
    await chiefPage.getByText('Receipt acknowledged.').waitFor();
    assert.equal(await chiefPage.getByRole('button', { name: 'Acknowledge receipt' }).count(), 0);
    await badge.waitFor({ state: 'detached' });

    const reply = `We have received your complaint (${tag}). A member of the team will call you.`;
    await chiefPage.locator('#complaint-message').fill(reply);
    await chiefPage.getByRole('button', { name: 'Send to the reporter' }).click();
    await chiefPage.getByText('Message sent.').waitFor();
    const thread = chiefPage.locator('section[aria-labelledby="messages-heading"] ol.thread li');
    await thread.first().waitFor();
    assert.match(await thread.last().innerText(), /To the reporter, by demo\.cdt_chief/);
    assert.match(await thread.last().innerText(), new RegExp(tag));
    assert.match(await chiefPage.locator('h1 + p').innerText(), /Acknowledged/);
    await noHorizontalScroll(chiefPage, 'complaint');
    await chiefPage.screenshot({ path: join(SCREENSHOTS, 'intake-complaint-360.png'), fullPage: true });
    await collectViolations(chiefPage);

    // ---- 6. The places list, from the queue: open the first prefecture and its first
    // sub-prefecture with the keyboard, add a town, save, reload, and the town is there.
    await chiefPage.getByRole('link', { name: 'All complaints' }).click();
    await chiefPage.waitForURL(/\/intake$/);
    await chiefPage.getByRole('link', { name: 'Places', exact: true }).click();
    await chiefPage.waitForURL(/\/intake\/places$/);
    await chiefPage.getByRole('heading', { level: 1, name: 'Places' }).waitFor();
    const newTown = `Testville ${tag}`;
    const openFirst = async () => {
      // The page loads its list and its texts after the heading shows: let it settle, or a
      // re-render can take the focused button away from under the key press.
      await chiefPage.waitForLoadState('networkidle');
      await chiefPage.locator('#pl-0-toggle').focus();
      await chiefPage.waitForFunction(() => document.activeElement?.id === 'pl-0-toggle');
      assert.equal(await chiefPage.locator('#pl-0-toggle').getAttribute('aria-expanded'), 'false');
      await chiefPage.keyboard.press('Enter');
      // The page re-renders after the key: wait for it before reading.
      await chiefPage.locator('#pl-0-toggle[aria-expanded="true"]').waitFor();
      assert.equal(await chiefPage.locator('#pl-0-toggle').getAttribute('aria-expanded'), 'true');
      await chiefPage.locator('#pl-0-code').waitFor();
      assert.equal(await chiefPage.locator('#pl-0-code').inputValue(), prefecture.code);
      await tabTo(chiefPage, 'pl-0-0-toggle');
      await chiefPage.keyboard.press('Space');
      await chiefPage.locator('#pl-0-0-name').waitFor();
      assert.equal(await chiefPage.locator('#pl-0-0-name').inputValue(), subPrefecture.name);
    };
    await openFirst();
    await tabTo(chiefPage, 'pl-0-0-add');
    await chiefPage.keyboard.press('Enter');
    const townId = `pl-0-0-towns-${subPrefecture.towns.length}`;
    await chiefPage.waitForFunction((id) => document.activeElement?.id === id, townId);
    await chiefPage.keyboard.type(newTown);
    await chiefPage.getByText('Changes not saved yet.').waitFor();
    await noHorizontalScroll(chiefPage, 'places');
    await chiefPage.screenshot({ path: join(SCREENSHOTS, 'intake-places-360.png'), fullPage: true });
    await chiefPage.locator('#pl-save').click();
    await chiefPage.getByText('Places saved.').waitFor();
    await chiefPage.reload();
    await chiefPage.getByRole('heading', { level: 1, name: 'Places' }).waitFor();
    await chiefPage.locator('#pl-0-toggle').waitFor();
    await openFirst();
    assert.equal(await chiefPage.locator(`#${townId}`).inputValue(), newTown, 'the town added is kept');
    await collectViolations(chiefPage);

    // ---- 6b. The intake readers: the chief, the demo's reader, adds the CDT officer (chosen by
    // name) with the step-up (the password alone: the demo has no 2FA), after a wrong password
    // that puts the error on its field; sees the change recorded; removes the officer again.
    await chiefPage.goto(`${baseUrl}/intake/readers`);
    await chiefPage.locator('#readers-title').waitFor();
    await chiefPage.locator('#readers-table tr[data-user="demo.cdt_chief"]').waitFor();
    const officerOption = chiefPage.locator('#reader-add-user option', { hasText: 'demo.cdt_officer' });
    const officerId = await officerOption.getAttribute('value');
    await chiefPage.locator('#reader-add-user').selectOption(officerId);
    await chiefPage.locator('#reader-add-password').fill('not the password');
    await chiefPage.locator('#reader-add-submit').click();
    await chiefPage.locator('#reader-add-password-error').waitFor();
    await chiefPage.waitForFunction(() => document.activeElement?.id === 'reader-add-password');
    await chiefPage.locator('#reader-add-user').selectOption(officerId);
    await chiefPage.locator('#reader-add-password').fill(accounts['demo.cdt_chief']);
    await chiefPage.locator('#reader-add-submit').click();
    await chiefPage.locator('#readers-table tr[data-user="demo.cdt_officer"]').waitFor();
    assert.match(await chiefPage.locator('#reader-changes li').first().innerText(), /cdt_officer|Officer/i);
    await noHorizontalScroll(chiefPage, 'readers');
    await chiefPage.screenshot({ path: join(SCREENSHOTS, 'intake-readers-360.png'), fullPage: true });
    await chiefPage.locator(`#reader-remove-${officerId}`).click();
    await chiefPage.locator('#reader-remove-password').fill(accounts['demo.cdt_chief']);
    await chiefPage.locator('#reader-remove-submit').click();
    await chiefPage.locator('#readers-table tr[data-user="demo.cdt_officer"]').waitFor({ state: 'detached' });
    await collectViolations(chiefPage);

    // ---- 7. Nothing from elsewhere, nothing blocked, no error.
    assert.deepEqual(foreignRequests, [], 'no request to another origin');
    assert.deepEqual(cspViolations, [], 'no CSP violation events');
    assert.deepEqual(pageErrors, [], 'no uncaught errors in the page');
  } catch (error) {
    if (serverOutput) error.message += `\n--- psea demo output (tail) ---\n${serverOutput.slice(-4000)}`;
    throw error;
  } finally {
    await browser?.close().catch(() => undefined);
    await stopServer(server);
    await rm(tmp, { recursive: true, force: true });
  }
});
