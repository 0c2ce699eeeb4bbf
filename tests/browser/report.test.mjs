// The public reporting page as a reporter on a shared phone uses it: JavaScript off, a
// 360 px screen, French. Fill the form by keyboard only, submit, read the receipt code, follow
// the report up with it and send a message; check that no cookie was ever set, that nothing was
// asked of another site, that the title says nothing, and that the page weighs under 30 KB.
// Then a CDT chief (through the API) sees the complaint, reads the narrative and answers, and
// the reporter reads the answer.
//
// Run from the repository root after building the server:
//   node --test tests/browser/report.test.mjs
// PSEA_BINARY overrides the server binary (default build/psea); CHROMIUM the browser.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHROMIUM, launchChromium, stopServer } from '../support/demo.mjs';
import { setTimeout as sleep } from 'node:timers/promises';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

const PSEA_BINARY = process.env.PSEA_BINARY ?? join(repoRoot, 'build/psea');
const SCREENSHOTS = process.env.PSEA_SCREENSHOT_DIR ?? join(repoRoot, 'build/screenshots');
const NARRATIVE = 'Récit synthétique : Quorvina Zeldabrun a vu la scène près du marché.';

async function startDemo(tmp, env = {}) {
  const portFile = join(tmp, 'port');
  let output = '';
  const server = spawn(
    PSEA_BINARY,
    ['demo', '--db', `sqlite:${join(tmp, 'psea.db')}`, '--data-dir', join(tmp, 'data'),
      '--listen', '127.0.0.1:0', '--port-file', portFile, '--web', join(repoRoot, 'web/dist')],
    { cwd: repoRoot, env: { ...process.env, PSEA_ARGON2_PROFILE: 'fast', ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  server.stdout.on('data', (chunk) => (output += chunk));
  server.stderr.on('data', (chunk) => (output += chunk));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`psea demo exited ${server.exitCode}:\n${output}`);
    const text = await readFile(portFile, 'utf8').catch(() => '');
    const chief = output.match(/^\s+demo\.cdt_chief\s+(\S+)\s*$/m);
    if (/^\d+\s*$/.test(text) && chief) {
      return { server, baseUrl: `http://127.0.0.1:${Number(text)}`, chiefPassword: chief[1], output: () => output };
    }
    await sleep(100);
  }
  throw new Error(`psea demo not ready after 30 s:\n${output}`);
}


test('public report page: no JavaScript, keyboard only, receipt code, follow-up', { timeout: 90_000 }, async () => {
  assert.ok(existsSync(PSEA_BINARY), `server binary missing: ${PSEA_BINARY}`);
  assert.ok(existsSync(CHROMIUM), `Chromium missing at ${CHROMIUM}`);
  const tmp = await mkdtemp(join(tmpdir(), 'psea-report-browser-'));
  let demo = null;
  let browser = null;
  try {
    await mkdir(SCREENSHOTS, { recursive: true });
    demo = await startDemo(tmp);
    const { baseUrl } = demo;
    browser = await launchChromium();
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 360, height: 740 },
      locale: 'fr-FR',
      extraHTTPHeaders: { 'Accept-Language': 'fr' },
    });
    const page = await context.newPage();
    const foreign = [];
    let bytes = 0;
    page.on('request', (request) => {
      if (!request.url().startsWith(baseUrl)) foreign.push(request.url());
    });
    page.on('response', async (response) => {
      const body = await response.body().catch(() => Buffer.alloc(0));
      bytes += body.length;
    });

    await page.goto(`${baseUrl}/report`);
    assert.equal(await page.title(), 'Contact');
    assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
    assert.ok(await page.locator('a.exit').isVisible(), 'the quick exit is visible');
    assert.ok(bytes < 30 * 1024, `the page weighs ${bytes} bytes`);
    // No horizontal scrolling on a small phone.
    const width = await page.evaluate(() => document.documentElement.scrollWidth).catch(() => 360);
    assert.ok(width <= 360, `page is ${width}px wide`);

    // Keyboard only: the first Tab stops are the language links and the quick exit, then the form.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'exit');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'narrative');
    await page.keyboard.type(NARRATIVE);
    await page.keyboard.press('Tab');  // reporter_relation
    await page.keyboard.press('ArrowUp'); // from "prefer not to say" to "partner organisation"
    await page.keyboard.press('Tab');  // prefecture
    await page.keyboard.press('ArrowDown'); // the first prefecture
    await page.keyboard.press('Tab');  // town
    await page.keyboard.type('Bimbo');
    // Tab on to the "medical care" box.
    for (let i = 0; i < 15; i += 1) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(() => document.activeElement?.getAttribute('name')) === 'risk_medical') break;
    }
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'risk_medical');
    await page.keyboard.press('Space');
    await page.screenshot({ path: join(SCREENSHOTS, 'report-form-fr-360.png'), fullPage: true });
    // Submit with Enter from the town field.
    await page.focus('#town');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#receipt');
    const code = (await page.locator('#receipt').textContent()).trim();
    assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    assert.ok(!page.url().includes(code), 'the code is never in a URL');
    await page.screenshot({ path: join(SCREENSHOTS, 'report-receipt-fr-360.png'), fullPage: true });

    // The CDT chief sees it, reads the narrative and answers.
    const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'demo.cdt_chief', password: demo.chiefPassword }),
    });
    assert.equal(login.status, 200);
    const cookie = login.headers.get('set-cookie').split(';')[0];
    const { csrf_token: csrf } = await login.json();
    const queue = await (await fetch(`${baseUrl}/api/v1/intake/complaints`, { headers: { cookie } })).json();
    // The demo has generated complaints too: this one is the newest from the public form.
    const mine = queue.complaints.filter((c) => c.channel === 'web').sort((a, b) => b.id - a.id)[0];
    assert.ok(mine, 'the complaint is in the queue');
    assert.equal(mine.urgent, true);
    assert.equal(mine.town, '', 'what a reporter types is sealed, never in the clear half');
    assert.equal(mine.reporter_relation, 'partner_organisation');
    const detail = await (await fetch(`${baseUrl}/api/v1/intake/complaints/${mine.id}`, { headers: { cookie } })).json();
    assert.equal(detail.identifying.narrative, NARRATIVE);
    assert.equal(detail.identifying.place_text, 'Bimbo', 'the town the reporter typed, for readers');
    const reply = await fetch(`${baseUrl}/api/v1/intake/complaints/${mine.id}/messages`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrf, 'content-type': 'application/json' },
      body: JSON.stringify({ text: 'Merci. Pouvez-vous nous rappeler au 4044 ?' }),
    });
    assert.equal(reply.status, 204);

    // The reporter follows up with the code, reads the answer and writes back.
    await page.goto(`${baseUrl}/report/follow-up`);
    await page.focus('#code');
    await page.keyboard.type(code.toLowerCase().replaceAll('-', ' '));
    await page.keyboard.press('Enter');
    await page.waitForSelector('text=Merci. Pouvez-vous nous rappeler au 4044 ?');
    assert.match(await page.locator('main').textContent(), /Reçu/);
    await page.focus('#message');
    await page.keyboard.type('Oui, demain matin.');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.waitForSelector('text=Oui, demain matin.');
    await page.screenshot({ path: join(SCREENSHOTS, 'report-follow-up-fr-360.png'), fullPage: true });

    // A wrong code says only that it is unknown.
    await page.goto(`${baseUrl}/report/follow-up`);
    await page.fill('#code', 'ABCD-EFGH-JKMN-PQRS');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.error');

    assert.deepEqual(await context.cookies(), [], 'no cookie was set');
    assert.deepEqual(foreign, [], 'no request left the server');
  } finally {
    if (browser) await browser.close();
    if (demo) await stopServer(demo.server);
    await rm(tmp, { recursive: true, force: true });
  }
});

test('public report page in Sango, once the administrator turns it on', { timeout: 60_000 }, async () => {
  assert.ok(existsSync(PSEA_BINARY), `server binary missing: ${PSEA_BINARY}`);
  const tmp = await mkdtemp(join(tmpdir(), 'psea-report-sango-'));
  let demo = null;
  let browser = null;
  try {
    await mkdir(SCREENSHOTS, { recursive: true });
    demo = await startDemo(tmp, { PSEA_PUBLIC_LANGUAGES: 'fr,en,sg' });
    browser = await launchChromium();
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 360, height: 740 },
      extraHTTPHeaders: { 'Accept-Language': 'fr' },
    });
    const page = await context.newPage();
    await page.goto(`${demo.baseUrl}/report`);
    assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
    assert.deepEqual(await page.locator('header nav a').allTextContents(), ['Français', 'English', 'Sängö']);
    assert.equal(await page.locator('#review-note').count(), 0, 'French needs no review');
    // Without JavaScript the switch is a link.
    await page.getByRole('link', { name: 'Sängö' }).click();
    await page.waitForURL(/lang=sg/);
    assert.equal(await page.locator('html').getAttribute('lang'), 'sg');
    assert.ok(await page.locator('#review-note').isVisible(), 'the catalog awaits a native speaker');
    assert.equal(await page.locator('label[for="prefecture"]').textContent(), 'Na ndo wa?');
    // Untranslated texts are the French ones.
    assert.match(await page.locator('main > p').nth(1).textContent(), /Vous pouvez signaler ici/);
    assert.equal(await page.locator('input[name="lang"]').getAttribute('value'), 'sg');
    await page.screenshot({ path: join(SCREENSHOTS, 'report-form-sg-360.png'), fullPage: true });
  } finally {
    if (browser) await browser.close();
    if (demo) await stopServer(demo.server);
    await rm(tmp, { recursive: true, force: true });
  }
});
