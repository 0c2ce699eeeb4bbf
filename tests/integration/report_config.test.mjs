// What an installation sets for its public page (docs/operations.md "The public page"):
// - --public-hotlines, --public-email, --public-contact-text appear on /report (in the footer,
//   and first thing when the server is too busy) and in the reply to an SMS report;
// - --public-languages chooses the languages /report offers, from the catalogs under
//   data/i18n/report: the switcher lists them, ?lang= and Accept-Language pick one, a language
//   not offered falls back to the default, and a catalog marked needs_review shows a note;
// - a malformed catalog stops the server with the file and the line; a missing key is logged
//   and shown in French.
// Numbers and addresses are made up.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestServer, startServer, strongPassword, loginEnrolled, REPO_ROOT, BINARY, run, sleep } from '../support/server.mjs';

const admin = { username: 'rcadmin', role: 'admin', password: strongPassword() };
// Reports are sealed for the intake readers: without one none is accepted.
const chief = { username: 'rcchief', role: 'cdt_chief', password: strongPassword() };

const CONTACT = {
  PSEA_PUBLIC_HOTLINES: '1212, 3434,5656',
  PSEA_PUBLIC_EMAIL: 'plaintes@example.org',
  PSEA_PUBLIC_CONTACT_TEXT: 'Bureau <CDT>, Bangui: 8 h - 16 h',
  PSEA_PUBLIC_LANGUAGES: 'fr,en,sg',
  PSEA_PUBLIC_REPORTS_PER_MINUTE: '2',
};

describe('public page settings', { timeout: 120000 }, () => {
  let srv;

  before(async () => {
    srv = await startServer({ users: [admin, chief], env: CONTACT });
  });
  after(async () => {
    if (srv) await srv.stop();
  });

  it('shows the installation\'s hotlines, e-mail and contact text, escaped, not MINUSCA\'s', async () => {
    const page = await srv.client().get('/report?lang=fr');
    assert.equal(page.status, 200);
    assert.match(page.text, /<p class="hint" id="hotlines">Lignes gratuites : 1212, 3434 et 5656\.<\/p>/);
    assert.match(page.text, /Courriel : plaintes@example\.org/);
    assert.match(page.text, /Bureau &lt;CDT&gt;, Bangui: 8 h - 16 h/);
    assert.doesNotMatch(page.text, /4044|4445/);
    const english = await srv.client().get('/report/follow-up?lang=en');
    assert.match(english.text, /Free hotlines: 1212, 3434 and 5656\./);
    assert.match(english.text, /E-mail: plaintes@example\.org/);
  });

  it('lists the offered languages; sg carries the review note and falls back to French', async () => {
    const page = await srv.client().get('/report?lang=sg');
    assert.equal(page.status, 200);
    assert.match(page.text, /<html lang="sg"/);
    const nav = /<nav>(.*?)<\/nav>/.exec(page.text)[1];
    assert.deepEqual([...nav.matchAll(/href="\/report\?lang=(\w+)"/g)].map((m) => m[1]), ['fr', 'en', 'sg']);
    assert.match(nav, /lang="sg" aria-current="page">Sängö</);
    assert.match(page.text, /id="review-note">Cette traduction attend la relecture d&#39;un locuteur natif\./);
    assert.match(page.text, /Na ndo wa\?/);                 // translated
    assert.match(page.text, /Vous pouvez signaler ici/);     // not yet: French
    assert.match(page.text, /Lignes gratuites : 1212, 3434 na 5656\./);
    const french = await srv.client().get('/report?lang=fr');
    assert.doesNotMatch(french.text, /review-note/);
  });

  it('picks the language from Accept-Language among those offered, else the default', async () => {
    const get = (accept) => srv.client().request('GET', '/report', undefined, { headers: { 'Accept-Language': accept } });
    const lang = (r) => /<html lang="(\w+)"/.exec(r.text)[1];
    assert.equal(lang(await srv.client().get('/report')), 'fr');
    assert.equal(lang(await get('en-GB,en;q=0.9')), 'en');
    assert.equal(lang(await get('de-DE, sg;q=0.8')), 'sg');
    assert.equal(lang(await get('de')), 'fr');
    assert.equal(lang(await srv.client().get('/report?lang=xx')), 'fr');
  });

  it('names the installation\'s contacts in the reply to an SMS', async () => {
    const adminClient = (await loginEnrolled(srv, admin)).client;
    const minted = await adminClient.post('/api/v1/tokens', { name: 'SMS gateway', scopes: ['intake.sms'], expires_in_days: 1 });
    assert.equal(minted.status, 201, minted.text);
    const printed = await srv.cli(['intake', 'sms-key', ...srv.dbArgs]);
    assert.equal(printed.code, 0, printed.stderr);
    const body = JSON.stringify({ from: '+23670009988', text: 'Synthetic SMS for the reply test.', id: 'rc-1' });
    const signature = `sha256=${createHmac('sha256', printed.stdout.trim()).update(body).digest('hex')}`;
    const reply = await srv.client({ bearer: minted.json.secret }).post('/api/v1/intake/sms', body,
      { headers: { 'X-Psea-Signature': signature } });
    assert.equal(reply.status, 201, reply.text);
    assert.match(reply.json.reply, /Lignes gratuites 1212 \/ 3434 \/ 5656\./);
    assert.match(reply.json.reply, /Courriel: plaintes@example\.org\./);
    assert.match(reply.json.reply, /Bureau <CDT>, Bangui: 8 h - 16 h/);
    assert.doesNotMatch(reply.json.reply, /4044|4445/);
  });
  // Last: it spends the minute's reports (SMS included).
  it('names the hotlines first when the server is busy', async () => {
    const post = (lang) => srv.client().post('/report', new URLSearchParams({ lang, narrative: 'Synthetic report for the busy page.' }).toString(),
      { contentType: 'application/x-www-form-urlencoded' });
    let busy = null;
    for (let i = 0; i < 6 && !busy; i += 1) {
      const r = await post('en');
      if (r.status === 429) busy = r;
    }
    assert.ok(busy, 'the per-minute limit of 2 was reached');
    assert.match(busy.text, /<strong>Call the free hotlines 1212, 3434 or 5656: someone will listen\.<\/strong>/);
  });

});

describe('public page catalogs at start', { timeout: 60000 }, () => {
  const folders = [];
  const catalogs = (files) => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'psea-catalogs-'));
    folders.push(folder);
    for (const name of ['fr.json', 'en.json']) {
      fs.copyFileSync(path.join(REPO_ROOT, 'data/i18n/report', name), path.join(folder, name));
    }
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(folder, name), text);
    return folder;
  };
  after(() => {
    for (const folder of folders) fs.rmSync(folder, { recursive: true, force: true });
  });

  it('a malformed catalog stops the server, naming the file and the line', async () => {
    const folder = catalogs({ 'xx.json': '{\n  "_meta": {"name": "Xx"},\n  "send": "Go"\n  "see": "Look"\n}\n' });
    const srv = await TestServer.create({ env: { PSEA_PUBLIC_CATALOGS: folder, PSEA_PUBLIC_LANGUAGES: 'fr,xx' } });
    try {
      const migrated = await run(BINARY, ['migrate', ...srv.dbArgs], { env: { PSEA_ARGON2_PROFILE: 'fast' } });
      assert.equal(migrated.code, 0, migrated.stderr);
      const r = await srv.cli(['serve', ...srv.dbArgs, '--listen', '127.0.0.1:0']);
      assert.notEqual(r.code, 0);
      assert.match(r.stdout + r.stderr, /xx\.json:4: not valid JSON/);
    } finally {
      await srv.stop();
    }
  });

  it('a catalog missing keys or with unknown ones is logged and shown in French', async () => {
    const folder = catalogs({ 'xx.json': '{"_meta": {"name": "Xx"}, "send": "Go", "sned": "typo"}' });
    const srv = await TestServer.create({ env: { PSEA_PUBLIC_CATALOGS: folder, PSEA_PUBLIC_LANGUAGES: 'xx,fr' } });
    try {
      await srv.serve();
      const page = await srv.client().get('/report');
      assert.match(page.text, /<html lang="xx"/);
      assert.match(page.text, /<button type="submit">Go<\/button>/);
      assert.match(page.text, /Que s&#39;est-il passé \?/);
      await sleep(100);
      const log = srv.log();
      assert.match(log, /xx\.json: unknown key \\"sned\\"/);
      assert.match(log, /xx\.json: \d+ key\(s\) missing, shown in French/);
    } finally {
      await srv.stop();
    }
  });
});
