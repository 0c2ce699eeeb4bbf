// End-to-end test of the case page's panels that cases.test.mjs does not cover, on a 390 px wide
// phone, against a real psea demo server in headless Chromium. The CDT chief becomes the first
// cases reader, then on the demo's case under investigation: adds a victim and a subject (a
// contingent member, with the nationality), assigns the CDT officer (who saw the not-found page
// before and opens the case after, while another officer still gets the not-found page), logs a
// contact with the new victim, records an evidence item, transfers its custody, uploads a file,
// checks the integrity ("intact") and opens the printable chain of custody, records an IRT
// deployment, makes an extract for a partner; reads those panels in French; sees the closed
// demo case without any form; records a decision in the bi-weekly review; reads the figures
// (tables beside the charts), hides the small numbers, downloads the CSV, reads them in French.
// Each panel is photographed at 390 px; no horizontal scrolling.
//
// Run from the repository root after building the server and the web app:
//   (cd web && npm ci && npm run build) && node --test tests/browser/case_panels.test.mjs
// PSEA_BINARY overrides the server binary (default build/psea); CHROMIUM the browser (default
// /usr/bin/chromium); PSEA_SCREENSHOT_DIR the screenshots' folder (default build/screenshots).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, launchChromium, startDemo } from '../support/demo.mjs';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const WEB_DIST = join(repoRoot, 'web/dist');
const SCREENSHOTS = process.env.PSEA_SCREENSHOT_DIR ?? join(repoRoot, 'build/screenshots');
const PSEA_BINARY = process.env.PSEA_BINARY ?? join(repoRoot, 'build/psea');
const PHONE = { width: 390, height: 844 };

/** A date as a datetime-local input takes it (the browser's local time, as Node's here). */
function localInput(date) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
const HOUR = 3_600_000;

test('case panels: victims, subjects, officers, contacts, evidence, IRT, extract, review, figures', { timeout: 120_000 }, async () => {
  assert.ok(existsSync(PSEA_BINARY), `server binary missing: ${PSEA_BINARY} (build it, or set PSEA_BINARY)`);
  assert.ok(existsSync(join(WEB_DIST, 'index.html')), `web app not built: run "npm ci && npm run build" in web/`);
  assert.ok(existsSync(CHROMIUM), `Chromium missing at ${CHROMIUM} (apt-get install -y chromium)`);

  let demo = null;
  let browser = null;
  try {
    await mkdir(SCREENSHOTS, { recursive: true });
    demo = await startDemo({
      binary: PSEA_BINARY, webDist: WEB_DIST, cwd: repoRoot, name: 'psea-case-panels-browser-',
      needed: ['demo.cdt_chief', 'demo.cdt_officer', 'demo.admin'],
    });
    const { baseUrl, accounts } = demo;

    browser = await launchChromium();
    const pageErrors = [];
    const newPage = async () => {
      const context = await browser.newContext({ viewport: PHONE, locale: 'en-GB', acceptDownloads: true });
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      page.on('pageerror', (error) => pageErrors.push(String(error)));
      return page;
    };
    const logIn = async (page, username, password) => {
      await page.goto(`${baseUrl}/login`);
      await page.fill('#login-username', username);
      await page.fill('#login-password', password);
      await page.locator('#login-password').press('Enter');
    };
    const signIn = async (username) => {
      const page = await newPage();
      await logIn(page, username, accounts[username]);
      await page.waitForURL(`${baseUrl}/`);
      return page;
    };
    const noHorizontalScroll = async (page, what) => {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${what}: no horizontal scrolling at 390 px (overflow ${overflow} px)`);
    };
    const shoot = (locator, name) => locator.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });

    // 0. Set-up through the API: the administrator creates a second CDT officer (who must
    // choose a password at the first sign-in).
    const admin = await signIn('demo.admin');
    const me = await (await admin.request.get(`${baseUrl}/api/v1/auth/me`)).json();
    const secondPassword = randomBytes(12).toString('base64url');
    const created = await admin.request.post(`${baseUrl}/api/v1/users`, {
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token },
      data: JSON.stringify({ username: 'cdt.officer.two', display_name: 'Second Officer', role: 'cdt_officer', password: secondPassword }),
    });
    assert.equal(created.status(), 201, await created.text());
    await admin.context().close();

    // 1. The chief becomes the first cases reader (password step-up: the demo has no 2FA), so
    // that he may assign officers.
    const chief = await signIn('demo.cdt_chief');
    await chief.goto(`${baseUrl}/cases/readers`);
    const self = await chief.locator('#case-reader-user option', { hasText: 'demo.cdt_chief' }).getAttribute('value');
    await chief.locator('#case-reader-user').selectOption(self);
    await chief.locator('#case-reader-password').fill(accounts['demo.cdt_chief']);
    await chief.locator('#case-reader-password').press('Enter');
    await chief.getByText('demo.cdt_chief is now a cases reader.').waitFor();

    // The demo's case under investigation, from the list.
    await chief.goto(`${baseUrl}/cases`);
    const row = chief.locator('#cases-table tbody tr').filter({ hasText: 'Under investigation' }).first();
    await row.getByRole('link').click();
    await chief.waitForURL(/\/cases\/\d+$/);
    const caseId = Number(new URL(chief.url()).pathname.split('/').pop());
    await chief.locator('#case-heading').waitFor();
    const reference = (await chief.locator('#case-heading').innerText()).replace(/^Case /, '');
    const caseUrl = `${baseUrl}/cases/${caseId}`;

    // 2a. A victim: the pseudonym comes filled in (V2); the identity is sealed at once.
    await chief.locator('#victim-add').click();
    assert.equal(await chief.locator('#victim-pseudonym').inputValue(), 'V2');
    await chief.locator('#victim-sex').selectOption('female');
    await chief.locator('#victim-age-group').selectOption('adult');
    await chief.locator('#victim-age').fill('24');
    await chief.locator('#victim-name').fill('Invented Victim Two');
    await chief.locator('#victim-save').click();
    await chief.getByText('Victim V2 added.').waitFor();
    const victimRow = chief.locator('#case-victims tbody tr').filter({ hasText: 'V2' });
    await victimRow.getByText('Female').waitFor();
    assert.equal(await victimRow.locator('td').nth(2).innerText(), '24');
    const victimsPanel = chief.locator('section[aria-labelledby="victims-heading"]');
    await shoot(victimsPanel, 'case-panels-victims-phone');

    // 2b. A subject: a contingent member, so the nationality is asked (by name), by keyboard.
    await chief.locator('#subject-add').click();
    await chief.waitForFunction(() => document.activeElement?.id === 'subject-category');
    await chief.locator('#subject-category').selectOption('military_contingent');
    await chief.locator('#subject-nationality').selectOption({ label: 'Nepal' });
    await chief.locator('#subject-unit').fill('Demo engineering company (invented)');
    await chief.locator('#subject-rank').fill('Sergeant');
    await chief.locator('#subject-rank').press('Enter');
    await chief.getByText('Subject added.').waitFor();
    const subjectRow = chief.locator('#case-subjects tbody tr').filter({ hasText: 'Demo engineering company' });
    await subjectRow.getByText('Military contingent member').waitFor();
    await subjectRow.getByText('Nepal').waitFor();
    await shoot(chief.locator('section[aria-labelledby="subjects-heading"]'), 'case-panels-subjects-phone');

    // 2c. The officer is not assigned yet: the case is the not-found page for him.
    const officer = await signIn('demo.cdt_officer');
    await officer.goto(caseUrl);
    await officer.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    assert.equal(await officer.getByRole('button', { name: 'Retry' }).count(), 0, 'nothing to retry on a case one may not see');
    assert.equal(await officer.getByText(reference).count(), 0, 'not even the reference');

    // The chief assigns him.
    const officerOption = await chief.locator('#officer-choose option', { hasText: 'demo.cdt_officer' }).getAttribute('value');
    await chief.locator('#officer-choose').selectOption(officerOption);
    await chief.locator('#officer-assign').click();
    await chief.getByText('Officer assigned.').waitFor();
    await chief.locator('#case-officers strong', { hasText: 'demo.cdt_officer' }).waitFor();
    await shoot(chief.locator('section[aria-labelledby="officers-heading"]'), 'case-panels-officers-phone');

    // Now he opens the case, with its new victim.
    await officer.reload();
    await officer.locator('#case-heading').filter({ hasText: reference }).waitFor();
    await officer.locator('#case-victims tbody tr').filter({ hasText: 'V2' }).waitFor();
    await officer.context().close();

    // Another officer, who chooses his password first, still gets the not-found page.
    const second = await newPage();
    await logIn(second, 'cdt.officer.two', secondPassword);
    await second.waitForURL(/\/account$/);
    const ownPassword = randomBytes(12).toString('base64url');
    await second.locator('#account-current').fill(secondPassword);
    await second.locator('#account-new').fill(ownPassword);
    await second.locator('#account-repeat').fill(ownPassword);
    await second.locator('#account-repeat').press('Enter');
    await second.getByText('Your password has been changed.').waitFor();
    await second.goto(caseUrl);
    await second.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    await second.screenshot({ path: join(SCREENSHOTS, 'case-panels-not-found-phone.png'), fullPage: true });
    await second.context().close();

    // 3. A contact with the new victim, by phone.
    const contacts = chief.locator('section[aria-labelledby="contacts-heading"]');
    await chief.locator('#contact-victim').selectOption({ label: 'V2' });
    await contacts.getByText('No contact logged with this victim yet.').waitFor();
    await chief.locator('#contact-channel').selectOption('phone');
    await chief.locator('#contact-note').fill('Told that the case is under investigation (invented).');
    await contacts.getByRole('button', { name: 'Log the contact' }).click();
    await contacts.getByText('Contact logged.').waitFor();
    await contacts.locator('tbody tr').filter({ hasText: 'By phone' }).filter({ hasText: 'demo.cdt_chief' }).waitFor();
    await shoot(contacts, 'case-panels-contacts-phone');

    // 4. Evidence: an item, a transfer, a file, the integrity check, the printable chain.
    const evidence = chief.locator('section[aria-labelledby="evidence-heading"]');
    const now = Date.now();
    await evidence.getByText('Record an evidence item').click();
    await chief.locator('#evidence-label').fill('E-1 mobile phone');
    await chief.locator('#evidence-description').fill('A phone handed over by the victim (invented).');
    await chief.locator('#evidence-collected_by').fill('CDT officer on duty');
    await chief.locator('#evidence-collected_at').fill(localInput(new Date(now - 48 * HOUR)));
    await chief.locator('#evidence-place_collected').fill('Boali team site');
    await chief.locator('#evidence-storage_location').fill('CDT safe, Bangui');
    await chief.locator('#evidence-storage_location').press('Enter');
    await evidence.getByText('Evidence item E-1 mobile phone recorded.').waitFor();
    const item = evidence.locator('article.evidence-item').filter({ hasText: 'E-1 mobile phone' });
    await item.getByText('Held').first().waitFor();

    await item.getByText('Record a transfer of custody').click();
    await item.locator('input[id^=transfer-to-]').fill('OIOS investigator (invented)');
    await item.locator('input[id^=transfer-at-]').fill(localInput(new Date(now - 24 * HOUR)));
    await item.locator('input[id^=transfer-purpose-]').fill('Forensic examination');
    await item.locator('select[id^=transfer-status-]').selectOption('transferred');
    await item.locator('input[id^=transfer-location-]').fill('OIOS evidence room');
    await item.getByRole('button', { name: 'Record the transfer' }).click();
    await evidence.getByText('Transfer recorded.').waitFor();
    const custody = item.locator('table').first().locator('tbody tr');
    await custody.nth(1).filter({ hasText: 'OIOS investigator (invented)' }).filter({ hasText: 'Forensic examination' }).waitFor();
    assert.equal(await custody.count(), 2, 'the collection and the transfer');

    const upload = item.locator('input[type=file]');
    const [chooser] = await Promise.all([chief.waitForEvent('filechooser'), upload.click()]);
    await chooser.setFiles({ name: 'handover-note.txt', mimeType: 'text/plain', buffer: Buffer.from('Invented hand-over note for the test.\n') });
    await evidence.getByText('File handover-note.txt stored, encrypted.').waitFor();
    await item.locator('tbody th', { hasText: 'handover-note.txt' }).waitFor();

    await evidence.getByRole('button', { name: 'Check integrity' }).click();
    await evidence.getByRole('status').filter({ hasText: /^Intact: every custody entry matches its hash/ }).waitFor();
    await item.locator('h3 .badge', { hasText: /^intact$/ }).waitFor();
    await noHorizontalScroll(chief, 'the evidence panel');
    await shoot(evidence, 'case-panels-evidence-phone');

    const [printed] = await Promise.all([
      chief.context().waitForEvent('page'),
      item.getByRole('link', { name: 'Printable chain of custody' }).click(),
    ]);
    await printed.waitForLoadState();
    const printedText = await printed.locator('body').innerText();
    for (const expected of ['E-1 mobile phone', 'OIOS investigator (invented)', 'Forensic examination', 'handover-note.txt', reference]) {
      assert.ok(printedText.includes(expected), `the printable chain of custody shows "${expected}"`);
    }
    await printed.screenshot({ path: join(SCREENSHOTS, 'case-panels-custody-print-phone.png'), fullPage: true });
    await printed.close();

    // IRT: alerted three days ago, deployed six hours later.
    const irt = chief.locator('section[aria-labelledby="irt-heading"]');
    const alerted = new Date(now - 72 * HOUR);
    await irt.getByText('Record a deployment').click();
    await chief.locator('#irt-alerted_at').fill(localInput(alerted));
    await chief.locator('#irt-deployed_at').fill(localInput(new Date(alerted.getTime() + 6 * HOUR)));
    await chief.locator('#irt-team').fill('Team leader (invented), medical officer (invented)');
    await chief.locator('#irt-place').fill('Boali');
    await chief.locator('#irt-actions').fill('Victim referred to the health centre.');
    await irt.getByRole('button', { name: 'Save the deployment' }).click();
    await irt.getByText('Deployment recorded.').waitFor();
    const deployment = irt.locator('tbody tr').filter({ hasText: 'Boali' });
    assert.equal(await deployment.locator('td[data-label="Hours to deploy"]').innerText(), '6');
    await shoot(irt, 'case-panels-irt-phone');

    // 5. An extract for a partner: both fields required; made, shown and listed.
    const extract = chief.locator('section[aria-labelledby="extract-heading"]');
    await chief.locator('#extract-make').click();
    await extract.getByText('Name the partner entity.').waitFor();
    await chief.waitForFunction(() => document.activeElement?.id === 'extract-recipient');
    await chief.keyboard.type('UNICEF child protection (invented)');
    await chief.locator('#extract-purpose').fill('Follow-up of the assistance to the victim');
    await chief.locator('#extract-purpose').press('Enter');
    await extract.getByText('Extract no. 1 made for UNICEF child protection (invented).').waitFor();
    await chief.locator('#extract-made').getByText(`Extract of case ${reference} for UNICEF child protection (invented)`).waitFor();
    // What the partner reads is in words, not the API's codes; no identity.
    const made = chief.locator('#extract-made');
    await made.getByText('Sexual exploitation', { exact: true }).waitFor();
    await made.getByText('Troop-contributing country (NIO)', { exact: true }).waitFor();
    await made.getByText('V2: Female, 18 or over').waitFor();
    await made.getByText('Military contingent member, Nepal, Demo engineering company (invented)').waitFor();
    assert.ok(!(await made.innerText()).includes('Invented Victim Two'), 'no victim name in the extract');
    await chief.locator('#extract-list li').filter({ hasText: 'UNICEF child protection (invented)' }).filter({ hasText: 'Follow-up of the assistance' }).waitFor();
    await noHorizontalScroll(chief, 'the case page');
    await shoot(extract, 'case-panels-extract-phone');

    // The same panels in French, by the language switch.
    await chief.locator('#language-select').selectOption('fr');
    await chief.getByRole('heading', { level: 2, name: 'Contacts avec les victimes' }).waitFor();
    await contacts.locator('tbody tr').filter({ hasText: 'Par téléphone' }).waitFor();
    await contacts.getByRole('button', { name: 'Consigner le contact' }).waitFor();
    await evidence.getByRole('heading', { level: 2, name: 'Preuves et chaîne de possession' }).waitFor();
    await evidence.getByRole('button', { name: 'Vérifier l’intégrité' }).waitFor();
    await irt.getByRole('heading', { level: 2, name: 'Déploiements de l’équipe d’intervention immédiate' }).waitFor();
    await extract.getByRole('heading', { level: 2, name: 'Partager un extrait' }).waitFor();
    await noHorizontalScroll(chief, 'the French case page');
    await shoot(contacts, 'case-panels-contacts-phone-fr');
    await shoot(evidence, 'case-panels-evidence-phone-fr');
    await chief.locator('#language-select').selectOption('en');
    await chief.getByRole('heading', { level: 2, name: 'Contacts with victims' }).waitFor();

    // 6. The closed demo case: its panels show no form, each says why.
    await chief.goto(`${baseUrl}/cases?status=closed`);
    await chief.locator('#cases-table tbody tr').first().getByRole('link').click();
    await chief.locator('#case-status', { hasText: 'Closed' }).waitFor();
    const closedContacts = chief.locator('section[aria-labelledby="contacts-heading"]');
    await closedContacts.getByText('The case is closed: nothing can be added or changed here.').waitFor();
    assert.equal(await chief.locator('#contact-date').count(), 0, 'no contact form on a closed case');
    for (const [heading, form] of [['victims-heading', '#victim-add'], ['subjects-heading', '#subject-add'], ['officers-heading', '#officer-choose']]) {
      await chief.locator(`section[aria-labelledby="${heading}"]`).getByText('The case is closed').waitFor();
      assert.equal(await chief.locator(form).count(), 0, `${form}: no form on a closed case`);
    }
    await shoot(closedContacts, 'case-panels-contacts-closed-phone');

    // 7. The bi-weekly review: the case, its status in words; a decision recorded.
    await chief.goto(`${baseUrl}/cases/review`);
    await chief.getByRole('heading', { level: 1, name: 'Bi-weekly review' }).waitFor();
    const reviewRow = chief.locator(`tr[data-case="${caseId}"]`);
    await reviewRow.getByRole('link', { name: reference }).waitFor();
    await reviewRow.getByText('Under investigation', { exact: true }).waitFor();
    await reviewRow.getByText('Troop-contributing country (NIO)').waitFor();
    await chief.locator(`#decision-${caseId}`).fill('Ask the NIO for an update on the interviews.');
    await chief.locator(`#owner-${caseId}`).fill('CDT chief');
    await chief.locator(`#due-${caseId}`).fill(new Date(now + 14 * 24 * HOUR).toISOString().slice(0, 10));
    await reviewRow.getByRole('button', { name: 'Record the decision' }).click();
    await chief.getByText(`Decision recorded for ${reference}.`).waitFor();
    await reviewRow.getByText('Ask the NIO for an update on the interviews.').waitFor();
    await noHorizontalScroll(chief, 'the review');
    await chief.screenshot({ path: join(SCREENSHOTS, 'case-panels-review-phone.png'), fullPage: true });

    // 8. The figures: each chart with its table; the demo's three cases plus this page's victim
    // and subject (two subjects on the case under investigation).
    await chief.goto(`${baseUrl}/cases/figures`);
    const totals = chief.locator('#case-figures-totals');
    await totals.filter({ hasText: 'Allegations: 3 (4 counted per subject); victims: 4.' }).waitFor();
    const cell = (table, key) => chief.locator(`#case-figures-${table} tr[data-key="${key}"] td`).first();
    assert.equal(await cell('category', 'sexual_exploitation').innerText(), '2');
    assert.equal(await cell('category', 'sexual_abuse').innerText(), '1');
    assert.equal(await cell('personnel', 'military_contingent').innerText(), '1');
    assert.equal(await chief.locator('#case-figures-personnel tr[data-key="military_contingent"] td').nth(1).innerText(), '2', 'two subjects of one allegation');
    await chief.locator('#case-figures-nationality tr[data-key="NP"] th', { hasText: 'Nepal' }).waitFor();
    const categoryChart = chief.locator('section[aria-labelledby="case-figures-category-heading"] .chart');
    await categoryChart.locator('.ct-bar').first().waitFor({ state: 'attached' });
    assert.ok((await categoryChart.locator('.ct-bar').count()) >= 2, 'the category chart has its bars');
    // The chart reads as its table: the tallest bar (3 per subject) ends level with the axis's "3".
    const { barTop, labelMiddle } = await categoryChart.evaluate((chart) => {
      const barTop = Math.min(...[...chart.querySelectorAll('.ct-bar')].map((bar) => bar.getBoundingClientRect().top));
      const label = [...chart.querySelectorAll('.ct-label.ct-vertical')].find((one) => one.textContent.trim() === '3');
      const range = document.createRange();
      range.selectNodeContents(label);
      const text = range.getBoundingClientRect();
      return { barTop, labelMiddle: (text.top + text.bottom) / 2 };
    });
    assert.ok(Math.abs(barTop - labelMiddle) <= 8, `the bar of 3 ends at the label "3" (bar top ${barTop}, label middle ${labelMiddle})`);
    await noHorizontalScroll(chief, 'the figures');
    await chief.screenshot({ path: join(SCREENSHOTS, 'case-panels-figures-phone.png'), fullPage: true });

    // Hide the small numbers (by keyboard): every count here is under 5.
    await chief.locator('#case-figures-suppress').focus();
    await chief.keyboard.press('Space');
    assert.equal(await chief.locator('#case-figures-below').inputValue(), '5');
    await chief.locator('#case-figures-below').press('Enter');
    await totals.filter({ hasText: 'Allegations: <5 (<5 counted per subject); victims: <5.' }).waitFor();
    await chief.locator('#case-figures-suppressed').getByText('Counts from 1 to 4 are shown as “<5”').waitFor();
    assert.equal(await cell('category', 'sexual_exploitation').innerText(), '<5');
    assert.equal(await cell('category', 'sexual_abuse').innerText(), '<5');
    await chief.screenshot({ path: join(SCREENSHOTS, 'case-panels-figures-suppressed-phone.png'), fullPage: true });

    // The UN public table as CSV.
    const [download] = await Promise.all([chief.waitForEvent('download'), chief.locator('#case-figures-csv').click()]);
    assert.match(download.suggestedFilename(), /\.csv$/);
    const csv = await readFile(await download.path(), 'utf8');
    const firstLine = csv.replace(/^\uFEFF/, '').split(/\r?\n/)[0];
    assert.match(firstLine, /^Mission,Month reported,Category,/);

    // In French: the page, and the values in words of the language.
    await chief.locator('#language-select').selectOption('fr');
    await chief.getByRole('heading', { level: 1, name: 'Chiffres des allégations' }).waitFor();
    await chief.locator('#case-figures-category tr[data-key="sexual_exploitation"] th', { hasText: 'Exploitation sexuelle' }).waitFor();
    await totals.filter({ hasText: 'Allégations\u00a0: <5' }).or(totals.filter({ hasText: 'Allégations : <5' })).waitFor();
    await chief.screenshot({ path: join(SCREENSHOTS, 'case-panels-figures-phone-fr.png'), fullPage: true });
    await noHorizontalScroll(chief, 'the French figures');
    const spills = await chief.evaluate(() =>
      [...document.querySelectorAll('.figure-grid > section')]
        .filter((card) => [...card.querySelectorAll('table.numbers')].some((table) => !table.closest('.table-scroll') && table.getBoundingClientRect().right > card.getBoundingClientRect().right))
        .map((card) => card.querySelector('h2').textContent),
    );
    assert.deepEqual(spills, [], 'every table of numbers fits its card at 390 px in French');

    assert.deepEqual(pageErrors, [], 'no script errors');
  } finally {
    if (browser) await browser.close();
    if (demo) await demo.stop();
  }
});
