// The UN public table of allegations (GET /api/v1/cases/export) as LibreOffice reads it
// (Debian libreoffice-calc-nogui, headless, a private profile): the XLSX converted to CSV holds
// the same cells as the CSV export, and the CSV, opened as UTF-8, keeps "Mission" in its first
// cell (the byte order mark is not read as text). Skips, naming the package, without soffice.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { startServer, strongPassword, loginEnrolled, assertStatus, stepUp, run } from '../support/server.mjs';

function has(command, args = ['--version']) {
  try {
    execFileSync(command, args, { stdio: 'ignore', timeout: 20000 });
    return true;
  } catch {
    return false;
  }
}
const HAS_SOFFICE = has('soffice', ['--version']);
const chief = { username: 'cxchief', role: 'cdt_chief', password: strongPassword() };

// Rows of a CSV whose fields hold no comma, quote or line break (what this table holds), byte
// order mark dropped; LibreOffice quotes its text fields, psea quotes none of these.
const rowsOf = (text) =>
  text.replace(/^\uFEFF/, '').split(/\r?\n/).filter((line) => line.length > 0)
    .map((line) => line.split(',').map((field) => field.replace(/^"(.*)"$/, '$1')));

describe('the UN public table in LibreOffice', { timeout: 240000, skip: !HAS_SOFFICE && 'libreoffice-calc-nogui is not installed' }, () => {
  let srv;
  let dir;
  const files = {};

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'psea-case-sheets-'));
    srv = await startServer({ users: [chief] });
    const { client: c } = await loginEnrolled(srv, chief);
    const me = (await c.get('/api/v1/auth/me')).json.user.id;
    assertStatus(await c.post('/api/v1/case-readers', { user_id: me, ...(await stepUp(chief)) }), 204);
    for (const [nationality, reported] of [['CF', '2026-03-10'], ['SN', '2026-04-02']]) {
      const filed = assertStatus(await c.post('/api/v1/intake/complaints', {
        channel: 'hotline_4044', reporter_relation: 'witness', prefecture: 'OMP', town: 'Boali', narrative: 'Synthetic.',
        incident_date_precision: 'month', incident_date: '2025-11',
        victims: [{ age: 16, sex: 'female', name: 'Synthetic Victim' }],
        perpetrators: [{ category: 'military_contingent', nationality, identified: 'no' }],
      }), 201);
      const id = filed.complaint.id;
      assertStatus(await c.post(`/api/v1/intake/complaints/${id}/assessment`,
        { is_sea: true, category: 'sexual_abuse', type: 'sexual_activity_minor', perpetrator_affiliation: 'mission' }), 200);
      assertStatus(await c.post(`/api/v1/intake/complaints/${id}/route`, { route: 'case' }), 200);
      assertStatus(await c.post('/api/v1/cases', { complaints: [id], date_reported: reported }), 201);
    }
    for (const format of ['csv', 'xlsx']) {
      const r = await c.get(`/api/v1/cases/export?format=${format}`);
      assert.equal(r.status, 200, r.text);
      files[format] = path.join(dir, `allegations.${format}`);
      fs.writeFileSync(files[format], r.body);
    }
  });
  after(async () => {
    if (srv) await srv.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('the XLSX holds the cells of the CSV; the CSV opens as UTF-8 with Mission first', async () => {
    const profile = `file://${path.join(dir, 'lo-profile')}`;
    const out = path.join(dir, 'lo');
    const toCsv = await run('soffice', [`-env:UserInstallation=${profile}`, '--headless', '--convert-to',
      'csv:Text - txt - csv (StarCalc):44,34,76,1', '--outdir', out, files.xlsx], { timeoutMs: 90000 });
    assert.equal(toCsv.code, 0, toCsv.stderr + toCsv.stdout);
    const fromXlsx = rowsOf(fs.readFileSync(path.join(out, 'allegations.csv'), 'utf8'));
    const exported = rowsOf(fs.readFileSync(files.csv, 'utf8'));
    assert.equal(exported.length, 3);
    assert.deepEqual(fromXlsx, exported);

    fs.mkdirSync(path.join(dir, 'csv-in'));
    const csvCopy = path.join(dir, 'csv-in', 'table.csv');
    fs.copyFileSync(files.csv, csvCopy);
    const back = await run('soffice', [`-env:UserInstallation=${profile}`, '--headless', '--infilter=CSV:44,34,76,1',
      '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1', '--outdir', path.join(dir, 'round'), csvCopy], { timeoutMs: 90000 });
    assert.equal(back.code, 0, back.stderr + back.stdout);
    const round = fs.readFileSync(path.join(dir, 'round', 'table.csv'), 'utf8');
    assert.equal(rowsOf(round)[0][0], 'Mission', `the mark is not text in the first cell: ${JSON.stringify(round.slice(0, 20))}`);
    assert.deepEqual(rowsOf(round), exported);
  });
});
