// End-to-end test of the action plan pages against a real psea demo server, in headless
// Chromium: as a CDT officer, open the matrix and filter it by a unit, open an activity and
// record a monthly entry with an evidence file (its SHA-256 shown in the history, the file
// downloaded back unchanged), open the 2018 progress report and download it as XLSX, read the
// workbook back (a zip, read here with node:zlib); then, as a partner focal point, check that
// the entry form is not offered on an activity that none of their units leads or supports.
//
// Run from the repository root after building the server and the web app:
//   (cd web && npm ci && npm run build) && node --test tests/browser/plan.test.mjs
// PSEA_BINARY overrides the server binary (default build/psea, or build-dev/psea when
// build/psea is missing or predates the plan module); CHROMIUM the browser (default
// /usr/bin/chromium); PSEA_SCREENSHOT_DIR the screenshots' folder (default build/screenshots).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, launchChromium, stopServer, waitForDemo, waitForHealth } from '../support/demo.mjs';
import { setTimeout as sleep } from 'node:timers/promises';
import { inflateRawSync } from 'node:zlib';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

const WEB_DIST = join(repoRoot, 'web/dist');
const SCREENSHOTS = process.env.PSEA_SCREENSHOT_DIR ?? join(repoRoot, 'build/screenshots');

/** build/psea, unless it is missing or older than the plan module (no `plan` subcommand). */
function serverBinary() {
  if (process.env.PSEA_BINARY) return process.env.PSEA_BINARY;
  const release = join(repoRoot, 'build/psea');
  const dev = join(repoRoot, 'build-dev/psea');
  if (!existsSync(release)) return dev;
  const help = spawnSync(release, ['--help'], { encoding: 'utf8' });
  if (!/^\s+plan\s/m.test(help.stdout ?? '') && existsSync(dev)) return dev;
  return release;
}
const PSEA_BINARY = serverBinary();

// ---- A zip reader (an .xlsx is a zip): the central directory, then each member's data.

function unzip(buffer) {
  let end = buffer.length - 22;
  while (end >= 0 && buffer.readUInt32LE(end) !== 0x06054b50) end -= 1;
  assert.ok(end >= 0, 'zip: no end of central directory');
  const count = buffer.readUInt16LE(end + 10);
  let offset = buffer.readUInt32LE(end + 16);
  const files = new Map();
  for (let index = 0; index < count; index += 1) {
    assert.equal(buffer.readUInt32LE(offset), 0x02014b50, 'zip: central directory entry');
    const method = buffer.readUInt16LE(offset + 10);
    const compressedSize = buffer.readUInt32LE(offset + 20);
    const nameLength = buffer.readUInt16LE(offset + 28);
    const extraLength = buffer.readUInt16LE(offset + 30);
    const commentLength = buffer.readUInt16LE(offset + 32);
    const localOffset = buffer.readUInt32LE(offset + 42);
    const name = buffer.toString('utf8', offset + 46, offset + 46 + nameLength);
    assert.equal(buffer.readUInt32LE(localOffset), 0x04034b50, `zip: local header of ${name}`);
    const dataStart = localOffset + 30 + buffer.readUInt16LE(localOffset + 26) + buffer.readUInt16LE(localOffset + 28);
    const data = buffer.subarray(dataStart, dataStart + compressedSize);
    assert.ok(method === 0 || method === 8, `zip: ${name} uses compression method ${method}`);
    files.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

function xmlText(text) {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

// ---- Processes




// ---- The test

test('action plan: matrix, filters, an entry with evidence, report and XLSX, partner limits', { timeout: 90_000 }, async () => {
  assert.ok(existsSync(PSEA_BINARY), `server binary missing: ${PSEA_BINARY} (build it, or set PSEA_BINARY)`);
  assert.ok(existsSync(join(WEB_DIST, 'index.html')), `web app not built: run "npm ci && npm run build" in web/`);
  assert.ok(existsSync(CHROMIUM), `Chromium missing at ${CHROMIUM} (apt-get install -y chromium)`);

  const tmp = await mkdtemp(join(tmpdir(), 'psea-plan-browser-'));
  const portFile = join(tmp, 'port');
  let server = null;
  let serverOutput = '';
  let browser = null;

  try {
    await mkdir(SCREENSHOTS, { recursive: true });
    // `demo` imports the MINUSCA plan (from data/plans/, hence the working folder), makes
    // demo.cdt_officer a focal point of CDT and demo.partner_focal_point one of UNCT and FORCE.
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
    const { port, accounts } = await waitForDemo(portFile, server, output, ['demo.cdt_officer', 'demo.partner_focal_point']);
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitForHealth(baseUrl, output);

    browser = await launchChromium();

    const foreignRequests = [];
    const pageErrors = [];
    const cspViolations = [];
    const consoleErrors = [];

    async function signIn(username) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB', acceptDownloads: true });
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
      page.on('console', (message) => {
        if (message.type() === 'error') consoleErrors.push(message.text());
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

    // 1. The matrix, as a CDT officer, reached from the navigation.
    const { page } = await signIn('demo.cdt_officer');
    const nav = page.getByRole('navigation', { name: 'Main navigation' });
    assert.ok(await nav.getByRole('link', { name: 'My activities', exact: true }).isVisible(), 'nav shows My activities');
    await nav.getByRole('link', { name: 'Action plan', exact: true }).click();
    await page.waitForURL(/\/plans$/);
    await page.getByRole('link', { name: 'Open the matrix' }).first().click();
    await page.waitForURL(/\/plans\/\d+$/);
    const planId = Number(new URL(page.url()).pathname.split('/').pop());
    const rows = page.locator('tr.activity-row');
    await rows.first().waitFor();
    const total = await rows.count();
    assert.ok(total > 10, `the matrix lists the plan's activities (${total})`);
    const planTitle = (await page.locator('h1').innerText()).trim();
    assert.match(planTitle, /MINUSCA Action Plan on Sexual Exploitation and Abuse/);
    // Every month cell says its status in words, not only in colour.
    const coloured = page.locator('td.month-cell:not(.s-none):not(.s-not_started)').first();
    assert.match(await coloured.locator('.visually-hidden').innerText(), /\d{4}: (On track|At risk|Delayed|Completed|Continuous|Cancelled)/);
    assert.match(await coloured.locator('.cell-code').innerText(), /^[A-Z]{2}$/);

    // 2. Filter by a unit: the address keeps the filter, every row names the unit.
    await page.selectOption('#filter-unit', 'CDT');
    await page.waitForURL(/[?&]unit=CDT/);
    await page.getByText(/ of \d+ activities shown/).waitFor();
    const filtered = await rows.count();
    assert.ok(filtered > 0 && filtered < total, `filtering by CDT keeps some rows (${filtered} of ${total})`);
    const unitCells = await rows.evaluateAll((list) =>
      list.map((row) => `${row.querySelector('.units-lead')?.textContent ?? ''} ${row.querySelector('.units-support')?.textContent ?? ''}`),
    );
    for (const text of unitCells) assert.match(text, /\bCDT\b/, `a filtered row names CDT as lead or support: ${text}`);
    assert.equal(await page.getByText(`${filtered} of ${total} activities shown`).count(), 1, 'the count of rows is announced');
    await page.locator('.legend').first().evaluate((element) => element.scrollIntoView());
    await page.screenshot({ path: join(SCREENSHOTS, 'plan-matrix.png'), fullPage: false });
    await collectViolations(page);

    // The same page on a phone: stacked cards, nothing wider than the screen.
    await page.setViewportSize({ width: 360, height: 740 });
    await page.locator('tr.activity-row').first().scrollIntoViewIfNeeded();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling at 360 px (overflow ${overflow} px)`);
    await page.screenshot({ path: join(SCREENSHOTS, 'plan-matrix-mobile.png'), fullPage: false });
    await page.setViewportSize({ width: 1280, height: 900 });

    // 3. An activity of CDT: record a monthly entry with an evidence file and a link, with a
    // status other than the one its June cell shows now, so that the matrix must change.
    const juneCell = () => rows.first().locator('td.month-cell').nth(5);
    const juneBefore = await juneCell().getAttribute('title');
    assert.match(juneBefore, /^June 2018/);
    const recorded = /: On track/.test(juneBefore) ? { value: 'delayed', label: 'Delayed' } : { value: 'on_track', label: 'On track' };
    await rows.first().locator('th a').click();
    await page.waitForURL(/\/activities\/\d+$/);
    await page.getByRole('heading', { level: 1, name: /^Activity / }).waitFor();
    await page.locator('#entry-narrative').waitFor();
    const tag = randomBytes(6).toString('hex');
    const narrative = `Browser test ${tag}: focus group with 24 participants in Bangui.`;
    const evidenceName = `evidence-${tag}.txt`;
    const evidenceBody = Buffer.from(`Attendance sheet ${tag}\n24 participants\n`);
    const evidenceSha = createHash('sha256').update(evidenceBody).digest('hex');
    await page.selectOption('#entry-month', '2018-06');
    await page.fill('#entry-occurred-on', '2018-06-14');
    await page.selectOption('#entry-status', recorded.value);
    await page.fill('#entry-narrative', narrative);
    await page.setInputFiles('#entry-files', { name: evidenceName, mimeType: 'text/plain', buffer: evidenceBody });
    await page.locator('.pending-files .file-name', { hasText: evidenceName }).waitFor();
    await page.getByRole('button', { name: 'Add a link' }).click();
    await page.getByLabel('Address of link 1').fill('https://example.org/minusca/focus-group');
    await page.getByLabel('Title of link 1').fill('Mission news item');
    await page.getByRole('button', { name: 'Record the entry' }).click();
    await page.getByText(/Entry #\d+ recorded for June 2018\./).waitFor();

    // The history reloads after the message appears: wait for the new entry to head it.
    const newest = page.locator('li.history-entry').first();
    await newest.filter({ hasText: tag }).waitFor({ timeout: 10000 }).catch(() => undefined);
    assert.match(await newest.innerText(), new RegExp(tag), 'the new entry heads the history');
    assert.match(await newest.locator('h3').innerText(), /June 2018/);
    const fileLink = newest.getByRole('link', { name: evidenceName });
    assert.match(await fileLink.getAttribute('href'), /^\/api\/v1\/evidence\/\d+$/);
    const shaText = await newest.locator('.sha').innerText();
    assert.ok(shaText.includes(evidenceSha.slice(0, 16)), `the history shows the SHA-256 prefix (${shaText} vs ${evidenceSha})`);
    assert.equal(await newest.locator('.sha').getAttribute('title'), evidenceSha, 'the full SHA-256 is in the title');
    const external = newest.getByRole('link', { name: 'Mission news item' });
    assert.equal(await external.getAttribute('rel'), 'noopener noreferrer');
    assert.equal(await external.getAttribute('target'), '_blank');
    // The evidence comes back as it was sent.
    const [evidenceDownload] = await Promise.all([page.waitForEvent('download'), fileLink.click()]);
    const downloaded = await readFile(await evidenceDownload.path());
    assert.equal(createHash('sha256').update(downloaded).digest('hex'), evidenceSha, 'the downloaded evidence has the same SHA-256');
    await page.screenshot({ path: join(SCREENSHOTS, 'activity.png'), fullPage: true });
    await collectViolations(page);

    // Back on the matrix (read before the entry, and cached since), June shows the new entry.
    await page.goto(`${baseUrl}/plans/${planId}?unit=CDT`);
    await rows.first().waitFor();
    assert.match(await juneCell().getAttribute('title'), new RegExp(`^June 2018: ${recorded.label}`), 'the matrix shows the entry just recorded');

    // 4. The 2018 progress report: the entry is the latest of its activity there, and in the
    // XLSX, which holds every entry of the period.
    await page.goto(`${baseUrl}/plans/${planId}/report`);
    await page.getByRole('link', { name: '2018', exact: true }).click();
    await page.waitForURL(/from=2018-01&to=2018-12/);
    await page.getByRole('heading', { level: 1, name: 'Progress report: January 2018 – December 2018' }).waitFor();
    await page.getByText(narrative).waitFor();
    await page.locator('#summary-heading').evaluate((element) => element.scrollIntoView());
    await page.screenshot({ path: join(SCREENSHOTS, 'report.png'), fullPage: false });
    const xlsxLink = page.getByRole('link', { name: 'Download XLSX' });
    assert.match(await xlsxLink.getAttribute('href'), new RegExp(`^/api/v1/plans/${planId}/report\\?from=2018-01&to=2018-12&format=xlsx&lang=en$`));
    const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), xlsxLink.click()]);
    assert.match(xlsxDownload.suggestedFilename(), /\.xlsx$/);
    const workbook = unzip(await readFile(await xlsxDownload.path()));
    const sheetText = [workbook.get('xl/worksheets/sheet1.xml'), workbook.get('xl/sharedStrings.xml')]
      .filter(Boolean)
      .map((part) => part.toString('utf8'))
      .join('\n');
    const allText = [...workbook.entries()]
      .filter(([name]) => name.startsWith('xl/') && name.endsWith('.xml'))
      .map(([, data]) => data.toString('utf8'))
      .join('\n');
    assert.ok(sheetText.includes(xmlText(planTitle)), 'the workbook carries the plan title');
    assert.ok(allText.includes(xmlText(narrative)), 'the workbook carries the entry recorded above');
    await collectViolations(page);

    // 5. A partner focal point (UNCT, FORCE) on an activity none of their units leads or
    // supports: no entry form, an explanation instead. On one of theirs, the form is there.
    const partner = await signIn('demo.partner_focal_point');
    const ids = await partner.page.evaluate(async (id) => {
      const plan = await (await fetch(`/api/v1/plans/${id}`)).json();
      const activities = plan.pillars.flatMap((pillar) => pillar.goals.flatMap((goal) => goal.activities));
      const codes = (activity) => [...activity.lead_units, ...activity.support_units].map((unit) => unit.code);
      return {
        other: activities.find((activity) => !codes(activity).some((code) => code === 'UNCT' || code === 'FORCE'))?.id,
        own: activities.find((activity) => codes(activity).includes('UNCT'))?.id,
      };
    }, planId);
    assert.ok(ids.other && ids.own, `activities found for the partner check: ${JSON.stringify(ids)}`);
    await partner.page.goto(`${baseUrl}/activities/${ids.other}`);
    await partner.page.getByRole('heading', { level: 2, name: 'Record progress' }).waitFor();
    await partner.page.locator('#entry-not-yours').waitFor();
    assert.match(await partner.page.locator('#entry-not-yours').innerText(), /Your units neither lead nor support this activity/);
    assert.equal(await partner.page.locator('#entry-narrative').count(), 0, 'no entry form on an activity of other units');
    await partner.page.goto(`${baseUrl}/activities/${ids.own}`);
    await partner.page.locator('#entry-narrative').waitFor();
    assert.equal(await partner.page.locator('#entry-not-yours').count(), 0);
    await collectViolations(partner.page);

    // 6. In French: pillar names from the catalog, "But" for a goal, "1er trimestre"; the
    // victim assistance of Enforcement 5 under Remedial action with its second tag; and the
    // fragments the source does not let anyone read said to be so.
    await partner.page.selectOption('#language-select', 'fr');
    await partner.page.goto(`${baseUrl}/my`);
    await partner.page.getByRole('heading', { level: 1, name: 'Mes activités' }).waitFor();
    const places = await partner.page.locator('.place').allInnerTexts();
    assert.ok(places.length > 0, 'the partner has activities');
    for (const place of places) {
      assert.match(place, /^(Prévention|Application des règles|Mesures correctives) · but \d+ \([a-z]+\)$/, place);
    }
    await partner.page.goto(`${baseUrl}/plans/${planId}/report`);
    await partner.page.getByRole('heading', { level: 2, name: 'Prévention' }).waitFor();
    const firstQuarter = partner.page.locator('a.preset', { hasText: 'T1' }).first();
    assert.equal(await firstQuarter.getAttribute('aria-label'), '1er trimestre 2018');
    assert.match(await partner.page.locator('a.preset', { hasText: 'T2' }).first().getAttribute('aria-label'), /^2e trimestre 2018$/);
    assert.match(await partner.page.locator('h3').first().innerText(), /^But 1\. /);
    await partner.page.goto(`${baseUrl}/plans/${planId}?pillar=remedial_action`);
    await partner.page.getByRole('heading', { level: 2, name: 'Mesures correctives' }).waitFor();
    assert.deepEqual(await partner.page.locator('section.pillar h2').allInnerTexts(), ['Application des règles', 'Mesures correctives']);
    assert.equal(await partner.page.locator('#filter-pillar option:checked').innerText(), 'Mesures correctives');
    assert.equal(await partner.page.locator('.tag.second-pillar').count(), 6);
    assert.equal(await partner.page.locator('.tag.second-pillar').first().innerText(), 'aussi Mesures correctives');
    assert.match(await partner.page.locator('section.pillar').last().locator('h3').first().innerText(),
      /^But 1\. Design a victim-centered \[illisible dans la source\]$/);
    assert.match(await partner.page.locator('section.pillar').last().locator('.results li').first().innerText(),
      /^\(i\)\s+\[illisible dans la source\]$/);
    assert.match(await partner.page.locator('p.count').innerText(), /^10 /);
    await collectViolations(partner.page);

    // 7. Nothing from elsewhere, nothing blocked.
    assert.deepEqual(foreignRequests, [], 'no request to another origin');
    assert.deepEqual(cspViolations, [], 'no CSP violation events');
    assert.deepEqual(consoleErrors.filter((text) => /Content Security Policy|Refused to/i.test(text)), [], 'no CSP errors in the console');
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
