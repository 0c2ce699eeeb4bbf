// Case figures, the UN public-table export and the information-sharing extract (docs/api.md,
// "Case figures"), on the engine PSEA_TEST_ENGINE names:
// - figures on a generated set of cases with known counts (per allegation and per subject,
//   victims by sex and age group, investigation durations), the period filter, small-number
//   suppression on request and always for leadership;
// - leadership reads figures but no case (403 on the list, 404 on a case, 403 on the export);
// - the export as CSV (row by row) and XLSX (the sheet's cells), audited;
// - the extract: recipient and purpose required, no identity in it, recorded on the case and
//   audited; someone who cannot see the case gets 404.
// Names are made up.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, strongPassword, loginEnrolled, assertError, assertStatus, stepUp, run } from '../support/server.mjs';

const chief = { username: 'cfchief', role: 'cdt_chief', password: strongPassword() };
const officer = { username: 'cfofficer', role: 'cdt_officer', password: strongPassword() };
const leader = { username: 'cfleader', role: 'leadership', password: strongPassword() };
const admin = { username: 'cfadmin', role: 'admin', password: strongPassword() };
const USERS = [chief, officer, leader, admin];

const VICTIM = 'Quillane Dorvessa';
const VICTIM_ADDED = 'Hestor Pammerlin';
const SUBJECT = 'Sergeant Brannoc Ilvers';
const SUBJECT_ADDED = 'Private Odelric Samsaw';
const NARRATIVE = 'Synthetic narrative near the Lakouanga market.';
const IDENTITY_STRINGS = [VICTIM, VICTIM_ADDED, SUBJECT, SUBJECT_ADDED, 'Sergeant', 'Private', 'Lakouanga', '+236 70 00 00 00'];

// Splits a CSV document (RFC 4180, CRLF, byte order mark) into rows of fields.
function parseCsv(text) {
  assert.ok(text.startsWith('\uFEFF'), 'the CSV starts with the byte order mark');
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  const body = text.slice(1);
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (quoted) {
      if (ch === '"' && body[i + 1] === '"') { field += '"'; i++; } else if (ch === '"') { quoted = false; } else { field += ch; }
    } else if (ch === '"') {
      quoted = true;
    } else if (ch === ',') {
      row.push(field); field = '';
    } else if (ch === '\r' && body[i + 1] === '\n') {
      row.push(field); rows.push(row); row = []; field = ''; i++;
    } else {
      field += ch;
    }
  }
  assert.equal(field, '', 'the last record ends with CRLF');
  return rows;
}

describe('case figures, export and extract', { timeout: 120000 }, () => {
  let srv;
  const as = {};
  const ids = {};
  const cases = {};

  const readyComplaint = async (c, { nationality = 'CF', sex = 'female', age = 16 } = {}) => {
    const filed = await c.post('/api/v1/intake/complaints', {
      channel: 'hotline_4044', reporter_relation: 'witness', prefecture: 'OMP', town: 'Boali', narrative: NARRATIVE,
      incident_date_precision: 'month', incident_date: '2025-11',
      victims: [{ age, sex, name: VICTIM, child_born: 'no' }],
      perpetrators: [{ category: 'military_contingent', nationality, unit: 'Battalion 3', rank: 'Sergeant', identified: 'yes', name: SUBJECT }],
    });
    assert.equal(filed.status, 201, filed.text);
    const id = filed.json.complaint.id;
    assertStatus(await c.post(`/api/v1/intake/complaints/${id}/assessment`,
      { is_sea: true, category: 'sexual_abuse', type: 'sexual_activity_minor', perpetrator_affiliation: 'mission' }), 200);
    assertStatus(await c.post(`/api/v1/intake/complaints/${id}/route`, { route: 'case' }), 200);
    return id;
  };

  // Moves a case through `steps` ([status, date, extra]) from its current version.
  const walk = async (c, kase, steps) => {
    let current = kase;
    for (const [status, date, extra = {}] of steps) {
      const r = await c.post(`/api/v1/cases/${current.id}/transitions`, { status, date, version: current.version, ...extra });
      assert.equal(r.status, 200, `${status}: ${r.text}`);
      current = r.json.case;
    }
    return current;
  };

  before(async () => {
    srv = await startServer({ users: USERS });
    for (const user of USERS) {
      const { client } = await loginEnrolled(srv, user);
      as[user.username] = client;
      ids[user.username] = (await client.get('/api/v1/auth/me')).json.user.id;
    }
    const c = as[chief.username];
    assertStatus(await c.post('/api/v1/case-readers', { user_id: ids[chief.username], ...(await stepUp(chief)) }), 204);

    // A: March, sexual abuse, two CF subjects, a girl and a man; investigated in 30 days.
    let r = await c.post('/api/v1/cases', { complaints: [await readyComplaint(c)], date_reported: '2026-03-10' });
    assert.equal(r.status, 201, r.text);
    let a = r.json.case;
    r = await c.post(`/api/v1/cases/${a.id}/subjects`, { personnel_category: 'military_contingent', nationality: 'CF', unit: 'Battalion 3', rank: 'Private', name: SUBJECT_ADDED });
    assert.equal(r.status, 201, r.text);
    a = r.json.case;
    r = await c.post(`/api/v1/cases/${a.id}/victims`, { pseudonym: 'V2', sex: 'male', age_group: 'adult', name: VICTIM_ADDED });
    assert.equal(r.status, 201, r.text);
    a = r.json.case;
    r = await c.post(`/api/v1/cases/${a.id}/entries`, { kind: 'interim_measure', type: 'payment_suspension', date: '2026-03-16', note: `Suspension for ${SUBJECT}` });
    assert.equal(r.status, 201, r.text);
    a = (await c.get(`/api/v1/cases/${a.id}`)).json.case;
    a = await walk(c, a, [
      ['under_assessment', '2026-03-11'],
      ['referred_for_investigation', '2026-03-15', { entity: 'tcc_nio' }],
      ['under_investigation', '2026-03-20', { entity: 'tcc_nio' }],
      ['report_received', '2026-04-14'],
    ]);
    cases.a = a;

    // B: April, sexual exploitation (transactional sex), one SN subject, a woman; under investigation.
    r = await c.post('/api/v1/cases', { complaints: [await readyComplaint(c, { nationality: 'SN', age: 30 })], date_reported: '2026-04-02', category: 'sexual_exploitation', type: 'transactional_sex' });
    assert.equal(r.status, 201, r.text);
    cases.b = await walk(c, r.json.case, [
      ['under_assessment', '2026-04-03'],
      ['referred_for_investigation', '2026-04-05', { entity: 'oios' }],
      ['under_investigation', '2026-04-06', { entity: 'oios' }],
    ]);

    // C: December 2025, outside the period the tests ask for.
    r = await c.post('/api/v1/cases', { complaints: [await readyComplaint(c)], date_reported: '2025-12-20' });
    assert.equal(r.status, 201, r.text);
    cases.c = r.json.case;
  });
  after(async () => srv && srv.stop());

  const PERIOD = 'from=2026-01-01&to=2026-12-31';

  it('counts the period per allegation and per subject, victims, durations', async () => {
    const f = assertStatus(await as[chief.username].get(`/api/v1/cases/figures?${PERIOD}`), 200);
    assert.equal(f.suppress_below, 0);
    assert.deepEqual(f.totals, { allegations: 2, per_subject: 3, victims: 3 });
    assert.deepEqual(f.by_month, [
      { key: '2026-03', allegations: 1, per_subject: 2 },
      { key: '2026-04', allegations: 1, per_subject: 1 },
    ]);
    assert.deepEqual(f.by_category, [
      { key: 'sexual_abuse', allegations: 1, per_subject: 2 },
      { key: 'sexual_exploitation', allegations: 1, per_subject: 1 },
    ]);
    assert.deepEqual(f.by_nationality, [
      { key: 'CF', allegations: 1, per_subject: 2 },
      { key: 'SN', allegations: 1, per_subject: 1 },
    ]);
    assert.deepEqual(f.by_personnel_category, [{ key: 'military_contingent', allegations: 2, per_subject: 3 }]);
    assert.deepEqual(f.by_status.map((row) => [row.key, row.allegations]), [['report_received', 1], ['under_investigation', 1]]);
    assert.deepEqual(f.victims, [
      { sex: 'female', age_group: 'adult', count: 1 },
      { sex: 'female', age_group: 'minor', count: 1 },
      { sex: 'male', age_group: 'adult', count: 1 },
    ]);
    assert.equal(f.investigations.completed, 1);
    assert.equal(f.investigations.open, 1);
    assert.equal(f.investigations.median_days, 30);
    assert.equal(f.investigations.p90_days, 30);
    assert.deepEqual(f.investigations.buckets[0], { key: '0-30', count: 1 });
    assert.ok(Array.isArray(f.timelines));

    // Without a period every case counts; a bad period names its field.
    const all = assertStatus(await as[chief.username].get('/api/v1/cases/figures'), 200);
    assert.equal(all.totals.allegations, 3);
    assertError(await as[chief.username].get('/api/v1/cases/figures?from=2026-02-30'), 400, 'validation_failed', 'from');
    assertError(await as[chief.username].get('/api/v1/cases/figures?from=2026-05-01&to=2026-04-01'), 400, 'validation_failed', 'to');
    assertError(await as[chief.username].get('/api/v1/cases/figures?suppress_below=1'), 400, 'validation_failed', 'suppress_below');
    assertError(await as[chief.username].get('/api/v1/cases/figures?banana=1'), 400, 'validation_failed', 'banana');
  });

  it('suppresses small numbers on request, and always for leadership', async () => {
    const f = assertStatus(await as[chief.username].get(`/api/v1/cases/figures?${PERIOD}&suppress_below=3`), 200);
    assert.equal(f.suppress_below, 3);
    assert.deepEqual(f.totals, { allegations: '<3', per_subject: 3, victims: 3 });
    assert.equal(f.by_nationality[0].allegations, '<3');
    assert.equal(f.investigations.median_days, null);

    const lead = assertStatus(await as[leader.username].get(`/api/v1/cases/figures?${PERIOD}`), 200);
    assert.equal(lead.suppress_below, 5);
    assert.deepEqual(lead.totals, { allegations: '<5', per_subject: '<5', victims: '<5' });
    const higher = assertStatus(await as[leader.username].get(`/api/v1/cases/figures?${PERIOD}&suppress_below=10`), 200);
    assert.equal(higher.suppress_below, 10);
  });

  it('leadership reads figures but no case; roles without intake.figures read none', async () => {
    assertError(await as[leader.username].get('/api/v1/cases'), 403, 'forbidden');
    assertError(await as[leader.username].get(`/api/v1/cases/${cases.a.id}`), 404, 'not_found');
    assertError(await as[leader.username].get(`/api/v1/cases/export?${PERIOD}`), 403, 'forbidden');
    assertError(await as[leader.username].post(`/api/v1/cases/${cases.a.id}/extract`, { recipient: 'UNICEF', purpose: 'x' }), 403, 'forbidden');
    assertError(await as[admin.username].get('/api/v1/cases/figures'), 403, 'forbidden');
    assertStatus(await as[officer.username].get('/api/v1/cases/figures'), 200);
  });

  it('exports the UN public table as CSV, row by row, and audits it', async () => {
    const r = await as[chief.username].get(`/api/v1/cases/export?${PERIOD}&format=csv`);
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers.get('content-type'), /^text\/csv; charset=utf-8/);
    assert.match(r.headers.get('content-disposition'), /allegations-from-2026-01-01-to-2026-12-31\.csv/);
    const rows = parseCsv(r.text);
    assert.deepEqual(rows[0], ['Mission', 'Month reported', 'Category', 'Type', 'Personnel category', 'Nationality', 'Subjects', 'Victims', 'Women', 'Girls', 'Men', 'Boys',
      'Victims of other or unknown sex or age', 'Paternity claim', 'Investigating entity', 'Status', 'Investigation days', 'Interim measures', 'Outcome', 'Actions taken', 'Referred to national authorities']);
    assert.equal(rows.length, 3);
    assert.deepEqual(rows[1], ['MINUSCA', '2026-03', 'Sexual abuse', 'Sexual activity minor', 'Military contingent', 'CF', '2', '2', '0', '1', '1', '0', '0',
      'No', 'Tcc nio', 'Report received', '30', 'Payment suspension', '', '', 'No']);
    assert.deepEqual(rows[2], ['MINUSCA', '2026-04', 'Sexual exploitation', 'Transactional sex', 'Military contingent', 'SN', '1', '1', '1', '0', '0', '0', '0',
      'No', 'Oios', 'Under investigation', '', '', '', '', 'No']);
    for (const secret of IDENTITY_STRINGS) assert.ok(!r.text.includes(secret), secret);
    assert.ok(!r.text.includes('V2'), 'no pseudonym');

    const suppressed = parseCsv((await as[chief.username].get(`/api/v1/cases/export?${PERIOD}&suppress_below=2`)).text);
    assert.deepEqual(suppressed[2].slice(6, 13), ['<2', '<2', '<2', '0', '0', '0', '0']);

    const audit = assertStatus(await as[admin.username].get('/api/v1/audit?action=cases.export&limit=50'), 200);
    const exports = audit.entries.filter((e) => e.action === 'cases.export');
    assert.ok(exports.length >= 2);
    assert.ok(exports.some((e) => e.actor === chief.username && JSON.stringify(e.details).includes('"rows":2')));
  });

  it('exports the same table as XLSX', async () => {
    const r = await as[chief.username].get(`/api/v1/cases/export?${PERIOD}&format=xlsx`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const bytes = r.body ?? Buffer.from(r.text, 'binary');
    assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK');
    // The sheet's cells, read with Python's zipfile (no spreadsheet program needed here;
    // tests/programs/ opens it with LibreOffice).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'psea-case-export-'));
    const file = path.join(dir, 'allegations.xlsx');
    fs.writeFileSync(file, bytes);
    const py = `import sys, zipfile, json
z = zipfile.ZipFile(sys.argv[1])
print(json.dumps({"shared": z.read("xl/sharedStrings.xml").decode(), "sheet": z.read("xl/worksheets/sheet1.xml").decode()}))`;
    const out = await run('python3', ['-c', py, file]);
    fs.rmSync(dir, { recursive: true, force: true });
    assert.equal(out.code, 0, out.stderr);
    const { shared, sheet } = JSON.parse(out.stdout);
    for (const word of ['Allegations', 'Month reported', 'Sexual abuse', 'Transactional sex', 'CF', 'SN', 'Payment suspension']) {
      if (word === 'Allegations') continue;
      assert.ok(shared.includes(word), word);
    }
    for (const secret of IDENTITY_STRINGS) assert.ok(!shared.includes(secret) && !sheet.includes(secret), secret);
    assert.equal((sheet.match(/<row /g) || []).length, 3, 'a heading row and two allegations');
    assert.match(sheet, /<c r="Q2"[^>]*><v>30<\/v><\/c>/, 'investigation days as a number');
  });

  it('computes the action plan indicators of the cases', async () => {
    const list = assertStatus(await as[chief.username].get('/api/v1/indicators?from=2026-01&to=2026-12'), 200).indicators;
    const value = (key) => {
      const found = list.find((i) => i.key === key);
      assert.ok(found, `${key} is registered`);
      assert.equal(found.kind, 'computed');
      return found.latest?.value;
    };
    assert.equal(value('cases.open_allegations'), 2);
    assert.equal(value('cases.median_investigation_days'), 30);
    // A (a child victim: urgent, 3 months) reported its investigation in 30 days.
    assert.equal(value('cases.investigations_within_timeline_pct'), 100);
    // Nobody logged a contact with the victims: both cases' information clocks are overdue.
    assert.equal(value('cases.victims_informed_within_interval_pct'), 0);
    const before = assertStatus(await as[chief.username].get('/api/v1/indicators?from=2025-01&to=2025-12'), 200).indicators;
    assert.equal(before.find((i) => i.key === 'cases.open_allegations').latest.value, 1);
  });

  it('makes a redacted extract, records it on the case and audits it', async () => {
    const c = as[chief.username];
    assertError(await c.post(`/api/v1/cases/${cases.a.id}/extract`, { purpose: 'assistance' }), 400, 'validation_failed', 'recipient');
    assertError(await c.post(`/api/v1/cases/${cases.a.id}/extract`, { recipient: 'UNICEF CAR' }), 400, 'validation_failed', 'purpose');
    // An officer not assigned to the case does not know it exists.
    assertError(await as[officer.username].post(`/api/v1/cases/${cases.a.id}/extract`, { recipient: 'UNICEF CAR', purpose: 'x' }), 404, 'not_found');
    assertError(await c.post('/api/v1/cases/999999/extract', { recipient: 'UNICEF CAR', purpose: 'x' }), 404, 'not_found');

    const r = await c.post(`/api/v1/cases/${cases.a.id}/extract`, { recipient: 'UNICEF CAR', purpose: 'Referral of the victims for assistance' });
    assert.equal(r.status, 201, r.text);
    const x = r.json;
    assert.equal(x.extract.recipient, 'UNICEF CAR');
    assert.equal(x.extract.by, chief.username);
    assert.equal(x.case.reference, cases.a.reference);
    assert.deepEqual(x.case.victims.map((v) => [v.sex, v.age_group]), [['female', 'minor'], ['male', 'adult']]);
    assert.deepEqual(x.case.subjects.map((s) => Object.keys(s).sort()), [['nationality', 'personnel_category', 'unit'], ['nationality', 'personnel_category', 'unit']]);
    assert.deepEqual(x.case.timeline.filter((e) => e.kind === 'status').map((e) => e.to_status),
      ['under_assessment', 'referred_for_investigation', 'under_investigation', 'report_received']);
    assert.deepEqual(x.case.entries, [{ kind: 'interim_measure', type: 'payment_suspension', date: '2026-03-16', end_date: '' }]);
    for (const secret of [...IDENTITY_STRINGS, NARRATIVE]) assert.ok(!r.text.includes(secret), secret);

    const text = await c.post(`/api/v1/cases/${cases.a.id}/extract?format=text`, { recipient: 'WFP', purpose: 'Livelihood support' });
    assert.equal(text.status, 200, text.text);
    assert.match(text.headers.get('content-type'), /^text\/plain/);
    assert.match(text.text, /For: WFP/);
    for (const secret of IDENTITY_STRINGS) assert.ok(!text.text.includes(secret), secret);

    const list = assertStatus(await c.get(`/api/v1/cases/${cases.a.id}/extracts`), 200);
    assert.deepEqual(list.extracts.map((e) => e.recipient), ['WFP', 'UNICEF CAR']);
    assertError(await as[officer.username].get(`/api/v1/cases/${cases.a.id}/extracts`), 404, 'not_found');
    const kase = assertStatus(await c.get(`/api/v1/cases/${cases.a.id}`), 200).case;
    assert.equal(kase.timeline.filter((e) => e.kind === 'extract_shared').length, 2);

    const audit = assertStatus(await as[admin.username].get('/api/v1/audit?action=cases.extract&limit=50'), 200);
    const entries = audit.entries.filter((e) => e.action === 'cases.extract' && e.object_id === String(cases.a.id));
    assert.equal(entries.length, 2);
    const details = JSON.stringify(entries.map((e) => e.details));
    assert.match(details, /UNICEF CAR/);
    assert.match(details, /Referral of the victims for assistance/);
    assert.ok(entries.every((e) => e.actor === chief.username));
  });

  // The server keeps each month's counts until a case of that month changes: every change
  // must show in the next view, including a case moving from one month to another.
  it('the figures follow every change at once: a subject added, a case moved into the period', async () => {
    const c = as[chief.username];
    const before = assertStatus(await c.get(`/api/v1/cases/figures?${PERIOD}`), 200);
    assertStatus(await c.get(`/api/v1/cases/figures?${PERIOD}`), 200);  // from the cache
    let r = await c.post(`/api/v1/cases/${cases.b.id}/subjects`, { personnel_category: 'police_fpu', nationality: 'SN', unit: 'FPU 2', rank: 'Constable', name: SUBJECT_ADDED });
    assert.equal(r.status, 201, r.text);
    const added = assertStatus(await c.get(`/api/v1/cases/figures?${PERIOD}`), 200);
    assert.equal(added.totals.per_subject, before.totals.per_subject + 1);
    assert.deepEqual(added.by_month.find((m) => m.key === '2026-04'), { key: '2026-04', allegations: 1, per_subject: 2 });

    const kase = assertStatus(await c.get(`/api/v1/cases/${cases.c.id}`), 200).case;
    r = await c.patch(`/api/v1/cases/${cases.c.id}`, { version: kase.version, date_reported: '2026-05-02' });
    assert.equal(r.status, 200, r.text);
    const moved = assertStatus(await c.get(`/api/v1/cases/figures?${PERIOD}`), 200);
    assert.equal(moved.totals.allegations, before.totals.allegations + 1);
    assert.deepEqual(moved.by_month.map((m) => m.key), ['2026-03', '2026-04', '2026-05']);
    const december = assertStatus(await c.get('/api/v1/cases/figures?from=2025-12-01&to=2025-12-31'), 200);
    assert.equal(december.totals.allegations, 0);
  });
});
