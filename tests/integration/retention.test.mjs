// Retention and legal holds (docs/api.md "Retention", docs/operations.md "Retention"), on the
// engine PSEA_TEST_ENGINE names:
// - only the CDT chief sets policies, previews the purge and lifts holds; CDT officers place and
//   see holds; administrators and everybody else get 403;
// - `psea retention run` deletes exactly what is due: a closed complaint past its policy goes,
//   with its sealed items, wraps and attachment file; a held one, a newer one, one routed to a
//   case and one whose policy is off stay; the dry run lists the same ids and the held one;
// - nothing of the purged complaint is left in the SQLite file and its WAL (raw bytes) or in the
//   PostgreSQL dump; one audit entry with counts only; `psea audit verify` still passes after the
//   oldest audit entries are purged (the chain starts from its recorded base);
// - a closed case past the cases_closed policy goes with its victims, subjects and their sealed
//   identities (ciphertexts and wraps gone from the file, the WAL and the dump); a held closed
//   case and an open one stay; the complaint the case took stays (intake's record).
// The purge counts days back from `--as-of`, a date in the future, instead of moving a clock.
// Names and narratives are made up.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startServer, strongPassword, loginEnrolled, assertError, stepUp } from '../support/server.mjs';

const chief = { username: 'rtchief', role: 'cdt_chief', password: strongPassword() };
const officer = { username: 'rtofficer', role: 'cdt_officer', password: strongPassword() };
const operator = { username: 'rtop', role: 'intake_operator', password: strongPassword() };
const admin = { username: 'rtadmin', role: 'admin', password: strongPassword() };

const CASE_VICTIM = 'Quillane Morvessa';
const CASE_SUBJECT = 'Sergeant Aldric Venhollow';
const NARRATIVE = 'Synthetic narrative about a market near Velmoria, for retention.';

function complaint(extra = {}) {
  return {
    channel: 'hotline_4044',
    reporter_relation: 'witness',
    reporter_name: 'Oskavel Durrant',
    narrative: NARRATIVE,
    prefecture: 'OMP',
    town: 'Boali',
    incident_date_precision: 'month',
    incident_date: '2026-10',
    victims: [{ age: 24, sex: 'female', name: 'Teralyn Okasso' }],
    perpetrators: [{ category: 'military_contingent', nationality: 'CF' }],
    ...extra,
  };
}

const DAY = 86400000;
const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);

describe('retention and legal holds', { timeout: 240000 }, () => {
  let srv;
  const as = {};
  const file = async () => {
    const r = await as[operator.username].post('/api/v1/intake/complaints', complaint());
    assert.equal(r.status, 201, r.text);
    return r.json.complaint.id;
  };
  const closeWithdrawn = async (id) => {
    const o = as[officer.username];
    const assessed = await o.post(`/api/v1/intake/complaints/${id}/assessment`, { is_sea: false, perpetrator_affiliation: 'unknown' });
    assert.equal(assessed.status, 200, assessed.text);
    const routed = await o.post(`/api/v1/intake/complaints/${id}/route`, { route: 'closed', reason: 'withdrawn' });
    assert.equal(routed.status, 200, routed.text);
    assert.equal(routed.json.complaint.status, 'closed');
  };
  const hex = (column) => (srv.engine === 'sqlite' ? `lower(hex(${column}))` : `encode(${column}, 'hex')`);
  const rows = async (statement) => (await srv.sql(statement)).trim().split('\n').filter(Boolean);

  before(async () => {
    srv = await startServer({ users: [chief, officer, operator, admin] });
    for (const user of [chief, officer, operator, admin]) {
      as[user.username] = (await loginEnrolled(srv, user)).client;
    }
  });
  after(async () => srv && srv.stop());

  it('the CDT chief sets policies; officers place holds; others get 403', async () => {
    const c = as[chief.username];
    const list = await c.get('/api/v1/retention/policies');
    assert.equal(list.status, 200, list.text);
    assert.deepEqual(list.json.policies.map((p) => p.kind), ['complaints_not_sea', 'complaints_closed', 'cases_closed', 'quarantine', 'sessions', 'audit']);
    const byKind = Object.fromEntries(list.json.policies.map((p) => [p.kind, p]));
    assert.equal(byKind.complaints_closed.enabled, false, 'complaints are kept until the chief decides');
    assert.equal(byKind.cases_closed.enabled, false, 'cases too');
    assert.equal(byKind.cases_closed.min_days, 30);
    assert.equal(byKind.audit.enabled, false);
    assert.equal(byKind.quarantine.enabled, true);
    assert.equal(byKind.quarantine.after_days, 90);
    assert.equal(byKind.audit.min_days, 365);
    assert.equal(byKind.quarantine.updated_at, null);

    for (const who of [officer, operator, admin]) {
      assertError(await as[who.username].get('/api/v1/retention/policies'), 403, 'forbidden');
      assertError(await as[who.username].put('/api/v1/retention/policies/sessions', { enabled: true, after_days: 30 }), 403, 'forbidden');
      assertError(await as[who.username].get('/api/v1/retention/preview'), 403, 'forbidden');
    }
    for (const who of [operator, admin]) {
      assertError(await as[who.username].get('/api/v1/retention/holds'), 403, 'forbidden');
      assertError(await as[who.username].post('/api/v1/retention/holds', { object_type: 'complaint', object_id: 1, reason: 'x' }), 403, 'forbidden');
    }
    assertError(await c.put('/api/v1/retention/policies/audit', { enabled: true, after_days: 30 }), 400, 'validation_failed', 'after_days');
    assertError(await c.put('/api/v1/retention/policies/complaints', { enabled: true, after_days: 30 }), 404, 'not_found');
    assertError(await c.put('/api/v1/retention/policies/sessions', { enabled: true }), 400, 'validation_failed', 'after_days');
    assertError(await c.put('/api/v1/retention/policies/sessions', { enabled: true, after_days: 30, extra: 1 }), 400, 'unknown_field', 'extra');
    const set = await c.put('/api/v1/retention/policies/sessions', { enabled: true, after_days: 30 });
    assert.equal(set.status, 200, set.text);
    assert.equal(set.json.policy.after_days, 30);
    assert.equal(set.json.policy.updated_by, chief.username);

    // Holds: an officer places one, only the chief lifts it.
    const id = await file();
    assertError(await as[officer.username].post('/api/v1/retention/holds', { object_type: 'matter', object_id: id, reason: 'x' }), 400, 'validation_failed', 'object_type');
    assertError(await as[officer.username].post('/api/v1/retention/holds', { object_type: 'case', object_id: 999999, reason: 'x' }), 422, 'unprocessable', 'object_id');
    assertError(await as[officer.username].post('/api/v1/retention/holds', { object_type: 'complaint', object_id: 999999, reason: 'x' }), 422, 'unprocessable', 'object_id');
    const placed = await as[officer.username].post('/api/v1/retention/holds', { object_type: 'complaint', object_id: id, reason: 'OIOS request ref 2026/041' });
    assert.equal(placed.status, 201, placed.text);
    assert.equal(placed.json.hold.active, true);
    assertError(await as[officer.username].post('/api/v1/retention/holds', { object_type: 'complaint', object_id: id, reason: 'again' }), 409, 'conflict');
    assertError(await as[officer.username].post(`/api/v1/retention/holds/${placed.json.hold.id}/lift`, { reason: 'done' }), 403, 'forbidden');
    const lifted = await c.post(`/api/v1/retention/holds/${placed.json.hold.id}/lift`, { reason: 'proceedings closed' });
    assert.equal(lifted.status, 200, lifted.text);
    assert.equal(lifted.json.hold.active, false);
    assert.equal(lifted.json.hold.lifted_by, chief.username);
    assertError(await c.post(`/api/v1/retention/holds/${placed.json.hold.id}/lift`, { reason: 'again' }), 409, 'conflict');
    assertError(await c.post('/api/v1/retention/holds/999999/lift', { reason: 'x' }), 404, 'not_found');
    const holds = await as[officer.username].get('/api/v1/retention/holds');
    assert.equal(holds.status, 200);
    assert.ok(holds.json.holds.some((h) => h.id === placed.json.hold.id && !h.active));

    // Audited, without the reason.
    const audit = await as[admin.username].get('/api/v1/audit?action=retention.hold_place');
    assert.equal(audit.status, 200, audit.text);
    assert.equal(audit.json.entries.length, 1);
    assert.ok(!JSON.stringify(audit.json).includes('OIOS request'));
  });

  it('a run deletes exactly what is due, with its sealed items, wraps and file; holds stay', async () => {
    const c = as[chief.username];
    const due = await file();
    const held = await file();
    const toCase = await file();
    const stillOpen = await file();
    const gbv = await file();
    for (const id of [due, held]) await closeWithdrawn(id);
    {
      const o = as[officer.username];
      assert.equal((await o.post(`/api/v1/intake/complaints/${toCase}/assessment`, { is_sea: true, category: 'sexual_exploitation', type: 'transactional_sex', perpetrator_affiliation: 'mission' })).status, 200);
      assert.equal((await o.post(`/api/v1/intake/complaints/${toCase}/route`, { route: 'case' })).status, 200);
      assert.equal((await o.post(`/api/v1/intake/complaints/${gbv}/assessment`, { is_sea: false, perpetrator_affiliation: 'not_un' })).status, 200);
      assert.equal((await o.post(`/api/v1/intake/complaints/${gbv}/route`, { route: 'gbv_referral' })).status, 200);
    }
    // An attachment on the complaint that will go.
    const pdf = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from('synthetic retention attachment '.repeat(64))]);
    const up = await as[operator.username].request('POST', `/api/v1/intake/complaints/${due}/attachments`, pdf, {
      contentType: 'application/pdf', headers: { 'X-Filename': 'statement.pdf' },
    });
    assert.equal(up.status, 201, up.text);
    const placed = await as[officer.username].post('/api/v1/retention/holds', { object_type: 'complaint', object_id: held, reason: 'court order 17' });
    assert.equal(placed.status, 201, placed.text);

    // What the due complaint left: its vault items, their ciphertexts and wraps, its file.
    const items = await rows(`SELECT sealed_item FROM intake_complaints WHERE id = ${due}
      UNION ALL SELECT victim_item FROM intake_complaints WHERE id = ${due} AND victim_item IS NOT NULL
      UNION ALL SELECT key_item FROM intake_attachments WHERE complaint_id = ${due}
      UNION ALL SELECT name_item FROM intake_attachments WHERE complaint_id = ${due}`);
    assert.ok(items.length >= 3, `items: ${items}`);
    const secrets = [
      ...(await rows(`SELECT ${hex('ciphertext')} FROM vault_items WHERE id IN (${items.join(',')})`)),
      ...(await rows(`SELECT ${hex('wrapped_key')} FROM vault_item_keys WHERE item_id IN (${items.join(',')})`)),
    ];
    assert.ok(secrets.length >= 2 * items.length, 'every item has its ciphertext and at least one wrap');
    const intakeDir = path.join(srv.dataDir, 'intake');
    const files = fs.readdirSync(intakeDir).filter((f) => f.startsWith(`${due}-`));
    assert.equal(files.length, 1);
    const before = await srv.databaseBytes();
    const present = (bytes, secret) => (srv.engine === 'sqlite' ? bytes.includes(Buffer.from(secret, 'hex')) : bytes.includes(Buffer.from(secret)));
    assert.ok(secrets.every((s) => present(before, s)), 'the search finds the secrets before the purge');

    // Nothing is due while the policy is off; the chief turns it on (30 days).
    const future = isoDay(Date.now() + 60 * DAY);
    let dry = await srv.cli(['retention', 'run', '--dry-run', '--as-of', future, ...srv.dbArgs]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /complaints_closed: off/);
    assert.equal((await c.put('/api/v1/retention/policies/complaints_closed', { enabled: true, after_days: 30 })).status, 200);
    const preview = await c.get('/api/v1/retention/preview');
    assert.equal(preview.status, 200, preview.text);
    const closedNow = preview.json.kinds.find((k) => k.kind === 'complaints_closed');
    assert.equal(closedNow.count, 0, 'closed today: not due for 30 days');
    assert.equal(preview.json.dry_run, true);

    dry = await srv.cli(['retention', 'run', '--dry-run', '--as-of', future, ...srv.dbArgs]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /complaints_closed: 1 due/);
    assert.match(dry.stdout, new RegExp(`complaints: ${due}\\n`));
    assert.match(dry.stdout, new RegExp(`held: ${held}\\n`));
    assert.match(dry.stdout, /complaints_not_sea: off/);
    assert.equal((await c.get(`/api/v1/intake/complaints/${due}`)).status, 200, 'a dry run deletes nothing');

    const auditBefore = (await as[admin.username].get('/api/v1/audit?action=retention.run')).json.entries.length;
    const purged = await srv.cli(['retention', 'run', '--as-of', future, ...srv.dbArgs]);
    assert.equal(purged.code, 0, purged.stderr);
    assert.match(purged.stdout, /complaints_closed: 1 deleted/);
    assert.match(purged.stdout, /attachment files erased: 1/);

    assertError(await c.get(`/api/v1/intake/complaints/${due}`), 404, 'not_found');
    for (const id of [held, toCase, stillOpen, gbv]) {
      assert.equal((await c.get(`/api/v1/intake/complaints/${id}`)).status, 200, `complaint ${id} stays`);
    }
    assert.deepEqual(await rows(`SELECT COUNT(*) FROM vault_items WHERE id IN (${items.join(',')})`), ['0']);
    assert.deepEqual(await rows(`SELECT COUNT(*) FROM vault_item_keys WHERE item_id IN (${items.join(',')})`), ['0']);
    assert.deepEqual(fs.readdirSync(intakeDir).filter((f) => f.startsWith(`${due}-`)), []);
    const after = await srv.databaseBytes();
    for (const secret of secrets) {
      assert.ok(!present(after, secret), `a ciphertext or wrap of complaint ${due} is left (${secret.slice(0, 16)}...)`);
    }

    // One audit entry, counts only.
    const runs = (await as[admin.username].get('/api/v1/audit?action=retention.run')).json.entries;
    assert.equal(runs.length, auditBefore + 1);
    const details = runs[0].details;
    assert.equal(details.complaints_closed, 1);
    assert.equal(details.files, 1);
    for (const [key, value] of Object.entries(details)) {
      assert.ok(['vault_items', 'files', 'as_of', 'quarantine', 'sessions', 'complaints_closed'].includes(key), key);
      if (key !== 'as_of') assert.equal(typeof value, 'number', key);
    }
    assert.equal(runs[0].object_id, '');
    assert.equal(runs[0].actor, 'cli');

    // The held complaint goes once its hold is lifted.
    assert.equal((await c.post(`/api/v1/retention/holds/${placed.json.hold.id}/lift`, { reason: 'order expired' })).status, 200);
    const again = await srv.cli(['retention', 'run', '--as-of', future, ...srv.dbArgs]);
    assert.equal(again.code, 0, again.stderr);
    assertError(await c.get(`/api/v1/intake/complaints/${held}`), 404, 'not_found');
    assert.equal((await c.get(`/api/v1/intake/complaints/${gbv}`)).status, 200, 'complaints_not_sea is still off');
  });

  it('closed cases go under cases_closed with their sealed identities; held and open ones stay', async () => {
    const c = as[chief.username];
    // The chief, an intake reader, becomes the first cases reader and makes the cases.
    const me = (await c.get('/api/v1/auth/me')).json.user.id;
    const first = await c.post('/api/v1/case-readers', { user_id: me, ...(await stepUp(chief)) });
    assert.equal(first.status, 204, first.text);
    const makeCase = async () => {
      const filed = await c.post('/api/v1/intake/complaints', complaint({
        victims: [{ age: 19, sex: 'female', name: CASE_VICTIM }],
        perpetrators: [{ category: 'military_contingent', nationality: 'CF', identified: 'yes', name: CASE_SUBJECT }],
      }));
      assert.equal(filed.status, 201, filed.text);
      const id = filed.json.complaint.id;
      assert.equal((await c.post(`/api/v1/intake/complaints/${id}/assessment`, { is_sea: true, category: 'sexual_exploitation', type: 'transactional_sex', perpetrator_affiliation: 'mission' })).status, 200);
      assert.equal((await c.post(`/api/v1/intake/complaints/${id}/route`, { route: 'case' })).status, 200);
      const made = await c.post('/api/v1/cases', { complaints: [id] });
      assert.equal(made.status, 201, made.text);
      return { kase: made.json.case, complaint: id };
    };
    const close = async (kase) => {
      let r = await c.post(`/api/v1/cases/${kase.id}/transitions`, { status: 'under_assessment', version: kase.version });
      assert.equal(r.status, 200, r.text);
      r = await c.post(`/api/v1/cases/${kase.id}/transitions`, { status: 'not_sea', version: r.json.case.version, reason: 'the facts are not SEA' });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.case.status, 'not_sea');
    };
    const due = await makeCase();
    const held = await makeCase();
    const open = await makeCase();
    await close(due.kase);
    await close(held.kase);

    // A hold on a case: placed by an officer, audited without its reason.
    const placed = await as[officer.username].post('/api/v1/retention/holds', { object_type: 'case', object_id: held.kase.id, reason: 'OIOS case file request 88' });
    assert.equal(placed.status, 201, placed.text);
    assert.equal(placed.json.hold.object_type, 'case');
    assertError(await as[officer.username].post('/api/v1/retention/holds', { object_type: 'case', object_id: held.kase.id, reason: 'again' }), 409, 'conflict');
    const placedAudit = (await as[admin.username].get('/api/v1/audit?action=retention.hold_place')).json.entries;
    assert.ok(placedAudit.some((e) => e.object_type === 'case' && e.object_id === String(held.kase.id)));
    assert.ok(!JSON.stringify(placedAudit).includes('OIOS case file'));

    // What the due case sealed: its victim's and subject's identities, their ciphertexts and wraps.
    const items = await rows(`SELECT identity_item FROM case_victims WHERE case_id = ${due.kase.id}
      UNION ALL SELECT identity_item FROM case_subjects WHERE case_id = ${due.kase.id}`);
    assert.ok(items.length >= 2, `items: ${items}`);
    const secrets = [
      ...(await rows(`SELECT ${hex('ciphertext')} FROM vault_items WHERE id IN (${items.join(',')})`)),
      ...(await rows(`SELECT ${hex('wrapped_key')} FROM vault_item_keys WHERE item_id IN (${items.join(',')})`)),
    ];
    assert.ok(secrets.length >= 2 * items.length, 'every item has its ciphertext and at least one wrap');
    const present = (bytes, secret) => (srv.engine === 'sqlite' ? bytes.includes(Buffer.from(secret, 'hex')) : bytes.includes(Buffer.from(secret)));
    const before = await srv.databaseBytes();
    assert.ok(secrets.every((s) => present(before, s)), 'the search finds the secrets before the purge');

    const future = isoDay(Date.now() + 60 * DAY);
    let dry = await srv.cli(['retention', 'run', '--dry-run', '--as-of', future, ...srv.dbArgs]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /cases_closed: off/);
    assert.equal((await c.put('/api/v1/retention/policies/cases_closed', { enabled: true, after_days: 30 })).status, 200);
    const preview = await c.get('/api/v1/retention/preview');
    assert.equal(preview.status, 200, preview.text);
    const casesNow = preview.json.kinds.find((k) => k.kind === 'cases_closed');
    assert.equal(casesNow.count, 0, 'closed today: not due for 30 days');
    assert.deepEqual(casesNow.ids, []);
    dry = await srv.cli(['retention', 'run', '--dry-run', '--as-of', future, ...srv.dbArgs]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /cases_closed: 1 due/);
    assert.match(dry.stdout, new RegExp(`cases: ${due.kase.id}\\n\\s+held: ${held.kase.id}\\n`));
    assert.equal((await c.get(`/api/v1/cases/${due.kase.id}`)).status, 200, 'a dry run deletes nothing');

    const purged = await srv.cli(['retention', 'run', '--as-of', future, ...srv.dbArgs]);
    assert.equal(purged.code, 0, purged.stderr);
    assert.match(purged.stdout, /cases_closed: 1 deleted/);
    assertError(await c.get(`/api/v1/cases/${due.kase.id}`), 404, 'not_found');
    for (const k of [held.kase, open.kase]) assert.equal((await c.get(`/api/v1/cases/${k.id}`)).status, 200, `case ${k.id} stays`);
    // The complaint the case took is intake's record: it stays, referred.
    const taken = await c.get(`/api/v1/intake/complaints/${due.complaint}`);
    assert.equal(taken.status, 200, taken.text);
    assert.equal(taken.json.complaint.status, 'referred');
    for (const table of ['case_victims', 'case_subjects', 'case_events', 'case_officers', 'case_entries', 'case_complaints']) {
      assert.deepEqual(await rows(`SELECT COUNT(*) FROM ${table} WHERE case_id = ${due.kase.id}`), ['0'], table);
    }
    assert.deepEqual(await rows(`SELECT COUNT(*) FROM vault_items WHERE id IN (${items.join(',')})`), ['0']);
    assert.deepEqual(await rows(`SELECT COUNT(*) FROM vault_item_keys WHERE item_id IN (${items.join(',')})`), ['0']);
    const after = await srv.databaseBytes();
    for (const secret of secrets) {
      assert.ok(!present(after, secret), `a ciphertext or wrap of case ${due.kase.id} is left (${secret.slice(0, 16)}...)`);
    }
    const runs = (await as[admin.username].get('/api/v1/audit?action=retention.run')).json.entries;
    assert.equal(runs[0].details.cases_closed, 1);
    assert.ok(runs[0].details.vault_items >= 2);

    // The held case goes once its hold is lifted (audited).
    assert.equal((await c.post(`/api/v1/retention/holds/${placed.json.hold.id}/lift`, { reason: 'request answered' })).status, 200);
    const lifts = (await as[admin.username].get('/api/v1/audit?action=retention.hold_lift')).json.entries;
    assert.ok(lifts.some((e) => e.object_type === 'case' && e.object_id === String(held.kase.id)));
    const again = await srv.cli(['retention', 'run', '--as-of', future, ...srv.dbArgs]);
    assert.equal(again.code, 0, again.stderr);
    assertError(await c.get(`/api/v1/cases/${held.kase.id}`), 404, 'not_found');
    assert.equal((await c.get(`/api/v1/cases/${open.kase.id}`)).status, 200, 'an open case never goes');
    assert.equal((await c.put('/api/v1/retention/policies/cases_closed', { enabled: false, after_days: 30 })).status, 200);
  });

  it('purging old audit entries keeps `psea audit verify` passing', async () => {
    const c = as[chief.username];
    assert.equal((await c.put('/api/v1/retention/policies/audit', { enabled: true, after_days: 365 })).status, 200);
    // A quarantined message (default policy: 90 days) goes in the same run, with its sealed item.
    const quarantined = await srv.cli(['intake', 'email', ...srv.dbArgs], 'no headers at all, just bytes');
    assert.equal(quarantined.code, 0, quarantined.stderr);
    const quarantineItems = await rows('SELECT sealed_item FROM intake_quarantine');
    assert.equal(quarantineItems.length, 1);
    const head = (await as[admin.username].get('/api/v1/audit')).json.entries[0].id;
    const future = isoDay(Date.now() + 800 * DAY);
    const dry = await srv.cli(['retention', 'run', '--dry-run', '--as-of', future, ...srv.dbArgs]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, new RegExp(`audit: ${head - 1} due`));
    const purged = await srv.cli(['retention', 'run', '--as-of', future, ...srv.dbArgs]);
    assert.equal(purged.code, 0, purged.stderr);
    assert.match(purged.stdout, /quarantine: 1 deleted/);
    assert.deepEqual(await rows('SELECT COUNT(*) FROM intake_quarantine'), ['0']);
    assert.deepEqual(await rows(`SELECT COUNT(*) FROM vault_items WHERE id = ${quarantineItems[0]}`), ['0']);
    const entries = (await as[admin.username].get('/api/v1/audit')).json.entries;
    assert.deepEqual(entries.map((e) => e.id).sort((a, b) => a - b), [head, head + 1], 'the old head and the run entry remain');
    const verify = await srv.cli(['audit', 'verify', ...srv.dbArgs]);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    assert.match(verify.stdout, new RegExp(`retention removed entries up to ${head - 1}`));
    // The chain goes on from there.
    assert.equal((await c.put('/api/v1/retention/policies/audit', { enabled: false, after_days: 365 })).status, 200);
    const again = await srv.cli(['audit', 'verify', ...srv.dbArgs]);
    assert.equal(again.code, 0, again.stdout + again.stderr);
  });

  it('the server runs the purge during its --retention-hour', async () => {
    const hour = new Date().getUTCHours();
    const daily = await startServer({ users: [chief], env: { PSEA_RETENTION_HOUR: String(hour) } });
    try {
      let logged = '';
      for (let waited = 0; waited < 10000 && !logged.includes('retention_run'); waited += 200) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        logged = daily.log();
      }
      assert.match(logged, /"event":"retention_run","removed":"0"/);
      // Nothing was due on a fresh database: no audit entry.
      assert.equal((await daily.sql("SELECT COUNT(*) FROM audit_log WHERE action = 'retention.run'")).trim(), '0');
    } finally {
      await daily.stop();
    }
    const off = await startServer({ env: { PSEA_RETENTION_HOUR: '-1' } });
    try {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.doesNotMatch(off.log(), /retention_run/);
    } finally {
      await off.stop();
    }
  });
});
