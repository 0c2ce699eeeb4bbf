// End-to-end test of the intake pages against a real psea demo server, in headless Chromium on a
// 360 px wide screen: as the hotline operator, fill in a new complaint with the KEYBOARD ONLY
// (Tab, typing, Space, arrows, Enter; the prefecture and sub-prefecture chosen from the places
// list with the arrows), check that Enter in a text field does not submit, that the draft
// survives a reload, that a field the server refuses gets the error and the focus, and that the
// receipt code is shown and the draft gone after the submission; then, as the CDT chief, see the
// complaint head the queue (urgent first, its place by name) and the navigation's alert badge,
// open it, read the account, acknowledge it and write to the reporter; add a town to the
// places list, save, reload and find it; add an intake reader with the step-up and remove them.
// Then the work of issue 10: assess that complaint and route it to a case; correct a fact and
// read its history line; assign it to an officer chosen by name; walk four more complaints
// through assessment to a hand-over (and its acknowledgement), a GBV referral, other misconduct
// and closing as a duplicate found by searching; filter the queue by route and search it; add
// the VRA as a victims' reader and, as the VRA, open the victims' part; the figures for the
// chief (targets changed) and for leadership ("fewer than 5"); the types of SEA; and the French
// complaint page, where the reporter is "Personne qui signale". Every name and number is made up.
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
    const { port, accounts } = await waitForDemo(portFile, server, output, ['demo.intake_operator', 'demo.cdt_chief', 'demo.cdt_officer', 'demo.vra', 'demo.leadership']);
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
    assert.equal(await page.locator('#in-cbcm_name').count(), 0, 'no CBCM name for a hotline call');

    // The date received: now by default (its parts take several Tab presses in Chromium).
    await tabExpect(page, 'in-received_at');
    assert.match(await page.locator('#in-received_at').inputValue(), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'the date received is filled in');
    const receivedAge = Date.now() - new Date(await page.locator('#in-received_at').inputValue()).getTime();
    assert.ok(receivedAge >= 0 && receivedAge < 5 * 60_000, `the date received defaults to now (${receivedAge} ms ago)`);

    // Reporter.
    await tabTo(page, 'in-reporter_relation', 12);
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
    await tabExpect(page, 'in-victims-0-referral_consent');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('#in-victims-0-referral_consent').inputValue(), 'yes');
    await tabExpect(page, 'in-victims-0-name');
    await page.keyboard.type('Beatrice Exemple');
    await tabExpect(page, 'in-victims-0-pregnant');
    assert.match(await page.locator('#in-victims-0-pregnant-hint').innerText(), /Sealed/, 'the pregnancy says it is sealed');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('#in-victims-0-pregnant').inputValue(), 'no');
    await tabExpect(page, 'in-victims-0-child_born');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('#in-victims-0-child_born').inputValue(), 'unknown');
    await page.keyboard.press('Tab'); // "Remove victim 1"
    await tabExpect(page, 'add-victim');

    // An alleged perpetrator.
    await tabExpect(page, 'add-perpetrator');
    await page.keyboard.press('Space');
    await page.waitForFunction(() => document.activeElement?.id === 'in-perpetrators-0-category');
    for (let presses = 0; presses < 6; presses += 1) await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('#in-perpetrators-0-category').inputValue(), 'military_contingent');
    // Nationality: a country of the ISO list, named by the browser, chosen by typing its name.
    await page.waitForFunction(() => document.querySelectorAll('#in-perpetrators-0-nationality option').length > 100);
    assert.equal(await page.locator('#in-perpetrators-0-nationality option').first().innerText(), 'Unknown');
    await tabExpect(page, 'in-perpetrators-0-nationality');
    await page.keyboard.type('Cameroon');
    assert.equal(await page.locator('#in-perpetrators-0-nationality').inputValue(), 'CM', 'typing a name chooses the country');
    await tabExpect(page, 'in-perpetrators-0-unit');
    await page.keyboard.type('BATT-X');
    await tabExpect(page, 'in-perpetrators-0-rank');
    await page.keyboard.type('Sergeant');
    await tabExpect(page, 'in-perpetrators-0-identified');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('#in-perpetrators-0-identified').inputValue(), 'yes');
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
    await page.waitForFunction(() => document.querySelectorAll('#in-perpetrators-0-nationality option').length > 100);
    assert.equal(await page.locator('#in-perpetrators-0-nationality').inputValue(), 'CM', 'and the nationality');
    assert.equal(await page.locator('#in-victims-0-pregnant').inputValue(), 'no', 'and the sealed answers');
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
    const complaintId = Number(chiefPage.url().match(/\/intake\/(\d+)$/)[1]);
    await chiefPage.getByRole('heading', { level: 1, name: new RegExp(`Complaint ${reference}`) }).waitFor();
    assert.match(await chiefPage.locator('#reading-notice').innerText(), /You are reading identities; this is recorded/);
    assert.equal(await chiefPage.locator('#complaint-narrative').innerText(), `${narrative}\nSecond paragraph.`);
    assert.match(await chiefPage.locator('section.sealed').innerText(), /Amina Exemple/);
    await chiefPage.locator('dl.facts dd', { hasText: placeShown }).waitFor();
    await chiefPage.locator('td', { hasText: 'Cameroon' }).first().waitFor(); // the nationality by its name
    assert.equal(await chiefPage.locator('#assess-submit').count(), 1, 'a new complaint waits for its assessment');
    assert.match(await chiefPage.locator('#route-needs-assessment').innerText(), /Record the assessment first/);
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

    // ---- 8. Issue 10 on the complaint typed above: assign it by name, correct a fact and read
    // the history line, assess it (SEA by the mission's personnel) and route it to a case.
    const api = (target, method, path, body) =>
      target.evaluate(
        async ({ method, path, body }) => {
          const me = await (await fetch('/api/v1/auth/me')).json();
          const response = await fetch(`/api/v1${path}`, {
            method,
            headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
            body: body === undefined ? undefined : JSON.stringify(body),
          });
          return { status: response.status, body: await response.json().catch(() => null) };
        },
        { method, path, body },
      );
    const openComplaint = async (id) => {
      await chiefPage.goto(`${baseUrl}/intake/${id}`);
      await chiefPage.locator('#summary-heading').waitFor();
    };
    /** Fills in the assessment panel and waits for the assessment to be shown as recorded. */
    const assess = async ({ isSea, category, type, affiliation, identified = false }) => {
      await chiefPage.locator(isSea ? '#assess-is-sea-yes' : '#assess-is-sea-no').check();
      if (isSea) {
        await chiefPage.locator('#assess-category').selectOption(category);
        await chiefPage.waitForFunction(() => document.querySelectorAll('#assess-type option').length > 1);
        await chiefPage.locator('#assess-type').selectOption(type);
      }
      await chiefPage.locator('#assess-affiliation').selectOption(affiliation);
      if (identified) await chiefPage.locator('#assess-identified').check();
      await chiefPage.locator('#assess-submit').click();
      await chiefPage.locator('#assess-by').waitFor();
      assert.match(await chiefPage.locator('#assess-by').innerText(), /Assessed by demo\.cdt_chief/);
    };
    const routeChoices = () =>
      chiefPage.locator('#route-form input[name="route"]').evaluateAll((inputs) => inputs.map((input) => input.value));
    const statusBadge = () => chiefPage.locator('h1 + p .badge').first().innerText();

    await openComplaint(complaintId);
    // Assign: an officer chosen by name, not a user number.
    const officerChoice = chiefPage.locator('#complaint-assignee option', { hasText: 'demo.cdt_officer' });
    await officerChoice.waitFor({ state: 'attached' });
    await chiefPage.locator('#complaint-assignee').selectOption(await officerChoice.getAttribute('value'));
    await chiefPage.locator('#complaint-assign').click();
    await chiefPage.getByText('Assignment saved.').waitFor();
    await chiefPage.locator('dl.facts dd', { hasText: 'demo.cdt_officer' }).waitFor();
    assert.equal(await chiefPage.locator('#complaint-unassign').count(), 1, 'the assignment can be removed');

    // A correction: the town was misheard. The history says who, when, and old → new.
    await chiefPage.locator('#edit-facts').click();
    await chiefPage.locator('#edit-heading').waitFor();
    assert.equal(await chiefPage.locator('#edit-town').inputValue(), 'Exampleville');
    assert.equal(await chiefPage.locator('#edit-perpetrators-0-nationality').inputValue(), 'CM');
    assert.equal(await chiefPage.locator('#edit-reporter_name').inputValue(), 'Amina Exemple', 'a reader corrects the sealed facts too');
    await chiefPage.locator('#edit-town').fill('Correctedville');
    await chiefPage.locator('#edit-save').click();
    await chiefPage.getByText(/^Corrected: Town\.$/).waitFor();
    const townLine = chiefPage.locator('#complaint-history li[data-field="town"]').first();
    await townLine.waitFor();
    assert.match(await townLine.innerText(), /Exampleville → Correctedville/);
    assert.match(await townLine.innerText(), /demo\.cdt_chief/);
    await chiefPage.locator('dl.facts dd', { hasText: 'Correctedville' }).waitFor();

    // SEA by the mission's personnel: a case, or closing; nothing else is offered.
    await assess({ isSea: true, category: 'sexual_abuse', type: 'sexual_activity_minor', affiliation: 'mission', identified: true });
    assert.deepEqual(await routeChoices(), ['case', 'closed']);
    await chiefPage.locator('#route-choice-case').check();
    await chiefPage.locator('#route-submit').click();
    await chiefPage.locator('#route-ready').waitFor();
    assert.equal(await chiefPage.locator('#route-ready').innerText(), 'Ready for a case: the case is opened in case management.');
    assert.equal(await statusBadge(), 'Ready for a case');
    await noHorizontalScroll(chiefPage, 'complaint with assessment and route');
    await chiefPage.screenshot({ path: join(SCREENSHOTS, 'intake-route-case-360.png'), fullPage: true });

    // ---- 9. Four more complaints (through the API), one per route.
    const newComplaint = async (extra) => {
      const answer = await api(chiefPage, 'POST', '/intake/complaints', {
        narrative: `Browser test ${tag}: invented account for ${extra.channel}.`,
        town: 'Invented town',
        ...extra,
      });
      assert.equal(answer.status, 201, JSON.stringify(answer.body));
      return answer.body.complaint;
    };
    const handedOver = await newComplaint({ channel: 'walk_in' });
    const gbv = await newComplaint({ channel: 'cbcm', cbcm_name: `CBCM of the invented market ${tag}`, risk_medical: true });
    const misconduct = await newComplaint({ channel: 'complaint_box' });
    const duplicate = await newComplaint({ channel: 'community_liaison' });

    // A UN entity's personnel: handed over, then the entity acknowledges it.
    await openComplaint(handedOver.id);
    await assess({ isSea: true, category: 'sexual_exploitation', type: 'transactional_sex', affiliation: 'un_entity' });
    assert.deepEqual(await routeChoices(), ['handed_over', 'closed']);
    await chiefPage.locator('#route-choice-handed_over').check();
    await chiefPage.locator('#route-submit').click();
    await chiefPage.locator('#route-entity-error').waitFor(); // the entity is required
    await chiefPage.waitForFunction(() => document.activeElement?.id === 'route-entity');
    await chiefPage.locator('#route-entity').fill('Invented UN agency');
    await chiefPage.locator('#route-submit').click();
    await chiefPage.locator('#ack-how').waitFor();
    assert.equal(await statusBadge(), 'Handed over');
    await chiefPage.locator('#ack-how').fill('E-mail of its invented focal point');
    await chiefPage.locator('#ack-submit').click();
    await chiefPage.locator('#route-acknowledged').waitFor();
    assert.match(await chiefPage.locator('#route-acknowledged').innerText(), /E-mail of its invented focal point/);

    // Not UN-related: a GBV referral, the VRA takes the victim part.
    await openComplaint(gbv.id);
    assert.match(await chiefPage.locator('#complaint-cbcm').innerText(), /CBCM of the invented market/);
    await assess({ isSea: true, category: 'sexual_abuse', type: 'rape', affiliation: 'not_un' });
    assert.deepEqual(await routeChoices(), ['gbv_referral', 'closed']);
    await chiefPage.locator('#route-choice-gbv_referral').check();
    await chiefPage.locator('#route-submit').click();
    await chiefPage.locator('#route-facts').waitFor();
    assert.equal(await statusBadge(), 'GBV referral');

    // Not SEA: other misconduct, to an office.
    await openComplaint(misconduct.id);
    await assess({ isSea: false, affiliation: 'mission' });
    assert.equal(await chiefPage.locator('#assess-category').count(), 0, 'no category when it is not SEA');
    assert.deepEqual(await routeChoices(), ['other_misconduct', 'closed']);
    await chiefPage.locator('#route-choice-other_misconduct').check();
    await chiefPage.locator('#route-office').fill('Invented misconduct office');
    await chiefPage.locator('#route-submit').click();
    await chiefPage.locator('#route-facts').waitFor();
    assert.equal(await statusBadge(), 'Other misconduct');

    // A duplicate: closed with the reason duplicate, the other complaint found by its reference.
    await openComplaint(duplicate.id);
    await assess({ isSea: false, affiliation: 'unknown' });
    await chiefPage.locator('#route-choice-closed').check();
    await chiefPage.locator('#route-reason').selectOption('duplicate');
    await chiefPage.locator('#route-duplicate-q').fill(older.body.complaint.reference);
    await chiefPage.locator('#route-duplicate-q').press('Enter'); // searches; does not submit
    await chiefPage.locator(`#route-duplicate-pick-${older.body.complaint.id}`).click();
    assert.match(await chiefPage.locator('#route-duplicate-chosen').innerText(), new RegExp(older.body.complaint.reference));
    await chiefPage.locator('#route-submit').click();
    await chiefPage.locator('#route-duplicate-link').waitFor();
    assert.equal(await statusBadge(), 'Duplicate');
    await noHorizontalScroll(chiefPage, 'duplicate');

    // ---- 10. The queue: by route, and a search by reference; rows say the route.
    await chiefPage.goto(`${baseUrl}/intake?status=all`);
    await chiefPage.locator('#queue-route').selectOption('gbv_referral');
    await chiefPage.waitForURL(/[?&]route=gbv_referral/);
    // This test's referral and the demo's invented one, nothing else.
    await chiefPage.locator(`table.queue tr[data-complaint="${gbv.id}"]`).waitFor();
    await chiefPage.waitForFunction(() => [...document.querySelectorAll('table.queue tbody tr')].every((row) => /GBV referral/.test(row.textContent)));
    assert.match(await chiefPage.locator(`table.queue tr[data-complaint="${gbv.id}"]`).innerText(), /GBV referral/);
    await chiefPage.locator('#queue-route').selectOption('');
    await chiefPage.locator('#queue-q').fill(handedOver.reference);
    await chiefPage.locator('#queue-search').click();
    await chiefPage.waitForURL(/[?&]q=/);
    await chiefPage.getByText('Complaints shown: 1').waitFor();
    assert.match(await chiefPage.locator(`table.queue tr[data-complaint="${handedOver.id}"]`).innerText(), /Hand-over/);
    await noHorizontalScroll(chiefPage, 'queue with filters');

    // ---- 11. The VRA: the demo designated demo.vra a reader of the victims' part from the
    // console; the chief sees it under the scope switch. The VRA sees the victims' part, urgent
    // first, and opens one.
    await chiefPage.goto(`${baseUrl}/intake/readers`);
    await chiefPage.locator('#readers-scope-victims').check();
    await chiefPage.waitForURL(/[?&]scope=victims/);
    await chiefPage.locator('#readers-table tr[data-user="demo.vra"]').waitFor();
    await collectViolations(chiefPage);

    const vra = await signIn('demo.vra');
    await vra.page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Victims’ part' }).click();
    await vra.page.waitForURL(/\/intake\/victims$/);
    const vraRows = vra.page.locator('#victims-table tbody tr');
    await vraRows.first().waitFor();
    // Urgent first, the newest first among them (the 72-hour window runs from the incident).
    assert.match(await vraRows.first().innerText(), /Urgent/);
    const urgentRow = vra.page.locator(`#victims-table tr[data-complaint="${complaintId}"]`);
    assert.match(await urgentRow.innerText(), /Urgent/);
    assert.match(await urgentRow.innerText(), /15, Under 18, Female, referral: Yes/);
    await vra.page.locator(`#victims-table tr[data-complaint="${gbv.id}"]`).waitFor();
    await noHorizontalScroll(vra.page, 'victims list');
    await vra.page.screenshot({ path: join(SCREENSHOTS, 'intake-victims-360.png'), fullPage: true });
    await vra.page.locator(`#victims-open-${complaintId}`).click();
    await vra.page.waitForURL(new RegExp(`/intake/victims/${complaintId}$`));
    await vra.page.locator('#victim-reading-notice').waitFor();
    assert.match(await vra.page.locator('#victim-part-victims').innerText(), /Beatrice Exemple/);
    assert.equal(await vra.page.getByText('Amina Exemple').count(), 0, 'the reporter is not the victim: not shown');
    await collectViolations(vra.page);
    await vra.context.close();

    // ---- 12. Figures: the chief sees every count and sets the targets; leadership sees
    // "fewer than 5" for small counts.
    await chiefPage.goto(`${baseUrl}/intake/figures`);
    await chiefPage.getByRole('heading', { level: 1, name: 'Complaint figures' }).waitFor();
    await chiefPage.locator('#figures-total').waitFor();
    // The page shows what the API counts: the demo's six complaints and this test's.
    const counted = await chiefPage.evaluate(async () => (await (await fetch('/api/v1/intake/figures')).json()));
    assert.ok(counted.total >= 12, `total ${counted.total}`);
    assert.match(await chiefPage.locator('#figures-total').innerText(), new RegExp(`: ${counted.total} complaint`));
    const hotline = counted.by_channel.find((item) => item.key === 'hotline_4044');
    assert.equal(await chiefPage.locator('#figures-channel li[data-key="hotline_4044"] .bar-value').innerText(), String(hotline.count));
    assert.equal(await chiefPage.locator('#figures-suppressed').count(), 0);
    await chiefPage.locator('#figures-acknowledgement').waitFor();
    await chiefPage.locator('#targets-urgent').fill('12');
    await chiefPage.locator('#targets-save').click();
    await chiefPage.getByText('Targets saved.').waitFor();
    assert.match(await chiefPage.locator('#figures-targets-now').innerText(), /Urgent complaints: 12 h/);
    await noHorizontalScroll(chiefPage, 'figures');
    await chiefPage.screenshot({ path: join(SCREENSHOTS, 'intake-figures-360.png'), fullPage: true });

    const leadership = await signIn('demo.leadership');
    await leadership.page.getByRole('navigation', { name: 'Main navigation' }).getByRole('link', { name: 'Complaint figures' }).click();
    await leadership.page.locator('#figures-suppressed').waitFor();
    assert.equal(
      await leadership.page.locator('#figures-channel li[data-key="hotline_4044"] .bar-value').innerText(),
      'fewer than 5',
    );
    assert.equal(await leadership.page.locator('#targets-save').count(), 0, 'leadership does not set targets');
    await collectViolations(leadership.page);
    await leadership.context.close();

    // ---- 13. The types of SEA: the chief adds one and retires it.
    await chiefPage.goto(`${baseUrl}/intake/vocabulary`);
    await chiefPage.locator('#sea-types').waitFor();
    const seaCode = `test_${tag}`;
    await chiefPage.locator('#sea-type-new-code').fill(seaCode);
    await chiefPage.locator('#sea-type-new-en').fill('Invented type');
    await chiefPage.locator('#sea-type-new-fr').fill('Type inventé');
    await chiefPage.locator('#sea-type-add').click();
    await chiefPage.locator(`#sea-types li[data-code="${seaCode}"]`).waitFor();
    await chiefPage.locator(`#sea-type-${seaCode}-retire`).click();
    await chiefPage.locator(`#sea-type-${seaCode}-restore`).waitFor();
    assert.match(await chiefPage.locator(`#sea-types li[data-code="${seaCode}"]`).innerText(), /Retired/);
    await noHorizontalScroll(chiefPage, 'types of SEA');

    // ---- 14. In French, the reporter is "Personne qui signale", never the alleged perpetrator's
    // "Auteur présumé" look-alike; the hotline is a "numéro vert".
    await openComplaint(complaintId);
    await chiefPage.locator('#language-select').selectOption('fr');
    await chiefPage.getByRole('heading', { level: 1, name: new RegExp(`Plainte ${reference}`) }).waitFor();
    const summary = await chiefPage.locator('section[aria-labelledby="summary-heading"]').innerText();
    assert.match(summary, /Personne qui signale/);
    assert.match(summary, /Numéro vert 4044/);
    assert.doesNotMatch(await chiefPage.locator('main').innerText(), /Auteur du signalement|auteur du signalement/);
    assert.match(await chiefPage.locator('#route-ready').innerText(), /Prête pour un dossier/);
    await chiefPage.screenshot({ path: join(SCREENSHOTS, 'intake-complaint-fr-360.png'), fullPage: true });
    await chiefPage.locator('#language-select').selectOption('en');
    await collectViolations(chiefPage);

    // ---- 15. Nothing from elsewhere, nothing blocked, no error.
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
